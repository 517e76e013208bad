import assert from 'node:assert/strict';
import { lockdepCommentNotAssert } from '../../../src/rules/ordering/lockdep-comment-not-assert';
import { ruleTester } from './helpers';

/** Seed 004, the patch's vma_end_write_all() (added lines of include/linux/mmap_lock.h). */
const SEED_004 = ` 	return ret;
 }
 
+static inline void vma_end_write_all(struct mm_struct *mm)
+{
+	mmap_assert_write_locked(mm);
+	/*
+	 * Nobody can concurrently modify mm->mm_lock_seq due to exclusive
+	 * mmap_lock being held.
+	 */
+	mm_lock_seqcount_end(mm);
+}`;

ruleTester(lockdepCommentNotAssert, {
  valid: [
    {
      name: 'the assertion is already there',
      code: `static void f(struct mm_struct *mm)
{
	/* Nobody can concurrently modify mm->mm_lock_seq: exclusive mmap_lock held. */
	ASSERT_EXCLUSIVE_WRITER(mm->mm_lock_seq);
	mmap_assert_write_locked(mm);
	mm->mm_lock_seq++;
}`,
    },
    {
      name: 'a comment that claims nothing',
      code: `static void f(struct mm_struct *mm)
{
	/* Drop all currently-held per-VMA locks. */
	mm_lock_seqcount_end(mm);
}`,
    },
    {
      name: 'unchanged context comment in a hunk',
      code: { diff: true, code: ` static void f(struct vm_area_struct *vma)
 {
 	/* Caller holds the mmap_lock for write. */
+	vma->vm_flags = 0;
 }` },
    },
    {
      name: 'no name in the function to assert on',
      code: `static void f(void)
{
	/* Called with the i_mmap_rwsem held. */
	g();
}`,
    },
    {
      name: 'held claim with the lockdep assertion present',
      code: `static void f(struct anon_vma *anon_vma)
{
	/* anon_vma->rwsem is held by the caller */
	lockdep_assert_held(&anon_vma->rwsem);
}`,
    },
  ],
  invalid: [
    {
      name: 'seed 004: vma_end_write_all() (Peter Zijlstra\'s review)',
      code: SEED_004,
      errors: [{ messageId: 'exclusive', line: 7, message: /Write ASSERT_EXCLUSIVE_WRITER\(mm->mm_lock_seq\); instead/ }],
      check(fs) {
        const fix = fs[0].fix!;
        assert.equal(fix.replacement, 'ASSERT_EXCLUSIVE_WRITER(mm->mm_lock_seq);');
        assert.deepEqual([fix.line, fix.column, fix.endLine], [7, 3, 10]);
        assert.equal(fix.safety, 'needs-review');
      },
    },
    {
      name: 'caller holds the mmap_lock for write',
      code: `static void f(struct vm_area_struct *vma)
{
	/* Caller holds the mmap_lock for write. */
	vma->vm_flags = 0;
}`,
      errors: [{ messageId: 'held', line: 3, message: /mmap_assert_write_locked\(vma->vm_mm\);/ }],
      check(fs) {
        assert.equal(fs[0].fix!.replacement, 'mmap_assert_write_locked(vma->vm_mm);');
      },
    },
    {
      name: 'a longer comment keeps its text, the assertion is added after it',
      code: `static void f(struct mm_struct *mm, struct pool *p)
{
	/*
	 * We walk the list of pools here and update the counters of each one.
	 * p->lock is held by the caller.
	 */
	p->n++;
}`,
      errors: [{ messageId: 'held', line: 3, message: /lockdep_assert_held\(&p->lock\);/ }],
      check(fs) {
        const fix = fs[0].fix!;
        assert.equal(fix.replacement, '\n\tlockdep_assert_held(&p->lock);');
        assert.equal(fix.line, fix.endLine);
        assert.equal(fix.column, fix.endColumn);
      },
    },
    {
      name: 'can\'t be concurrently modified, two fields',
      code: `static bool g(struct vm_area_struct *vma)
{
	/* vma->vm_lock_seq can't be concurrently modified */
	return vma->vm_lock_seq == 1;
}`,
      errors: [{ messageId: 'exclusive', line: 3, message: /ASSERT_EXCLUSIVE_WRITER\(vma->vm_lock_seq\);/ }],
    },
  ],
});

ruleTester(lockdepCommentNotAssert, {
  valid: [
    {
      name: 'seed 004: a hunk that starts inside a context comment (__is_vma_write_locked)',
      code: {
        diff: true,
        functionHint: '__is_vma_write_locked',
        code: ` 	 * current task is holding mmap_write_lock, both vma->vm_lock_seq and
 	 * mm->mm_lock_seq can't be concurrently modified.
 	 */
-	*mm_lock_seq = vma->vm_mm->mm_lock_seq;
+	*mm_lock_seq = vma->vm_mm->mm_lock_seq.sequence;
 	return (vma->vm_lock_seq == *mm_lock_seq);
 }`,
      },
    },
  ],
  invalid: [
    {
      name: 'a sketch quoted in a reply',
      code: { kind: 'quoted-code', quoteDepth: 1, code: `static void f(struct mm_struct *mm)
{
	/* nobody else can modify mm->flags_seq here */
	mm->flags_seq++;
}` },
      errors: [{ messageId: 'exclusive', line: 3 }],
    },
  ],
});
