// SPDX-License-Identifier: GPL-2.0
/*
 * Device-private migration in the kernel's idioms (after mm/migrate_device.c):
 * the collect and the page-installation ranges carry the pgmap owner, folios
 * are read through page_folio(), and source pages are migrated through their
 * folio. Precision corpus for mmlens.
 */
#include <linux/export.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmu_notifier.h>
#include <linux/oom.h>
#include <linux/pagewalk.h>
#include <linux/rmap.h>
#include <linux/swapops.h>

static int migrate_vma_collect_skip(unsigned long start, unsigned long end,
				    struct mm_walk *walk)
{
	struct migrate_vma *migrate = walk->private;
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		migrate->dst[migrate->npages] = 0;
		migrate->src[migrate->npages++] = 0;
	}
	return 0;
}

static int migrate_vma_collect_hole(unsigned long start, unsigned long end,
				    __always_unused int depth, struct mm_walk *walk)
{
	struct migrate_vma *migrate = walk->private;
	unsigned long addr;

	if (!vma_is_anonymous(walk->vma))
		return migrate_vma_collect_skip(start, end, walk);

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		migrate->src[migrate->npages] = MIGRATE_PFN_MIGRATE;
		migrate->dst[migrate->npages] = 0;
		migrate->npages++;
		migrate->cpages++;
	}
	return 0;
}

/*
 * Collect the pages of one PTE table. The walk runs inside the owner range
 * opened by migrate_vma_collect(); pages come from vm_normal_page() or from
 * device-private entries and are looked at through their folio only.
 */
static int migrate_vma_collect_ptes(struct migrate_vma *migrate, struct mm_walk *walk,
				    pte_t *ptep, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = walk->vma;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start, unmapped = 0;

	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		unsigned long mpfn = 0, pfn;
		struct folio *folio;
		struct page *page;
		swp_entry_t entry;
		pte_t pte;

		pte = ptep_get(ptep);

		if (pte_none(pte)) {
			if (vma_is_anonymous(vma)) {
				mpfn = MIGRATE_PFN_MIGRATE;
				migrate->cpages++;
			}
			goto next;
		}

		if (!pte_present(pte)) {
			entry = pte_to_swp_entry(pte);
			if (!is_device_private_entry(entry))
				goto next;

			page = pfn_swap_entry_to_page(entry);
			folio = page_folio(page);
			if (!(migrate->flags & MIGRATE_VMA_SELECT_DEVICE_PRIVATE) ||
			    folio->pgmap->owner != migrate->pgmap_owner)
				goto next;

			mpfn = migrate_pfn(page_to_pfn(page)) | MIGRATE_PFN_MIGRATE;
			if (is_writable_device_private_entry(entry))
				mpfn |= MIGRATE_PFN_WRITE;
		} else {
			pfn = pte_pfn(pte);
			if (is_zero_pfn(pfn) && (migrate->flags & MIGRATE_VMA_SELECT_SYSTEM)) {
				mpfn = MIGRATE_PFN_MIGRATE;
				migrate->cpages++;
				goto next;
			}
			page = vm_normal_page(migrate->vma, addr, pte);
			if (!page)
				goto next;
			folio = page_folio(page);
			if (folio_test_large(folio) || !folio_test_anon(folio))
				goto next;
			if (!(migrate->flags & MIGRATE_VMA_SELECT_SYSTEM))
				goto next;
			mpfn = migrate_pfn(pfn) | MIGRATE_PFN_MIGRATE;
			mpfn |= pte_write(pte) ? MIGRATE_PFN_WRITE : 0;
		}

		folio_get(folio);
		if (!folio_trylock(folio)) {
			folio_put(folio);
			mpfn = 0;
			goto next;
		}
		unmapped++;
		migrate->cpages++;
next:
		migrate->dst[migrate->npages] = 0;
		migrate->src[migrate->npages++] = mpfn;
	}

	if (unmapped)
		flush_tlb_range(walk->vma, start, end);
	return 0;
}

