/**
 * page-tail-mapping: `->mapping` or `->index` (or __page_rmapping()) read from
 * a `struct page *` that may be a tail page. Only the head page of a compound
 * page holds them: on the first tail page the word is compound_nr/_folio_nr_pages,
 * on the second the deferred list, elsewhere anything. Read them from the
 * folio (page_folio(page)->mapping) or from compound_head(page).
 */
import { createRule } from '../framework';
import { pageModel } from '../../device/pages';
import { loc, step } from '../../device/util';
import type { Fix } from '../../model';

type M = 'tailRead' | 'tailIndex' | 'tailPassed';

export const pageTailMapping = createRule<M>({
  meta: {
    id: 'page-tail-mapping',
    defaultSeverity: 'warning',
    category: 'page',
    fixable: 'needs-review',
    description: '->mapping/->index read from a struct page that may be a tail page (GUP, follow_page, pfn_to_page, page + i, ...).',
    messages: {
      tailRead:
        '{{page}}->{{field}} is read from a page that may be a tail page ({{origin}}): only the head page holds ->mapping, on a tail page the word is compound_nr, the deferred list or anything; read it from the folio, page_folio({{page}})->{{field}}, or from compound_head({{page}}).',
      tailIndex:
        '{{page}}->index is read from a page that may be a tail page ({{origin}}): a tail page has no index of its own; use folio->index + folio_page_idx(folio, {{page}}) (page_pgoff()) on page_folio({{page}}), or compound_head({{page}}) when the head\'s index is meant.',
      tailPassed:
        '{{page}} may be a tail page ({{origin}}) and is handed to {{callee}}(), which reads its ->{{field}} at line {{line}} without compound_head(): pass compound_head({{page}}) or the folio, or skip tail pages (PageTail()) before the call.',
    },
  },
  run(ctx, report) {
    for (const r of pageModel(ctx).reads) {
      const page = r.base.text.replace(/\s+/g, ' ');
      const origin = r.trace[0]?.message.split(':')[0] ?? 'unknown source';
      const l = loc(ctx, r.fn, r.node);
      const trace = [...r.trace];
      if (r.callee) {
        const inner = r.callee.read;
        trace.push(step(ctx, r.fn, r.node, `${page} is handed to ${r.callee.name}()`));
        trace.push(step(ctx, inner.fn, inner.node, `${r.callee.name}() reads ${inner.node.text.replace(/\s+/g, ' ')} from it`));
        report({
          messageId: 'tailPassed',
          data: { page, origin, callee: r.callee.name, field: inner.field.replace(/^__page_rmapping$/, 'mapping'), line: loc(ctx, inner.fn, inner.node).line },
          loc: l,
          function: r.fn.name,
          messageIndex: r.fn.fragment.messageIndex,
          trace,
        });
        continue;
      }
      trace.push(step(ctx, r.fn, r.node, `${r.node.text.replace(/\s+/g, ' ')} reads a field only the head page holds`));
      let fix: Fix | undefined;
      const simple = /^[A-Za-z_]\w*(\[[A-Za-z_0-9]\w*\])?$/.test(r.base.text);
      if (r.field === 'mapping' && simple && l.line === l.endLine) {
        fix = { description: `Read the mapping from the folio: page_folio(${page})->mapping`, ...l, replacement: `page_folio(${r.base.text})->mapping`, safety: 'needs-review' };
      }
      report({
        messageId: r.field === 'index' ? 'tailIndex' : 'tailRead',
        data: { page, field: r.field === '__page_rmapping' ? 'mapping' : r.field, origin },
        loc: l,
        function: r.fn.name,
        messageIndex: r.fn.fragment.messageIndex,
        trace,
        ...(fix ? { fix } : {}),
      });
    }
  },
});
