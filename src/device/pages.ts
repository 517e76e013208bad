/**
 * The compound page model: the provenance of every `struct page *` value a
 * function handles, and where a field that only the head page holds
 * (`->mapping`, `->index`) is read from a page that may be a tail page.
 *
 * May be tail: pages GUP / pin_user_pages fill in (the subpage at each
 * address), follow_page(), vm_normal_page() and pte_page() (a PTE-mapped THP
 * maps tail pages), pfn_to_page(), hmm_pfn_to_page(), nth_page(), `page + i`,
 * folio_page(folio, i) with i ≠ 0.
 * Head: compound_head(), virt_to_head_page(), &folio->page, folio_page(folio, 0),
 * and a page after a PageTail()/PageCompound() guard, inside a PageHead() test,
 * or after VM_BUG_ON_PAGE(PageTail(page), page). Folio reads are always fine.
 *
 * The walk is flow-sensitive over the statements of one function (branches are
 * merged: "may be tail" wins), guards narrow the state, and a page handed to a
 * function of the document that reads its parameter's ->mapping is reported at
 * the call.
 */
import type { Node } from 'web-tree-sitter';
import type { TraceStep } from '../model';
import type { CFunction, DocumentContext } from '../rules/framework';
import { declaredName, normaliseObject, walk } from '../c/ast';
import { lookupApi } from '../kernel/apis';
import { callArgs, callName, functionsByName, parameters, step, unwrap } from './util';

export type PageState = { kind: 'tail'; trace: TraceStep[]; param?: number } | { kind: 'head'; why: string };
type Env = Map<string, PageState>;

export interface TailRead {
  fn: CFunction;
  /** The field_expression (or the __page_rmapping() call, or the call handing the page on). */
  node: Node;
  /** "mapping", "index", "__page_rmapping" or the callee's name for a hand-off. */
  field: string;
  /** The page expression as written. */
  base: Node;
  trace: TraceStep[];
  /** For a hand-off: the read in the callee. */
  callee?: { name: string; read: TailRead };
  /** When the page comes from the function's parameter (summary runs only). */
  param?: number;
}

const SINK_FIELDS = new Set(['mapping', 'index']);
const RAW_MAPPING_READERS = new Set(['__page_rmapping']);

const TAIL_SOURCES: Record<string, string> = {
  pfn_to_page: 'pfn_to_page() maps any pfn, a tail page of a compound page included',
  follow_page: 'follow_page() returns the subpage mapped at the address: a tail page when a THP maps it',
  follow_page_mask: 'follow_page_mask() returns the subpage mapped at the address: a tail page when a THP maps it',
  vm_normal_page: 'vm_normal_page() returns the page a PTE maps: on a PTE-mapped THP that is a tail page',
  pte_page: 'pte_page() returns the page a PTE maps: on a PTE-mapped THP that is a tail page',
  hmm_pfn_to_page: 'hmm_pfn_to_page(): hmm_range_fault() reports the subpage at each address, a tail page inside a THP',
  get_user_page_vma_remote: 'get_user_page_vma_remote() returns the subpage at the address: a tail page inside a THP',
};
const HEAD_SOURCES: Record<string, string> = {
  compound_head: 'compound_head() returns the head page',
  virt_to_head_page: 'virt_to_head_page() returns the head page',
  folio_page_head: 'folio_page(folio, 0) is the head page',
};
/** GUP-style fillers: every page they store is the subpage at its address. */
const GUP_FILLERS = new Set([
  'get_user_pages', 'get_user_pages_fast', 'get_user_pages_fast_only', 'get_user_pages_remote', 'get_user_pages_unlocked', 'get_user_pages_locked',
  '__get_user_pages', '__get_user_pages_locked', '__gup_longterm_locked', 'get_user_pages_longterm',
  'pin_user_pages', 'pin_user_pages_fast', 'pin_user_pages_fast_only', 'pin_user_pages_remote', 'pin_user_pages_unlocked', 'pin_user_pages_locked',
  'iov_iter_get_pages2', 'iov_iter_get_pages_alloc2', 'iov_iter_extract_pages', 'make_device_exclusive_range',
]);
/** Tests that return their argument's truth (guards see through them). */
const TRANSPARENT = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'READ_ONCE']);
/** Assertions: after `ASSERT(cond, ...)` the condition is false. */
const ASSERT_FALSE = new Set(['VM_BUG_ON_PAGE', 'VM_BUG_ON', 'BUG_ON', 'VM_WARN_ON_ONCE_PAGE', 'VM_BUG_ON_FOLIO']);

