// SPDX-License-Identifier: GPL-2.0-only
/*
 * An HMM mirror in the kernel's idioms (after lib/test_hmm.c and nouveau):
 * mmu_interval_read_begin/retry loops under the driver lock, an .invalidate
 * callback that skips the driver's own migrations and exclusive conversions by
 * (event, owner) before it bumps the sequence, and hmm_pfn_to_page() results
 * read through their folio. Precision corpus for mmlens.
 */
#include <linux/mm.h>
#include <linux/hmm.h>
#include <linux/mmu_notifier.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#define MIRROR_RANGE_PAGES	64

struct mirror_device {
	struct dev_pagemap pagemap;
	spinlock_t lock;
	unsigned long calloc;
	unsigned long cfree;
};

struct mirror {
	struct mirror_device *mdevice;
	struct mmu_interval_notifier notifier;
	struct mutex mutex;
	struct xarray pt;
};

struct mirror_range {
	struct mmu_interval_notifier notifier;
	struct mirror *mirror;
};

static void mirror_do_update(struct mirror *mirror, unsigned long start, unsigned long end)
{
	unsigned long pfn;
	void *entry;

	lockdep_assert_held(&mirror->mutex);
	xa_for_each_range(&mirror->pt, pfn, entry, start >> PAGE_SHIFT, end >> PAGE_SHIFT)
		xa_erase(&mirror->pt, pfn);
}

/*
 * The driver's own migrations (MMU_NOTIFY_MIGRATE) and exclusive conversions
 * (MMU_NOTIFY_EXCLUSIVE) carry mirror->mdevice as their owner: skip them
 * before bumping the sequence, or every such operation would retry itself.
 */
static bool mirror_interval_invalidate(struct mmu_interval_notifier *mni,
				       const struct mmu_notifier_range *range,
				       unsigned long cur_seq)
{
	struct mirror *mirror = container_of(mni, struct mirror, notifier);

	if ((range->event == MMU_NOTIFY_MIGRATE ||
	     range->event == MMU_NOTIFY_EXCLUSIVE) &&
	    range->owner == mirror->mdevice)
		return true;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&mirror->mutex);
	else if (!mutex_trylock(&mirror->mutex))
		return false;

	mmu_interval_set_seq(mni, cur_seq);
	mirror_do_update(mirror, range->start, range->end);

	mutex_unlock(&mirror->mutex);
	return true;
}

static const struct mmu_interval_notifier_ops mirror_min_ops = {
	.invalidate = mirror_interval_invalidate,
};

static bool mirror_range_invalidate(struct mmu_interval_notifier *mni,
				    const struct mmu_notifier_range *range,
				    unsigned long cur_seq)
{
	struct mirror_range *mrange = container_of(mni, struct mirror_range, notifier);
	struct mirror *mirror = mrange->mirror;

	if (range->event == MMU_NOTIFY_MIGRATE && range->owner == mirror->mdevice)
		return true;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&mirror->mutex);
	else if (!mutex_trylock(&mirror->mutex))
		return false;

	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&mirror->mutex);
	return true;
}

static const struct mmu_interval_notifier_ops mirror_range_ops = {
	.invalidate = mirror_range_invalidate,
};

/* Store the faulted pfns: the device table keeps pages, keyed by pfn index. */
static int mirror_do_fault(struct mirror *mirror, struct hmm_range *range)
{
	unsigned long *pfns = range->hmm_pfns;
	unsigned long pfn;

	for (pfn = (range->start >> PAGE_SHIFT);
	     pfn < (range->end >> PAGE_SHIFT);
	     pfn++, pfns++) {
		struct page *page;
		void *entry;

		WARN_ON(*pfns & HMM_PFN_ERROR);
		WARN_ON(!(*pfns & HMM_PFN_VALID));

		page = hmm_pfn_to_page(*pfns);
		WARN_ON(!page);

		entry = page;
		if (*pfns & HMM_PFN_WRITE)
			entry = xa_tag_pointer(entry, 1);
		else if (WARN_ON(range->default_flags & HMM_PFN_WRITE))
			return -EFAULT;
		entry = xa_store(&mirror->pt, pfn, entry, GFP_ATOMIC);
		if (xa_is_err(entry))
			return xa_err(entry);
	}
	return 0;
}

static int mirror_range_fault(struct mirror *mirror, struct hmm_range *range)
{
	struct mm_struct *mm = mirror->notifier.mm;
	unsigned long timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	int ret;

	while (true) {
		if (time_after(jiffies, timeout)) {
			ret = -EBUSY;
			goto out;
		}

		range->notifier_seq = mmu_interval_read_begin(range->notifier);
		mmap_read_lock(mm);
		ret = hmm_range_fault(range);
		mmap_read_unlock(mm);
		if (ret) {
			if (ret == -EBUSY)
				continue;
			goto out;
		}

		mutex_lock(&mirror->mutex);
		if (mmu_interval_read_retry(range->notifier, range->notifier_seq)) {
			mutex_unlock(&mirror->mutex);
			continue;
		}
		break;
	}

	ret = mirror_do_fault(mirror, range);
	mutex_unlock(&mirror->mutex);
out:
	return ret;
}

