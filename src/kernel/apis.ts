/**
 * The kernel primitives mmlens knows, as data: one table read by the fact
 * extractors, the emulator, the rules and the editor's hover. Semantics follow
 * include/linux/seqlock.h, mmu_notifier.h, mmap_lock.h and the memory model docs.
 *
 * Roles (others switch on these strings, keep them stable):
 *  seqcount: write-begin, write-end, read-begin, read-retry, write-barrier, latch-write,
 *            latch-read-begin, latch-read-retry, init, read-begin-or-lock, need-retry, done-retry
 *  lock:     lock, unlock, trylock, downgrade
 *  lockdep:  assert-held, assert-not-held, assert-irqs-disabled, assert, predicate-held,
 *            assert-exclusive-writer, assert-exclusive-access, lockdep-off, lockdep-on
 *  barrier:  barrier-full, barrier-read, barrier-write, release-store, acquire-load,
 *            barrier-before-atomic, barrier-after-atomic, compiler-barrier, acquire-rmw,
 *            release-rmw, full-rmw, store-mb, dependency-load
 *  access:   once-read, once-write, data-race
 *  notifier: range-init, range-init-owner, range-start, range-start-nonblock, range-end,
 *            range-invalidate, interval-read-begin, interval-read-retry, interval-check-retry,
 *            interval-set-seq, interval-insert, interval-remove, owner-less-invalidation
 *  page:     page-may-be-tail, page-head
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
  /** The call returns the lock it took (`ptl = pmd_lock(mm, pmd)`, `vma = lock_vma_under_rcu(mm, addr)`): the held object is the result, not an argument. */
  lockIsResult?: boolean;
  /** One or two sentences for hovers and messages: what it does and what it implies. */
  summary: string;
}

type Entry = Omit<ApiInfo, 'name'>;

/** Filled by the extractors' owners; keys are function or macro names. */
export const API_TABLE: Record<string, ApiInfo> = {};

function def(names: string[], info: Entry): void {
  for (const name of names) API_TABLE[name] = { name, ...info };
}

// ================================================================ seqlock.h: seqcount_t and friends

def(['seqcount_init', '__seqcount_init'], {
  kind: 'seqcount', role: 'init', objectArg: 0,
  summary: 'Initialises a plain seqcount_t to 0 (even: no writer). Writers of a plain seqcount_t must be serialised by the caller and run with preemption disabled.',
});
def(['seqcount_raw_spinlock_init', 'seqcount_spinlock_init', 'seqcount_rwlock_init', 'seqcount_mutex_init', 'seqcount_LOCKNAME_init'], {
  kind: 'seqcount', role: 'init', objectArg: 0,
  summary: 'Initialises a seqcount tied to the lock given as second argument; lockdep then checks that every write section runs with that lock held.',
});
def(['seqcount_latch_init'], {
  kind: 'seqcount', role: 'init', objectArg: 0,
  summary: 'Initialises a seqcount_latch_t for the latch pattern (two copies of the data, readers pick one by the counter\'s low bit).',
});
def(['seqlock_init'], {
  kind: 'seqcount', role: 'init', objectArg: 0, family: 'seqlock',
  summary: 'Initialises a seqlock_t: its sequence counter and the spinlock that serialises its writers.',
});

def(['read_seqcount_begin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0,
  summary: 'Starts a seqcount read section: spins while the count is odd (writer active), then loads it with acquire ordering; lockdep checks the reader. Must be closed by read_seqcount_retry() on the same counter and the value it returned.',
});
def(['raw_read_seqcount_begin', '__read_seqcount_begin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0,
  summary: 'Starts a seqcount read section without lockdep: spins while the count is odd, then loads it with acquire ordering (__read_seqcount_begin: no barrier, the caller orders). Pair with read_seqcount_retry().',
});
def(['raw_read_seqcount'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0,
  summary: 'Reads the sequence count with acquire ordering and does not wait for an even value: the caller must handle an odd (write in progress) result itself.',
});
def(['raw_seqcount_begin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0,
  summary: 'Starts a read without waiting: returns seq & ~1 so that a read that overlaps a writer always fails the later read_seqcount_retry(). Acquire-ordered load.',
});
def(['raw_seqcount_try_begin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0, returns: 'held-if-true',
  summary: 'Tries to start a read: stores the count in its second argument and returns false when a writer is active (odd count). Only a true return opens the read section.',
});
def(['read_seqcount_retry', 'do_read_seqcount_retry'], {
  kind: 'seqcount', role: 'read-retry', objectArg: 0,
  summary: 'Ends a seqcount read section: smp_rmb() then compares the counter with the value read-begin returned; true means a writer intervened and the data read must be discarded.',
});
def(['__read_seqcount_retry', 'do___read_seqcount_retry'], {
  kind: 'seqcount', role: 'read-retry', objectArg: 0,
  summary: 'Compares the counter with the value read-begin returned WITHOUT a read barrier: the caller must supply the smp_rmb() that orders the protected loads before this check.',
});

def(['raw_write_seqcount_begin', 'do_raw_write_seqcount_begin'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0,
  summary: 'Opens a seqcount write section with no lockdep check: seq++ then smp_wmb(), so the odd count is visible before any protected store. Writers must already be serialised; pair with raw_write_seqcount_end().',
});
def(['write_seqcount_begin', 'do_write_seqcount_begin'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0,
  summary: 'Opens a seqcount write section (seq++ then smp_wmb()); lockdep checks that the associated lock is held (or preemption is off for a plain seqcount_t). Pair with write_seqcount_end().',
});
def(['write_seqcount_begin_nested', 'do_write_seqcount_begin_nested'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0,
  summary: 'write_seqcount_begin() with a lockdep subclass (second argument) for nested write sections. Same ordering: seq++ then smp_wmb().',
});
def(['raw_write_seqcount_end', 'do_raw_write_seqcount_end'], {
  kind: 'seqcount', role: 'write-end', objectArg: 0,
  summary: 'Closes a seqcount write section with no lockdep check: smp_wmb() then seq++, so every protected store is visible before the count turns even.',
});
def(['write_seqcount_end', 'do_write_seqcount_end'], {
  kind: 'seqcount', role: 'write-end', objectArg: 0,
  summary: 'Closes a seqcount write section (smp_wmb() then seq++) and releases the lockdep map taken by write_seqcount_begin().',
});
def(['raw_write_seqcount_barrier', 'do_raw_write_seqcount_barrier'], {
  kind: 'seqcount', role: 'write-barrier', objectArg: 0,
  summary: 'A complete, empty write section: seq++; smp_wmb(); seq++. Readers that overlap it retry; it orders the stores before it against those after it for seqcount readers.',
});
def(['write_seqcount_invalidate', 'do_write_seqcount_invalidate'], {
  kind: 'seqcount', role: 'write-barrier', objectArg: 0,
  summary: 'Invalidates in-flight readers: smp_wmb() then seq += 2 (count stays even). Every reader that began before it fails its retry.',
});