/** Names that count pages rather than hold them. */
const COUNT_NAME = /^(n|nr|num|max|total|got|pinned)_?pages?$|^npinned$/i;

const key = (name: string) => `v:${name}`;
const arrKey = (name: string) => `a:${name}`;

function clone(env: Env): Env {
  return new Map(env);
}

function replaceEnv(env: Env, from: Env): void {
  env.clear();
  for (const [k, v] of from) env.set(k, v);
}

function merge(a: Env, b: Env): Env {
  const out: Env = new Map();
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (x?.kind === 'tail') out.set(k, x);
    else if (y?.kind === 'tail') out.set(k, y);
    else if (x?.kind === 'head' && y?.kind === 'head') out.set(k, x);
  }
  return out;
}

interface Guards {
  t: Map<string, PageState>;
  f: Map<string, PageState>;
}

function applyGuard(env: Env, g: Map<string, PageState>): void {
  for (const [k, v] of g) if (env.has(k) || v.kind === 'head') env.set(k, v);
}

function opOf(n: Node): string {
  return n.childForFieldName('operator')?.text ?? '';
}

export class PageAnalysis {
  reads: TailRead[] = [];
  private readonly byName: Map<string, CFunction>;
  /** Identifiers declared `struct page *` in the function (parameters and locals). */
  private readonly pagePointers = new Set<string>();
  constructor(
    private readonly ctx: DocumentContext,
    private readonly fn: CFunction,
    private readonly summaries: (fn: CFunction) => TailRead[],
    seedParams: boolean,
  ) {
    this.byName = functionsByName(ctx);
    walk(fn.def, (n) => {
      if (n.type !== 'parameter_declaration' && n.type !== 'declaration') return;
      const t = n.childForFieldName('type');
      if (t?.type !== 'struct_specifier' || t.childForFieldName('name')?.text !== 'page') return n.type === 'declaration' ? false : undefined;
      for (const d of n.namedChildren) {
        if (!d || d === t) continue;
        let x: Node | null = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
        if (x?.type !== 'pointer_declarator') continue;
        x = x.childForFieldName('declarator');
        if (x?.type === 'identifier') this.pagePointers.add(x.text);
      }
      return false;
    });
    const env: Env = new Map();
    if (seedParams) {
      parameters(fn).forEach((p, i) => {
        if (/\bstruct\s+page\s*\*\s*[A-Za-z_]/.test(p.type.replace(/\bconst\b/g, ''))) env.set(key(p.name), { kind: 'tail', trace: [], param: i });
      });
    }
    this.stmt(fn.body, env);
  }

  private tailStep(node: Node, message: string, state: string): TraceStep {
    return step(this.ctx, this.fn, node, message, state);
  }

