import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const leak = `int zap(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	if (!vma->anon_vma)
		return -EINVAL;
	zap_range(vma, start, end);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}
`;

/* Seed 001 (mm/hmm: Fix error flows in hmm_invalidate_range_start), before the fix. */
const hmmBefore = `static int hmm_invalidate_range_start(struct mmu_notifier *mn,
			const struct mmu_notifier_range *nrange)
{
	struct hmm *hmm = container_of(mn, struct hmm, mmu_notifier);
	struct hmm_mirror *mirror;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&hmm->ranges_lock, flags);
	hmm->notifiers++;
	spin_unlock_irqrestore(&hmm->ranges_lock, flags);

	if (mmu_notifier_range_blockable(nrange))
		mutex_lock(&hmm->lock);
	else if (!mutex_trylock(&hmm->lock)) {
		ret = -EAGAIN;
		goto out;
	}
	list_for_each_entry(mirror, &hmm->mirrors, list) {
		int rc = mirror->ops->sync_cpu_device_pagetables(mirror, nrange);
		if (rc) {
			ret = -EAGAIN;
			break;
		}
	}
	mutex_unlock(&hmm->lock);
out:
	return ret;
}
`;

const hmmAfter = `static void notifiers_decrement(struct hmm *hmm)
{
	lockdep_assert_held(&hmm->ranges_lock);

	hmm->notifiers--;
	if (!hmm->notifiers)
		wake_up_all(&hmm->wq);
}

static int hmm_invalidate_range_start(struct mmu_notifier *mn,
			const struct mmu_notifier_range *nrange)
{
	struct hmm *hmm = container_of(mn, struct hmm, mmu_notifier);
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&hmm->ranges_lock, flags);
	hmm->notifiers++;
	spin_unlock_irqrestore(&hmm->ranges_lock, flags);

	if (mmu_notifier_range_blockable(nrange))
		mutex_lock(&hmm->lock);
	else if (!mutex_trylock(&hmm->lock)) {
		ret = -EAGAIN;
		goto out;
	}
	ret = sync_all(hmm, nrange);
	mutex_unlock(&hmm->lock);
out:
	if (ret) {
		spin_lock_irqsave(&hmm->ranges_lock, flags);
		notifiers_decrement(hmm);
		spin_unlock_irqrestore(&hmm->ranges_lock, flags);
	}
	return ret;
}
`;

const inconsistent = `static int pin_range(struct ctx *c)
{
	c->users++;
	if (!c->ready) {
		c->users--;
		return -EAGAIN;
	}
	if (!c->mapped)
		return -ENOMEM;
	return 0;
}
`;

ruleTester('notifier-unmatched-start', {
  valid: [
    {
      name: 'start/end paired with goto cleanup',
      code: `int zap(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_notifier_range range;
	int ret = 0;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	if (!vma->anon_vma) {
		ret = -EINVAL;
		goto out;
	}
	zap_range(vma, start, end);
out:
	mmu_notifier_invalidate_range_end(&range);
	return ret;
}
`,
    },
    {
      name: '_nonblock failure: nothing started, no end owed',
      code: `int reap(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, vma->vm_start, vma->vm_end);
	if (mmu_notifier_invalidate_range_start_nonblock(&range))
		return -EAGAIN;
	unmap_page_range(vma);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}
`,
    },
    {
      name: '_nonblock with the result in a variable',
      code: `int reap(struct mm_struct *mm, struct mmu_notifier_range *range)
{
	int ret;

	ret = mmu_notifier_invalidate_range_start_nonblock(range);
	if (ret < 0)
		goto out;
	unmap_range(range);
	mmu_notifier_invalidate_range_end(range);
out:
	return ret;
}
`,
    },
    { name: 'seed 001 after the fix: the error flows lower the count', code: hmmAfter },
    {
      name: 'a start callback that succeeds on every path (the end callback lowers it)',
      code: `static int my_invalidate_range_start(struct mmu_notifier *mn, const struct mmu_notifier_range *r)
{
	struct my *m = container_of(mn, struct my, mn);

	m->active++;
	return 0;
}
`,
    },
  ],
  invalid: [
    { name: 'early return without range_end', code: leak, errors: [{ messageId: 'leftStarted', line: lineOf(leak, 'mmu_notifier_invalidate_range_start') }] },
    {
      name: 'seed 001 before the fix: error returns leave hmm->notifiers raised',
      code: hmmBefore,
      errors: [{ messageId: 'callbackErrorLeavesRaised', line: lineOf(hmmBefore, 'return ret;') }],
    },
    { name: 'lowered on one error path, not on the other', code: inconsistent, errors: [{ messageId: 'errorPathLeavesRaised', line: lineOf(inconsistent, 'return -ENOMEM') }] },
  ],
});
