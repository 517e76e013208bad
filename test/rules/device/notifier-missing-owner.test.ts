import { ruleTester } from './tester';

ruleTester('notifier-missing-owner', {
  valid: [
    {
      name: 'owner set through the range field after mmu_notifier_range_init (2020 kernels)',
      code: `
static void collect(struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_MIGRATE, 0, NULL, migrate->vma->vm_mm, migrate->start, migrate->end);
	range.migrate_pgmap_owner = migrate->pgmap_owner;
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
    {
      name: 'owner set through range->owner after the init',
      code: `
static void conv(struct mmu_notifier_range *range, struct vm_area_struct *vma, unsigned long a, void *owner)
{
	mmu_notifier_range_init(range, MMU_NOTIFY_EXCLUSIVE, 0, vma->vm_mm, a, a + PAGE_SIZE);
	range->owner = owner;
}`,
    },
    {
      name: 'init_owner with MMU_NOTIFY_MIGRATE and the pgmap owner',
      code: `
static void collect(struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0,
				      migrate->vma->vm_mm, migrate->start, migrate->end,
				      migrate->pgmap_owner);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
    {
      name: 'init_owner with MMU_NOTIFY_EXCLUSIVE (older signature with the vma)',
      code: `
static bool exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma, vma->vm_mm, address, address + PAGE_SIZE, args->owner);
	return true;
}`,
    },
    {
      name: 'plain init with MMU_NOTIFY_CLEAR needs no owner',
      code: `
static void zap_one(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
    {
      name: 'plain init with MMU_NOTIFY_UNMAP / PROTECTION_VMA',
      code: `
static void two(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct mmu_notifier_range r1, r2;

	mmu_notifier_range_init(&r1, MMU_NOTIFY_UNMAP, 0, mm, start, end);
	mmu_notifier_range_init(&r2, MMU_NOTIFY_PROTECTION_VMA, 0, mm, start, end);
}`,
    },
  ],
  invalid: [
    {
      name: 'an owner field set on another range does not count',
      code: `
static void collect(struct migrate_vma *migrate, struct mmu_notifier_range *other)
{
	struct mmu_notifier_range range;

	other->owner = migrate->pgmap_owner;
	mmu_notifier_range_init(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end);
}`,
      errors: [{ messageId: 'missingOwnerNoCandidate', line: 6 }],
    },
    {
      name: 'MMU_NOTIFY_MIGRATE without owner; migrate->pgmap_owner at hand',
      code: `
static void unmap_range(struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;
	void *owner_hint = migrate->pgmap_owner;

	mmu_notifier_range_init(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}`,
      errors: [{ messageId: 'missingOwner', line: 6, data: /MMU_NOTIFY_MIGRATE.*migrate->pgmap_owner/ }],
      fix: 'mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end, migrate->pgmap_owner)',
    },
    {
      name: 'MMU_NOTIFY_EXCLUSIVE without owner; owner parameter; call over three lines',
      code: `
static int make_exclusive(struct vm_area_struct *vma, unsigned long address, void *owner)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_EXCLUSIVE, 0,
				vma->vm_mm, address,
				address + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}`,
      errors: [{ messageId: 'missingOwner', line: 5, data: /MMU_NOTIFY_EXCLUSIVE/ }],
      fix: 'mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0,\n\t\t\t\tvma->vm_mm, address,\n\t\t\t\taddress + PAGE_SIZE, owner)',
    },
    {
      name: 'MMU_NOTIFY_MIGRATE without owner and no owner in sight: no fix',
      code: `
static void unmap_pages(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_MIGRATE, 0, mm, start, end);
}`,
      errors: [{ messageId: 'missingOwnerNoCandidate', line: 5 }],
      fix: null,
    },
    {
      name: 'args->owner in the function is offered',
      code: `
static bool one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	if (!args->owner)
		return false;
	mmu_notifier_range_init(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma->vm_mm, address, address + PAGE_SIZE);
	return true;
}`,
      errors: [{ messageId: 'missingOwner', line: 8, data: /args->owner/ }],
      fix: 'mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma->vm_mm, address, address + PAGE_SIZE, args->owner)',
    },
  ],
});
