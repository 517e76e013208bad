/**
 * Lock facts: spinlocks, rwlocks, mutexes, rwsems, mmap_lock, per-VMA locks,
 * RCU/SRCU, page/folio locks, page-table locks, seqlock_t exclusive readers.
 * Return-dependent acquisition is described in detail: `returns` (held-if-true,
 * held-if-zero, held-if-nonnull) and how the caller uses the value
 * (`returnUse`: condition / assigned / returned / ignored, `negated`, `assignedTo`).
 */
import type { Node } from 'web-tree-sitter';
import type { ApiInfo } from '../kernel/apis';
import { normaliseObject } from '../c/ast';
import { argTexts, emit, objectOf, returnUse, type Ctx } from './common';

/** Locks named by the value they return (`ptl = pmd_lock(mm, pmd)`): the API table's lockIsResult entries but lock_vma_under_rcu. */
const RESULT_NAMED = new Set(['pmd_lock', 'pud_lock', 'huge_pte_lock', 'pmd_trans_huge_lock', 'pud_trans_huge_lock']);

export function lockCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const detail: Record<string, string | number | boolean | null> = { family: info.family ?? null };
  const resultNamed = RESULT_NAMED.has(name);
  const u = info.returns || resultNamed ? returnUse(call) : null;
  if (info.returns && u) {
    detail.returns = info.returns;
    detail.returnUse = u.use;
    detail.negated = u.negated;
    detail.assignedTo = u.assignedTo;
  }
  if (/irqsave|irqrestore/.test(name) && args[1] !== undefined) detail.flags = args[1];
  if (/_nested$/.test(name) && args[1] !== undefined) detail.subclass = args[1];
  // Remember the variable a result-named lock is stored in.
  if (resultNamed && u) detail.lockVar = u.assignedTo;
  if (name === 'pte_offset_map_lock' && args[3] !== undefined) detail.lockVar = normaliseObject(args[3]);
  if (name === 'pte_unmap_unlock' && args[1] !== undefined) detail.lockVar = normaliseObject(args[1]);
  emit(ctx, call, { kind: 'lock', api: name, role: info.role, args, object: objectOf(call, info.objectArg), detail });
}
