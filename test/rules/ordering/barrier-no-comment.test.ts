import { barrierNoComment } from '../../../src/rules/ordering/barrier-no-comment';
import { ruleTester } from './helpers';

ruleTester(barrierNoComment, {
  valid: [
    `static void f(struct s *s)
{
	s->a = 1;
	smp_wmb(); /* pairs with smp_rmb() in g() */
	s->b = 1;
}`,
    {
      name: 'comment block on the lines above',
      code: `static void f(struct s *s)
{
	s->a = 1;
	/*
	 * Order the store to ->a before the store to ->b;
	 * pairs with smp_rmb() in g().
	 */
	smp_wmb();
	s->b = 1;
}`,
    },
    {
      name: 'comment on the line below',
      code: `static void f(struct s *s)
{
	smp_store_release(&s->ready, 1);
	/* pairs with smp_load_acquire() in g() */
}`,
    },
    {
      name: 'context line of a hunk: checkpatch only looks at added lines',
      code: { diff: true, code: ` static void f(struct s *s)
 {
 	smp_mb();
+	s->b = 1;
 }` },
    },
    {
      name: 'not a barrier',
      code: `static void f(struct s *s)
{
	barrier();
	WRITE_ONCE(s->a, 1);
}`,
    },
    {
      name: 'quoted code in a reply is not an added line',
      code: { kind: 'quoted-code', quoteDepth: 1, code: `s->a = 1;
smp_wmb();` },
    },
  ],
  invalid: [
    {
      code: `static void f(struct s *s)
{
	s->a = 1;
	smp_wmb();
	s->b = 1;
}`,
      errors: [{ messageId: 'noComment', line: 4, message: /^smp_wmb\(\) has no comment/ }],
    },
    {
      name: 'a comment separated by code does not count (checkpatch)',
      code: `static void f(struct s *s)
{
	/* publish */
	s->a = 1;
	smp_store_release(&s->b, 1);
	s->c = 2;
}`,
      errors: [{ messageId: 'noComment', line: 5 }],
    },
    {
      name: 'added line of a hunk; the quoted copy of the same hunk is not reported again',
      code: [
        { diff: true, code: ` static void f(struct s *s)
 {
+	s->a = 1;
+	smp_mb();
+	r = s->b;
 }` },
        { diff: true, quoteDepth: 1, code: ` static void f(struct s *s)
 {
+	s->a = 1;
+	smp_mb();
+	r = s->b;
 }` },
      ],
      errors: [{ messageId: 'noComment', line: 4 }],
    },
    {
      name: 'rmb, virt_wmb, smp_mb__before_atomic',
      code: `static void f(struct s *s)
{
	rmb();
	s->x = 1;
	virt_wmb();
	s->y = 1;
	smp_mb__before_atomic();
	atomic_inc(&s->n);
}`,
      errors: [
        { messageId: 'noComment', line: 3 },
        { messageId: 'noComment', line: 5 },
        { messageId: 'noComment', line: 7 },
      ],
    },
  ],
});
