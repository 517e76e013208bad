import { seqcountReaderBarrier } from '../../../src/rules/ordering/seqcount-reader-barrier';
import { ruleTester } from './helpers';

/** Jerome's writer from seed 000 (web archive: no indentation, `...` lines, no return type). */
const VMA_DELETE = `vma_delete(struct vm_area_struct *vma)
{
...
/*
* Make sure the vma is mark as invalid ie neither read nor write
* so that speculative fault back off.
*/
vma->vm_flags = 0;
smp_wmb();
vma->seqcount++;
...
}`;

const FAULT_BEGIN = `speculative_fault_begin(struct vm_area_struct *vma,
struct spec_vmf *spvmf)
{
...
spvmf->seqcount = vma->seqcount;
smp_rmb();
spvmf->vm_flags = vma->vm_flags;
if (!spvmf->vm_flags) {
// Back off the vma is dying ...
...
}
}`;

const FAULT_COMMIT_BAD = `bool speculative_fault_commit(struct vm_area_struct *vma,
struct spec_vmf *spvmf)
{
...
seqcount = vma->seqcount;
smp_rmb();
vm_flags = vma->vm_flags;

if (spvmf->vm_flags != vm_flags || seqcount != spvmf->seqcount) {
// Something did change for the vma
return false;
}
return true;
}`;

const FAULT_COMMIT_GOOD = `bool speculative_fault_commit(struct vm_area_struct *vma,
struct spec_vmf *spvmf)
{
unsigned long vm_flags;
unsigned int seqcount;

/* Order the loads of the fault before the re-check; pairs with smp_wmb() in vma_delete(). */
smp_rmb();
seqcount = READ_ONCE(vma->seqcount);
vm_flags = vma->vm_flags;
return spvmf->vm_flags == vm_flags && seqcount == spvmf->seqcount;
}`;

const READER_OK = `static bool stats_read(struct pool *pool, u64 *out)
{
	unsigned int seq;
	u64 v;

	seq = READ_ONCE(pool->seq);
	smp_rmb(); /* pairs with smp_wmb() in stats_update() */
	v = pool->bytes;
	smp_rmb(); /* pairs with smp_wmb() in stats_update() */
	if (READ_ONCE(pool->seq) != seq)
		return false;
	*out = v;
	return true;
}`;

const WRITER_OK = `static void stats_update(struct pool *pool, u64 b)
{
	WRITE_ONCE(pool->seq, pool->seq + 1);
	smp_wmb(); /* pairs with smp_rmb() in stats_read() */
	pool->bytes = b;
	smp_wmb(); /* pairs with smp_rmb() in stats_read() */
	WRITE_ONCE(pool->seq, pool->seq + 1);
}`;