def(['raw_write_seqcount_latch', 'write_seqcount_latch', 'write_seqcount_latch_begin', 'write_seqcount_latch_end'], {
  kind: 'seqcount', role: 'latch-write', objectArg: 0,
  summary: 'Latch writer step: smp_wmb(); seq++; smp_wmb(). Readers are steered to the copy not being modified; the writer updates the two copies one after the other, each between latch steps.',
});
def(['raw_read_seqcount_latch', 'read_seqcount_latch'], {
  kind: 'seqcount', role: 'latch-read-begin', objectArg: 0,
  summary: 'Latch reader: loads the count (the low bit selects the data copy to read); the copy\'s loads depend on it. Must be followed by read_seqcount_latch_retry().',
});
def(['raw_read_seqcount_latch_retry', 'read_seqcount_latch_retry'], {
  kind: 'seqcount', role: 'latch-read-retry', objectArg: 0,
  summary: 'Latch reader end: smp_rmb() then compares the count with the latch-read value; true means the copy read may be torn and the read must be redone.',
});

// seqlock_t
def(['read_seqbegin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0, family: 'seqlock',
  summary: 'Starts a lockless seqlock_t read: waits for an even count and loads it with acquire ordering. Close with read_seqretry() on the same seqlock and value.',
});
def(['read_seqretry'], {
  kind: 'seqcount', role: 'read-retry', objectArg: 0, family: 'seqlock',
  summary: 'Ends a seqlock_t read: smp_rmb() then compares the count; true means a writer ran and the read must be retried.',
});
def(['write_seqlock'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0, family: 'seqlock',
  summary: 'Takes the seqlock\'s spinlock and opens its write section (seq++; smp_wmb()). Pair with write_sequnlock().',
});
def(['write_seqlock_bh'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0, family: 'seqlock',
  summary: 'Takes the seqlock\'s spinlock with bottom halves disabled and opens its write section. Pair with write_sequnlock_bh().',
});
def(['write_seqlock_irq'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0, family: 'seqlock',
  summary: 'Takes the seqlock\'s spinlock with interrupts disabled and opens its write section. Pair with write_sequnlock_irq().',
});
def(['write_seqlock_irqsave'], {
  kind: 'seqcount', role: 'write-begin', objectArg: 0, family: 'seqlock',
  summary: 'Takes the seqlock\'s spinlock saving the interrupt state in the second argument and opens its write section. Pair with write_sequnlock_irqrestore() and the same flags.',
});
def(['write_sequnlock', 'write_sequnlock_bh', 'write_sequnlock_irq', 'write_sequnlock_irqrestore'], {
  kind: 'seqcount', role: 'write-end', objectArg: 0, family: 'seqlock',
  summary: 'Closes the seqlock\'s write section (smp_wmb(); seq++) and releases its spinlock (restoring bh/irq state for the _bh/_irq/_irqrestore forms).',
});
def(['read_seqlock_excl', 'read_seqlock_excl_bh', 'read_seqlock_excl_irq', 'read_seqlock_excl_irqsave'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'seqlock-excl',
  summary: 'Locking seqlock_t reader: takes the spinlock only (no sequence change), excluding writers and other locking readers. Pair with the matching read_sequnlock_excl*().',
});
def(['read_sequnlock_excl', 'read_sequnlock_excl_bh', 'read_sequnlock_excl_irq', 'read_sequnlock_excl_irqrestore'], {
  kind: 'lock', role: 'unlock', objectArg: 0, family: 'seqlock-excl',
  summary: 'Releases the spinlock taken by the matching read_seqlock_excl*().',
});
def(['read_seqbegin_or_lock', 'read_seqbegin_or_lock_irqsave'], {
  kind: 'seqcount', role: 'read-begin-or-lock', objectArg: 0, family: 'seqlock-excl',
  summary: 'Optimistic read with lock fallback: an even *seq starts a lockless read, an odd *seq takes the lock (read_seqlock_excl). The caller must start with an even seq (usually 0) and end with done_seqretry().',
});
def(['need_seqretry'], {
  kind: 'seqcount', role: 'need-retry', objectArg: 0, family: 'seqlock-excl',
  summary: 'True when a lockless pass of read_seqbegin_or_lock() raced with a writer; always false on the locked pass (odd seq).',
});
def(['done_seqretry', 'done_seqretry_irqrestore'], {
  kind: 'seqcount', role: 'done-retry', objectArg: 0, family: 'seqlock-excl',
  summary: 'Ends a read_seqbegin_or_lock() loop: releases the lock when the last pass was the locked one (odd seq).',
});

// mmap_lock speculation (mm_lock_seq)
def(['mmap_lock_speculate_try_begin'], {
  kind: 'seqcount', role: 'read-begin', objectArg: 0, returns: 'held-if-true',
  summary: 'raw_seqcount_try_begin() on mm->mm_lock_seq: false when the mmap_lock is write-locked. A true return starts a speculative section that mmap_lock_speculate_retry() must validate.',
});
def(['mmap_lock_speculate_retry'], {
  kind: 'seqcount', role: 'read-retry', objectArg: 0,
  summary: 'read_seqcount_retry() on mm->mm_lock_seq: true when a writer took the mmap_lock since mmap_lock_speculate_try_begin(); the speculative result must be discarded.',
});

// ================================================================ locks

function lockFamily(family: string, lockNames: string[], unlockNames: string[], what: string, unlockWhat: string): void {
  def(lockNames, { kind: 'lock', role: 'lock', objectArg: 0, family, summary: what });
  def(unlockNames, { kind: 'lock', role: 'unlock', objectArg: 0, family, summary: unlockWhat });
}

