import { ruleTester } from './tester';

const driver = (callbackBody: string, extra = '') => `
static bool dmirror_interval_invalidate(struct mmu_interval_notifier *mni,
		const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct dmirror *dmirror = container_of(mni, struct dmirror, notifier);
${callbackBody}
	return true;
}

static const struct mmu_interval_notifier_ops dmirror_min_ops = {
	.invalidate = dmirror_interval_invalidate,
};
${extra}
static int dmirror_migrate(struct dmirror *dmirror, struct migrate_vma *args)
{
	args->pgmap_owner = dmirror->mdevice;
	args->flags = MIGRATE_VMA_SELECT_SYSTEM;
	return migrate_vma_setup(args);
}`;

ruleTester('notifier-callback-ignores-owner', {
  valid: [
    {
      name: 'filters its own migration by event and owner before mmu_interval_set_seq()',
      code: driver(`
	if (range->event == MMU_NOTIFY_MIGRATE && range->owner == dmirror->mdevice)
		return true;
	mutex_lock(&dmirror->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&dmirror->mutex);`),
    },
    {
      name: 'the owner test lives in a helper of the document',
      code: driver(
        `
	if (dmirror_is_own(dmirror, range))
		return true;
	mutex_lock(&dmirror->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&dmirror->mutex);`,
        `
static bool dmirror_is_own(struct dmirror *dmirror, const struct mmu_notifier_range *r)
{
	return r->event == MMU_NOTIFY_MIGRATE && r->owner == dmirror->mdevice;
}
`,
      ),
    },
    {
      name: 'hands the range to a function mmlens cannot see (the filter may be there)',
      code: driver(`
	if (svm_range_is_own(dmirror, range))
		return true;
	mmu_interval_set_seq(mni, cur_seq);`),
    },
    {
      name: 'no device memory in the document: an ordinary mirror need not filter',
      code: `
static bool mirror_invalidate(struct mmu_interval_notifier *mni,
		const struct mmu_notifier_range *range, unsigned long cur_seq)
{
	struct mirror *m = container_of(mni, struct mirror, notifier);

	mutex_lock(&m->lock);
	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&m->lock);
	return true;
}

static const struct mmu_interval_notifier_ops mirror_ops = {
	.invalidate = mirror_invalidate,
};`,
    },
    {
      name: 'mmu_notifier_ops .invalidate_range_start that compares the owner',
      code: `
static int svmm_invalidate_range_start(struct mmu_notifier *mn,
		const struct mmu_notifier_range *update)
{
	struct svmm *svmm = container_of(mn, struct svmm, notifier);

	if (update->event == MMU_NOTIFY_MIGRATE && update->owner == svmm->vmm->cli->drm->dev)
		return 0;
	svmm_invalidate(svmm, update->start, update->end);
	return 0;
}

static const struct mmu_notifier_ops svmm_notifier_ops = {
	.invalidate_range_start = svmm_invalidate_range_start,
};

static void *owner_of(struct svmm *svmm) { return svmm->pgmap_owner; }`,
    },
  ],
  invalid: [
    {
      name: 'never reads range->owner in a device-private driver',
      code: driver(`
	mutex_lock(&dmirror->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	dmirror_do_update(dmirror, range->start, range->end);
	mutex_unlock(&dmirror->mutex);`),
      errors: [{ messageId: 'ignoresOwner', line: 1, data: /dmirror_interval_invalidate\(\).*never reads range->owner.*pgmap_owner/ }],
    },
    {
      name: 'filters by event only',
      code: driver(`
	if (range->event == MMU_NOTIFY_MIGRATE)
		return true;
	mmu_interval_set_seq(mni, cur_seq);`),
      errors: [{ messageId: 'ignoresOwner', line: 1 }],
    },
    {
      name: 'compares the owner only after bumping the sequence',
      code: driver(`
	mutex_lock(&dmirror->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	if (range->event == MMU_NOTIFY_EXCLUSIVE && range->owner == dmirror->mdevice) {
		mutex_unlock(&dmirror->mutex);
		return true;
	}
	mutex_unlock(&dmirror->mutex);`),
      errors: [{ messageId: 'filterAfterSeq', line: 1, data: /only after mmu_interval_set_seq/ }],
    },
    {
      name: 'mmu_notifier_ops .invalidate_range_start without owner in an exclusive-access driver',
      code: `
static int svmm_invalidate_range_start(struct mmu_notifier *mn,
		const struct mmu_notifier_range *update)
{
	struct svmm *svmm = container_of(mn, struct svmm, notifier);

	svmm_invalidate(svmm, update->start, update->end);
	return 0;
}

static const struct mmu_notifier_ops svmm_notifier_ops = {
	.invalidate_range_start = svmm_invalidate_range_start,
};

static int svm_atomic(struct mm_struct *mm, unsigned long start, struct page **page, void *drm)
{
	return make_device_exclusive_range(mm, start, start + PAGE_SIZE, page, drm);
}`,
      errors: [{ messageId: 'ignoresOwner', line: 1, data: /make_device_exclusive_range/ }],
    },
  ],
});
