import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTester, type InvalidCase } from './tester';
import { DEVICE_OWNERLESS_INVALIDATORS, ownerlessInvalidators } from '../../../src/device/invalidators';
import { OWNERLESS_INVALIDATORS } from '../../../src/kernel/apis';

const ownerFn = (call: string) => `
static bool exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	${call};
	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma, vma->vm_mm, address, address + PAGE_SIZE, args->owner);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	return true;
}`;

/** One case per entry of the owner-less invalidator table (shared table and this group's extension). */
const perEntry: InvalidCase[] = Object.entries(ownerlessInvalidators()).map(([name, info]) => ({
  name: `table entry ${name} (${info.event}) inside an owner-carrying EXCLUSIVE operation`,
  code: ownerFn(`${name}(vma, address)`),
  errors: [{ messageId: 'inOwnerOperation', line: 6, data: new RegExp(`^${name}\\(\\) fires ${/^MMU_NOTIFY_/.test(info.event) ? info.event : 'a secondary-TLB invalidation'}`) }],
}));

test('owner-less invalidator table: every entry has an event and a note; the extension adds what the shared table lacks', () => {
  const t = ownerlessInvalidators();
  for (const [name, info] of Object.entries(t)) {
    assert.match(info.event, /^(MMU_NOTIFY_[A-Z_]+|secondary-tlb)$/, name);
    assert.ok(info.note.length > 20, `${name}: note`);
  }
  for (const name of Object.keys(OWNERLESS_INVALIDATORS)) assert.ok(name in t, name);
  for (const name of Object.keys(DEVICE_OWNERLESS_INVALIDATORS)) assert.ok(name in t, name);
  for (const name of ['split_huge_pmd_address', 'split_huge_pmd', 'zap_page_range_single', 'try_to_migrate', 'try_to_unmap', 'ptep_clear_flush_notify']) assert.ok(name in t, name);
});

