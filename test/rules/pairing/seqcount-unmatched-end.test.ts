import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const condBegin = `void pool_set(struct pool *pool, int v)
{
	if (pool->v != v)
		write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_end(&pool->seq);
}
`;

const twice = `void pool_set(struct pool *pool, int v)
{
	write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_end(&pool->seq);
	pool->w = v;
	write_seqcount_end(&pool->seq);
}
`;

const errPath = `int pool_set(struct pool *pool, int v)
{
	if (v < 0)
		goto out;
	write_seqcount_begin(&pool->seq);
	pool->v = v;
out:
	write_seqcount_end(&pool->seq);
	return 0;
}
`;

ruleTester('seqcount-unmatched-end', {
  valid: [
    {
      name: 'a hunk that shows only an end whose begin is outside the hunk',
      code: `	pool->v = v;
	write_seqcount_end(&pool->seq);
	spin_unlock(&pool->lock);
}
`,
    },
    {
      name: 'a release wrapper (seed 004 mm_lock_seqcount_end / vma_end_write_all)',
      code: `static inline void mm_lock_seqcount_end(struct mm_struct *mm)
{
	do_raw_write_seqcount_end(&mm->mm_lock_seq);
}

static inline void vma_end_write_all(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
	mm_lock_seqcount_end(mm);
}
`,
    },
    {
      name: 'begin and end under the same tracked condition',
      code: `void pool_set(struct pool *pool, int v, bool locked)
{
	if (locked)
		write_seqcount_begin(&pool->seq);
	pool->v = v;
	if (locked)
		write_seqcount_end(&pool->seq);
}
`,
    },
    {
      name: 'conditional on a parameter: the caller may hold the section (gup-style `locked` idiom)',
      code: `void pool_set(struct pool *pool, int v, bool held)
{
	if (!held)
		write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_end(&pool->seq);
}
`,
    },
    {
      name: 'write_seqlock_irqsave pairs on both branches',
      code: `void upd(seqlock_t *sl, struct x *x, int v)
{
	unsigned long flags;

	write_seqlock_irqsave(sl, flags);
	if (v) {
		x->v = v;
		write_sequnlock_irqrestore(sl, flags);
		return;
	}
	x->w = 0;
	write_sequnlock_irqrestore(sl, flags);
}
`,
    },
  ],
  invalid: [
    { name: 'end on the path where the conditional begin did not run', code: condBegin, errors: [{ messageId: 'notOpen', line: lineOf(condBegin, 'write_seqcount_end') }] },
    { name: 'end twice on one path', code: twice, errors: [{ messageId: 'closedTwice', line: lineOf(twice, 'write_seqcount_end', 2) }] },
    { name: 'error path jumps to a label that ends a section it never opened', code: errPath, errors: [{ messageId: 'notOpen', line: lineOf(errPath, 'write_seqcount_end') }] },
  ],
});
