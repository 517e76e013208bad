import { barrierAtomicMisplaced } from '../../../src/rules/ordering/barrier-atomic-misplaced';
import { ruleTester } from './helpers';

ruleTester(barrierAtomicMisplaced, {
  valid: [
    `static void f(struct s *s)
{
	smp_mb__before_atomic(); /* order ->a before the bit */
	clear_bit(S_BUSY, &s->flags);
	wake_up_bit(&s->flags, S_BUSY);
}`,
    `static void f(struct s *s)
{
	atomic_dec(&s->users);
	/* pairs with the smp_mb() in waiter() */
	smp_mb__after_atomic();
	if (waitqueue_active(&s->wq))
		wake_up(&s->wq);
}`,
    {
      name: 'a helper that may wrap an atomic bit op',
      code: `static void f(struct folio *folio)
{
	smp_mb__before_atomic();
	folio_set_uptodate_flag(folio);
}`,
    },
    {
      name: 'atomic_long and atomic64 forms',
      code: `static void f(struct s *s)
{
	smp_mb__before_atomic();
	atomic_long_add(2, &s->nr);
	atomic64_inc(&s->gen);
	smp_mb__after_atomic();
}`,
    },
    {
      name: 'the atomic is outside the hunk',
      code: { diff: true, functionHint: 'f', code: `+	smp_mb__after_atomic();
 	wake_up(&s->wq);` },
    },
  ],
  invalid: [
    {
      name: 'before_atomic followed by a plain store',
      code: `static void f(struct s *s)
{
	smp_mb__before_atomic();
	s->ready = 1;
}`,
      errors: [{ messageId: 'noAtomicBefore', line: 3, message: /followed by s->ready = 1;/ }],
    },
    {
      name: 'after_atomic separated from its atomic',
      code: `static void f(struct s *s)
{
	atomic_inc(&s->n);
	WRITE_ONCE(s->flag, 1);
	smp_mb__after_atomic();
	r = READ_ONCE(s->other);
}`,
      errors: [{ messageId: 'noAtomicAfter', line: 5, message: /follows WRITE_ONCE\(\)/ }],
    },
    {
      name: 'value-returning atomic is already fully ordered',
      code: `static void f(struct s *s)
{
	smp_mb__before_atomic();
	if (atomic_dec_and_test(&s->ref))
		kfree(s);
}`,
      errors: [{ messageId: 'redundant', line: 3, message: /atomic_dec_and_test\(\)/ }],
    },
    {
      name: 'atomic_set is not a read-modify-write',
      code: `static void f(struct s *s)
{
	smp_mb__before_atomic();
	atomic_set(&s->state, 2);
}`,
      errors: [{ messageId: 'notRmw', line: 3 }],
    },
    {
      name: 'last statement of a block',
      code: `static void f(struct s *s)
{
	s->x = 1;
	smp_mb__before_atomic();
}`,
      errors: [{ messageId: 'noAtomicBefore', line: 4 }],
    },
  ],
});
