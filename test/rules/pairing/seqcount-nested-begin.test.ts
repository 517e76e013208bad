import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const direct = `void pool_set(struct pool *pool, int v)
{
	write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_begin(&pool->seq);
	pool->w = v;
	write_seqcount_end(&pool->seq);
}
`;

const viaCallee = `static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}

void remap(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	mm_lock_seqcount_begin(mm);
	do_remap(mm);
	mmap_write_unlock(mm);
}
`;

const loop = `void bump(struct pool *pool, int n)
{
	while (n--) {
		write_seqcount_begin(&pool->seq);
		pool->v++;
	}
	write_seqcount_end(&pool->seq);
}
`;

ruleTester('seqcount-nested-begin', {
  valid: [
    {
      name: 'two sections one after the other',
      code: `void pool_set(struct pool *pool, int v)
{
	write_seqcount_begin(&pool->seq);
	pool->v = v;
	write_seqcount_end(&pool->seq);
	write_seqcount_begin(&pool->seq);
	pool->w = v;
	write_seqcount_end(&pool->seq);
}
`,
    },
    {
      name: 'two different counters nested',
      code: `void both(struct pool *a, struct pool *b)
{
	write_seqcount_begin(&a->seq);
	write_seqcount_begin_nested(&b->seq, SINGLE_DEPTH_NESTING);
	a->v = b->v;
	write_seqcount_end(&b->seq);
	write_seqcount_end(&a->seq);
}
`,
    },
    {
      name: 'mmap_write_lock then vma writes (the section is the lock wrapper\'s)',
      code: `void remap(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_write_lock(mm);
	vma_start_write(vma);
	do_remap(vma);
	mmap_write_unlock(mm);
}
`,
    },
  ],
  invalid: [
    { name: 'begin twice on one counter', code: direct, errors: [{ messageId: 'nested', line: lineOf(direct, 'write_seqcount_begin', 2) }] },
    { name: 'through a callee inside mmap_write_lock()', code: viaCallee, errors: [{ messageId: 'nestedViaCallee', line: lineOf(viaCallee, 'mm_lock_seqcount_begin(mm);') }] },
    { name: 'begin in a loop without end', code: loop, errors: [{ messageId: 'nested', line: lineOf(loop, 'write_seqcount_begin') }] },
  ],
});
