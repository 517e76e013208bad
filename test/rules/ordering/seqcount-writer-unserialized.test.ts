import { seqcountWriterUnserialized } from '../../../src/rules/ordering/seqcount-writer-unserialized';
import { ruleTester, useFakeEmulator } from './helpers';

const INIT = `static void stats_init(struct stats *st)
{
	spin_lock_init(&st->lock);
	seqcount_spinlock_init(&st->seq, &st->lock);
}`;

ruleTester(seqcountWriterUnserialized, {
  valid: [
    {
      name: 'seqcount_spinlock_t writer under its lock',
      setup: useFakeEmulator,
      code: [INIT, `static void stats_add(struct stats *st, u64 n)
{
	spin_lock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->bytes += n;
	write_seqcount_end(&st->seq);
	spin_unlock(&st->lock);
}`],
    },
    {
      name: 'helper writer with the lock in its callers (seed 004 mm_lock_seqcount_begin)',
      setup: useFakeEmulator,
      code: `static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}`,
    },
    {
      name: 'write_seqlock takes its own lock',
      setup: useFakeEmulator,
      code: `static void f(struct s *s)
{
	write_seqlock(&s->lock);
	s->v = 1;
	write_sequnlock(&s->lock);
}`,
    },
  ],
  invalid: [
    {
      name: 'writer after dropping the associated lock',
      setup: useFakeEmulator,
      code: [INIT, `static void stats_add(struct stats *st, u64 n)
{
	spin_lock(&st->lock);
	st->nr++;
	spin_unlock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->bytes += n;
	write_seqcount_end(&st->seq);
}`],
      errors: [{ messageId: 'unserialized', line: 12, message: /st->lock is not held \(it is tied to the counter/ }],
    },
    {
      name: 'the other writers hold the lock, this one only on some paths',
      setup: useFakeEmulator,
      code: [`static void w1(struct obj *o)
{
	mutex_lock(&o->mutex);
	write_seqcount_begin(&o->seq);
	o->a = 1;
	write_seqcount_end(&o->seq);
	mutex_unlock(&o->mutex);
}`, `static void w2(struct obj *o, bool locked)
{
	if (!locked)
		mutex_lock(&o->mutex);
	write_seqcount_begin(&o->seq);
	o->b = 1;
	write_seqcount_end(&o->seq);
}`],
      errors: [{ messageId: 'unserialized', line: 14, message: /other writers of seq/ }],
    },
  ],
});

// The same checks on the real emulator (src/emulator).
ruleTester(seqcountWriterUnserialized, {
  valid: [
    {
      name: 'emulator: seqcount_spinlock_t writer under its lock',
      code: [INIT, `static void stats_add(struct stats *st, u64 n)
{
	spin_lock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->bytes += n;
	write_seqcount_end(&st->seq);
	spin_unlock(&st->lock);
}`],
    },
    {
      name: 'emulator: helper writer with the lock in its callers',
      code: `static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}`,
    },
  ],
  invalid: [
    {
      name: 'emulator: writer after dropping the associated lock',
      code: [INIT, `static void stats_add(struct stats *st, u64 n)
{
	spin_lock(&st->lock);
	st->nr++;
	spin_unlock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->bytes += n;
	write_seqcount_end(&st->seq);
}`],
      errors: [{ messageId: 'unserialized', line: 12 }],
    },
    {
      name: 'emulator: the other writers hold the mutex, this one only on some paths',
      code: [`static void w1(struct obj *o)
{
	mutex_lock(&o->mutex);
	write_seqcount_begin(&o->seq);
	o->a = 1;
	write_seqcount_end(&o->seq);
	mutex_unlock(&o->mutex);
}`, `static void w2(struct obj *o, bool locked)
{
	if (!locked)
		mutex_lock(&o->mutex);
	write_seqcount_begin(&o->seq);
	o->b = 1;
	write_seqcount_end(&o->seq);
	if (!locked)
		mutex_unlock(&o->mutex);
}`],
      errors: [{ messageId: 'unserialized', line: 14 }],
    },
  ],
});
