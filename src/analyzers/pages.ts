/**
 * Page facts: calls that produce possibly-tail pages (GUP/pin_user_pages,
 * pfn_to_page, follow_page, vm_normal_page, nth_page...) or head pages
 * (compound_head, page_folio, folio_page(f, 0), virt_to_head_page), and reads
 * of head-only struct page fields (->mapping, ->index, ...) with the provenance
 * of the page: detail.provenance is "gup", "array", "pfn_to_page", "follow_page",
 * "vm_normal_page", "nth_page", "page-arith", "folio_page", "head" or "unknown";
 * detail.mayBeTail is true, false or null (unknown).
 */
import type { Node } from 'web-tree-sitter';
import { PAGE_FIELDS_HEAD_ONLY, lookupApi, type ApiInfo } from '../kernel/apis';
import { callArgs, callName, normaliseObject } from '../c/ast';
import { argTexts, declaratorName, docLineOf, emit, objectOf, oneLine, unwrap, type Ctx } from './common';

const HEAD_ONLY = new Set(PAGE_FIELDS_HEAD_ONLY);

export function pageCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const object = objectOf(call, info.objectArg);
  if (info.role === 'page-may-be-tail' && /user_pages/.test(name) && object) ctx.fn.gupArrays.add(object);
  const detail: Record<string, string | number | boolean | null> = {};
  if (name === 'folio_page') detail.head = args[1] !== undefined ? args[1].trim() === '0' : null;
  emit(ctx, call, { kind: 'page', api: name, role: info.role, args, object, detail: Object.keys(detail).length ? detail : undefined });
}

/** Record `x = value` for provenance look-back. */
export function assignment(ctx: Ctx, node: Node): void {
  if (node.childForFieldName('operator')?.text !== '=') return;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left && right && left.type === 'identifier') ctx.fn.assigns.set(left.text, right);
}

/** Record declared types (`struct page *p`, `struct folio *folio`) and initialisers. */
export function declaration(ctx: Ctx, node: Node): void {
  const type = node.childForFieldName('type');
  if (!type) return;
  const typeName = type.type === 'struct_specifier' ? type.childForFieldName('name')?.text ?? '' : type.text;
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    const { name, pointer } = declaratorName(d);
    if (!name) continue;
    const isArray = d.type === 'array_declarator' || (d.type === 'init_declarator' && d.childForFieldName('declarator')?.type === 'array_declarator');
    ctx.fn.types.set(name, `${typeName}${'*'.repeat(pointer)}${isArray ? '[]' : ''}`);
    if (d.type === 'init_declarator') {
      const v = d.childForFieldName('value');
      if (v) ctx.fn.assigns.set(name, v);
    }
  }
}

export interface Provenance {
  provenance: string;
  mayBeTail: boolean | null;
  via: string | null;
  line: number | null;
}

const UNKNOWN: Provenance = { provenance: 'unknown', mayBeTail: null, via: null, line: null };

