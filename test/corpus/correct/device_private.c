// SPDX-License-Identifier: GPL-2.0
/*
 * A device-private memory driver in the kernel's idioms (after lib/test_hmm.c):
 * pgmap ops, migration to and from the device with the pgmap owner, and an
 * mmu notifier that filters the driver's own invalidations. Precision corpus
 * for mmlens.
 */
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/highmem.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#define DEVMEM_CHUNK_PAGES	512

struct devmem {
	struct dev_pagemap pagemap;
	struct mutex devmem_lock;
	spinlock_t free_lock;
	struct page *free_pages;
	unsigned long calloc;
	unsigned long cfree;
};

struct devmirror {
	struct devmem *mdevice;
	struct mmu_interval_notifier notifier;
	struct mutex mutex;
};

static struct devmem *page_to_devmem(struct page *page)
{
	struct folio *folio = page_folio(page);

	return container_of(folio->pgmap, struct devmem, pagemap);
}

static struct page *devmem_alloc_page(struct devmem *mdevice)
{
	struct page *dpage = NULL;

	spin_lock(&mdevice->free_lock);
	if (mdevice->free_pages) {
		dpage = mdevice->free_pages;
		mdevice->free_pages = dpage->zone_device_data;
		mdevice->calloc++;
	}
	spin_unlock(&mdevice->free_lock);
	if (!dpage)
		return NULL;

	zone_device_page_init(dpage);
	return dpage;
}

static void devmem_page_free(struct page *page)
{
	struct devmem *mdevice = page_to_devmem(page);

	spin_lock(&mdevice->free_lock);
	mdevice->cfree++;
	page->zone_device_data = mdevice->free_pages;
	mdevice->free_pages = page;
	spin_unlock(&mdevice->free_lock);
}

/* Filter our own migrations and exclusive conversions by owner before the bump. */
static bool devmirror_invalidate(struct mmu_interval_notifier *mni,
				 const struct mmu_notifier_range *range,
				 unsigned long cur_seq)
{
	struct devmirror *dmirror = container_of(mni, struct devmirror, notifier);

	if (range->owner == dmirror->mdevice &&
	    (range->event == MMU_NOTIFY_MIGRATE || range->event == MMU_NOTIFY_EXCLUSIVE))
		return true;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&dmirror->mutex);
	else if (!mutex_trylock(&dmirror->mutex))
		return false;

	mmu_interval_set_seq(mni, cur_seq);
	mutex_unlock(&dmirror->mutex);
	return true;
}

static const struct mmu_interval_notifier_ops devmirror_ops = {
	.invalidate = devmirror_invalidate,
};

/* Copy system pages to freshly allocated device pages. */
static void devmirror_alloc_and_copy(struct migrate_vma *args, struct devmirror *dmirror)
{
	const unsigned long *src = args->src;
	unsigned long *dst = args->dst;
	unsigned long addr;

	for (addr = args->start; addr < args->end; addr += PAGE_SIZE, src++, dst++) {
		struct page *spage;
		struct page *dpage;

		if (!(*src & MIGRATE_PFN_MIGRATE))
			continue;

		spage = migrate_pfn_to_page(*src);
		if (spage && is_device_private_page(spage))
			continue;

		dpage = devmem_alloc_page(dmirror->mdevice);
		if (!dpage)
			continue;

		if (spage)
			copy_highpage(dpage, spage);
		else
			clear_highpage(dpage);

		*dst = migrate_pfn(page_to_pfn(dpage));
		if ((*src & MIGRATE_PFN_WRITE) ||
		    (!spage && args->vma->vm_flags & VM_WRITE))
			*dst |= MIGRATE_PFN_WRITE;
	}
}

