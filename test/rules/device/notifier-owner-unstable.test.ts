import { ruleTester } from './tester';

ruleTester('notifier-owner-unstable', {
  valid: [
    {
      name: 'the driver device as the hmm_range owner and in the callback',
      code: `
static bool gpu_invalidate(struct mmu_interval_notifier *mni, const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct gpu_buf *buf = container_of(mni, struct gpu_buf, notifier);

	if (range->event == MMU_NOTIFY_MIGRATE && range->owner == buf->gdev)
		return true;
	mmu_interval_set_seq(mni, cur_seq);
	return true;
}

static int gpu_fault(struct gpu_buf *buf, unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = &buf->notifier,
		.hmm_pfns = pfns,
		.dev_private_owner = buf->gdev,
	};

	return hmm_range_fault(&range);
}`,
    },
    {
      name: 'a static cookie and a NULL owner are stable',
      code: `
static int cookie;

static void conv(struct mm_struct *mm, unsigned long start, struct page **pages)
{
	static char marker;

	make_device_exclusive_range(mm, start, start + PAGE_SIZE, pages, &marker);
	make_device_exclusive_range(mm, start, start + PAGE_SIZE, pages, &cookie);
	make_device_exclusive_range(mm, start, start + PAGE_SIZE, pages, NULL);
}`,
    },
    {
      name: 'current->mm as the range mm is not an owner',
      code: `
static void inval(unsigned long start, unsigned long end, void *owner)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0, current->mm, start, end, owner);
}`,
    },
  ],
  invalid: [
    {
      name: 'a callback filtering on range->owner == current (the rejected thread-as-owner design)',
      code: `
static bool mirror_invalidate(struct mmu_interval_notifier *mni, const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	if (range->owner == current)
		return true;
	mmu_interval_set_seq(mni, cur_seq);
	return true;
}`,
      errors: [{ messageId: 'current', line: 3, data: /comparison with range->owner/ }],
    },
    {
      name: 'current as dev_private_owner, and the owner field set the older way',
      code: `
static int mirror_fault(struct mirror *m, unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = &m->notifier,
		.hmm_pfns = pfns,
		.dev_private_owner = current,
	};
	struct mmu_notifier_range r;

	mmu_notifier_range_init(&r, MMU_NOTIFY_MIGRATE, 0, m->mm, 0, PAGE_SIZE);
	r.migrate_pgmap_owner = get_current();
	return hmm_range_fault(&range);
}`,
      errors: [
        { messageId: 'current', line: 6 },
        { messageId: 'current', line: 11 },
      ],
    },
    {
      name: 'the address of a stack variable as the exclusive owner',
      code: `
static int conv(struct mm_struct *mm, unsigned long start, struct page **pages)
{
	struct conv_ctx ctx = { 0 };

	return make_device_exclusive_range(mm, start, start + PAGE_SIZE, pages, &ctx);
}`,
      errors: [{ messageId: 'stack', line: 5, data: /&ctx/ }],
    },
  ],
});