static int mirror_fault(struct mirror *mirror, unsigned long start, unsigned long end, bool write)
{
	struct mm_struct *mm = mirror->notifier.mm;
	unsigned long addr;
	unsigned long pfns[MIRROR_RANGE_PAGES];
	struct hmm_range range = {
		.notifier = &mirror->notifier,
		.hmm_pfns = pfns,
		.pfn_flags_mask = 0,
		.default_flags = HMM_PFN_REQ_FAULT | (write ? HMM_PFN_REQ_WRITE : 0),
		.dev_private_owner = mirror->mdevice,
	};
	int ret = 0;

	if (!mmget_not_zero(mm))
		return 0;

	for (addr = start; addr < end; addr = range.end) {
		range.start = addr;
		range.end = min(addr + (ARRAY_SIZE(pfns) << PAGE_SHIFT), end);

		ret = mirror_range_fault(mirror, &range);
		if (ret)
			break;
	}

	mmput(mm);
	return ret;
}

/* Snapshot: report for each pfn whether its folio is file backed. */
static void mirror_snapshot_one(struct mirror *mirror, struct hmm_range *range, u8 *perm)
{
	unsigned long i, n = (range->end - range->start) >> PAGE_SHIFT;

	for (i = 0; i < n; i++) {
		unsigned long entry = range->hmm_pfns[i];
		struct page *page;
		struct folio *folio;
		u8 p = 0;

		if (!(entry & HMM_PFN_VALID)) {
			perm[i] = 0;
			continue;
		}
		page = hmm_pfn_to_page(entry);
		folio = page_folio(page);
		if (is_device_private_page(page))
			p |= 0x10;
		else if (folio->mapping && !folio_test_anon(folio))
			p |= 0x20;
		if (entry & HMM_PFN_WRITE)
			p |= 0x02;
		if (hmm_pfn_to_map_order(entry) + PAGE_SHIFT == PMD_SHIFT)
			p |= 0x04;
		perm[i] = p;
	}
}

static int mirror_range_snapshot(struct mirror *mirror, struct hmm_range *range, u8 *perm)
{
	struct mm_struct *mm = mirror->notifier.mm;
	struct mirror_range notifier;
	unsigned long timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	int ret = 0;

	notifier.mirror = mirror;
	range->notifier = &notifier.notifier;

	ret = mmu_interval_notifier_insert(range->notifier, mm, range->start,
					   range->end - range->start, &mirror_range_ops);
	if (ret)
		return ret;

	while (true) {
		if (time_after(jiffies, timeout)) {
			ret = -EBUSY;
			goto out;
		}

		range->notifier_seq = mmu_interval_read_begin(range->notifier);

		mmap_read_lock(mm);
		ret = hmm_range_fault(range);
		mmap_read_unlock(mm);
		if (ret) {
			if (ret == -EBUSY)
				continue;
			goto out;
		}

		mutex_lock(&mirror->mutex);
		if (mmu_interval_read_retry(range->notifier, range->notifier_seq)) {
			mutex_unlock(&mirror->mutex);
			continue;
		}
		break;
	}

	mirror_snapshot_one(mirror, range, perm);
	mutex_unlock(&mirror->mutex);
out:
	mmu_interval_notifier_remove(range->notifier);
	return ret;
}

/*
 * Device-exclusive access for atomics: the conversion carries the owner, so
 * the driver's notifier skips it and the retry loop terminates.
 */
static int mirror_atomic_map(struct mirror *mirror, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = mirror->notifier.mm;
	struct page *pages[MIRROR_RANGE_PAGES];
	unsigned long seq, addr;
	int i, npages, ret = 0;

	npages = (end - start) >> PAGE_SHIFT;
	if (npages > MIRROR_RANGE_PAGES)
		return -EINVAL;

	while (true) {
		seq = mmu_interval_read_begin(&mirror->notifier);

		mmap_read_lock(mm);
		ret = make_device_exclusive_range(mm, start, end, pages, mirror->mdevice);
		mmap_read_unlock(mm);
		if (ret < 0)
			return ret;

		mutex_lock(&mirror->mutex);
		if (!mmu_interval_read_retry(&mirror->notifier, seq))
			break;
		mutex_unlock(&mirror->mutex);

		for (i = 0; i < ret; i++) {
			if (pages[i]) {
				struct folio *folio = page_folio(pages[i]);

				folio_unlock(folio);
				folio_put(folio);
			}
		}
	}

	for (i = 0, addr = start; i < ret; i++, addr += PAGE_SIZE) {
		struct folio *folio;
		void *entry;

		if (!pages[i])
			continue;
		folio = page_folio(pages[i]);
		entry = xa_tag_pointer(pages[i], 1);
		xa_store(&mirror->pt, addr >> PAGE_SHIFT, entry, GFP_ATOMIC);
		folio_unlock(folio);
		folio_put(folio);
	}
	mutex_unlock(&mirror->mutex);
	return 0;
}

static int mirror_register(struct mirror *mirror, struct mm_struct *mm)
{
	mutex_init(&mirror->mutex);
	xa_init(&mirror->pt);
	return mmu_interval_notifier_insert(&mirror->notifier, mm, 0,
					    ULONG_MAX & PAGE_MASK, &mirror_min_ops);
}

static void mirror_unregister(struct mirror *mirror)
{
	mmu_interval_notifier_remove(&mirror->notifier);
	mutex_lock(&mirror->mutex);
	xa_destroy(&mirror->pt);
	mutex_unlock(&mirror->mutex);
}
