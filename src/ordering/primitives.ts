/**
 * What the ordering rules need to know about a call's name: is it a barrier
 * (and of which strength), a marked access, a seqcount API, a lock operation,
 * a non-value-returning atomic. The kernel API table (src/kernel/apis.ts) is the
 * first source; the small tables here cover names it leaves to the rules
 * (mb/rmb/wmb, virt_* barriers, the non-value-returning atomics).
 */
import { lookupApi } from '../kernel/apis';

export type BarrierStrength = 'full' | 'read' | 'write' | 'acquire' | 'release' | 'before-atomic' | 'after-atomic';

const FULL = new Set(['smp_mb', 'mb', 'virt_mb', '__smp_mb', 'smp_mb__after_spinlock', 'smp_mb__after_unlock_lock', 'smp_mb__after_srcu_read_unlock']);
const READ = new Set(['smp_rmb', 'rmb', 'virt_rmb', '__smp_rmb', 'dma_rmb', 'smp_acquire__after_ctrl_dep']);
const WRITE = new Set(['smp_wmb', 'wmb', 'virt_wmb', '__smp_wmb', 'dma_wmb']);

/** The barrier a call stands for, or null. Acquire loads and release stores count as one-way barriers. */
export function barrierStrength(name: string): BarrierStrength | null {
  if (FULL.has(name)) return 'full';
  if (READ.has(name)) return 'read';
  if (WRITE.has(name)) return 'write';
  if (name === 'smp_mb__before_atomic') return 'before-atomic';
  if (name === 'smp_mb__after_atomic') return 'after-atomic';
  if (name === 'smp_store_mb') return 'full';
  const api = lookupApi(name);
  if (!api || api.kind !== 'barrier') return null;
  switch (api.role) {
    case 'barrier-full':
    case 'full-rmw':
    case 'store-mb':
      return 'full';
    case 'barrier-read':
      return 'read';
    case 'barrier-write':
      return 'write';
    case 'acquire-load':
    case 'acquire-rmw':
      return 'acquire';
    case 'release-store':
    case 'release-rmw':
      return 'release';
    case 'barrier-before-atomic':
      return 'before-atomic';
    case 'barrier-after-atomic':
      return 'after-atomic';
    default:
      return null;
  }
}

/** Barriers checkpatch.pl's MEMORY_BARRIER test matches ($all_barriers). */
const CHECKPATCH_STEMS = ['mb', 'rmb', 'wmb', 'read_barrier_depends', 'mb__before_atomic', 'mb__after_atomic', 'store_release', 'load_acquire', 'store_mb'];
const CHECKPATCH_BARRIERS = new Set([...CHECKPATCH_STEMS, ...CHECKPATCH_STEMS.map((s) => `smp_${s}`), ...CHECKPATCH_STEMS.map((s) => `virt_${s}`)]);
export function isCheckpatchBarrier(name: string): boolean {
  return CHECKPATCH_BARRIERS.has(name);
}

/** Non-value-returning atomic read-modify-write operations (unordered; smp_mb__{before,after}_atomic upgrade them). */
const NON_VALUE_RMW = /^(arch_)?(atomic|atomic64|atomic_long)_(inc|dec|add|sub|and|or|xor|andnot)$|^(__)?(set|clear|change)_bit$|^(refcount_inc|refcount_dec|refcount_add|local_inc|local_dec|local_add|local_sub|page_ref_inc|page_ref_dec|folio_ref_inc|folio_ref_dec|percpu_ref_get|percpu_ref_put)$/;
export function isNonValueAtomic(name: string): boolean {
  if (name.startsWith('__') && /_bit$/.test(name)) return false; // __set_bit: non-atomic
  return NON_VALUE_RMW.test(name);
}

/** Value-returning atomics: fully ordered already, so smp_mb__{before,after}_atomic() next to them is redundant. */
export function isValueReturningAtomic(name: string): boolean {
  if (/_relaxed$|_acquire$|_release$/.test(name)) return false;
  if (/^(arch_)?(atomic|atomic64|atomic_long)_(\w+_return|fetch_\w+|\w+_and_test|xchg|cmpxchg|try_cmpxchg|add_unless|inc_not_zero|dec_if_positive|add_negative)$/.test(name)) return true;
  if (/^(test_and_set_bit|test_and_clear_bit|test_and_change_bit|xchg|cmpxchg|try_cmpxchg|refcount_dec_and_test|refcount_sub_and_test|refcount_inc_not_zero|folio_ref_dec_and_test|put_page_testzero|folio_put_testzero)$/.test(name)) return true;
  const api = lookupApi(name);
  return !!api && api.role === 'full-rmw';
}

/** Plain atomic accesses that are not read-modify-write (smp_mb__before_atomic() does nothing for them). */
export function isAtomicNonRmw(name: string): boolean {
  return /^(arch_)?(atomic|atomic64|atomic_long)_(set|read)$/.test(name);
}

export type SeqRole = 'read-begin' | 'read-retry' | 'read-retry-unordered' | 'read-check' | 'write-begin' | 'write-end' | 'write-barrier' | 'other';

