import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const leak = `int dev_update(struct dev *d, int v)
{
	mutex_lock(&d->lock);
	if (v < 0)
		return -EINVAL;
	d->v = v;
	mutex_unlock(&d->lock);
	return 0;
}
`;

const killableErr = `int dev_update(struct dev *d, int v)
{
	if (mutex_lock_killable(&d->lock))
		goto out;
	d->v = v;
out:
	mutex_unlock(&d->lock);
	return 0;
}
`;

const wrongObj = `void move(struct dev *a, struct dev *b)
{
	spin_lock(&a->lock);
	a->v = b->v;
	spin_unlock(&b->lock);
}
`;

const twice = `void put(struct dev *d)
{
	spin_lock(&d->lock);
	d->refs--;
	spin_unlock(&d->lock);
	if (!d->refs)
		spin_unlock(&d->lock);
}
`;

const vmaLeak = `vm_fault_t fault(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	vma = lock_vma_under_rcu(mm, addr);
	if (!vma)
		return VM_FAULT_RETRY;
	if (vma->vm_flags & VM_HUGETLB)
		return VM_FAULT_SIGBUS;
	handle(vma);
	vma_end_read(vma);
	return 0;
}
`;

const loopLeak = `int flush_all(struct dev *d, struct item **items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct item *it = items[i];

		mutex_lock(&d->lock);
		if (it->bad)
			return -EIO;
		it->done = 1;
		mutex_unlock(&d->lock);
	}
	return 0;
}
`;

ruleTester('lock-unmatched', {
  valid: [
    {
      name: 'goto unlock cleanup on every path',
      code: `int dev_update(struct dev *d, int v)
{
	int ret = 0;

	spin_lock_irq(&d->lock);
	if (v < 0) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!d->ready) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	d->v = v;
out_unlock:
	spin_unlock_irq(&d->lock);
	return ret;
}
`,
    },
    {
      name: 'a killable lock whose hold is conditional on success',
      code: `int dev_update(struct dev *d, int v)
{
	int ret;

	ret = mutex_lock_killable(&d->lock);
	if (ret)
		return ret;
	d->v = v;
	mutex_unlock(&d->lock);
	return 0;
}
`,
    },
    {
      name: 'mmap_read_lock_killable used directly in the condition',
      code: `int walk(struct mm_struct *mm)
{
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	do_walk(mm);
	mmap_read_unlock(mm);
	return 0;
}
`,
    },
    {
      name: 'trylock: unlock only when taken',
      code: `void poll_dev(struct dev *d)
{
	if (!spin_trylock(&d->lock))
		return;
	d->polls++;
	spin_unlock(&d->lock);
}
`,
    },
    {
      name: 'lock wrappers and a caller that pairs them (seed 004 mmap_write_lock)',
      code: `static inline void dev_lock(struct dev *d)
{
	mutex_lock(&d->lock);
}

static inline void dev_unlock(struct dev *d)
{
	mutex_unlock(&d->lock);
}

void dev_set(struct dev *d, int v)
{
	dev_lock(d);
	d->v = v;
	dev_unlock(d);
}
`,
    },
    {
      name: 'a conditional wrapper (held when it returns 0) and its caller',
      code: `static int dev_lock_killable(struct dev *d)
{
	int ret = mutex_lock_killable(&d->lock);

	if (ret)
		return ret;
	if (d->dead) {
		mutex_unlock(&d->lock);
		return -ENODEV;
	}
	return 0;
}

int dev_set(struct dev *d, int v)
{
	int err = dev_lock_killable(d);

	if (err)
		return err;
	d->v = v;
	mutex_unlock(&d->lock);
	return 0;
}
`,
    },
    {
      name: 'lock_vma_under_rcu / vma_end_read',
      code: `vm_fault_t fault(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	vma = lock_vma_under_rcu(mm, addr);
	if (!vma)
		return VM_FAULT_RETRY;
	handle(vma);
	vma_end_read(vma);
	return 0;
}
`,
    },
    {
      name: 'guard() and scoped_guard() release at scope exit',
      code: `int dev_set(struct dev *d, int v)
{
	guard(mutex)(&d->lock);
	if (v < 0)
		return -EINVAL;
	scoped_guard(spinlock_irqsave, &d->slock) {
		d->v = v;
	}
	return 0;
}
`,
    },
    {
      name: 'unlock and relock inside a loop in a function called with the lock held',
      code: `void drain(struct dev *d)
{
	while (d->pending) {
		spin_unlock(&d->lock);
		cond_resched();
		spin_lock(&d->lock);
	}
}
`,
    },
    {
      name: 'a hunk that shows only the unlock',
      code: `	d->v = v;
	mutex_unlock(&d->lock);
	return 0;
}
`,
    },
    {
      name: 'pte_offset_map_lock / pte_unmap_unlock with the NULL check',
      code: `int walk_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return -EAGAIN;
	set_pte(pte);
	pte_unmap_unlock(pte, ptl);
	return 0;
}
`,
    },
    {
      name: 'folios locked per iteration and handed to the caller through an array (migrate_vma_collect)',
      code: `static int collect(struct page **pages, unsigned long *src, int n)
{
	struct folio *folio;
	int i, locked = 0;

	for (i = 0; i < n; i++) {
		if (!pages[i])
			continue;
		folio = page_folio(pages[i]);
		if (!folio_trylock(folio)) {
			src[i] = 0;
			continue;
		}
		locked++;
	}
	return locked;
}
`,
    },
    {
      name: 'the same name re-pointed at another folio before the second unlock (migrate_device_finalize)',
      code: `void finalize(struct folio **dsts, struct folio **srcs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct folio *dst = dsts[i], *src = srcs[i];

		if (!dst) {
			dst = src;
		} else if (!folio_test_uptodate(dst)) {
			folio_unlock(dst);
			dst = src;
		}
		folio_unlock(src);
		if (dst != src)
			folio_unlock(dst);
	}
}
`,
    },
    {
      name: 'a function named for the lock it takes returns holding it (folio_lock_anon_vma_read)',
      code: `struct anon_vma *obj_lock_read(struct obj *o)
{
	struct anon_vma *av = READ_ONCE(o->av);

	if (down_read_trylock(&av->rwsem)) {
		if (!o->mapped) {
			up_read(&av->rwsem);
			av = NULL;
		}
		goto out;
	}
	av = NULL;
out:
	return av;
}
`,
    },
  ],
  invalid: [
    {
      name: 'a mutex taken in a loop body on a fixed object and kept on the early return',
      code: loopLeak,
      errors: [{ messageId: 'leaked', line: lineOf(loopLeak, 'mutex_lock(') }],
    },
    { name: 'early return with the mutex held', code: leak, errors: [{ messageId: 'leaked', line: lineOf(leak, 'mutex_lock(') }] },
    { name: 'unlock on the path where mutex_lock_killable() failed', code: killableErr, errors: [{ messageId: 'notHeld', line: lineOf(killableErr, 'mutex_unlock') }] },
    {
      name: 'lock(&a); unlock(&b)',
      code: wrongObj,
      errors: [
        { messageId: 'mismatched', line: lineOf(wrongObj, 'spin_lock') },
      ],
    },
    { name: 'unlock twice', code: twice, errors: [{ messageId: 'releasedTwice', line: lineOf(twice, 'spin_unlock', 2) }] },
    { name: 'lock_vma_under_rcu() result leaked on an error return', code: vmaLeak, errors: [{ messageId: 'leaked', line: lineOf(vmaLeak, 'lock_vma_under_rcu') }] },
  ],
});