static int devmirror_migrate_to_device(struct devmirror *dmirror, struct vm_area_struct *vma,
				       unsigned long start, unsigned long end)
{
	unsigned long src_pfns[64] = { 0 };
	unsigned long dst_pfns[64] = { 0 };
	struct migrate_vma args = { 0 };
	int ret;

	args.vma = vma;
	args.src = src_pfns;
	args.dst = dst_pfns;
	args.start = start;
	args.end = end;
	args.pgmap_owner = dmirror->mdevice;
	args.flags = MIGRATE_VMA_SELECT_SYSTEM;

	ret = migrate_vma_setup(&args);
	if (ret)
		return ret;

	devmirror_alloc_and_copy(&args, dmirror);
	migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	return 0;
}

/* Copy device pages back to system memory on a CPU fault. */
static vm_fault_t devmirror_copy_to_ram(struct migrate_vma *args)
{
	const unsigned long *src = args->src;
	unsigned long *dst = args->dst;
	unsigned long start = args->start;
	unsigned long end = args->end;
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE, src++, dst++) {
		struct page *dpage, *spage;

		spage = migrate_pfn_to_page(*src);
		if (!spage || !(*src & MIGRATE_PFN_MIGRATE))
			continue;

		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, args->vma, addr);
		if (!dpage)
			continue;

		lock_page(dpage);
		copy_highpage(dpage, spage);
		*dst = migrate_pfn(page_to_pfn(dpage));
		if (*src & MIGRATE_PFN_WRITE)
			*dst |= MIGRATE_PFN_WRITE;
	}
	return 0;
}

static vm_fault_t devmirror_migrate_to_ram(struct vm_fault *vmf)
{
	struct migrate_vma args = { 0 };
	unsigned long src_pfns = 0;
	unsigned long dst_pfns = 0;
	struct devmem *mdevice;
	vm_fault_t ret;

	mdevice = page_to_devmem(vmf->page);

	args.vma = vmf->vma;
	args.start = vmf->address;
	args.end = args.start + PAGE_SIZE;
	args.src = &src_pfns;
	args.dst = &dst_pfns;
	args.pgmap_owner = mdevice;
	args.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE;
	args.fault_page = vmf->page;

	if (migrate_vma_setup(&args))
		return VM_FAULT_SIGBUS;

	ret = devmirror_copy_to_ram(&args);
	if (ret) {
		migrate_vma_finalize(&args);
		return ret;
	}
	migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	return 0;
}

static const struct dev_pagemap_ops devmirror_devmem_ops = {
	.page_free = devmem_page_free,
	.migrate_to_ram = devmirror_migrate_to_ram,
};

static int devmem_add_chunk(struct devmem *mdevice, struct resource *res)
{
	unsigned long pfn, pfn_first, pfn_last;
	void *ptr;

	mdevice->pagemap.type = MEMORY_DEVICE_PRIVATE;
	mdevice->pagemap.range.start = res->start;
	mdevice->pagemap.range.end = res->end;
	mdevice->pagemap.nr_range = 1;
	mdevice->pagemap.ops = &devmirror_devmem_ops;
	mdevice->pagemap.owner = mdevice;

	ptr = memremap_pages(&mdevice->pagemap, numa_node_id());
	if (IS_ERR(ptr))
		return PTR_ERR(ptr);

	pfn_first = res->start >> PAGE_SHIFT;
	pfn_last = pfn_first + (range_len(&mdevice->pagemap.range) >> PAGE_SHIFT);

	spin_lock(&mdevice->free_lock);
	for (pfn = pfn_first; pfn < pfn_last; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->zone_device_data = mdevice->free_pages;
		mdevice->free_pages = page;
	}
	spin_unlock(&mdevice->free_lock);
	return 0;
}

static int devmirror_open(struct devmirror *dmirror, struct devmem *mdevice, struct mm_struct *mm)
{
	dmirror->mdevice = mdevice;
	mutex_init(&dmirror->mutex);
	return mmu_interval_notifier_insert(&dmirror->notifier, mm, 0,
					    ULONG_MAX & PAGE_MASK, &devmirror_ops);
}

static void devmirror_release(struct devmirror *dmirror)
{
	mmu_interval_notifier_remove(&dmirror->notifier);
}