/**
 * A seqcount API call and what it means for ordering. `read-retry-unordered`:
 * __read_seqcount_retry (the caller supplies the smp_rmb); `read-check`:
 * raw_read_seqcount (acquire load, no wait) used as a hand-written re-check.
 */
export function seqcountRole(name: string): SeqRole | null {
  if (name === '__read_seqcount_retry' || name === 'do___read_seqcount_retry') return 'read-retry-unordered';
  if (name === 'raw_read_seqcount' || name === 'do_raw_read_seqcount') return 'read-check';
  const api = lookupApi(name);
  if (api && api.kind === 'seqcount') {
    switch (api.role) {
      case 'read-begin':
      case 'latch-read-begin':
        return 'read-begin';
      case 'read-retry':
      case 'latch-read-retry':
      case 'need-retry':
        return 'read-retry';
      case 'write-begin':
        return 'write-begin';
      case 'write-end':
        return 'write-end';
      case 'write-barrier':
      case 'latch-write':
        return 'write-barrier';
      default:
        return 'other';
    }
  }
  // Names the table may not carry yet.
  if (/^(raw_|do_raw_)?write_seqcount_(begin|begin_nested)$|^write_seqlock(_bh|_irq|_irqsave)?$/.test(name)) return 'write-begin';
  if (/^(raw_|do_raw_)?write_seqcount_end$|^write_sequnlock(_bh|_irq|_irqrestore)?$/.test(name)) return 'write-end';
  if (/^(__|raw_)?read_seqcount_begin$|^read_seqbegin$|^raw_seqcount_begin$|^raw_seqcount_try_begin$/.test(name)) return 'read-begin';
  if (/^read_seqcount_retry$|^read_seqretry$/.test(name)) return 'read-retry';
  return null;
}

/** Lock operations: their acquire/release ordering makes the rules stay quiet across them. */
export function isLockOp(name: string): boolean {
  const api = lookupApi(name);
  if (api && api.kind === 'lock') return true;
  return /(^|_)(spin_|raw_spin_|read_|write_|mutex_|down_|up_)?(un)?lock(_irq|_irqsave|_irqrestore|_bh|_nested)?$|^(down|up)_(read|write)(_\w+)?$|^(mutex|spin|raw_spin)_(un)?lock\w*$/.test(name);
}

/** Calls that are known to carry no ordering and touch no shared data the rules care about. */
const INERT = /^(likely|unlikely|WARN|WARN_ON|WARN_ON_ONCE|WARN_ONCE|BUG_ON|VM_BUG_ON|VM_BUG_ON_VMA|VM_WARN_ON|VM_WARN_ON_ONCE|BUILD_BUG_ON|pr_\w+|printk|dev_\w+|trace_\w+|sizeof|offsetof|min|max|min_t|max_t|cpu_relax|ARRAY_SIZE|IS_ENABLED|container_of|lockdep_\w+|mmap_assert_\w+|vma_assert_\w+|ASSERT_\w+|kcsan_\w+|__mmap_lock_trace_\w+|might_sleep|might_fault|preempt_disable|preempt_enable|local_irq_save|local_irq_restore|barrier|data_race)$/;
export function isInertCall(name: string): boolean {
  if (INERT.test(name)) return true;
  const api = lookupApi(name);
  return !!api && (api.kind === 'lockdep' || (api.kind === 'barrier' && api.role === 'compiler-barrier'));
}

/** Marked or ordered accesses: name → which argument is the location, and how. */
export function accessCall(name: string): { kind: 'load' | 'store'; via: 'once' | 'acquire' | 'release' | 'dep'; arg: number; valueArg?: number } | null {
  switch (name) {
    case 'READ_ONCE':
    case '__READ_ONCE':
      return { kind: 'load', via: 'once', arg: 0 };
    case 'WRITE_ONCE':
    case '__WRITE_ONCE':
      return { kind: 'store', via: 'once', arg: 0, valueArg: 1 };
    case 'smp_load_acquire':
    case 'atomic_read_acquire':
    case 'atomic64_read_acquire':
    case 'atomic_long_read_acquire':
    case 'smp_cond_load_acquire':
      return { kind: 'load', via: 'acquire', arg: 0 };
    case 'smp_store_release':
    case 'atomic_set_release':
    case 'atomic64_set_release':
    case 'atomic_long_set_release':
    case 'rcu_assign_pointer':
      return { kind: 'store', via: 'release', arg: 0, valueArg: 1 };
    case 'smp_store_mb':
      return { kind: 'store', via: 'once', arg: 0, valueArg: 1 };
    case 'rcu_dereference':
    case 'rcu_dereference_raw':
    case 'rcu_dereference_check':
    case 'rcu_dereference_protected':
    case 'srcu_dereference':
      return { kind: 'load', via: 'dep', arg: 0 };
    case 'atomic_read':
    case 'atomic64_read':
    case 'atomic_long_read':
      return { kind: 'load', via: 'once', arg: 0 };
    case 'atomic_set':
    case 'atomic64_set':
    case 'atomic_long_set':
      return { kind: 'store', via: 'once', arg: 0, valueArg: 1 };
    default:
      return null;
  }
}