lockFamily('spinlock',
  ['spin_lock', 'spin_lock_bh', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_nested', 'spin_lock_irqsave_nested', 'spin_lock_nest_lock',
    'raw_spin_lock', 'raw_spin_lock_bh', 'raw_spin_lock_irq', 'raw_spin_lock_irqsave', 'raw_spin_lock_nested', 'raw_spin_lock_irqsave_nested', 'arch_spin_lock', 'do_raw_spin_lock'],
  ['spin_unlock', 'spin_unlock_bh', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'raw_spin_unlock', 'raw_spin_unlock_bh', 'raw_spin_unlock_irq', 'raw_spin_unlock_irqrestore', 'arch_spin_unlock', 'do_raw_spin_unlock'],
  'Takes a spinlock (busy-waits; the section must not sleep). Acquire ordering: accesses inside the section cannot move before it. _bh/_irq/_irqsave also disable bottom halves or interrupts.',
  'Releases a spinlock with release ordering: accesses inside the section are visible before the lock is seen free. _irqrestore restores the saved interrupt state.');
def(['spin_trylock', 'spin_trylock_bh', 'spin_trylock_irq', 'spin_trylock_irqsave', 'raw_spin_trylock', 'raw_spin_trylock_irqsave', 'arch_spin_trylock'], {
  kind: 'lock', role: 'trylock', objectArg: 0, family: 'spinlock', returns: 'held-if-true',
  summary: 'Tries to take a spinlock without spinning: the lock is held only when it returns true (non-zero).',
});
lockFamily('rwlock-read',
  ['read_lock', 'read_lock_bh', 'read_lock_irq', 'read_lock_irqsave'],
  ['read_unlock', 'read_unlock_bh', 'read_unlock_irq', 'read_unlock_irqrestore'],
  'Takes an rwlock_t for reading (shared with other readers, excludes writers; busy-waits, must not sleep).',
  'Releases an rwlock_t read hold.');
lockFamily('rwlock-write',
  ['write_lock', 'write_lock_bh', 'write_lock_irq', 'write_lock_irqsave'],
  ['write_unlock', 'write_unlock_bh', 'write_unlock_irq', 'write_unlock_irqrestore'],
  'Takes an rwlock_t for writing (exclusive; busy-waits, must not sleep).',
  'Releases an rwlock_t write hold.');