static int migrate_vma_collect_pmd(pmd_t *pmdp, unsigned long start,
				   unsigned long end, struct mm_walk *walk)
{
	struct migrate_vma *migrate = walk->private;
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	pte_t *ptep;
	int ret;

	ptep = pte_offset_map_lock(vma->vm_mm, pmdp, start, &ptl);
	if (!ptep)
		return migrate_vma_collect_skip(start, end, walk);
	arch_enter_lazy_mmu_mode();
	ret = migrate_vma_collect_ptes(migrate, walk, ptep, start, end);
	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep, ptl);
	return ret;
}

static const struct mm_walk_ops migrate_vma_walk_ops = {
	.pmd_entry = migrate_vma_collect_pmd,
	.pte_hole = migrate_vma_collect_hole,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * Collect the pages to migrate. The range carries the owner so that the
 * driver's notifier recognises this invalidation as its own.
 */
static void migrate_vma_collect(struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_MIGRATE, 0,
				      migrate->vma->vm_mm, migrate->start, migrate->end,
				      migrate->pgmap_owner);
	mmu_notifier_invalidate_range_start(&range);

	walk_page_range(migrate->vma->vm_mm, migrate->start, migrate->end,
			&migrate_vma_walk_ops, migrate);

	mmu_notifier_invalidate_range_end(&range);
	migrate->end = migrate->start + (migrate->npages << PAGE_SHIFT);
}

/* Can the folio be migrated: its only references are the mappings and ours. */
static bool migrate_vma_check_folio(struct folio *folio, struct folio *fault_folio)
{
	int extra = 1 + (folio == fault_folio);

	if (folio_test_large(folio))
		return false;
	if (folio_is_zone_device(folio))
		extra++;
	if (folio_mapping(folio))
		extra += 1 + folio_has_private(folio);
	if ((folio_ref_count(folio) - extra) > folio_mapcount(folio))
		return false;
	return true;
}

static unsigned long migrate_device_unmap(unsigned long *src_pfns, unsigned long npages,
					  struct page *fault_page)
{
	struct folio *fault_folio = fault_page ? page_folio(fault_page) : NULL;
	unsigned long i, restore = 0;
	bool allow_drain = true;
	unsigned long unmapped = 0;

	lru_add_drain();

	for (i = 0; i < npages; i++) {
		struct page *page = migrate_pfn_to_page(src_pfns[i]);
		struct folio *folio;

		if (!page) {
			if (src_pfns[i] & MIGRATE_PFN_MIGRATE)
				unmapped++;
			continue;
		}

		folio = page_folio(page);
		if (!folio_is_zone_device(folio)) {
			if (!folio_test_lru(folio) && allow_drain) {
				lru_add_drain_all();
				allow_drain = false;
			}
			if (!folio_isolate_lru(folio)) {
				src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
				restore++;
				continue;
			}
			folio_put(folio);
		}

		if (folio_mapped(folio))
			try_to_migrate(folio, 0);

		if (folio_mapped(folio) || !migrate_vma_check_folio(folio, fault_folio)) {
			if (!folio_is_zone_device(folio)) {
				folio_get(folio);
				folio_putback_lru(folio);
			}
			src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
			restore++;
			continue;
		}
		unmapped++;
	}

	for (i = 0; i < npages && restore; i++) {
		struct page *page = migrate_pfn_to_page(src_pfns[i]);
		struct folio *folio;

		if (!page || (src_pfns[i] & MIGRATE_PFN_MIGRATE))
			continue;

		folio = page_folio(page);
		remove_migration_ptes(folio, folio, 0);
		src_pfns[i] = 0;
		folio_unlock(folio);
		folio_put(folio);
		restore--;
	}
	return unmapped;
}

int migrate_vma_setup(struct migrate_vma *args)
{
	long nr_pages = (args->end - args->start) >> PAGE_SHIFT;

	args->start &= PAGE_MASK;
	args->end &= PAGE_MASK;
	if (!args->vma || is_vm_hugetlb_page(args->vma) ||
	    (args->vma->vm_flags & VM_SPECIAL) || vma_is_dax(args->vma))
		return -EINVAL;
	if (nr_pages <= 0)
		return -EINVAL;
	if (args->start < args->vma->vm_start || args->start >= args->vma->vm_end)
		return -EINVAL;
	if (args->end <= args->vma->vm_start || args->end > args->vma->vm_end)
		return -EINVAL;
	if (!args->src || !args->dst)
		return -EINVAL;
	if (args->fault_page && !is_device_private_page(args->fault_page))
		return -EINVAL;

	memset(args->src, 0, sizeof(*args->src) * nr_pages);
	args->cpages = 0;
	args->npages = 0;

	migrate_vma_collect(args);

	if (args->cpages)
		migrate_device_unmap(args->src, args->npages, args->fault_page);
	return 0;
}
EXPORT_SYMBOL(migrate_vma_setup);