  /** Provenance of an expression, or undefined when it is not a page mmlens tracks. */
  prov(n0: Node, env: Env): PageState | undefined {
    const n = unwrap(n0);
    switch (n.type) {
      case 'identifier':
        return env.get(key(n.text));
      case 'call_expression': {
        const name = callName(n);
        const args = callArgs(n);
        if (TRANSPARENT.has(name) && args.length === 1) return this.prov(args[0], env);
        if (name in TAIL_SOURCES) return { kind: 'tail', trace: [this.tailStep(n, TAIL_SOURCES[name], `${n.text.replace(/\s+/g, ' ')}: may be a tail page`)] };
        if (name in HEAD_SOURCES) return { kind: 'head', why: HEAD_SOURCES[name] };
        if (name === 'folio_page' && args.length === 2) {
          if (/^0+[uUlL]*$/.test(args[1].text.trim())) return { kind: 'head', why: HEAD_SOURCES.folio_page_head };
          return { kind: 'tail', trace: [this.tailStep(n, `folio_page(folio, ${args[1].text}) is a subpage of the folio: a tail page unless the index is 0`, 'may be a tail page')] };
        }
        if (name === 'nth_page' && args.length === 2) {
          if (/^0+$/.test(args[1].text.trim())) return this.prov(args[0], env);
          const base = this.prov(args[0], env);
          return { kind: 'tail', trace: [...(base?.kind === 'tail' ? base.trace : []), this.tailStep(n, `nth_page(${args[0].text}, ${args[1].text}) steps into the compound page: a tail page`, 'may be a tail page')] };
        }
        return undefined;
      }
      case 'subscript_expression': {
        const arr = n.childForFieldName('argument');
        if (!arr) return undefined;
        const st = env.get(arrKey(normaliseObject(arr.text)));
        if (st?.kind === 'tail') return { kind: 'tail', trace: [...st.trace, this.tailStep(n, `${n.text} is one of those pages`, `${n.text}: may be a tail page`)], param: st.param };
        return undefined;
      }
      case 'binary_expression': {
        const op = opOf(n);
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if ((op !== '+' && op !== '-') || !l || !r) return undefined;
        const ul = unwrap(l);
        const base = this.prov(l, env) ?? (ul.type === 'identifier' && this.pagePointers.has(ul.text) ? ({ kind: 'head', why: 'unknown' } as PageState) : undefined);
        if (!base) return undefined;
        if (/^0+$/.test(r.text.trim())) return base.kind === 'head' && base.why === 'unknown' ? undefined : base;
        return { kind: 'tail', trace: [...(base.kind === 'tail' ? base.trace : []), this.tailStep(n, `${n.text.replace(/\s+/g, ' ')} steps into the compound page: a tail page`, 'may be a tail page')], param: base.kind === 'tail' ? base.param : undefined };
      }
      case 'pointer_expression': {
        const arg = n.childForFieldName('argument');
        if (opOf(n) !== '&' || !arg) return undefined;
        if (arg.type === 'field_expression' && arg.childForFieldName('field')?.text === 'page') return { kind: 'head', why: '&folio->page is the head page' };
        return undefined;
      }
      case 'conditional_expression': {
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        const pa = a ? this.prov(a, env) : undefined;
        const pb = b ? this.prov(b, env) : undefined;
        if (pa?.kind === 'tail') return pa;
        if (pb?.kind === 'tail') return pb;
        return pa?.kind === 'head' && pb?.kind === 'head' ? pa : undefined;
      }
      case 'assignment_expression': {
        const r = n.childForFieldName('right');
        return r ? this.prov(r, env) : undefined;
      }
      default:
        return undefined;
    }
  }

