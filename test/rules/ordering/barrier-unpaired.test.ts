import { barrierUnpaired } from '../../../src/rules/ordering/barrier-unpaired';
import { ruleTester } from './helpers';

const PUBLISH = `static void publish(struct s *s, int v)
{
	s->data = v;
	smp_store_release(&s->ready, 1);
}`;
const CONSUME = `static int consume(struct s *s)
{
	if (!smp_load_acquire(&s->ready))
		return -EAGAIN;
	return s->data;
}`;

ruleTester(barrierUnpaired, {
  valid: [
    { name: 'smp_store_release / smp_load_acquire pair', code: [PUBLISH, CONSUME] },
    {
      name: 'smp_wmb / smp_rmb pair (seed 000 shape)',
      code: [
        `vma_delete(struct vm_area_struct *vma)
{
vma->vm_flags = 0;
smp_wmb();
vma->seqcount++;
}`,
        `speculative_fault_begin(struct vm_area_struct *vma,
struct spec_vmf *spvmf)
{
spvmf->seqcount = vma->seqcount;
smp_rmb();
spvmf->vm_flags = vma->vm_flags;
}`,
      ],
    },
    {
      name: 'READ_ONCE reader of a released pointer',
      code: [
        `static void set(struct s *s, struct obj *o)
{
	o->init = 1;
	smp_store_release(&s->obj, o);
}`,
        `static int get(struct s *s)
{
	struct obj *o = READ_ONCE(s->obj);

	return o ? o->init : 0;
}`,
      ],
    },
    {
      name: 'comment names a partner that is not in the document',
      code: `static void publish(struct s *s, int v)
{
	s->data = v;
	/* pairs with smp_load_acquire() in s_consume() */
	smp_store_release(&s->ready, 1);
}`,
    },
    {
      name: 'comment names a partner that is in the document and has the barrier',
      code: [
        `static void publish(struct s *s, int v)
{
	s->data = v;
	smp_wmb(); /* pairs with smp_rmb() in consume() */
	s->flag = 1;
}`,
        `static int consume(struct s *s)
{
	int f = s->other_flag;

	smp_rmb(); /* pairs with smp_wmb() in publish() */
	return f ? s->other_data : 0;
}`,
      ],
    },
    {
      name: 'seed 000: raw_write_seqcount_begin() implementation',
      code: `static inline void raw_write_seqcount_begin(seqcount_t *s)
{
s->sequence++;
smp_wmb();
}`,
    },
    {
      name: 'seqcount API reader partners an open-coded writer of the same counter',
      code: [
        `static void upd(struct s *s)
{
	s->seq.sequence++;
	smp_wmb();
	s->val = 1;
}`,
        `static int rd(struct s *s)
{
	unsigned int seq;
	int v;

	do {
		seq = read_seqcount_begin(&s->seq);
		v = s->val;
	} while (read_seqcount_retry(&s->seq, seq));
	return v;
}`,
      ],
    },
  ],
  invalid: [
    {
      name: 'release with no reader',
      code: PUBLISH,
      errors: [{ messageId: 'noPartnerWrite', line: 4, message: /smp_store_release\(\) orders the stores to ->ready/ }],
    },
    {
      name: 'acquire with no writer',
      code: CONSUME,
      errors: [{ messageId: 'noPartnerRead', line: 3 }],
    },
    {
      name: 'smp_wmb whose fields nobody reads in order (plain loads, no barrier)',
      code: [
        `static void publish(struct s *s, int v)
{
	s->data = v;
	smp_wmb();
	s->flag = 1;
}`,
        `static int consume(struct s *s)
{
	if (!s->flag)
		return 0;
	return s->data;
}`,
      ],
      errors: [{ messageId: 'noPartnerWrite', line: 4, message: /->data, ->flag/ }],
    },
    {
      name: 'the named partner has no read barrier',
      code: [
        `static void publish(struct s *s, int v)
{
	s->data = v;
	smp_wmb(); /* pairs with smp_rmb() in consume() */
	s->flag = 1;
}`,
        `static int consume(struct s *s)
{
	if (!s->flag)
		return 0;
	return s->data;
}`,
      ],
      errors: [{ messageId: 'partnerMismatch', line: 4, message: /pairs with consume\(\), but consume\(\)/ }],
    },
    {
      name: 'added smp_rmb in a hunk; context barriers are not reported',
      code: { diff: true, code: ` static int consume(struct s *s)
 {
 	smp_mb();
 	f = s->flag;
+	smp_rmb();
+	return f ? s->data : 0;
 }` },
      errors: [{ messageId: 'noPartnerRead', line: 5 }],
    },
  ],
});
