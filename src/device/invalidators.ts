/**
 * Kernel functions that fire an mmu notifier invalidation without the caller's
 * owner: a driver's `.invalidate` callback sees `range->owner == NULL` and an
 * event such as MMU_NOTIFY_CLEAR, so it cannot tell the invalidation apart from
 * a foreign one. Kept as data: the shared table in src/kernel/apis.ts
 * (OWNERLESS_INVALIDATORS) is read first; the entries below extend it with the
 * functions the device rules need and the shared table may not hold yet.
 * A shared entry wins over an entry of this file with the same name.
 */
import { OWNERLESS_INVALIDATORS } from '../kernel/apis';

export interface OwnerlessInvalidator {
  /** The MMU_NOTIFY_* event the invalidation carries. */
  event: string;
  /** Where in the kernel the invalidation comes from, for traces and hovers. */
  note: string;
}

/**
 * Entries the device rules need beyond the shared table (each verified against
 * the kernel function's range init). The shared table already holds the split,
 * zap, unmap, try_to_migrate/unmap, *_clear_flush_notify, change_protection and
 * mkclean entries.
 */
export const DEVICE_OWNERLESS_INVALIDATORS: Record<string, OwnerlessInvalidator> = {
  split_huge_page_to_list: { event: 'MMU_NOTIFY_CLEAR', note: 'split_huge_page_to_list() unmaps the folio through try_to_migrate() before splitting: owner-less MMU_NOTIFY_CLEAR ranges' },
  split_huge_page_to_list_to_order: { event: 'MMU_NOTIFY_CLEAR', note: 'split_huge_page_to_list_to_order() unmaps the folio through try_to_migrate() before splitting: owner-less MMU_NOTIFY_CLEAR ranges' },
  migrate_pages: { event: 'MMU_NOTIFY_CLEAR', note: 'migrate_pages() unmaps each folio through try_to_migrate(): owner-less MMU_NOTIFY_CLEAR ranges' },
  unmap_vmas: { event: 'MMU_NOTIFY_UNMAP', note: 'unmap_vmas() zaps the VMAs inside an MMU_NOTIFY_UNMAP range without an owner' },
  mprotect_fixup: { event: 'MMU_NOTIFY_PROTECTION_VMA', note: 'mprotect_fixup() → change_protection(): owner-less MMU_NOTIFY_PROTECTION_VMA range' },
  wp_shared_mapping_range: { event: 'MMU_NOTIFY_PROTECTION_PAGE', note: 'wp_shared_mapping_range() write-protects the range inside an owner-less MMU_NOTIFY_PROTECTION_PAGE range' },
};

let merged: Record<string, OwnerlessInvalidator> | null = null;

/** The shared table extended with this file's entries (shared entries win). */
export function ownerlessInvalidators(): Record<string, OwnerlessInvalidator> {
  if (!merged) merged = { ...DEVICE_OWNERLESS_INVALIDATORS, ...OWNERLESS_INVALIDATORS };
  return merged;
}

export function lookupOwnerlessInvalidator(name: string): OwnerlessInvalidator | undefined {
  const t = ownerlessInvalidators();
  return Object.prototype.hasOwnProperty.call(t, name) ? t[name] : undefined;
}

/** Events whose meaning needs an owner: a driver filters its own invalidations by (event, owner). */
export const OWNER_EVENTS = new Set(['MMU_NOTIFY_EXCLUSIVE', 'MMU_NOTIFY_MIGRATE']);
