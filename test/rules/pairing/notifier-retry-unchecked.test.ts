import { before } from 'node:test';
import { initParser } from '../../../src/engine';
import { lineOf, ruleTester } from './harness';

before(async () => {
  await initParser();
});

const never = `static int drv_fault(struct drv_range *r)
{
	unsigned long seq;
	int ret;

	seq = mmu_interval_read_begin(&r->notifier);
	ret = hmm_range_fault(&r->hmm);
	if (ret)
		return ret;
	mutex_lock(&r->drv->lock);
	program_device(r);
	mutex_unlock(&r->drv->lock);
	return 0;
}
`;

const hint = `static int drv_fault(struct drv_range *r)
{
	unsigned long seq;

	seq = mmu_interval_read_begin(&r->notifier);
	hmm_range_fault(&r->hmm);
	if (mmu_interval_check_retry(&r->notifier, seq))
		return -EAGAIN;
	mutex_lock(&r->drv->lock);
	program_device(r);
	mutex_unlock(&r->drv->lock);
	return 0;
}
`;

ruleTester('notifier-retry-unchecked', {
  valid: [
    {
      name: 'the documented retry loop under the driver lock',
      code: `static int drv_fault(struct drv_range *r)
{
	unsigned long seq;
	int ret;
again:
	seq = mmu_interval_read_begin(&r->notifier);
	ret = hmm_range_fault(&r->hmm);
	if (ret) {
		if (ret == -EBUSY)
			goto again;
		return ret;
	}
	mutex_lock(&r->drv->lock);
	if (mmu_interval_read_retry(&r->notifier, seq)) {
		mutex_unlock(&r->drv->lock);
		goto again;
	}
	program_device(r);
	mutex_unlock(&r->drv->lock);
	return 0;
}
`,
    },
    {
      name: 'the sequence is handed to the caller',
      code: `static unsigned long drv_begin(struct drv_range *r)
{
	return mmu_interval_read_begin(&r->notifier);
}
`,
    },
    {
      name: 'the sequence is stored in the range for the commit step',
      code: `static void drv_begin(struct drv_range *r)
{
	r->hmm.notifier_seq = mmu_interval_read_begin(&r->notifier);
}
`,
    },
  ],
  invalid: [
    { name: 'never checked', code: never, errors: [{ messageId: 'neverChecked', line: lineOf(never, 'mmu_interval_read_begin') }] },
    { name: 'only the lockless hint', code: hint, errors: [{ messageId: 'hintOnly', line: lineOf(hint, 'mmu_interval_read_begin') }] },
  ],
});
