// SPDX-License-Identifier: GPL-2.0-only
/*
 * GUP users in the kernel's idioms: pin, convert to folios, read the
 * mapping and index from the folio, unpin. Written for the mmlens precision
 * corpus; every ->mapping/->index read here is from a folio or a head page.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/swap.h>
#include <linux/sched/mm.h>
#include <linux/highmem.h>

struct pin_set {
	struct page **pages;
	unsigned long nr_pages;
	unsigned long start;
	bool writable;
	spinlock_t lock;
};

/* Is every pinned folio backed by an anonymous mapping? */
static bool pin_set_all_anon(struct pin_set *set)
{
	unsigned long i;

	for (i = 0; i < set->nr_pages; i++) {
		struct folio *folio = page_folio(set->pages[i]);

		if (!folio_test_anon(folio))
			return false;
	}
	return true;
}

/* The file offset of every pinned page, computed through its folio. */
static pgoff_t pin_set_first_index(struct pin_set *set)
{
	struct page *page = set->pages[0];
	struct folio *folio = page_folio(page);

	return folio->index + folio_page_idx(folio, page);
}

static struct address_space *pin_set_mapping(struct pin_set *set, unsigned long i)
{
	struct folio *folio;

	if (i >= set->nr_pages)
		return NULL;
	folio = page_folio(set->pages[i]);
	if (folio_test_anon(folio))
		return NULL;
	return folio->mapping;
}

static int pin_set_fill(struct pin_set *set, unsigned long start, unsigned long nr)
{
	unsigned int gup_flags = FOLL_LONGTERM;
	long pinned;

	set->pages = kvmalloc_array(nr, sizeof(struct page *), GFP_KERNEL);
	if (!set->pages)
		return -ENOMEM;
	if (set->writable)
		gup_flags |= FOLL_WRITE;

	pinned = pin_user_pages_fast(start, nr, gup_flags, set->pages);
	if (pinned < 0) {
		kvfree(set->pages);
		set->pages = NULL;
		return pinned;
	}
	if (pinned != nr) {
		unpin_user_pages(set->pages, pinned);
		kvfree(set->pages);
		set->pages = NULL;
		return -EFAULT;
	}
	set->nr_pages = nr;
	set->start = start;
	return 0;
}

static void pin_set_release(struct pin_set *set)
{
	if (!set->pages)
		return;
	unpin_user_pages_dirty_lock(set->pages, set->nr_pages, set->writable);
	kvfree(set->pages);
	set->pages = NULL;
	set->nr_pages = 0;
}

/* Count the distinct folios of the pin set. */
static unsigned long pin_set_nr_folios(struct pin_set *set)
{
	struct folio *prev = NULL;
	unsigned long i, nr = 0;

	for (i = 0; i < set->nr_pages; i++) {
		struct folio *folio = page_folio(set->pages[i]);

		if (folio != prev)
			nr++;
		prev = folio;
	}
	return nr;
}

/* Mark the pinned file folios dirty, under the folio lock. */
static void pin_set_dirty(struct pin_set *set)
{
	unsigned long i;

	for (i = 0; i < set->nr_pages; i++) {
		struct folio *folio = page_folio(set->pages[i]);

		folio_lock(folio);
		if (folio->mapping && !folio_test_anon(folio))
			folio_mark_dirty(folio);
		folio_unlock(folio);
	}
}

/* A single page read from a remote mm, converted at once. */
static int read_remote_word(struct mm_struct *mm, unsigned long addr, unsigned long *val)
{
	struct page *page;
	struct folio *folio;
	void *kaddr;
	long got;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	got = get_user_pages_remote(mm, addr & PAGE_MASK, 1, FOLL_FORCE, &page, NULL);
	mmap_read_unlock(mm);
	if (got != 1)
		return -EFAULT;

	folio = page_folio(page);
	if (folio_test_anon(folio) || folio->mapping) {
		kaddr = kmap_local_page(page);
		*val = *(unsigned long *)(kaddr + offset_in_page(addr));
		kunmap_local(kaddr);
	}
	put_page(page);
	return 0;
}

/* Walk the pages of a pinned range and stop at the first tail page. */
static unsigned long pin_set_heads(struct pin_set *set, struct page **heads, unsigned long max)
{
	unsigned long i, n = 0;

	for (i = 0; i < set->nr_pages && n < max; i++) {
		struct page *page = set->pages[i];

		if (PageTail(page))
			continue;
		if (page->mapping == NULL && !PageAnon(page))
			continue;
		heads[n++] = page;
	}
	return n;
}

/* The head page of a pinned page, for code that still takes a struct page. */
static struct address_space *pinned_page_mapping(struct page *page)
{
	struct page *head = compound_head(page);

	if (PageAnon(head))
		return NULL;
	return head->mapping;
}

static void pin_set_lookup(struct pin_set *set, unsigned long i, struct address_space **mapping)
{
	spin_lock(&set->lock);
	*mapping = pin_set_mapping(set, i);
	spin_unlock(&set->lock);
}

/* follow_page users take the folio before they look at the mapping. */
static bool addr_is_file_backed(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page;
	struct folio *folio;
	bool ret;

	page = follow_page(vma, addr, FOLL_GET);
	if (IS_ERR_OR_NULL(page))
		return false;
	folio = page_folio(page);
	ret = !folio_test_anon(folio) && folio->mapping;
	folio_put(folio);
	return ret;
}

/* A pfn from a device BAR or a PTE: go through the folio. */
static pgoff_t pfn_file_offset(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);
	struct folio *folio = page_folio(page);

	return folio->index + folio_page_idx(folio, page);
}

/* Iterate the subpages of a folio: only the folio answers for the mapping. */
static void folio_touch_subpages(struct folio *folio)
{
	struct address_space *mapping = folio->mapping;
	long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(folio, i);

		flush_dcache_page(page);
	}
	if (mapping)
		folio_mark_accessed(folio);
}

/* Iterate pages with nth_page() and look only at per-page state. */
static unsigned long count_hwpoison(struct page *first, unsigned long nr)
{
	unsigned long i, bad = 0;

	for (i = 0; i < nr; i++) {
		struct page *page = nth_page(first, i);

		if (PageHWPoison(page))
			bad++;
	}
	return bad;
}

/* Pin a buffer for DMA and check each folio can be pinned long term. */
static int pin_for_dma(unsigned long uaddr, unsigned long len, struct page ***pagesp)
{
	unsigned long nr = DIV_ROUND_UP(offset_in_page(uaddr) + len, PAGE_SIZE);
	struct page **pages;
	long pinned, i;

	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;

	pinned = pin_user_pages_fast(uaddr & PAGE_MASK, nr, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (pinned <= 0) {
		kfree(pages);
		return pinned ? pinned : -EFAULT;
	}
	for (i = 0; i < pinned; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio_test_hugetlb(folio) && !folio->mapping) {
			unpin_user_pages(pages, pinned);
			kfree(pages);
			return -EINVAL;
		}
	}
	*pagesp = pages;
	return pinned;
}

/* Pages from an iov_iter: folios again. */
static ssize_t iter_file_span(struct iov_iter *iter, size_t maxsize, struct address_space *want)
{
	struct page *pages[16];
	size_t off;
	ssize_t bytes;
	int i, n;

	bytes = iov_iter_get_pages2(iter, pages, maxsize, 16, &off);
	if (bytes <= 0)
		return bytes;
	n = DIV_ROUND_UP(off + bytes, PAGE_SIZE);
	for (i = 0; i < n; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio->mapping != want)
			bytes = 0;
		put_page(pages[i]);
	}
	return bytes;
}
