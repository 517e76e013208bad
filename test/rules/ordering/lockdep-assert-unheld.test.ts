import { lockdepAssertUnheld } from '../../../src/rules/ordering/lockdep-assert-unheld';
import { ruleTester, useFakeEmulator } from './helpers';

const CALLEE = `static void vma_fixup(struct vm_area_struct *vma, struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
	vma->vm_flags = 0;
}`;
const LOCKED = `static void pool_drain(struct pool *p)
{
	lockdep_assert_held(&p->lock);
	p->n = 0;
}`;

ruleTester(lockdepAssertUnheld, {
  valid: [
    {
      name: 'caller holds the mmap write lock',
      setup: useFakeEmulator,
      code: [CALLEE, `static void caller(struct vm_area_struct *vma)
{
	mmap_write_lock(vma->vm_mm);
	vma_fixup(vma, vma->vm_mm);
	mmap_write_unlock(vma->vm_mm);
}`],
    },
    {
      name: 'caller holds the spinlock (address-of argument)',
      setup: useFakeEmulator,
      code: [LOCKED, `static void caller(struct pool *pool)
{
	spin_lock(&pool->lock);
	pool_drain(pool);
	spin_unlock(&pool->lock);
}`],
    },
    {
      name: 'a caller that takes no lock at all: the lock may be the caller\'s caller\'s',
      setup: useFakeEmulator,
      code: [LOCKED, `static void helper(struct pool *pool)
{
	pool_drain(pool);
}`],
    },
    {
      name: 'no emulator available: quiet',
      setup: (ctx) => void ctx.memo('ordering/emulator', () => null),
      code: [LOCKED, `static void caller(struct pool *pool)
{
	if (pool->busy)
		spin_lock(&pool->lock);
	pool_drain(pool);
}`],
    },
  ],
  invalid: [
    {
      name: 'lock taken on some paths only',
      setup: useFakeEmulator,
      code: [LOCKED, `static void caller(struct pool *pool)
{
	if (pool->busy)
		spin_lock(&pool->lock);
	pool_drain(pool);
	spin_unlock(&pool->lock);
}`],
      errors: [{ messageId: 'unheld', line: 11, message: /pool_drain\(\) asserts lockdep_assert_held\(&p->lock\), but caller\(\) calls it here on a path where pool->lock is not held/ }],
    },
    {
      name: 'mmap lock released before the call',
      setup: useFakeEmulator,
      code: [CALLEE, `static void caller(struct vm_area_struct *vma, struct mm_struct *mm)
{
	mmap_write_lock(mm);
	vma->vm_pgoff = 0;
	mmap_write_unlock(mm);
	vma_fixup(vma, mm);
}`],
      errors: [{ messageId: 'unheld', line: 12 }],
    },
  ],
});

// The same checks on the real emulator (src/emulator).
ruleTester(lockdepAssertUnheld, {
  valid: [
    {
      name: 'emulator: caller holds the spinlock',
      code: [LOCKED, `static void caller(struct pool *pool)
{
	spin_lock(&pool->lock);
	pool_drain(pool);
	spin_unlock(&pool->lock);
}`],
    },
    {
      name: 'emulator: caller holds the mmap write lock',
      code: [CALLEE, `static void caller(struct vm_area_struct *vma, struct mm_struct *mm)
{
	mmap_write_lock(mm);
	vma_fixup(vma, mm);
	mmap_write_unlock(mm);
}`],
    },
    {
      name: 'emulator: a caller that takes no lock at all',
      code: [LOCKED, `static void helper(struct pool *pool)
{
	pool_drain(pool);
}`],
    },
  ],
  invalid: [
    {
      name: 'emulator: lock taken on some paths only',
      code: [LOCKED, `static void caller(struct pool *pool)
{
	if (pool->busy)
		spin_lock(&pool->lock);
	pool_drain(pool);
	if (pool->busy)
		spin_unlock(&pool->lock);
}`],
      errors: [{ messageId: 'unheld', line: 11 }],
    },
    {
      name: 'emulator: mmap lock released before the call',
      code: [CALLEE, `static void caller(struct vm_area_struct *vma, struct mm_struct *mm)
{
	mmap_write_lock(mm);
	vma->vm_pgoff = 0;
	mmap_write_unlock(mm);
	vma_fixup(vma, mm);
}`],
      errors: [{ messageId: 'unheld', line: 12 }],
    },
  ],
});