/*
 * Install the new pages. A range is opened lazily, with the owner, the first
 * time a hole has to be filled.
 */
static void __migrate_device_pages(unsigned long *src_pfns, unsigned long *dst_pfns,
				   unsigned long npages, struct migrate_vma *migrate)
{
	struct mmu_notifier_range range;
	unsigned long i;
	bool notified = false;

	for (i = 0; i < npages; i++) {
		struct page *newpage = migrate_pfn_to_page(dst_pfns[i]);
		struct page *page = migrate_pfn_to_page(src_pfns[i]);
		struct address_space *mapping;
		struct folio *newfolio, *folio;
		int r, extra_cnt = 0;

		if (!newpage) {
			src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
			continue;
		}

		if (!page) {
			unsigned long addr;

			if (!(src_pfns[i] & MIGRATE_PFN_MIGRATE))
				continue;
			if (!notified) {
				notified = true;

				mmu_notifier_range_init_owner(&range,
					MMU_NOTIFY_MIGRATE, 0,
					migrate->vma->vm_mm, migrate->start + i * PAGE_SIZE,
					migrate->end, migrate->pgmap_owner);
				mmu_notifier_invalidate_range_start(&range);
			}
			addr = migrate->start + i * PAGE_SIZE;
			migrate_vma_insert_page(migrate, addr, newpage, &src_pfns[i]);
			continue;
		}

		newfolio = page_folio(newpage);
		folio = page_folio(page);
		mapping = folio_mapping(folio);

		if (folio_is_device_private(newfolio) ||
		    folio_is_device_coherent(newfolio)) {
			if (mapping) {
				src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
				continue;
			}
		} else if (folio_is_zone_device(newfolio)) {
			src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
			continue;
		}

		if (migrate && migrate->fault_page == page)
			extra_cnt = 1;
		r = folio_migrate_mapping(mapping, newfolio, folio, extra_cnt);
		if (r != MIGRATEPAGE_SUCCESS)
			src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;
		else
			folio_migrate_flags(newfolio, folio);
	}

	if (notified)
		mmu_notifier_invalidate_range_end(&range);
}

void migrate_vma_pages(struct migrate_vma *migrate)
{
	__migrate_device_pages(migrate->src, migrate->dst, migrate->npages, migrate);
}
EXPORT_SYMBOL(migrate_vma_pages);

void migrate_device_finalize(unsigned long *src_pfns, unsigned long *dst_pfns,
			     unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		struct folio *dst = NULL, *src = NULL;
		struct page *newpage = migrate_pfn_to_page(dst_pfns[i]);
		struct page *page = migrate_pfn_to_page(src_pfns[i]);

		if (newpage)
			dst = page_folio(newpage);
		if (!page) {
			if (dst) {
				folio_unlock(dst);
				folio_put(dst);
			}
			continue;
		}
		src = page_folio(page);

		if (!(src_pfns[i] & MIGRATE_PFN_MIGRATE) || !dst) {
			if (dst) {
				folio_unlock(dst);
				folio_put(dst);
			}
			dst = src;
		}

		remove_migration_ptes(src, dst, 0);
		folio_unlock(src);

		if (folio_is_zone_device(src))
			folio_put(src);
		else
			folio_putback_lru(src);

		if (dst != src) {
			folio_unlock(dst);
			if (folio_is_zone_device(dst))
				folio_put(dst);
			else
				folio_putback_lru(dst);
		}
	}
}
EXPORT_SYMBOL(migrate_device_finalize);

void migrate_vma_finalize(struct migrate_vma *migrate)
{
	migrate_device_finalize(migrate->src, migrate->dst, migrate->npages);
}
EXPORT_SYMBOL(migrate_vma_finalize);