ruleTester('notifier-unfiltered-invalidation', {
  valid: [
    {
      name: 'an owner-less invalidator in a function with no owner-carrying range or retry section',
      code: `
static void split_it(struct vm_area_struct *vma, unsigned long address, struct page *page)
{
	split_huge_pmd_address(vma, address, false, page);
	zap_page_range_single(vma, address, PAGE_SIZE, NULL);
}`,
    },
    {
      name: 'owner given with an event that carries no owner meaning (CLEAR)',
      code: `
static void clear_owned(struct vm_area_struct *vma, unsigned long address, void *owner)
{
	struct mmu_notifier_range range;

	split_huge_pmd_address(vma, address, false, NULL);
	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, address, address + PAGE_SIZE, owner);
}`,
    },
    {
      name: 'init_owner with a NULL owner is not an owner-carrying operation',
      code: `
static void migrate_noowner(struct vm_area_struct *vma, unsigned long address)
{
	struct mmu_notifier_range range;

	split_huge_pmd_address(vma, address, false, NULL);
	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, vma->vm_mm, address, address + PAGE_SIZE, NULL);
}`,
    },
    {
      name: 'the owner-carrying operation starts its own owner range',
      code: `
static void collect(struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end, migrate->pgmap_owner);
	mmu_notifier_invalidate_range_start(&range);
	walk_page_range(migrate->vma->vm_mm, migrate->start, migrate->end, &migrate_vma_walk_ops, migrate);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
    {
      name: 'invalidator before the read section opens and after it closes',
      code: `
static int fault(struct dmirror *dmirror, struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long seq;

	zap_page_range_single(vma, start, end - start, NULL);
again:
	seq = mmu_interval_read_begin(&dmirror->notifier);
	mutex_lock(&dmirror->mutex);
	if (mmu_interval_read_retry(&dmirror->notifier, seq)) {
		mutex_unlock(&dmirror->mutex);
		goto again;
	}
	mutex_unlock(&dmirror->mutex);
	split_huge_pmd_address(vma, start, false, NULL);
	return 0;
}`,
    },
    {
      name: 'a helper of the document that invalidates nothing',
      code: `
static void note_page(struct page *page)
{
	set_page_dirty(page);
}

static bool exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	note_page(page);
	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma, vma->vm_mm, address, address + PAGE_SIZE, args->owner);
	return true;
}`,
    },
      {
      name: 'migration does not run inside the driver\'s read section (API table): an owner-less split after the MIGRATE init_owner',
      code: `
static void migrate_vma_pages(struct migrate_vma *migrate, struct vm_area_struct *vma, unsigned long addr)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end, migrate->pgmap_owner);
	mmu_notifier_invalidate_range_start(&range);
	split_huge_pmd(vma, NULL, addr);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
    {
      name: 'an unknown function with a MIGRATE owner range is not assumed to run in a read section',
      code: `
static void collect(struct migrate_vma *migrate, struct vm_area_struct *vma, unsigned long addr)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, migrate->vma->vm_mm, migrate->start, migrate->end, migrate->pgmap_owner);
	split_huge_pmd(vma, NULL, addr);
}`,
    },
    {
      name: 'owner set the older way: range.migrate_pgmap_owner after mmu_notifier_range_init (no owner-less start)',
      code: `
static void conv(struct vm_area_struct *vma, unsigned long addr, void *owner)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm, addr, addr + PAGE_SIZE);
	range.migrate_pgmap_owner = owner;
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
}`,
    },
  ],
  invalid: [
    {
      name: "seed 002 shape: split_huge_pmd_address() before the EXCLUSIVE init_owner",
      code: `
static bool page_make_device_exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	split_huge_pmd_address(vma, address, false, page);

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma,
				      vma->vm_mm, address, min(vma->vm_end,
				      address + page_size(page)), args->owner);
	return true;
}`,
      errors: [{ messageId: 'inOwnerOperation', line: 6, data: /split_huge_pmd_address\(\) fires MMU_NOTIFY_CLEAR.*args->owner/ }],
    },
    {
      name: 'zap_page_range_single() inside the driver\'s read_begin/retry loop',
      code: `
static int fault(struct dmirror *dmirror, struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long seq;

	while (true) {
		seq = mmu_interval_read_begin(&dmirror->notifier);
		zap_page_range_single(vma, start, end - start, NULL);
		mutex_lock(&dmirror->mutex);
		if (!mmu_interval_read_retry(&dmirror->notifier, seq))
			break;
		mutex_unlock(&dmirror->mutex);
	}
	mutex_unlock(&dmirror->mutex);
	return 0;
}`,
      errors: [{ messageId: 'inRetrySection', line: 7, data: /zap_page_range_single\(\) fires MMU_NOTIFY_CLEAR .*dmirror->notifier/ }],
    },
    {
      name: 'through a helper of the document (two calls deep)',
      code: `
static void split_one(struct vm_area_struct *vma, unsigned long address)
{
	split_huge_pmd_address(vma, address, false, NULL);
}

static void prepare(struct vm_area_struct *vma, unsigned long address)
{
	split_one(vma, address);
}

static bool exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma, vma->vm_mm, address, address + PAGE_SIZE, args->owner);
	prepare(vma, address);
	return true;
}`,
      errors: [{ messageId: 'inOwnerOperation', line: 17, data: /prepare\(\) fires MMU_NOTIFY_CLEAR without an owner \(prepare\(\) → split_one\(\) → split_huge_pmd_address\(\)\)/ }],
    },
    {
      name: 'a range started without owner inside an owner-carrying function',
      code: `
static bool exclusive_one(struct page *page, struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range, clear;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma, vma->vm_mm, address, address + PAGE_SIZE, args->owner);
	mmu_notifier_range_init(&clear, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, address, address + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&clear);
	mmu_notifier_invalidate_range_end(&clear);
	return true;
}`,
      errors: [{ messageId: 'inOwnerOperation', line: 8, data: /mmu_notifier_invalidate_range_start\(\) fires MMU_NOTIFY_CLEAR/ }],
    },
    ...perEntry,
  ],
});

ruleTester('notifier-unfiltered-invalidation (left to notifier-missing-owner)', {
  valid: [
    {
      name: 'a helper whose range misses its owner (EXCLUSIVE) called in the retry section: reported once, by notifier-missing-owner',
      code: `
int make_exclusive(struct vm_area_struct *vma, unsigned long start, unsigned long end, void *owner)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

int atomic_fault(struct svm *svm, struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long seq;

again:
	seq = mmu_interval_read_begin(&svm->notifier);
	make_exclusive(vma, start, end, svm);
	mutex_lock(&svm->lock);
	if (mmu_interval_read_retry(&svm->notifier, seq)) {
		mutex_unlock(&svm->lock);
		goto again;
	}
	mutex_unlock(&svm->lock);
	return 0;
}`,
    },
  ],
  invalid: [],
});