def(['read_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'rwlock-read', returns: 'held-if-true', summary: 'Tries to take an rwlock_t for reading; held only when it returns true.' });
def(['write_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'rwlock-write', returns: 'held-if-true', summary: 'Tries to take an rwlock_t for writing; held only when it returns true.' });

lockFamily('mutex', ['mutex_lock', 'mutex_lock_nested', 'mutex_lock_io', 'mutex_lock_nest_lock'], ['mutex_unlock'],
  'Takes a mutex (may sleep; not from atomic context). Acquire ordering for the section.',
  'Releases a mutex (release ordering); must be called by the task that took it.');
def(['mutex_lock_interruptible', 'mutex_lock_killable', 'mutex_lock_interruptible_nested', 'mutex_lock_killable_nested'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'mutex', returns: 'held-if-zero',
  summary: 'Takes a mutex unless a signal arrives: returns 0 with the mutex held, -EINTR without it. The error path must not unlock.',
});
def(['mutex_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'mutex', returns: 'held-if-true', summary: 'Tries to take a mutex without sleeping; held only when it returns 1.' });

lockFamily('rwsem-read', ['down_read', 'down_read_nested', 'down_read_non_owner'], ['up_read', 'up_read_non_owner'],
  'Takes an rw_semaphore for reading (shared; may sleep).',
  'Releases an rw_semaphore read hold.');
def(['down_read_killable', 'down_read_interruptible', 'down_read_killable_nested'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'rwsem-read', returns: 'held-if-zero',
  summary: 'Takes an rw_semaphore for reading unless a signal arrives: 0 means held, -EINTR means not held.',
});
def(['down_read_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'rwsem-read', returns: 'held-if-true', summary: 'Tries to take an rw_semaphore for reading; held only when it returns 1.' });
lockFamily('rwsem-write', ['down_write', 'down_write_nested', 'down_write_nest_lock'], ['up_write'],
  'Takes an rw_semaphore for writing (exclusive; may sleep).',
  'Releases an rw_semaphore write hold.');
def(['down_write_killable', 'down_write_killable_nested'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'rwsem-write', returns: 'held-if-zero',
  summary: 'Takes an rw_semaphore for writing unless a fatal signal arrives: 0 means held, -EINTR means not held.',
});
def(['down_write_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'rwsem-write', returns: 'held-if-true', summary: 'Tries to take an rw_semaphore for writing; held only when it returns 1.' });
def(['downgrade_write'], { kind: 'lock', role: 'downgrade', objectArg: 0, family: 'rwsem-write', summary: 'Turns a held rw_semaphore write lock into a read lock without releasing it; release later with up_read().' });

lockFamily('mmap-read', ['mmap_read_lock'], ['mmap_read_unlock', 'mmap_read_unlock_non_owner'],
  'Takes mm->mmap_lock for reading (down_read; may sleep). VMAs may be looked up but not modified.',
  'Releases mm->mmap_lock read hold.');
def(['mmap_read_lock_killable'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'mmap-read', returns: 'held-if-zero',
  summary: 'Takes mm->mmap_lock for reading unless a fatal signal arrives: 0 means held, -EINTR means not held.',
});
def(['mmap_read_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'mmap-read', returns: 'held-if-true', summary: 'Tries to take mm->mmap_lock for reading; held only when it returns true.' });
def(['mmap_write_lock', 'mmap_write_lock_nested'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'mmap-write',
  summary: 'Takes mm->mmap_lock for writing (down_write), then opens the mm->mm_lock_seq write section (odd count = write-locked) so per-VMA readers back off.',
});
def(['mmap_write_lock_killable'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'mmap-write', returns: 'held-if-zero',
  summary: 'Takes mm->mmap_lock for writing unless a fatal signal arrives: 0 means held (and mm_lock_seq write section open), -EINTR means not held.',
});
def(['mmap_write_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'mmap-write', returns: 'held-if-true', summary: 'Tries to take mm->mmap_lock for writing; held only when it returns true.' });
def(['mmap_write_unlock'], {
  kind: 'lock', role: 'unlock', objectArg: 0, family: 'mmap-write',
  summary: 'Calls vma_end_write_all() (closes the mm_lock_seq write section, releasing every VMA write lock) and then up_write() on mm->mmap_lock.',
});
def(['mmap_write_downgrade'], {
  kind: 'lock', role: 'downgrade', objectArg: 0, family: 'mmap-write',
  summary: 'Turns the mmap write lock into a read lock: closes the mm_lock_seq write section (releasing all VMA write locks) then downgrade_write(). Release later with mmap_read_unlock().',
});

def(['vma_start_write'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'vma-write',
  summary: 'Write-locks one VMA (vm_lock_seq = mm_lock_seq). Requires the mmap write lock; there is no per-VMA unlock: it is released by mmap_write_unlock() or mmap_write_downgrade().',
});
def(['vma_start_write_killable'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'vma-write', returns: 'held-if-zero',
  summary: '__must_check vma_start_write() that can be interrupted by a fatal signal: 0 means the VMA is write-locked.',
});
def(['vma_end_write_all'], {
  kind: 'lock', role: 'unlock', objectArg: 0, family: 'vma-write',
  summary: 'Releases every VMA write lock of the mm by ending the mm_lock_seq write section; called by the mmap_lock code right before releasing or downgrading the write lock, not by hand.',
});
def(['vma_start_read'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'vma-read', returns: 'held-if-true',
  summary: 'Tries to read-lock one VMA under RCU: fails when the VMA is write-locked (vm_lock_seq == mm_lock_seq). Held only on success; release with vma_end_read().',
});
def(['lock_vma_under_rcu'], { lockIsResult: true,
  kind: 'lock', role: 'lock', objectArg: 0, family: 'vma-read', returns: 'held-if-nonnull',
  summary: 'Looks up the VMA covering an address and read-locks it without the mmap_lock: returns NULL (nothing held, fall back to mmap_read_lock) or a read-locked VMA to release with vma_end_read().',
});
def(['vma_end_read'], { kind: 'lock', role: 'unlock', objectArg: 0, family: 'vma-read', summary: 'Releases a per-VMA read lock taken by lock_vma_under_rcu() or vma_start_read().' });

// RCU read sections take no lock object (no objectArg).
def(['rcu_read_lock', 'rcu_read_lock_bh', 'rcu_read_lock_sched', 'rcu_read_lock_sched_notrace'], {
  kind: 'lock', role: 'lock', family: 'rcu',
  summary: 'Enters an RCU read-side critical section: RCU-protected objects seen inside stay allocated until the matching rcu_read_unlock(); must not sleep (non-preemptible RCU).',
});
def(['rcu_read_unlock', 'rcu_read_unlock_bh', 'rcu_read_unlock_sched', 'rcu_read_unlock_sched_notrace'], {
  kind: 'lock', role: 'unlock', family: 'rcu',
  summary: 'Leaves an RCU read-side critical section; pointers obtained inside must not be used after it.',
});
def(['srcu_read_lock'], { kind: 'lock', role: 'lock', objectArg: 0, family: 'srcu', summary: 'Enters an SRCU read-side section (may sleep); returns the index srcu_read_unlock() needs.' });
def(['srcu_read_unlock'], { kind: 'lock', role: 'unlock', objectArg: 0, family: 'srcu', summary: 'Leaves an SRCU read-side section; the second argument must be the index srcu_read_lock() returned.' });

lockFamily('page-lock', ['lock_page', 'folio_lock', '__folio_lock'], ['unlock_page', 'folio_unlock'],
  'Takes the page/folio lock (PG_locked; may sleep). Stabilises page->mapping for file pages and excludes truncation and migration of the folio.',
  'Releases the page/folio lock (release ordering) and wakes waiters.');
def(['trylock_page', 'folio_trylock'], { kind: 'lock', role: 'trylock', objectArg: 0, family: 'page-lock', returns: 'held-if-true', summary: 'Tries to take the page/folio lock without sleeping; held only when it returns true.' });
def(['lock_page_killable', 'folio_lock_killable', '__folio_lock_killable'], {
  kind: 'lock', role: 'lock', objectArg: 0, family: 'page-lock', returns: 'held-if-zero',
  summary: 'Takes the page/folio lock unless a fatal signal arrives: 0 means held.',
});

def(['pte_offset_map_lock'], {
  kind: 'lock', role: 'lock', objectArg: 3, family: 'pte-lock', returns: 'held-if-nonnull',
  summary: 'Maps the PTE table for an address and takes its page-table lock (stored in the fourth argument). Recent kernels return NULL when the PMD changed: nothing is mapped or held then. Release with pte_unmap_unlock(pte, ptl).',
});
def(['pte_unmap_unlock'], { kind: 'lock', role: 'unlock', objectArg: 1, family: 'pte-lock', summary: 'Releases the page-table lock taken by pte_offset_map_lock() and unmaps the PTE table.' });
def(['pmd_lock', 'pud_lock'], { lockIsResult: true,
  kind: 'lock', role: 'lock', objectArg: 1, family: 'pte-lock',
  summary: 'Takes the page-table lock covering a PMD/PUD entry and returns it; release it with spin_unlock() on the returned lock.',
});
def(['pmd_trans_huge_lock', 'pud_trans_huge_lock'], { lockIsResult: true,
  kind: 'lock', role: 'lock', objectArg: 0, family: 'pte-lock', returns: 'held-if-nonnull',
  summary: 'Takes the PMD/PUD lock only when the entry maps a huge page: returns the held lock, or NULL with nothing held.',
});
def(['huge_pte_lock'], { lockIsResult: true, kind: 'lock', role: 'lock', objectArg: 2, family: 'pte-lock', summary: 'Takes the page-table lock of a hugetlb PTE and returns it; release with spin_unlock().' });

// ================================================================ lockdep / KCSAN

def(['lockdep_assert_held', 'lockdep_assert_held_once', 'assert_spin_locked', 'assert_raw_spin_locked', 'lockdep_assert_held_exclusive'], {
  kind: 'lockdep', role: 'assert-held', objectArg: 0,
  summary: 'Lockdep assertion that the caller holds the lock (any mode); documents and, with CONFIG_LOCKDEP, checks the locking contract.',
});
def(['lockdep_assert_held_write'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, summary: 'Lockdep assertion that the caller holds the lock exclusively (write mode).' });
def(['lockdep_assert_held_read'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, summary: 'Lockdep assertion that the caller holds the lock in shared (read) mode.' });
def(['lockdep_assert_not_held', 'lockdep_assert_none_held_once'], { kind: 'lockdep', role: 'assert-not-held', objectArg: 0, summary: 'Lockdep assertion that the caller does NOT hold the lock.' });
def(['mmap_assert_locked'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, family: 'mmap-read', summary: 'Asserts that mm->mmap_lock is held, in read or write mode (lockdep plus a VM_BUG_ON on the rwsem).' });
def(['mmap_assert_write_locked'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, family: 'mmap-write', summary: 'Asserts that mm->mmap_lock is held for writing; code after it may modify VMAs and mm_lock_seq without further locking.' });
def(['vma_assert_locked'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, family: 'vma-read', summary: 'Asserts that the VMA is locked: read-locked via its per-VMA lock or write-locked.' });
def(['vma_assert_write_locked'], { kind: 'lockdep', role: 'assert-held', objectArg: 0, family: 'vma-write', summary: 'Asserts that the VMA is write-locked (vm_lock_seq equals mm_lock_seq under the mmap write lock).' });
def(['lockdep_assert_irqs_disabled', 'lockdep_assert_irqs_enabled', 'lockdep_assert_preemption_disabled', 'lockdep_assert_preemption_enabled', 'lockdep_assert_in_softirq', 'lockdep_assert_in_irq'], {
  kind: 'lockdep', role: 'assert-held',
  summary: 'Lockdep assertion about the execution context (interrupts/preemption state); no lock object.',
});
def(['lockdep_assert'], { kind: 'lockdep', role: 'assert', objectArg: 0, summary: 'Generic lockdep assertion of a condition (usually lockdep_is_held(...)).' });
const PREDICATE_HELD = 'Predicate: whether the lock is held (lockdep_is_held: by the current task). Used inside assertions and rcu_dereference_protected() conditions.';
def(['lockdep_is_held', 'lockdep_is_held_type'], { kind: 'lockdep', role: 'predicate-held', objectArg: 0, summary: PREDICATE_HELD });
def(['rcu_read_lock_held', 'rcu_read_lock_bh_held'], { kind: 'lockdep', role: 'predicate-held', summary: PREDICATE_HELD });
def(['spin_is_locked', 'mutex_is_locked', 'rwsem_is_locked'], { kind: 'lockdep', role: 'predicate-held', objectArg: 0, summary: PREDICATE_HELD });
def(['ASSERT_EXCLUSIVE_WRITER', 'ASSERT_EXCLUSIVE_WRITER_SCOPED'], {
  kind: 'lockdep', role: 'assert-exclusive-writer', objectArg: 0,
  summary: 'KCSAN assertion: no other task writes this variable concurrently (readers allowed). Documents a single-writer design; the _SCOPED form holds until the end of the scope.',
});
def(['ASSERT_EXCLUSIVE_ACCESS', 'ASSERT_EXCLUSIVE_ACCESS_SCOPED', 'ASSERT_EXCLUSIVE_BITS'], {
  kind: 'lockdep', role: 'assert-exclusive-access', objectArg: 0,
  summary: 'KCSAN assertion: no concurrent reader or writer of this variable (ASSERT_EXCLUSIVE_BITS: no concurrent writer of the masked bits).',
});
def(['lockdep_off'], { kind: 'lockdep', role: 'lockdep-off', summary: 'Disables lockdep tracking for the current task until lockdep_on(); assertions in between check nothing.' });
def(['lockdep_on'], { kind: 'lockdep', role: 'lockdep-on', summary: 'Re-enables lockdep tracking turned off by lockdep_off().' });

// ================================================================ barriers and ordered accesses

def(['smp_mb', 'mb', '__smp_mb', 'virt_mb'], {
  kind: 'barrier', role: 'barrier-full',
  summary: 'Full memory barrier: every load and store before it is ordered before every load and store after it. Needed for store→load ordering; should carry a comment naming its pairing barrier.',
});
def(['smp_rmb', 'rmb', '__smp_rmb', 'virt_rmb', 'dma_rmb'], {
  kind: 'barrier', role: 'barrier-read',
  summary: 'Read barrier: loads before it are ordered before loads after it. Pairs with a write barrier (smp_wmb/release) on the writer side; orders nothing for stores.',
});
def(['smp_wmb', 'wmb', '__smp_wmb', 'virt_wmb', 'dma_wmb'], {
  kind: 'barrier', role: 'barrier-write',
  summary: 'Write barrier: stores before it are ordered before stores after it. Pairs with a read barrier (smp_rmb/acquire) on the reader side; orders no loads.',
});
def(['smp_store_release', 'atomic_set_release', 'atomic64_set_release', 'atomic_long_set_release', 'rcu_assign_pointer'], {
  kind: 'barrier', role: 'release-store', objectArg: 0,
  summary: 'Store with release ordering: every access before it is visible before the stored value. Pairs with smp_load_acquire() (or a read barrier) of the same location on the reader side.',
});
def(['smp_load_acquire', 'atomic_read_acquire', 'atomic64_read_acquire', 'atomic_long_read_acquire', 'smp_cond_load_acquire', 'atomic_cond_read_acquire'], {
  kind: 'barrier', role: 'acquire-load', objectArg: 0,
  summary: 'Load with acquire ordering: every access after it happens after the load. Pairs with smp_store_release() (or a write barrier) of the same location on the writer side.',
});
def(['smp_mb__before_atomic'], {
  kind: 'barrier', role: 'barrier-before-atomic',
  summary: 'Upgrades the following non-value-returning atomic RMW (atomic_inc, set_bit, ...) to be fully ordered after earlier accesses. Only meaningful right before such an atomic.',
});
def(['smp_mb__after_atomic'], {
  kind: 'barrier', role: 'barrier-after-atomic',
  summary: 'Upgrades the preceding non-value-returning atomic RMW (atomic_dec, clear_bit, ...) to be fully ordered before later accesses. Only meaningful right after such an atomic.',
});
def(['smp_mb__after_spinlock', 'smp_mb__after_unlock_lock', 'smp_mb__after_srcu_read_unlock'], {
  kind: 'barrier', role: 'barrier-full',
  summary: 'Strengthens the preceding lock operation into a full memory barrier.',
});
def(['smp_store_mb'], { kind: 'barrier', role: 'store-mb', objectArg: 0, summary: 'WRITE_ONCE() of the variable followed by smp_mb(): the store is ordered before every later load and store.' });
def(['barrier'], { kind: 'barrier', role: 'compiler-barrier', summary: 'Compiler barrier only: stops the compiler from moving accesses across it; gives no ordering between CPUs.' });
def(['READ_ONCE', '__READ_ONCE'], {
  kind: 'access', role: 'once-read', objectArg: 0,
  summary: 'Marked load: one untorn access the compiler may not fuse, repeat or elide; tells KCSAN the race is intended. Gives no ordering with other accesses (only address dependencies).',
});
def(['WRITE_ONCE', '__WRITE_ONCE'], {
  kind: 'access', role: 'once-write', objectArg: 0,
  summary: 'Marked store: one untorn store the compiler may not tear, fuse or invent; pairs with READ_ONCE() readers. Gives no ordering with other accesses.',
});
def(['data_race'], { kind: 'access', role: 'data-race', objectArg: 0, summary: 'Tells KCSAN the racy access inside is intended and harmless; adds no ordering and no READ_ONCE guarantees.' });
def(['rcu_dereference', 'rcu_dereference_protected', 'rcu_dereference_check', 'rcu_dereference_raw', 'rcu_dereference_bh', 'rcu_dereference_sched', 'srcu_dereference'], {
  kind: 'access', role: 'dependency-load', objectArg: 0,
  summary: 'Loads an RCU-protected pointer (READ_ONCE with dependency ordering): the pointee\'s fields read through it are ordered after the load; pairs with rcu_assign_pointer().',
});
def(['xchg', 'cmpxchg', 'try_cmpxchg', 'atomic_xchg', 'atomic_cmpxchg', 'atomic_try_cmpxchg', 'atomic_inc_return', 'atomic_dec_return', 'atomic_add_return', 'atomic_sub_return',
  'atomic_dec_and_test', 'atomic_inc_and_test', 'atomic_sub_and_test', 'atomic_fetch_add', 'atomic_fetch_inc', 'atomic_long_xchg', 'atomic_long_cmpxchg', 'atomic_long_inc_return',
  'atomic_long_dec_return', 'atomic_long_add_return', 'atomic64_inc_return', 'atomic64_add_return', 'atomic64_cmpxchg', 'test_and_set_bit', 'test_and_clear_bit', 'refcount_dec_and_test'], {
  kind: 'barrier', role: 'full-rmw', objectArg: 0,
  summary: 'Value-returning atomic read-modify-write: fully ordered (implies smp_mb() before and after) unless a _relaxed/_acquire/_release variant is used.',
});

// ================================================================ mmu notifiers

def(['mmu_notifier_range_init'], {
  kind: 'notifier', role: 'range-init', objectArg: 0,
  summary: 'Fills a struct mmu_notifier_range: event, flags, mm, start and end (older kernels also take the vma). It sets no owner, so subscribers cannot tell this invalidation from their own.',
});
def(['mmu_notifier_range_init_owner'], {
  kind: 'notifier', role: 'range-init-owner', objectArg: 0,
  summary: 'mmu_notifier_range_init() that also records the owner (last argument): with MMU_NOTIFY_MIGRATE or MMU_NOTIFY_EXCLUSIVE the driver whose owner matches skips its own invalidation.',
});
def(['mmu_notifier_invalidate_range_start'], {
  kind: 'notifier', role: 'range-start', objectArg: 0,
  summary: 'Announces an invalidation of the range to subscribers (may sleep); the page tables in the range may change only after it, and it must be paired with mmu_notifier_invalidate_range_end() on the same range.',
});
def(['mmu_notifier_invalidate_range_start_nonblock'], {
  kind: 'notifier', role: 'range-start-nonblock', objectArg: 0, returns: 'started-if-zero',
  summary: '__must_check non-blocking range start: 0 means started (pair with _end); an error means nothing started, so no _end and the PTEs in the range must not be changed.',
});
def(['mmu_notifier_invalidate_range_end', 'mmu_notifier_invalidate_range_only_end'], {
  kind: 'notifier', role: 'range-end', objectArg: 0,
  summary: 'Closes a range opened by mmu_notifier_invalidate_range_start(); subscribers may re-establish mappings after it. _only_end skips the secondary-TLB invalidate.',
});
def(['mmu_notifier_invalidate_range', 'mmu_notifier_arch_invalidate_secondary_tlbs'], {
  kind: 'notifier', role: 'range-invalidate', objectArg: 0,
  summary: 'Invalidates secondary TLBs for an address range (mm, start, end) inside a start/end pair; carries no event or owner.',
});
def(['mmu_interval_read_begin'], {
  kind: 'notifier', role: 'interval-read-begin', objectArg: 0,
  summary: 'Starts an interval-notifier read: returns a sequence to pass to mmu_interval_read_retry(); may sleep waiting for an invalidation in progress.',
});
def(['mmu_interval_read_retry'], {
  kind: 'notifier', role: 'interval-read-retry', objectArg: 0,
  summary: 'Authoritative check, called under the driver lock that .invalidate also takes, before the result of the read (e.g. device PTEs) is committed; true means an invalidation ran and the work must be redone.',
});
def(['mmu_interval_check_retry'], {
  kind: 'notifier', role: 'interval-check-retry', objectArg: 0,
  summary: 'Lockless hint that an invalidation happened since mmu_interval_read_begin(); a false result proves nothing, it cannot replace mmu_interval_read_retry() under the lock.',
});
def(['mmu_interval_set_seq'], {
  kind: 'notifier', role: 'interval-set-seq', objectArg: 0,
  summary: 'Called from the .invalidate callback, unconditionally and under the same driver lock as mmu_interval_read_retry(), to make pending readers retry.',
});
def(['mmu_interval_notifier_insert', 'mmu_interval_notifier_insert_locked'], {
  kind: 'notifier', role: 'interval-insert', objectArg: 0,
  summary: 'Registers an interval notifier on [start, start + length) of an mm; its .invalidate runs for every overlapping invalidation.',
});
def(['mmu_interval_notifier_remove'], {
  kind: 'notifier', role: 'interval-remove', objectArg: 0,
  summary: 'Unregisters an interval notifier; may sleep waiting for a running invalidation to finish.',
});

/**
 * The core's notifier dispatchers: they call the subscribers' callbacks, they are
 * not callbacks themselves (a callback is what an ops table names, or a function
 * with a callback's signature).
 */
export const NOTIFIER_DISPATCHERS: ReadonlySet<string> = new Set([
  '__mmu_notifier_invalidate_range_start', '__mmu_notifier_invalidate_range_end', 'mn_hlist_invalidate_range_start', 'mn_hlist_invalidate_end',
  'mn_itree_invalidate', 'mn_itree_inv_end', '__mmu_notifier_release', '__mmu_notifier_arch_invalidate_secondary_tlbs', '__mmu_notifier_invalidate_range',
]);

/**
 * Kernel operations that init a range with an owner-meaning event, and whether
 * they run inside the calling driver's mmu_interval_read_begin() … retry section.
 * make_device_exclusive*() is called by the driver between read_begin and retry
 * (nouveau, the hmm test driver); migration (migrate_vma_*) is not: the driver
 * re-faults afterwards, so an owner-less invalidation inside it costs no retry loop.
 */
export const OWNER_OPERATIONS: Record<string, { insideDriverSection: boolean; note: string }> = {
  make_device_exclusive: { insideDriverSection: true, note: 'the driver calls make_device_exclusive() between mmu_interval_read_begin() and mmu_interval_read_retry()' },
  make_device_exclusive_range: { insideDriverSection: true, note: 'the driver calls make_device_exclusive_range() between mmu_interval_read_begin() and mmu_interval_read_retry()' },
  page_make_device_exclusive: { insideDriverSection: true, note: 'called from make_device_exclusive_range() inside the driver\'s read section' },
  page_make_device_exclusive_one: { insideDriverSection: true, note: 'rmap_walk callback of make_device_exclusive_range(), inside the driver\'s read section' },
  folio_make_device_exclusive: { insideDriverSection: true, note: 'called from make_device_exclusive() inside the driver\'s read section' },
  make_device_exclusive_one: { insideDriverSection: true, note: 'called from make_device_exclusive() inside the driver\'s read section' },
  migrate_vma_setup: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  migrate_vma_collect: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  migrate_vma_pages: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  __migrate_device_pages: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  migrate_vma_insert_page: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  migrate_vma_finalize: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
  migrate_device_range: { insideDriverSection: false, note: 'migration is not run inside a driver\'s interval read section' },
};

/**
 * Kernel functions that read ->mapping/->index of the struct page they are given
 * without compound_head() first: a tail page passed to them is misread (seed 002:
 * page_lock_anon_vma_read() reads READ_ONCE(page->mapping) of the tail). `until`:
 * the last kernel with the page-taking form; from the next one they take a folio
 * (the folio conversion of rmap, 5.18), so a page cannot reach them. Not sinks:
 * page_anon_vma() and page_mapping(), which start with compound_head() (as seed
 * 002 quotes), and anything taking a folio.
 */
export const PAGE_MAPPING_SINKS: Record<string, { arg: number; field: 'mapping' | 'index'; note: string; until: string }> = {
  rmap_walk: { arg: 0, field: 'mapping', note: 'rmap_walk() reaches the anon_vma through page->mapping (rmap_walk_anon() → page_lock_anon_vma_read() or page_anon_vma())', until: '5.17' },
  rmap_walk_locked: { arg: 0, field: 'mapping', note: 'rmap_walk_locked() reaches the anon_vma or the file mapping through page->mapping', until: '5.17' },
  page_lock_anon_vma_read: { arg: 0, field: 'mapping', note: 'page_lock_anon_vma_read() reads READ_ONCE(page->mapping) of the page it is given', until: '5.17' },
  page_mapped_in_vma: { arg: 0, field: 'index', note: 'page_mapped_in_vma() computes the address from the page\'s index (vma_address())', until: '5.17' },
  page_address_in_vma: { arg: 0, field: 'mapping', note: 'page_address_in_vma() compares page->mapping (of a file page) with the vma\'s file mapping and computes the address from the index', until: '5.17' },
};

/**
 * Kernel functions that fire MMU-notifier invalidations of their own, with their
 * own event and no owner: called inside a range the caller opened with an owner,
 * they still reach the owner's driver, which cannot filter them out.
 */
export const OWNERLESS_INVALIDATORS: Record<string, { event: string; note: string }> = {
  split_huge_pmd_address: { event: 'MMU_NOTIFY_CLEAR', note: 'splits the huge PMD mapping the address via __split_huge_pmd(), which opens its own MMU_NOTIFY_CLEAR range without an owner' },
  split_huge_pmd: { event: 'MMU_NOTIFY_CLEAR', note: 'macro around __split_huge_pmd(): an owner-less MMU_NOTIFY_CLEAR range on the PMD' },
  __split_huge_pmd: { event: 'MMU_NOTIFY_CLEAR', note: 'opens an MMU_NOTIFY_CLEAR range over the huge PMD with no owner' },
  split_huge_pud: { event: 'MMU_NOTIFY_CLEAR', note: 'macro around __split_huge_pud(): owner-less MMU_NOTIFY_CLEAR range' },
  __split_huge_pud: { event: 'MMU_NOTIFY_CLEAR', note: 'opens an MMU_NOTIFY_CLEAR range over the huge PUD with no owner' },
  split_huge_page: { event: 'MMU_NOTIFY_CLEAR', note: 'unmaps the folio (try_to_migrate/try_to_unmap) before splitting: owner-less MMU_NOTIFY_CLEAR ranges' },
  split_folio: { event: 'MMU_NOTIFY_CLEAR', note: 'unmaps the folio before splitting: owner-less MMU_NOTIFY_CLEAR ranges' },
  zap_page_range: { event: 'MMU_NOTIFY_CLEAR', note: 'zaps the range inside an owner-less MMU_NOTIFY_CLEAR range' },
  zap_page_range_single: { event: 'MMU_NOTIFY_CLEAR', note: 'zaps the range inside an owner-less MMU_NOTIFY_CLEAR range' },
  zap_vma_ptes: { event: 'MMU_NOTIFY_CLEAR', note: 'calls zap_page_range_single(): owner-less MMU_NOTIFY_CLEAR range' },
  unmap_mapping_range: { event: 'MMU_NOTIFY_CLEAR', note: 'zaps every VMA mapping the file range, each in an owner-less MMU_NOTIFY_CLEAR range' },
  unmap_mapping_pages: { event: 'MMU_NOTIFY_CLEAR', note: 'zaps every VMA mapping the pages, each in an owner-less MMU_NOTIFY_CLEAR range' },
  unmap_mapping_folio: { event: 'MMU_NOTIFY_CLEAR', note: 'zaps the folio from every VMA mapping it in owner-less MMU_NOTIFY_CLEAR ranges' },
  try_to_migrate: { event: 'MMU_NOTIFY_CLEAR', note: 'rmap walk replacing PTEs with migration entries; each VMA gets an owner-less MMU_NOTIFY_CLEAR range' },
  try_to_unmap: { event: 'MMU_NOTIFY_CLEAR', note: 'rmap walk clearing PTEs; each VMA gets an owner-less MMU_NOTIFY_CLEAR range' },
  ptep_clear_flush_notify: { event: 'secondary-tlb', note: 'clears and flushes one PTE and invalidates secondary TLBs (mmu_notifier_invalidate_range) with no event and no owner' },
  pmdp_huge_clear_flush_notify: { event: 'secondary-tlb', note: 'clears and flushes a huge PMD and invalidates secondary TLBs with no event and no owner' },
  pudp_huge_clear_flush_notify: { event: 'secondary-tlb', note: 'clears and flushes a huge PUD and invalidates secondary TLBs with no event and no owner' },
  change_protection: { event: 'MMU_NOTIFY_PROTECTION_VMA', note: 'changes protections over the range in an owner-less MMU_NOTIFY_PROTECTION_VMA range' },
  folio_mkclean: { event: 'MMU_NOTIFY_PROTECTION_PAGE', note: 'write-protects every mapping of the folio in owner-less MMU_NOTIFY_PROTECTION_PAGE ranges' },
  page_mkclean: { event: 'MMU_NOTIFY_PROTECTION_PAGE', note: 'write-protects every mapping of the page in owner-less MMU_NOTIFY_PROTECTION_PAGE ranges' },
};

for (const [name, { event, note }] of Object.entries(OWNERLESS_INVALIDATORS)) {
  def([name], {
    kind: 'notifier',
    role: 'owner-less-invalidation',
    objectArg: 0,
    summary: `Fires its own MMU-notifier invalidation (${event}) without the caller's owner: ${note}. Drivers filtering on the owner will see it as a foreign invalidation.`,
  });
}

// ================================================================ page provenance

const GUP = 'Returns possibly-tail pages: each pages[i] is the exact subpage at that address, not the compound head; read ->mapping/->index only through compound_head() or page_folio().';
def(['pin_user_pages', 'pin_user_pages_fast', 'get_user_pages', 'get_user_pages_fast', 'get_user_pages_fast_only', 'pin_user_pages_fast_only'], { kind: 'page', role: 'page-may-be-tail', objectArg: 3, summary: GUP });
def(['pin_user_pages_remote', 'get_user_pages_remote'], { kind: 'page', role: 'page-may-be-tail', objectArg: 4, summary: GUP });
def(['pin_user_pages_unlocked', 'get_user_pages_unlocked'], { kind: 'page', role: 'page-may-be-tail', objectArg: 2, summary: GUP });
def(['follow_page'], { kind: 'page', role: 'page-may-be-tail', objectArg: 0, summary: 'Returns the page mapped at an address, which may be a tail page of a THP or other compound page.' });
def(['vm_normal_page', 'vm_normal_page_pmd'], { kind: 'page', role: 'page-may-be-tail', objectArg: 0, summary: 'Returns the struct page a PTE maps (NULL for special mappings); for a PTE-mapped THP that is a tail page.' });
def(['pfn_to_page', 'phys_to_page', 'virt_to_page', 'pfn_swap_entry_to_page', 'migration_entry_to_page', 'device_private_entry_to_page', 'pte_page', 'pmd_page'], {
  kind: 'page', role: 'page-may-be-tail', objectArg: 0,
  summary: 'Converts a pfn/address/entry to its struct page: the exact subpage, possibly a tail page of a compound page.',
});
def(['nth_page'], { kind: 'page', role: 'page-may-be-tail', objectArg: 0, summary: 'The n-th subpage after a page (page + n across memory sections): a tail page for n > 0 within a compound page.' });
def(['compound_head', '_compound_head', 'virt_to_head_page'], {
  kind: 'page', role: 'page-head', objectArg: 0,
  summary: 'Returns the head page of the compound page (or the page itself): ->mapping, ->index and other head-only fields are valid there.',
});
def(['page_folio', 'virt_to_folio', 'pfn_folio'], { kind: 'page', role: 'page-head', objectArg: 0, summary: 'Returns the folio containing the page (its head): folio->mapping and folio->index are valid.' });
def(['folio_page'], { kind: 'page', role: 'page-head', objectArg: 0, summary: 'The n-th page of a folio: the head only for n == 0 (folio_page(folio, 0)); any other n is a tail page.' });

/**
 * struct page fields that are meaningful only in the head page of a compound
 * page (a tail page holds compound_head/TAIL_MAPPING or nothing there).
 */
export const PAGE_FIELDS_HEAD_ONLY: readonly string[] = ['mapping', 'index', 'share', 'lru', 'memcg_data', '_refcount'];

const ATOMIC_ORDERED = /^(atomic(64|_long)?|arch_atomic(64)?)_\w+?_(acquire|release)$/;

export function lookupApi(name: string): ApiInfo | undefined {
  if (Object.prototype.hasOwnProperty.call(API_TABLE, name)) return API_TABLE[name];
  const m = ATOMIC_ORDERED.exec(name);
  if (m) {
    const acquire = m[4] === 'acquire';
    return {
      name,
      kind: 'barrier',
      role: acquire ? 'acquire-rmw' : 'release-rmw',
      objectArg: /_(cond_read|read|set)_/.test(name) ? 0 : (/^(atomic|arch_atomic)\w*_(add|sub|and|or|xor|andnot|fetch_add|fetch_sub|fetch_and|fetch_or|fetch_xor|fetch_andnot|add_return|sub_return)_/.test(name) ? 1 : 0),
      summary: acquire
        ? 'Atomic read-modify-write with acquire ordering: accesses after it cannot move before it.'
        : 'Atomic read-modify-write with release ordering: accesses before it are visible before its store.',
    };
  }
  return undefined;
}