  private guards(c0: Node, env: Env): Guards {
    const c = unwrap(c0);
    const none: Guards = { t: new Map(), f: new Map() };
    if (c.type === 'unary_expression' && opOf(c) === '!') {
      const a = c.childForFieldName('argument');
      if (!a) return none;
      const g = this.guards(a, env);
      return { t: g.f, f: g.t };
    }
    if (c.type === 'binary_expression') {
      const op = opOf(c);
      const l = c.childForFieldName('left');
      const r = c.childForFieldName('right');
      if (!l || !r) return none;
      if (op === '&&') {
        const gl = this.guards(l, env);
        const gr = this.guards(r, env);
        return { t: new Map([...gl.t, ...gr.t]), f: new Map() };
      }
      if (op === '||') {
        const gl = this.guards(l, env);
        const gr = this.guards(r, env);
        return { t: new Map(), f: new Map([...gl.f, ...gr.f]) };
      }
      if (op === '==' || op === '!=') {
        // compound_head(p) == p
        const pair = [unwrap(l), unwrap(r)];
        for (const [a, b] of [pair, [pair[1], pair[0]]]) {
          if (a.type === 'call_expression' && callName(a) === 'compound_head' && b.type === 'identifier') {
            const arg = callArgs(a)[0];
            if (arg && unwrap(arg).text === b.text) {
              const m = new Map<string, PageState>([[key(b.text), { kind: 'head', why: `${c.text} holds: the page is its own head` }]]);
              return op === '==' ? { t: m, f: new Map() } : { t: new Map(), f: m };
            }
          }
        }
      }
      return none;
    }
    if (c.type === 'call_expression') {
      const name = callName(c);
      const args = callArgs(c);
      if (TRANSPARENT.has(name) && args.length === 1) return this.guards(args[0], env);
      const a = args[0] ? unwrap(args[0]) : null;
      if (!a || a.type !== 'identifier') return none;
      const k = key(a.text);
      const head = (why: string) => new Map<string, PageState>([[k, { kind: 'head', why }]]);
      if (name === 'PageTail') return { t: new Map(), f: head(`${a.text} is not a tail page (PageTail() is false)`) };
      if (name === 'PageHead' || name === 'PageTransHuge') return { t: head(`${name}(${a.text}) is true: a head page`), f: new Map() };
      if (name === 'PageCompound' || name === 'PageTransCompound') return { t: new Map(), f: head(`${name}(${a.text}) is false: not part of a compound page`) };
    }
    return none;
  }

