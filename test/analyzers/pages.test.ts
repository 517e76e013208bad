import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';

before(ready);

function reads(code: string) {
  return only(factsOf(code), { kind: 'page', role: 'read' }).map((x) => [x.api, x.object, x.detail?.provenance, x.detail?.mayBeTail, x.line]);
}

test('->mapping after compound_head() is a head read; a bare page parameter is unknown', () => {
  const code = [
    'struct anon_vma *anon_of(struct page *page)',
    '{',
    '\tunsigned long mapping;',
    '',
    '\tpage = compound_head(page);',
    '\tmapping = (unsigned long)page->mapping;',
    '\treturn NULL;',
    '}',
    'bool other(struct page *page)',
    '{',
    '\treturn (unsigned long)READ_ONCE(page->mapping) & 1;',
    '}',
  ].join('\n');
  const f = factsOf(code);
  assert.deepEqual(reads(code), [
    ['->mapping', 'page->mapping', 'head', false, 6],
    ['->mapping', 'page->mapping', 'unknown', null, 11],
  ]);
  assert.equal(only(f, { kind: 'page', role: 'read' })[0].detail?.provenanceLine, 5);
  assert.equal(only(f, { api: 'compound_head' })[0].role, 'page-head');
  assert.equal(only(f, { api: 'READ_ONCE' })[0].object, 'page->mapping');
});

test('provenance from GUP arrays, pfn_to_page, follow_page, vm_normal_page, nth_page, page + i, folio_page', () => {
  const code = [
    'void scan(unsigned long start, struct vm_area_struct *vma, unsigned long pfn, pte_t pte, struct folio *folio)',
    '{',
    '\tstruct page **pages = kcalloc(16, sizeof(*pages), GFP_KERNEL);',
    '\tstruct page *page, *head;',
    '\tint i, n = pin_user_pages_fast(start, 16, FOLL_WRITE, pages);',
    '\tfor (i = 0; i < n; i++) {',
    '\t\tpage = pages[i];',
    '\t\tuse(page->mapping);',
    '\t}',
    '\tpage = pfn_to_page(pfn);',
    '\tuse(page->index);',
    '\tpage = follow_page(vma, start, 0);',
    '\tuse(page->mapping);',
    '\tpage = vm_normal_page(vma, start, pte);',
    '\tuse(page->mapping);',
    '\tpage = nth_page(head, 3);',
    '\tuse(page->mapping);',
    '\tpage = head + i;',
    '\tuse(page->mapping);',
    '\tpage = folio_page(folio, 0);',
    '\tuse(page->mapping);',
    '\tpage = folio_page(folio, i);',
    '\tuse(page->mapping);',
    '\tpage = page_folio(page) ? &folio->page : NULL;',
    '\tuse(folio->mapping);',
    '}',
  ].join('\n');
  const r = reads(code);
  assert.deepEqual(r.map((x) => [x[0], x[2], x[3]]), [
    ['->mapping', 'gup', true],
    ['->index', 'pfn_to_page', true],
    ['->mapping', 'follow_page', true],
    ['->mapping', 'vm_normal_page', true],
    ['->mapping', 'nth_page', true],
    ['->mapping', 'page-arith', true],
    ['->mapping', 'head', false],
    ['->mapping', 'folio_page', true],
  ]);
  const gup = only(factsOf(code), { api: 'pin_user_pages_fast' })[0];
  assert.deepEqual([gup.role, gup.object], ['page-may-be-tail', 'pages']);
});

test('pages[i]->mapping directly and page_folio()', () => {
  const code = [
    'void d(struct page **pages, int i)',
    '{',
    '\tstruct folio *folio = page_folio(pages[i]);',
    '\tuse(pages[i]->mapping);',
    '\tuse(folio->mapping);',
    '\tuse(compound_head(pages[i])->index);',
    '}',
  ].join('\n');
  assert.deepEqual(reads(code).map((x) => [x[1], x[2]]), [['pages[i]->mapping', 'array'], ['compound_head(pages[i])->index', 'head']]);
});

test('negative: writes, address-taking and non-page ->index are not page reads', () => {
  const code = [
    'void w(struct page *page, struct xa_state *xas, struct foo *f)',
    '{',
    '\tpage->mapping = NULL;',
    '\tWRITE_ONCE(page->mapping, m);',
    '\tlist_add(&page->lru, &l);',
    '\tuse(xas->index);',
    '\tuse(f->mapping);',
    '}',
  ].join('\n');
  assert.deepEqual(reads(code), []);
});
