import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const noRetry = `u64 read_stats(struct pool *pool)
{
	unsigned int seq;
	u64 v;

	seq = read_seqcount_begin(&pool->stats_seq);
	v = pool->bytes;
	return v;
}
`;

const discarded = `u64 read_clock(seqlock_t *sl, struct clk *c)
{
	read_seqbegin(sl);
	return c->ns;
}
`;

ruleTester('seqcount-read-unchecked', {
  valid: [
    {
      name: 'read_seqbegin / read_seqretry loop',
      code: `u64 read_clock(seqlock_t *sl, struct clk *c)
{
	unsigned int seq;
	u64 ns;

	do {
		seq = read_seqbegin(sl);
		ns = c->ns;
	} while (read_seqretry(sl, seq));
	return ns;
}
`,
    },
    {
      name: 'read_seqcount_begin with a goto retry',
      code: `u64 read_stats(struct pool *pool)
{
	unsigned int seq;
	u64 v;
retry:
	seq = read_seqcount_begin(&pool->stats_seq);
	v = pool->bytes;
	if (read_seqcount_retry(&pool->stats_seq, seq))
		goto retry;
	return v;
}
`,
    },
    {
      name: 'an early return before the retry (data dropped) while the main path checks',
      code: `int read_pair(struct pool *pool, u64 *a)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&pool->seq);
		if (!pool->valid)
			return -ENOENT;
		*a = pool->a;
	} while (read_seqcount_retry(&pool->seq, seq));
	return 0;
}
`,
    },
    {
      name: 'the value is returned to a caller who retries',
      code: `static inline unsigned int pool_begin(struct pool *pool)
{
	return read_seqcount_begin(&pool->seq);
}
`,
    },
    {
      name: 'raw_read_seqcount used as a plain load (seed 004 vma_start_read)',
      code: `static inline bool vma_start_read(struct vm_area_struct *vma)
{
	if (unlikely(vma->vm_lock_seq == raw_read_seqcount(&vma->vm_mm->mm_lock_seq))) {
		up_read(&vma->vm_lock->lock);
		return false;
	}
	return true;
}
`,
    },
    {
      name: 'a hunk that shows the begin but ends before the retry',
      code: `	seq = read_seqcount_begin(&pool->seq);
	v = pool->bytes;
`,
    },
  ],
  invalid: [
    { name: 'no retry at all', code: noRetry, errors: [{ messageId: 'neverChecked', line: lineOf(noRetry, 'read_seqcount_begin') }] },
    { name: 'value thrown away', code: discarded, errors: [{ messageId: 'discarded', line: lineOf(discarded, 'read_seqbegin') }] },
  ],
});
