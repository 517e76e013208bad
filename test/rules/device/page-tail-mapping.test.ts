import { ruleTester } from './tester';

ruleTester('page-tail-mapping', {
  valid: [
    {
      name: 'folio read of a pinned page',
      code: `
static int check(unsigned long start, int nr, struct page **pages)
{
	int i, n = pin_user_pages_fast(start, nr, FOLL_WRITE, pages);

	for (i = 0; i < n; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (!folio->mapping || folio->index > 10)
			return -EINVAL;
		if (page_folio(pages[i])->mapping == NULL)
			return -EINVAL;
	}
	return n;
}`,
    },
    {
      name: 'compound_head() before ->mapping',
      code: `
static bool is_anon(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);
	struct page *head = compound_head(page);
	unsigned long mapping = (unsigned long)head->mapping;

	page = compound_head(page);
	return ((unsigned long)page->mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_ANON && mapping;
}`,
    },
    {
      name: 'page_anon_vma(): a parameter, then compound_head()',
      code: `
struct anon_vma *page_anon_vma(struct page *page)
{
	unsigned long mapping;

	page = compound_head(page);
	mapping = (unsigned long)page->mapping;
	if ((mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return __page_rmapping(page);
}`,
    },
    {
      name: 'a parameter of unknown origin is not reported',
      code: `
static void *raw(struct page *page)
{
	return READ_ONCE(page->mapping);
}`,
    },
    {
      name: 'PageTail() guard skips tail pages (continue), PageHead() test, VM_BUG_ON_PAGE()',
      code: `
static void walk(unsigned long start, int nr, struct page **pages, unsigned long pfn)
{
	int i, n = get_user_pages(start, nr, FOLL_GET, pages);
	struct page *p = pfn_to_page(pfn);
	struct page *q = pfn_to_page(pfn + 1);

	for (i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (PageTail(page))
			continue;
		use(page->mapping);
	}
	if (PageHead(p))
		use(p->mapping);
	if (!PageCompound(p) && p->index)
		use(p);
	VM_BUG_ON_PAGE(PageTail(q), q);
	use(q->mapping);
}`,
    },
    {
      name: 'folio_page(folio, 0) and &folio->page are head pages',
      code: `
static void heads(struct folio *folio)
{
	struct page *a = folio_page(folio, 0);
	struct page *b = &folio->page;

	use(a->mapping, b->index);
}`,
    },
    {
      name: 'head in both branches',
      code: `
static void both(unsigned long pfn, bool x)
{
	struct page *page = pfn_to_page(pfn);

	if (x)
		page = compound_head(page);
	else
		page = virt_to_head_page(page_address(page));
	use(page->mapping);
}`,
    },
    {
      name: 'other fields of a may-be-tail page are fine',
      code: `
static void flags(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);

	use(page->flags, page_to_pfn(page));
}`,
    },
  ],
  invalid: [
    {
      name: 'pinned page: ->mapping (with quick fix)',
      code: `
static int check(unsigned long start, int nr, struct page **pages)
{
	int i, n = pin_user_pages_fast(start, nr, FOLL_WRITE, pages);

	for (i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (!page->mapping)
			return -EINVAL;
	}
	return n;
}`,
      errors: [{ messageId: 'tailRead', line: 8, data: /page->mapping .*pin_user_pages_fast\(\)/ }],
      fix: 'page_folio(page)->mapping',
    },
    {
      name: 'pages[i]->mapping directly',
      code: `
static void direct(struct mm_struct *mm, unsigned long start, struct page **pages)
{
	long n = get_user_pages_remote(mm, start, 4, 0, pages, NULL);

	if (n > 0 && pages[0]->mapping)
		put_page(pages[0]);
}`,
      errors: [{ messageId: 'tailRead', line: 5 }],
      fix: 'page_folio(pages[0])->mapping',
    },
    {
      name: 'follow_page(): ->index has no fix',
      code: `
static pgoff_t off(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page = follow_page(vma, addr, FOLL_GET);

	return page->index;
}`,
      errors: [{ messageId: 'tailIndex', line: 5, data: /follow_page\(\)/ }],
      fix: null,
    },
    {
      name: 'pfn_to_page(): READ_ONCE(page->mapping) (seed 002\'s page_lock_anon_vma_read read)',
      code: `
static bool anon(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long anon_mapping;

	anon_mapping = (unsigned long)READ_ONCE(page->mapping);
	return (anon_mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_ANON;
}`,
      errors: [{ messageId: 'tailRead', line: 6 }],
    },
    {
      name: 'vm_normal_page() on a PTE',
      code: `
static void pte_one(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page = vm_normal_page(vma, addr, pte);

	if (page && page->mapping)
		mark(page);
}`,
      errors: [{ messageId: 'tailRead', line: 5, data: /vm_normal_page/ }],
    },
    {
      name: 'page + i, nth_page(), folio_page(folio, 1)',
      code: `
static void steps(struct page *head, struct folio *folio, int i)
{
	struct page *a = head + i;
	struct page *b = nth_page(head, i);
	struct page *c = folio_page(folio, 1);

	use(a->mapping);
	use(b->index);
	use(c->mapping);
}`,
      errors: [
        { messageId: 'tailRead', line: 7 },
        { messageId: 'tailIndex', line: 8 },
        { messageId: 'tailRead', line: 9 },
      ],
    },
    {
      name: 'hmm_pfn_to_page()',
      code: `
static void mirror(struct hmm_range *range, unsigned long i)
{
	struct page *page = hmm_pfn_to_page(range->hmm_pfns[i]);

	use(page->mapping);
}`,
      errors: [{ messageId: 'tailRead', line: 5 }],
    },
    {
      name: 'compound_head() on one branch only: still may be tail',
      code: `
static void one_branch(unsigned long pfn, bool x)
{
	struct page *page = pfn_to_page(pfn);

	if (x)
		page = compound_head(page);
	use(page->mapping);
}`,
      errors: [{ messageId: 'tailRead', line: 7 }],
    },
    {
      name: 'a pinned page handed to a function of the document that reads ->mapping',
      code: `
static bool is_file(struct page *p)
{
	return p->mapping && !PageAnon(p);
}

static int scan(unsigned long start, struct page **pages)
{
	int n = pin_user_pages(start, 8, FOLL_LONGTERM, pages);

	return n > 0 && is_file(pages[0]);
}`,
      errors: [{ messageId: 'tailPassed', line: 10, data: /is_file\(\), which reads its ->mapping at line 3/ }],
    },
    {
      name: 'single page from get_user_pages(&page); __page_rmapping()',
      code: `
static void *one(unsigned long addr)
{
	struct page *page;

	if (get_user_pages(addr, 1, 0, &page) != 1)
		return NULL;
	return __page_rmapping(page);
}`,
      errors: [{ messageId: 'tailRead', line: 7 }],
    },
  ],
});