ruleTester(seqcountReaderBarrier, {
  valid: [
    { name: 'seed 000: vma_delete and speculative_fault_begin', code: [VMA_DELETE, FAULT_BEGIN] },
    { name: 'correct open-coded reader and writer', code: [WRITER_OK, READER_OK] },
    { name: 'fixed commit: smp_rmb() before the re-read', code: [VMA_DELETE, FAULT_BEGIN, FAULT_COMMIT_GOOD] },
    {
      name: 'seqcount API reader',
      code: `static u64 get(struct s *s)
{
	unsigned int seq;
	u64 v;

	do {
		seq = read_seqcount_begin(&s->seq);
		v = s->val;
	} while (read_seqcount_retry(&s->seq, seq));
	return v;
}`,
    },
    {
      name: '__read_seqcount_retry with the caller\'s smp_rmb()',
      code: `static bool get(struct s *s, u64 *v)
{
	unsigned int seq = raw_read_seqcount_begin(&s->seq);

	*v = s->val;
	smp_rmb();
	return !__read_seqcount_retry(&s->seq, seq);
}`,
    },
    {
      name: 'generation compared under a lock, no barrier anywhere',
      code: `static bool still_valid(struct obj *o, unsigned long gen)
{
	bool ok;

	spin_lock(&o->lock);
	ok = o->gen == gen && o->state == READY;
	spin_unlock(&o->lock);
	return ok;
}`,
    },
    {
      name: 'seed 004: vma_start_read compares vm_lock_seq with the seqcount',
      code: `static inline bool vma_start_read(struct vm_area_struct *vma)
{
	if (READ_ONCE(vma->vm_lock_seq) == READ_ONCE(vma->vm_mm->mm_lock_seq.sequence))
		return false;

	if (unlikely(down_read_trylock(&vma->vm_lock->lock) == 0))
		return false;

	if (unlikely(vma->vm_lock_seq == raw_read_seqcount(&vma->vm_mm->mm_lock_seq))) {
		up_read(&vma->vm_lock->lock);
		return false;
	}
	return true;
}`,
    },
    {
      name: 'an unknown helper between the data loads and the re-check may hold the barrier',
      code: [WRITER_OK, `static bool rd(struct pool *pool, u64 *out)
{
	unsigned int seq = READ_ONCE(pool->seq);

	smp_rmb();
	*out = pool->bytes;
	order_reads_helper();
	return READ_ONCE(pool->seq) == seq;
}`],
    },
  ],
  invalid: [
    {
      name: 'seed 000: speculative_fault_commit re-reads the count before its smp_rmb()',
      code: [VMA_DELETE, FAULT_BEGIN, FAULT_COMMIT_BAD],
      errors: [{ messageId: 'recheckEntry', line: 31, message: /vma->seqcount is re-read here .*speculative_fault_begin\(\).*speculative_fault_commit\(\)/ }],
    },
    {
      name: 'second smp_rmb() missing before the re-check',
      code: [WRITER_OK, `static bool rd(struct pool *pool, u64 *out)
{
	unsigned int seq = READ_ONCE(pool->seq);

	smp_rmb();
	*out = pool->bytes;
	return READ_ONCE(pool->seq) == seq;
}`],
      errors: [{ messageId: 'recheck', line: 16, message: /pool->bytes \(line 15\)/ }],
    },
    {
      name: 'first smp_rmb() missing after the saved count',
      code: [WRITER_OK, `static bool rd(struct pool *pool, u64 *out)
{
	unsigned int seq = READ_ONCE(pool->seq);

	*out = pool->bytes;
	smp_rmb();
	return READ_ONCE(pool->seq) == seq;
}`],
      errors: [{ messageId: 'begin', line: 12 }],
    },
    {
      name: '__read_seqcount_retry without the caller\'s smp_rmb()',
      code: `static bool get(struct s *s, u64 *v)
{
	unsigned int seq = raw_read_seqcount_begin(&s->seq);

	*v = s->val;
	return !__read_seqcount_retry(&s->seq, seq);
}`,
      errors: [{ messageId: 'apiRetry', line: 6 }],
    },
    {
      name: 'raw_read_seqcount() as a hand-written re-check',
      code: `static bool get(struct s *s, u64 *v)
{
	unsigned int seq = raw_read_seqcount(&s->seq);

	*v = s->val;
	return raw_read_seqcount(&s->seq) == seq;
}`,
      errors: [{ messageId: 'apiCheck', line: 6 }],
    },
  ],
});

ruleTester(seqcountReaderBarrier, {
  valid: [
    {
      name: 'seed 004: __is_vma_write_locked reads mm_lock_seq.sequence under the write lock, no re-check',
      code: `static bool __is_vma_write_locked(struct vm_area_struct *vma, unsigned int *mm_lock_seq)
{
	mmap_assert_write_locked(vma->vm_mm);
	*mm_lock_seq = vma->vm_mm->mm_lock_seq.sequence;
	return (vma->vm_lock_seq == *mm_lock_seq);
}
static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}`,
    },
  ],
  invalid: [
    {
      name: 'examples/03: hand-written re-check of a seqcount_spinlock_t',
      code: `void damon_region_set(struct damon_region *r, unsigned long start)
{
	spin_lock(&r->seq_lock);
	write_seqcount_begin(&r->seq);
	r->ar.start = start;
	write_seqcount_end(&r->seq);
	spin_unlock(&r->seq_lock);
}

bool damon_region_snapshot(struct damon_region *r, struct damon_region_snap *snap)
{
	unsigned int seq;

	seq = READ_ONCE(r->seq.sequence);
	if (seq & 1)
		return false;
	smp_rmb();	/* pairs with smp_wmb() in write_seqcount_begin() */
	snap->start = r->ar.start;
	snap->nr_accesses = r->nr_accesses;
	return READ_ONCE(r->seq.sequence) == seq;
}`,
      errors: [{ messageId: 'recheck', line: 20, message: /r->nr_accesses \(line 19\)/ }],
    },
  ],
});