  /** A statement; returns true when it never falls through (return, goto, break, continue). */
  private stmt(n: Node, env: Env): boolean {
    switch (n.type) {
      case 'compound_statement': {
        let exited = false;
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'labeled_statement') exited = false;
          if (this.stmt(c, env)) exited = true;
        }
        return exited;
      }
      case 'declaration':
        for (const d of n.namedChildren) {
          if (!d || d.type !== 'init_declarator') continue;
          const value = d.childForFieldName('value');
          const name = declaredName(d.childForFieldName('declarator'));
          if (!value || !name) continue;
          this.expr(value, env);
          this.assign(name, value, env);
        }
        return false;
      case 'expression_statement': {
        const e = n.namedChildren[0];
        if (e) {
          this.expr(e, env);
          const u = unwrap(e);
          if (u.type === 'call_expression' && ASSERT_FALSE.has(callName(u))) {
            const a = callArgs(u)[0];
            if (a) applyGuard(env, this.guards(a, env).f);
          }
        }
        return false;
      }
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        const cons = n.childForFieldName('consequence');
        let alt = n.childForFieldName('alternative');
        if (alt?.type === 'else_clause') alt = alt.namedChildren.find((x): x is Node => !!x) ?? null;
        if (cond) this.expr(cond, env);
        const g = cond ? this.guards(cond, env) : { t: new Map(), f: new Map() };
        const envT = clone(env);
        applyGuard(envT, g.t);
        const envF = clone(env);
        applyGuard(envF, g.f);
        const exitT = cons ? this.stmt(cons, envT) : false;
        const exitF = alt ? this.stmt(alt, envF) : false;
        if (exitT && exitF) {
          replaceEnv(env, merge(envT, envF));
          return true;
        }
        replaceEnv(env, exitT ? envF : exitF ? envT : merge(envT, envF));
        return false;
      }
      case 'for_statement':
      case 'while_statement':
      case 'do_statement':
      case 'switch_statement': {
        for (const f of ['initializer', 'condition', 'update']) {
          const x = n.childForFieldName(f);
          if (x && n.type !== 'do_statement') {
            if (x.type === 'declaration') this.stmt(x, env);
            else this.expr(x, env);
          }
        }
        const body = n.childForFieldName('body');
        if (body) {
          const inner = clone(env);
          this.stmt(body, inner);
          replaceEnv(env, n.type === 'do_statement' ? inner : merge(env, inner));
        }
        if (n.type === 'do_statement') {
          const c = n.childForFieldName('condition');
          if (c) this.expr(c, env);
        }
        return false;
      }
      case 'labeled_statement':
      case 'case_statement': {
        let exited = false;
        for (const c of n.namedChildren) {
          if (!c || c.type === 'statement_identifier') continue;
          if (c.type.endsWith('_statement') || c.type === 'declaration') {
            if (this.stmt(c, env)) exited = true;
          } else if (n.type === 'case_statement' && c === n.childForFieldName('value')) continue;
          else this.expr(c, env);
        }
        return exited;
      }
      case 'return_statement': {
        const e = n.namedChildren[0];
        if (e) this.expr(e, env);
        return true;
      }
      case 'goto_statement':
      case 'break_statement':
      case 'continue_statement':
        return true;
      case 'comment':
        return false;
      default: {
        // Preprocessor blocks inside bodies, ERROR nodes: read their children as statements.
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type.endsWith('_statement') || c.type === 'declaration' || c.type.startsWith('preproc_') || c.type === 'ERROR') this.stmt(c, env);
          else if (c.type.endsWith('_expression')) this.expr(c, env);
        }
        return false;
      }
    }
  }

  private assign(name: string, value: Node, env: Env): void {
    const p = this.prov(value, env);
    if (p) {
      if (p.kind === 'tail') {
        const s = step(this.ctx, this.fn, value, `${name} = ${value.text.replace(/\s+/g, ' ')}`, `${name}: may be a tail page`);
        const last = p.trace[p.trace.length - 1];
        env.set(key(name), { ...p, trace: last && last.line === s.line ? p.trace : [...p.trace, s] });
      } else env.set(key(name), p);
    } else env.delete(key(name));
  }

  /** Evaluate an expression: report head-only reads of may-be-tail pages, then apply its effects. */
  private expr(n: Node, env: Env): void {
    switch (n.type) {
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (r) this.expr(r, env);
        if (l && l.type === 'field_expression') {
          const a = l.childForFieldName('argument');
          if (a) this.expr(a, env);
        } else if (l && l.type !== 'identifier') this.expr(l, env);
        if (l?.type === 'identifier' && r && opOf(n) === '=') this.assign(l.text, r, env);
        return;
      }
      case 'field_expression': {
        const a = n.childForFieldName('argument');
        const field = n.childForFieldName('field')?.text ?? '';
        if (a) this.expr(a, env);
        if (a && opOf(n) === '->' && SINK_FIELDS.has(field)) {
          const p = this.prov(a, env);
          if (p?.kind === 'tail') this.reads.push({ fn: this.fn, node: n, field, base: a, trace: p.trace, param: p.param });
        }
        return;
      }
      case 'call_expression': {
        const name = callName(n);
        const args = callArgs(n);
        for (const a of args) this.expr(a, env);
        if (RAW_MAPPING_READERS.has(name) && args[0]) {
          const p = this.prov(args[0], env);
          if (p?.kind === 'tail') this.reads.push({ fn: this.fn, node: n, field: name, base: args[0], trace: p.trace, param: p.param });
        }
        if (GUP_FILLERS.has(name)) this.gupFill(n, name, args, env);
        const callee = this.byName.get(name);
        if (callee && callee !== this.fn) {
          const sums = this.summaries(callee);
          for (const s of sums) {
            if (s.param === undefined || !args[s.param]) continue;
            const p = this.prov(args[s.param], env);
            if (p?.kind === 'tail') this.reads.push({ fn: this.fn, node: n, field: name, base: args[s.param], trace: p.trace, param: p.param, callee: { name, read: s } });
          }
        }
        return;
      }
      case 'binary_expression': {
        const op = opOf(n);
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (l) this.expr(l, env);
        if (r && l && (op === '&&' || op === '||')) {
          const g = this.guards(l, env);
          const inner = clone(env);
          applyGuard(inner, op === '&&' ? g.t : g.f);
          this.expr(r, inner);
        } else if (r) this.expr(r, env);
        return;
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition');
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        if (c) this.expr(c, env);
        const g = c ? this.guards(c, env) : { t: new Map(), f: new Map() };
        if (a) {
          const e = clone(env);
          applyGuard(e, g.t);
          this.expr(a, e);
        }
        if (b) {
          const e = clone(env);
          applyGuard(e, g.f);
          this.expr(b, e);
        }
        return;
      }
      default:
        for (const c of n.namedChildren) if (c) this.expr(c, env);
    }
  }

  private gupFill(call: Node, name: string, args: Node[], env: Env): void {
    const msg = `${name}() stores the subpage at each address: a tail page wherever a THP maps the range`;
    const api = lookupApi(name);
    const preferred = api && api.kind === 'page' && api.objectArg !== undefined ? api.objectArg : -1;
    const order = [preferred, ...args.map((_, i) => i).filter((i) => i !== preferred && i > 0)].filter((i) => i >= 0 && i < args.length);
    for (const i of order) {
      const a = unwrap(args[i]);
      if (a.type === 'pointer_expression' && opOf(a) === '&') {
        const v = a.childForFieldName('argument');
        // &page: one page; &pages[i]: one slot of an array.
        if (v?.type === 'identifier' && /page/i.test(v.text) && !COUNT_NAME.test(v.text)) {
          env.set(key(v.text), { kind: 'tail', trace: [step(this.ctx, this.fn, call, msg, `${v.text}: may be a tail page`)] });
          return;
        }
        if (v?.type === 'subscript_expression') {
          const arr = v.childForFieldName('argument');
          if (arr) {
            const t = normaliseObject(arr.text);
            env.set(arrKey(t), { kind: 'tail', trace: [step(this.ctx, this.fn, call, msg, `${t}[]: may hold tail pages`)] });
            return;
          }
        }
        continue;
      }
      let target: Node | null = a;
      if (a.type === 'binary_expression' && opOf(a) === '+') target = a.childForFieldName('left');
      if (!target || (target.type !== 'identifier' && target.type !== 'field_expression')) continue;
      const t = normaliseObject(target.text);
      const last = t.split(/->|\./).pop() ?? t;
      if (COUNT_NAME.test(last)) continue;
      if (i === preferred || /pages$/i.test(last) || /^(pvec|pagevec|page_list|plist)$/.test(last)) {
        env.set(arrKey(t), { kind: 'tail', trace: [step(this.ctx, this.fn, call, msg, `${t}[]: may hold tail pages`)] });
        return;
      }
    }
  }
}

export interface PageModel {
  reads: TailRead[];
}

/** Head-only reads of may-be-tail pages in every function of the document. */
export function pageModel(ctx: DocumentContext): PageModel {
  return ctx.memo('device:pageModel', () => {
    const summaries = new Map<CFunction, TailRead[]>();
    const onStack = new Set<CFunction>();
    const summaryOf = (fn: CFunction): TailRead[] => {
      const s = summaries.get(fn);
      if (s) return s;
      if (onStack.has(fn) || onStack.size > 3) return [];
      onStack.add(fn);
      const a = new PageAnalysis(ctx, fn, summaryOf, true);
      onStack.delete(fn);
      const out = a.reads.filter((r) => r.param !== undefined);
      summaries.set(fn, out);
      return out;
    };
    const reads: TailRead[] = [];
    for (const fn of ctx.functions) {
      const a = new PageAnalysis(ctx, fn, summaryOf, false);
      reads.push(...a.reads.filter((r) => r.param === undefined));
    }
    return { reads };
  });
}