/** Where the page an expression denotes comes from, looking back at assignments in the function. */
export function provenanceOf(ctx: Ctx, expr: Node, depth = 0, seen: Set<string> = new Set()): Provenance {
  if (depth > 6) return UNKNOWN;
  const e = unwrap(expr);
  const here = (provenance: string, mayBeTail: boolean | null): Provenance => ({ provenance, mayBeTail, via: oneLine(e.text), line: docLineOf(ctx, e) });
  switch (e.type) {
    case 'call_expression': {
      const fn = callName(e);
      if (fn === 'READ_ONCE' || fn === 'data_race') {
        const a = callArgs(e)[0];
        return a ? provenanceOf(ctx, a, depth + 1, seen) : UNKNOWN;
      }
      const info = lookupApi(fn);
      if (info && info.role === 'page-head') {
        if (fn === 'folio_page') {
          const n = callArgs(e)[1];
          return n && n.text.trim() === '0' ? here('head', false) : here('folio_page', true);
        }
        return here('head', false);
      }
      if (info && info.role === 'page-may-be-tail') return here(fn, true);
      return here('unknown', null);
    }
    case 'subscript_expression': {
      const arr = e.childForFieldName('argument');
      const key = arr ? normaliseObject(arr.text) : '';
      if (ctx.fn.gupArrays.has(key)) return here('gup', true);
      return here('array', /pages/.test(key) ? true : null);
    }
    case 'binary_expression': {
      const op = e.childForFieldName('operator')?.text;
      const l = e.childForFieldName('left');
      if ((op === '+' || op === '-') && l && isPageLike(ctx, unwrap(l))) return here('page-arith', true);
      return UNKNOWN;
    }
    case 'pointer_expression': {
      // &folio->page is the head; &pages[i] is an element.
      const arg = e.childForFieldName('argument');
      if (e.child(0)?.type === '&' && arg) {
        if (arg.type === 'field_expression' && arg.childForFieldName('field')?.text === 'page') return here('head', false);
        if (arg.type === 'subscript_expression') return provenanceOf(ctx, arg, depth + 1, seen);
      }
      return UNKNOWN;
    }
    case 'identifier': {
      const name = e.text;
      if (seen.has(name)) return UNKNOWN;
      seen.add(name);
      const v = ctx.fn.assigns.get(name);
      if (!v) return UNKNOWN;
      return provenanceOf(ctx, v, depth + 1, seen);
    }
    default:
      return UNKNOWN;
  }
}

/** Does an expression denote a struct page (declared so, or named like one)? */
function isPageLike(ctx: Ctx, e: Node): boolean {
  switch (e.type) {
    case 'identifier': {
      const t = ctx.fn.types.get(e.text);
      if (t !== undefined) return /^page\*$/.test(t);
      return /page/i.test(e.text) && !/folio|pages$|pagevec|pgoff|vm_page/i.test(e.text) || e.text === 'head' || e.text === 'tail';
    }
    case 'subscript_expression': {
      const arr = e.childForFieldName('argument');
      if (!arr) return false;
      const key = normaliseObject(arr.text);
      if (ctx.fn.gupArrays.has(key)) return true;
      const t = arr.type === 'identifier' ? ctx.fn.types.get(arr.text) : undefined;
      if (t !== undefined) return /^page\*(\[\])?$|^page\*\*$/.test(t);
      return /pages$/.test(key);
    }
    case 'call_expression': {
      const fn = callName(e);
      const info = lookupApi(fn);
      return !!info && info.kind === 'page' && fn !== 'page_folio' && fn !== 'virt_to_folio' && fn !== 'pfn_folio';
    }
    case 'field_expression':
      return e.childForFieldName('field')?.text === 'page';
    default:
      return false;
  }
}

/** `X->mapping` / `X->index` (head-only fields) on a struct page: a read fact with the page's provenance. */
export function fieldExpression(ctx: Ctx, node: Node): void {
  if (node.childForFieldName('operator')?.text !== '->') return;
  const field = node.childForFieldName('field')?.text;
  if (!field || !HEAD_ONLY.has(field)) return;
  const arg = node.childForFieldName('argument');
  if (!arg) return;
  const base = unwrap(arg);
  if (!isPageLike(ctx, base)) return;
  // Only reads: not the left side of an assignment, not an address taken, not WRITE_ONCE's target.
  const p = node.parent;
  if (p) {
    if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === node.id) return;
    if (p.type === 'pointer_expression' && p.child(0)?.type === '&') return;
    if (p.type === 'argument_list' && p.namedChild(0)?.id === node.id) {
      const callee = p.parent?.childForFieldName('function')?.text;
      if (callee === 'WRITE_ONCE' || callee === 'set_page_private') return;
    }
  }
  const prov = provenanceOf(ctx, base);
  emit(ctx, node, {
    kind: 'page',
    api: `->${field}`,
    role: 'read',
    args: [oneLine(base.text)],
    object: normaliseObject(node.text),
    detail: { field, page: normaliseObject(base.text), provenance: prov.provenance, mayBeTail: prov.mayBeTail, via: prov.via, provenanceLine: prov.line },
  });
}
