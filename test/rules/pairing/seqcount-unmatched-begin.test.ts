import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const gotoBug = `static int pool_update(struct pool *pool, int v)
{
	int err = 0;

	spin_lock(&pool->lock);
	write_seqcount_begin(&pool->stats_seq);
	if (v < 0) {
		err = -EINVAL;
		goto out;
	}
	pool->v = v;
	write_seqcount_end(&pool->stats_seq);
out:
	spin_unlock(&pool->lock);
	return err;
}
`;

const earlyReturn = `void stats_add(struct stats *st, u64 n)
{
	write_seqlock(&st->lock);
	if (!n)
		return;
	st->bytes += n;
	write_sequnlock(&st->lock);
}
`;

const voidHalf = `static void pool_set(struct pool *pool, int v)
{
	if (v)
		raw_write_seqcount_begin(&pool->seq);
	pool->v = v;
}
`;

const wrongCounter = `void pool_set(struct pool *pool, struct pool *other, int v)
{
	write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_end(&other->seq);
}
`;

ruleTester('seqcount-unmatched-begin', {
  valid: [
    {
      name: 'goto cleanup that closes the section on every path',
      code: `static int pool_update(struct pool *pool, int v)
{
	int err = 0;

	spin_lock(&pool->lock);
	write_seqcount_begin(&pool->stats_seq);
	if (v < 0) {
		err = -EINVAL;
		goto out_end;
	}
	if (v > 100) {
		err = -ERANGE;
		goto out_end;
	}
	pool->v = v;
out_end:
	write_seqcount_end(&pool->stats_seq);
	spin_unlock(&pool->lock);
	return err;
}
`,
    },
    {
      name: 'write_seqlock_irqsave / write_sequnlock_irqrestore pair',
      code: `void tick(struct clk *c)
{
	unsigned long flags;

	write_seqlock_irqsave(&c->lock, flags);
	c->ns += 10;
	write_sequnlock_irqrestore(&c->lock, flags);
}
`,
    },
    {
      name: 'a wrapper whose every path leaves the section open (seed 004 mm_lock_seqcount_begin)',
      code: `static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}
`,
    },
    {
      name: 'a killable wrapper that opens the section only when it returns 0 (seed 004 mmap_write_lock_killable)',
      code: `static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}

static inline int mmap_write_lock_killable(struct mm_struct *mm)
{
	int ret;

	ret = down_write_killable(&mm->mmap_lock);
	if (!ret)
		mm_lock_seqcount_begin(mm);
	return ret;
}
`,
    },
    {
      name: 'a caller that pairs the wrappers',
      code: `static inline void seq_begin(struct pool *p)
{
	write_seqcount_begin(&p->seq);
}

static inline void seq_end(struct pool *p)
{
	write_seqcount_end(&p->seq);
}

void pool_set(struct pool *p, int v)
{
	seq_begin(p);
	p->v = v;
	seq_end(p);
}
`,
    },
    {
      name: 'a loop whose body opens and closes the section',
      code: `void reset_all(struct pool **pools, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		write_seqcount_begin(&pools[i]->seq);
		pools[i]->v = 0;
		write_seqcount_end(&pools[i]->seq);
	}
}
`,
    },
    {
      name: 'a hunk that shows only the begin (the end is past the hunk)',
      code: `	write_seqcount_begin(&pool->seq);
	pool->v = v;
`,
    },
    {
      name: 'switch with every case closing the section',
      code: `int set_mode(struct dev *d, int mode)
{
	write_seqcount_begin(&d->seq);
	switch (mode) {
	case 0:
		d->a = 1;
		break;
	case 1:
		d->b = 1;
		/* fall through */
	default:
		d->c = 1;
	}
	write_seqcount_end(&d->seq);
	return 0;
}
`,
    },
  ],
  invalid: [
    { name: 'goto out skips write_seqcount_end', code: gotoBug, errors: [{ messageId: 'leftOpen', line: lineOf(gotoBug, 'write_seqcount_begin') }] },
    { name: 'early return inside write_seqlock()', code: earlyReturn, errors: [{ messageId: 'leftOpen', line: lineOf(earlyReturn, 'write_seqlock(') }] },
    { name: 'begin(&a); end(&b)', code: wrongCounter, errors: [{ messageId: 'mismatched', line: lineOf(wrongCounter, 'write_seqcount_begin') }] },
    { name: 'void function opens the section on one branch only', code: voidHalf, errors: [{ messageId: 'leftOpen', line: lineOf(voidHalf, 'raw_write_seqcount_begin') }] },
  ],
});
