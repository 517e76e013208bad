import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';

before(ready);

test('lock families, unlocks, downgrade', () => {
  const code = [
    'int f(struct mm_struct *mm, struct vm_area_struct *vma, struct page *page, pmd_t *pmd, unsigned long addr)',
    '{',
    '\tspinlock_t *ptl;',
    '\tpte_t *pte;',
    '\tunsigned long flags;',
    '\tspin_lock_irqsave(&d->lock, flags);',
    '\tspin_unlock_irqrestore(&d->lock, flags);',
    '\tread_lock(&tasklist_lock);',
    '\tread_unlock(&tasklist_lock);',
    '\twrite_lock_bh(&d->rw);',
    '\twrite_unlock_bh(&d->rw);',
    '\tmutex_lock(&d->mutex);',
    '\tmutex_unlock(&d->mutex);',
    '\tdown_read(&d->sem);',
    '\tup_read(&d->sem);',
    '\tdown_write(&d->sem);',
    '\tdowngrade_write(&d->sem);',
    '\tmmap_write_lock(mm);',
    '\tvma_start_write(vma);',
    '\tmmap_write_downgrade(mm);',
    '\tmmap_read_unlock(mm);',
    '\trcu_read_lock();',
    '\trcu_read_unlock();',
    '\tlock_page(page);',
    '\tunlock_page(page);',
    '\tpte = pte_offset_map_lock(mm, pmd, addr, &ptl);',
    '\tpte_unmap_unlock(pte, ptl);',
    '\tptl = pmd_lock(mm, pmd);',
    '\tspin_unlock(ptl);',
    '\tread_seqlock_excl(&d->seqlock);',
    '\tread_sequnlock_excl(&d->seqlock);',
    '\tvma_end_read(vma);',
    '\treturn 0;',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { kind: 'lock' });
  assert.deepEqual(f.map((x) => [x.api, x.role, x.detail?.family, x.object]), [
    ['spin_lock_irqsave', 'lock', 'spinlock', 'd->lock'],
    ['spin_unlock_irqrestore', 'unlock', 'spinlock', 'd->lock'],
    ['read_lock', 'lock', 'rwlock-read', 'tasklist_lock'],
    ['read_unlock', 'unlock', 'rwlock-read', 'tasklist_lock'],
    ['write_lock_bh', 'lock', 'rwlock-write', 'd->rw'],
    ['write_unlock_bh', 'unlock', 'rwlock-write', 'd->rw'],
    ['mutex_lock', 'lock', 'mutex', 'd->mutex'],
    ['mutex_unlock', 'unlock', 'mutex', 'd->mutex'],
    ['down_read', 'lock', 'rwsem-read', 'd->sem'],
    ['up_read', 'unlock', 'rwsem-read', 'd->sem'],
    ['down_write', 'lock', 'rwsem-write', 'd->sem'],
    ['downgrade_write', 'downgrade', 'rwsem-write', 'd->sem'],
    ['mmap_write_lock', 'lock', 'mmap-write', 'mm'],
    ['vma_start_write', 'lock', 'vma-write', 'vma'],
    ['mmap_write_downgrade', 'downgrade', 'mmap-write', 'mm'],
    ['mmap_read_unlock', 'unlock', 'mmap-read', 'mm'],
    ['rcu_read_lock', 'lock', 'rcu', null],
    ['rcu_read_unlock', 'unlock', 'rcu', null],
    ['lock_page', 'lock', 'page-lock', 'page'],
    ['unlock_page', 'unlock', 'page-lock', 'page'],
    ['pte_offset_map_lock', 'lock', 'pte-lock', 'ptl'],
    ['pte_unmap_unlock', 'unlock', 'pte-lock', 'ptl'],
    ['pmd_lock', 'lock', 'pte-lock', 'pmd'],
    ['spin_unlock', 'unlock', 'spinlock', 'ptl'],
    ['read_seqlock_excl', 'lock', 'seqlock-excl', 'd->seqlock'],
    ['read_sequnlock_excl', 'unlock', 'seqlock-excl', 'd->seqlock'],
    ['vma_end_read', 'unlock', 'vma-read', 'vma'],
  ]);
  assert.equal(only(f, { api: 'spin_lock_irqsave' })[0].detail?.flags, 'flags');
  assert.equal(only(f, { api: 'pmd_lock' })[0].detail?.lockVar, 'ptl');
  assert.equal(only(f, { api: 'pte_offset_map_lock' })[0].detail?.assignedTo, 'pte');
});

test('return-dependent acquisition: trylock, killable, lock_vma_under_rcu, and how the value is used', () => {
  const code = [
    'int g(struct mm_struct *mm, unsigned long addr)',
    '{',
    '\tstruct vm_area_struct *vma;',
    '\tint ret;',
    '\tif (!mmap_read_trylock(mm))',
    '\t\treturn -EAGAIN;',
    '\tif (mmap_write_lock_killable(mm))',
    '\t\treturn -EINTR;',
    '\tret = mutex_lock_interruptible(&m);',
    '\tvma = lock_vma_under_rcu(mm, addr);',
    '\tif (unlikely(down_read_trylock(&s) == 0))',
    '\t\treturn 0;',
    '\tspin_trylock(&l);',
    '\treturn ret;',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { kind: 'lock' });
  assert.deepEqual(f.map((x) => [x.api, x.role, x.detail?.returns, x.detail?.returnUse, x.detail?.negated, x.detail?.assignedTo]), [
    ['mmap_read_trylock', 'trylock', 'held-if-true', 'condition', true, null],
    ['mmap_write_lock_killable', 'lock', 'held-if-zero', 'condition', false, null],
    ['mutex_lock_interruptible', 'lock', 'held-if-zero', 'assigned', false, 'ret'],
    ['lock_vma_under_rcu', 'lock', 'held-if-nonnull', 'assigned', false, 'vma'],
    ['down_read_trylock', 'trylock', 'held-if-true', 'condition', true, null],
    ['spin_trylock', 'trylock', 'held-if-true', 'ignored', false, null],
  ]);
  assert.equal(f[3].detail?.family, 'vma-read');
});

test('negative: unrelated calls with lock-like names are not lock facts', () => {
  const f = factsOf('void h(void)\n{\n\tmy_spin_lock(&l);\n\tlock_stats();\n\tclock_gettime(0, &ts);\n}');
  assert.equal(f.length, 0);
});
