import { seqcountWriterBarrier } from '../../../src/rules/ordering/seqcount-writer-barrier';
import { ruleTester } from './helpers';

const READER = `static bool stats_read(struct pool *pool, u64 *out)
{
	unsigned int seq = READ_ONCE(pool->seq);

	smp_rmb(); /* pairs with smp_wmb() in stats_update() */
	*out = pool->bytes;
	smp_rmb(); /* pairs with smp_wmb() in stats_update() */
	return READ_ONCE(pool->seq) == seq;
}`;

ruleTester(seqcountWriterBarrier, {
  valid: [
    {
      name: 'correct open-coded writer',
      code: `static void stats_update(struct pool *pool, u64 b)
{
	WRITE_ONCE(pool->seq, pool->seq + 1);
	smp_wmb(); /* pairs with smp_rmb() in stats_read() */
	pool->bytes = b;
	smp_wmb(); /* pairs with smp_rmb() in stats_read() */
	WRITE_ONCE(pool->seq, pool->seq + 1);
}`,
    },
    {
      name: 'seed 000: raw_write_seqcount_begin as quoted by Laurent',
      code: `static inline void raw_write_seqcount_begin(seqcount_t *s)
{
s->sequence++;
smp_wmb();
}`,
    },
    {
      name: 'seed 000: vma_delete (store, smp_wmb, increment)',
      code: `vma_delete(struct vm_area_struct *vma)
{
...
vma->vm_flags = 0;
smp_wmb();
vma->seqcount++;
...
}`,
    },
    {
      name: 'closing increment with smp_store_release()',
      code: `static void upd(struct pool *pool, u64 b)
{
	pool->seq++;
	smp_wmb();
	pool->bytes = b;
	smp_store_release(&pool->seq, pool->seq + 1);
}`,
    },
    {
      name: 'seqcount API writer',
      code: `static void upd(struct pool *pool, u64 b)
{
	write_seqcount_begin(&pool->seq);
	pool->bytes = b;
	write_seqcount_end(&pool->seq);
}`,
    },
    {
      name: 'a counter bumped under a lock with no barrier anywhere is not a seqcount',
      code: `static void upd(struct pool *pool, u64 b)
{
	spin_lock(&pool->lock);
	pool->nr++;
	pool->bytes = b;
	pool->nr++;
	spin_unlock(&pool->lock);
}`,
    },
    {
      name: 'the same store shape with no evidence the counter is a sequence count',
      code: `static void kill(struct vm_area_struct *vma)
{
	smp_wmb();
	vma->vm_flags = 0;
	vma->seqcount++;
}`,
    },
    {
      name: 'statistics in a function with a barrier elsewhere are not sequence counts',
      code: `static void account(struct task *t, struct scan *sc, struct queue *q, int v)
{
	q->head = v;
	smp_wmb();
	WRITE_ONCE(q->ready, 1);
	t->faults++;
	sc->scanned = 3;
	--sc->to_scan;
	q->len++;
	sc->scanned = 4;
	t->faults++;
	q->len -= 1;
}`,
    },
    {
      name: 'a field stepped around a fence in one object is not evidence for another object with the same field',
      code: [`static void upd(struct pool *pool, u64 b)
{
	pool->gen++;
	smp_wmb();
	pool->bytes = b;
	smp_wmb();
	pool->gen++;
}`, `static void other(struct node *n, int b)
{
	n->gen++;
	n->bytes = b;
	n->gen++;
}`],
    },
  ],
  invalid: [
    {
      name: 'begin not fenced',
      code: `static void upd(struct pool *pool, u64 b)
{
	pool->seq++;
	pool->bytes = b;
	smp_wmb();
	pool->seq++;
}`,
      errors: [{ messageId: 'beginNotFenced', line: 3, message: /pool->bytes \(line 4\)/ }],
    },
    {
      name: 'end not fenced',
      code: `static void upd(struct pool *pool, u64 b)
{
	pool->seq++;
	smp_wmb();
	pool->bytes = b;
	pool->seq++;
}`,
      errors: [{ messageId: 'endNotFenced', line: 6 }],
    },
    {
      name: 'no barrier at all, with a barrier-aware reader in the document',
      code: [READER, `static void upd(struct pool *pool, u64 b)
{
	WRITE_ONCE(pool->seq, pool->seq + 1);
	pool->bytes = b;
	WRITE_ONCE(pool->seq, pool->seq + 1);
}`],
      errors: [
        { messageId: 'beginNotFenced', line: 13 },
        { messageId: 'endNotFenced', line: 15 },
      ],
    },
    {
      name: 'invalidate shape with the barrier on the wrong side (the comment calls it a sequence count)',
      code: `static void kill(struct vm_area_struct *vma)
{
	smp_wmb();
	vma->vm_flags = 0;
	vma->seqcount++; /* bump the sequence count: readers back off */
}`,
      errors: [{ messageId: 'endNotFenced', line: 5, message: /because the comment at/ }],
    },
    {
      name: 'the evidence is named: stepped on both sides of smp_wmb()',
      code: `static void upd(struct pool *pool, u64 b)
{
	pool->gen++;
	smp_wmb();
	pool->bytes = b;
	pool->gen++;
}`,
      errors: [{ messageId: 'endNotFenced', line: 6, message: /`pool->gen` is incremented on both sides of smp_wmb\(\) in upd\(\)/ }],
    },
  ],
});
