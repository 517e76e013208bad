/**
 * The kernel primitives mmlens knows, as data: one table read by the fact
 * extractors, the emulator, the rules and the editor's hover. Semantics follow
 * include/linux/seqlock.h, mmu_notifier.h, mmap_lock.h and the memory model docs.
 */
import type { FactKind } from '../model';

/** How a call's return value tells whether the primitive was taken/started. */
export type ReturnSemantics = 'held-if-true' | 'held-if-zero' | 'held-if-nonnull' | 'started-if-zero';

export interface ApiInfo {
  name: string;
  kind: FactKind;
  /**
   * What the call does in the model: e.g. "write-begin", "write-end", "read-begin", "read-retry",
   * "lock", "unlock", "assert-held", "range-init", "range-start", "range-end", "interval-read-begin",
   * "interval-read-retry", "barrier-write", "barrier-read", "barrier-full", "release-store", "acquire-load".
   */
  role: string;
  /** Index of the argument naming the object (counter, lock, range, mm); undefined when none. */
  objectArg?: number;
  /** For locks: the lock family ("spinlock", "rwsem-read", "mmap-write", ...). */
  family?: string;
  returns?: ReturnSemantics;
  /** One or two sentences for hovers and messages: what it does and what it implies. */
  summary: string;
}

/** Filled by the extractors' owners; keys are function or macro names. */
export const API_TABLE: Record<string, ApiInfo> = {};

export function lookupApi(name: string): ApiInfo | undefined {
  return Object.prototype.hasOwnProperty.call(API_TABLE, name) ? API_TABLE[name] : undefined;
}
