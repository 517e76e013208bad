import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const dbl = `void dev_set(struct dev *d, int v)
{
	spin_lock(&d->lock);
	if (v)
		spin_lock(&d->lock);
	d->v = v;
	spin_unlock(&d->lock);
}
`;

const viaWrapper = `static inline void dev_lock(struct dev *d)
{
	mutex_lock(&d->lock);
}

void dev_set(struct dev *d, int v)
{
	mutex_lock(&d->lock);
	dev_lock(d);
	d->v = v;
	mutex_unlock(&d->lock);
}
`;

const upgrade = `void remap(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	if (need_write(mm))
		mmap_write_lock(mm);
	mmap_read_unlock(mm);
}
`;

const loopTwice = `void mark_all(struct dev *d, struct item **items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct item *it = items[i];

		spin_lock(&d->lock);
		it->mark = 1;
	}
	spin_unlock(&d->lock);
}
`;

ruleTester('lock-double', {
  valid: [
    {
      name: 'nested read locks of an rwsem',
      code: `void walk(struct rw_semaphore *sem)
{
	down_read(sem);
	down_read(sem);
	up_read(sem);
	up_read(sem);
}
`,
    },
    {
      name: 'lock in the loop body, unlock before the next iteration',
      code: `void drain(struct dev **devs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		spin_lock(&devs[i]->lock);
		devs[i]->v = 0;
		spin_unlock(&devs[i]->lock);
	}
}
`,
    },
    {
      name: 'a trylock that failed, then the lock',
      code: `void slow(struct dev *d)
{
	if (!mutex_trylock(&d->lock))
		mutex_lock(&d->lock);
	d->v = 1;
	mutex_unlock(&d->lock);
}
`,
    },
    {
      name: 'two different locks',
      code: `void move(struct dev *a, struct dev *b)
{
	spin_lock(&a->lock);
	spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
	a->v = b->v;
	spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}
`,
    },
  ],
  invalid: [
    { name: 'spin_lock twice', code: dbl, errors: [{ messageId: 'doubleLock', line: lineOf(dbl, 'spin_lock', 2) }] },
    { name: 'through a lock wrapper', code: viaWrapper, errors: [{ messageId: 'doubleLock', line: lineOf(viaWrapper, 'dev_lock(d);') }] },
    {
      name: 'a fixed lock taken in every iteration, released only after the loop',
      code: loopTwice,
      errors: [{ messageId: 'doubleLock', line: lineOf(loopTwice, 'spin_lock(') }],
    },
    { name: 'write lock while holding the read lock', code: upgrade, errors: [{ messageId: 'upgrade', line: lineOf(upgrade, 'mmap_write_lock') }] },
  ],
});
