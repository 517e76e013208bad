// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reverse-map helpers in the kernel's idioms: anon_vma lookups through the
 * folio or the head page, rmap walks over folios, device-exclusive conversion
 * with the owner carried by the range. Precision corpus for mmlens.
 */
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/swapops.h>
#include <linux/hugetlb.h>

/* The anon_vma of a page: always through compound_head(). */
struct anon_vma *page_anon_vma(struct page *page)
{
	unsigned long mapping;

	page = compound_head(page);
	mapping = (unsigned long)page->mapping;
	if ((mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return __page_rmapping(page);
}

struct anon_vma *folio_anon_vma(struct folio *folio)
{
	unsigned long mapping = (unsigned long)folio->mapping;

	if ((mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return (void *)(mapping - PAGE_MAPPING_ANON);
}

/*
 * Lock the anon_vma of a folio for an rmap walk, like folio_lock_anon_vma_read():
 * the mapping is read once from the folio, under RCU.
 */
struct anon_vma *folio_lock_anon_vma_read(struct folio *folio, struct rmap_walk_control *rwc)
{
	struct anon_vma *anon_vma = NULL;
	struct anon_vma *root_anon_vma;
	unsigned long anon_mapping;

	rcu_read_lock();
	anon_mapping = (unsigned long)READ_ONCE(folio->mapping);
	if ((anon_mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		goto out;
	if (!folio_mapped(folio))
		goto out;

	anon_vma = (struct anon_vma *)(anon_mapping - PAGE_MAPPING_ANON);
	root_anon_vma = READ_ONCE(anon_vma->root);
	if (down_read_trylock(&root_anon_vma->rwsem)) {
		if (!folio_mapped(folio)) {
			up_read(&root_anon_vma->rwsem);
			anon_vma = NULL;
		}
		goto out;
	}

	if (rwc && rwc->try_lock) {
		anon_vma = NULL;
		rwc->contended = true;
		goto out;
	}

	if (!atomic_inc_not_zero(&anon_vma->refcount)) {
		anon_vma = NULL;
		goto out;
	}

	if (!folio_mapped(folio)) {
		rcu_read_unlock();
		put_anon_vma(anon_vma);
		return NULL;
	}

	rcu_read_unlock();
	anon_vma_lock_read(anon_vma);

	if (atomic_dec_and_test(&anon_vma->refcount)) {
		anon_vma_unlock_read(anon_vma);
		__put_anon_vma(anon_vma);
		anon_vma = NULL;
	}
	return anon_vma;

out:
	rcu_read_unlock();
	return anon_vma;
}

/* The address of a page in a vma, computed from its folio. */
static unsigned long page_address_in_vma_folio(struct folio *folio, struct page *page,
					       struct vm_area_struct *vma)
{
	pgoff_t pgoff = folio->index + folio_page_idx(folio, page);

	return vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
}

struct make_exclusive_args {
	struct mm_struct *mm;
	unsigned long address;
	void *owner;
	bool valid;
};

/*
 * Convert the PTEs mapping a folio at one address into device-exclusive
 * entries. The range carries the driver's owner: the driver's notifier skips
 * this invalidation, and nothing in here fires an owner-less one (the caller
 * split the PMD with FOLL_SPLIT_PMD before the driver's read section opened).
 */
static bool folio_make_device_exclusive_one(struct folio *folio,
		struct vm_area_struct *vma, unsigned long address, void *priv)
{
	struct mm_struct *mm = vma->vm_mm;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, address, 0);
	struct make_exclusive_args *args = priv;
	struct mmu_notifier_range range;
	struct page *subpage;
	bool ret = true;
	swp_entry_t entry;
	pte_t swp_pte;
	pte_t ptent;

	mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0,
				      vma->vm_mm, address, min(vma->vm_end,
				      address + folio_size(folio)),
				      args->owner);
	mmu_notifier_invalidate_range_start(&range);

	while (page_vma_mapped_walk(&pvmw)) {
		VM_BUG_ON_FOLIO(!pvmw.pte, folio);

		ptent = ptep_get(pvmw.pte);
		if (!pte_present(ptent)) {
			ret = false;
			page_vma_mapped_walk_done(&pvmw);
			break;
		}

		subpage = folio_page(folio, pte_pfn(ptent) - folio_pfn(folio));
		address = pvmw.address;

		flush_cache_page(vma, address, pte_pfn(ptent));
		ptent = ptep_clear_flush(vma, address, pvmw.pte);

		if (pte_dirty(ptent))
			folio_mark_dirty(folio);

		if (args->mm == mm && args->address == address && pte_write(ptent))
			args->valid = true;

		if (pte_write(ptent))
			entry = make_writable_device_exclusive_entry(page_to_pfn(subpage));
		else
			entry = make_readable_device_exclusive_entry(page_to_pfn(subpage));
		swp_pte = swp_entry_to_pte(entry);
		if (pte_soft_dirty(ptent))
			swp_pte = pte_swp_mksoft_dirty(swp_pte);
		if (pte_uffd_wp(ptent))
			swp_pte = pte_swp_mkuffd_wp(swp_pte);

		set_pte_at(mm, address, pvmw.pte, swp_pte);
		folio_remove_rmap_pte(folio, subpage, vma);
	}

	mmu_notifier_invalidate_range_end(&range);
	return ret;
}

static bool folio_make_device_exclusive(struct folio *folio, struct mm_struct *mm,
					unsigned long address, void *owner)
{
	struct make_exclusive_args args = {
		.mm = mm,
		.address = address,
		.owner = owner,
		.valid = false,
	};
	struct rmap_walk_control rwc = {
		.rmap_one = folio_make_device_exclusive_one,
		.done = folio_not_mapped,
		.anon_lock = folio_lock_anon_vma_read,
		.arg = &args,
	};

	if (!folio_test_anon(folio) || folio_test_hugetlb(folio))
		return false;

	rmap_walk(folio, &rwc);
	return args.valid && !folio_mapcount(folio);
}

/*
 * GUP with FOLL_SPLIT_PMD splits any THP before the driver's read section,
 * then each page is converted through its folio.
 */
int make_device_exclusive_range(struct mm_struct *mm, unsigned long start,
				unsigned long end, struct page **pages, void *owner)
{
	long npages = (end - start) >> PAGE_SHIFT;
	long i;

	npages = get_user_pages_remote(mm, start, npages,
				       FOLL_GET | FOLL_WRITE | FOLL_SPLIT_PMD,
				       pages, NULL);
	if (npages < 0)
		return npages;

	for (i = 0; i < npages; i++, start += PAGE_SIZE) {
		struct folio *folio = page_folio(pages[i]);

		if (PageTail(pages[i]) || !folio_trylock(folio)) {
			folio_put(folio);
			pages[i] = NULL;
			continue;
		}

		if (!folio_make_device_exclusive(folio, mm, start, owner)) {
			folio_unlock(folio);
			folio_put(folio);
			pages[i] = NULL;
		}
	}
	return npages;
}

/* Does the folio still have a mapping that an rmap walk can follow? */
static bool folio_rmap_walkable(struct folio *folio)
{
	if (folio_test_anon(folio))
		return folio_anon_vma(folio) != NULL;
	return folio->mapping != NULL;
}

/* The vma-relative offset of a head page found by the pfn walk. */
static pgoff_t head_page_pgoff(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);

	if (PageTail(page))
		return 0;
	return page->index;
}

/* page_mapped_in_vma() the folio way. */
static int folio_mapped_in_vma(struct folio *folio, struct vm_area_struct *vma)
{
	struct page_vma_mapped_walk pvmw = {
		.pfn = folio_pfn(folio),
		.nr_pages = folio_nr_pages(folio),
		.vma = vma,
		.flags = PVMW_SYNC,
	};

	pvmw.address = vma_address(vma, folio->index, folio_nr_pages(folio));
	if (pvmw.address == -EFAULT)
		return 0;
	if (!page_vma_mapped_walk(&pvmw))
		return 0;
	page_vma_mapped_walk_done(&pvmw);
	return 1;
}

/* Walk all the pages a PTE table maps and count the anonymous folios. */
static unsigned long count_anon_in_table(struct vm_area_struct *vma, pte_t *pte,
					 unsigned long addr, unsigned long end)
{
	unsigned long nr = 0;

	for (; addr < end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);
		struct page *page;
		struct folio *folio;

		if (!pte_present(ptent))
			continue;
		page = vm_normal_page(vma, addr, ptent);
		if (!page)
			continue;
		folio = page_folio(page);
		if (folio_test_anon(folio) && folio_anon_vma(folio))
			nr++;
	}
	return nr;
}
