/**
 * The notifier owner model: who an invalidation comes from and whether the
 * driver that started an operation can recognise its own.
 *
 * - A range carries the event and owner given to mmu_notifier_range_init()
 *   (no owner) or mmu_notifier_range_init_owner().
 * - A function that inits a range with an owner and an owner-meaning event
 *   (MMU_NOTIFY_EXCLUSIVE, MMU_NOTIFY_MIGRATE) is part of an owner-carrying
 *   operation: its caller's read side (mmu_interval_read_begin … retry) is
 *   open around it, and only invalidations carrying that owner are filtered.
 * - A retry section is mmu_interval_read_begin(sub) … mmu_interval_read_retry(sub, seq)
 *   in one function; every invalidation inside it that the driver's .invalidate
 *   does not filter forces a retry.
 * - Owner-less invalidators (src/device/invalidators.ts) fire invalidations the
 *   driver cannot filter; a function of the document that calls one (directly,
 *   or through functions of the document, up to a few calls deep) is one too.
 * - .invalidate callbacks of mmu_interval_notifier_ops (and .invalidate_range_start
 *   of mmu_notifier_ops) are analysed for whether they compare range->owner
 *   before they bump the sequence with mmu_interval_set_seq().
 */
import type { Node } from 'web-tree-sitter';
import { documentLines, type CFunction, type DocumentContext } from '../rules/framework';
import { normaliseObject, walk } from '../c/ast';
import { OWNER_OPERATIONS } from '../kernel/apis';
import { lookupOwnerlessInvalidator, OWNER_EVENTS, type OwnerlessInvalidator } from './invalidators';
import { callArgs, callName, callsIn, functionsByName, parameters } from './util';

export interface RangeInit {
  call: Node;
  api: string;
  /** Range object (`&range` → "range"). */
  object: string;
  event: string | null;
  /** Owner expression as written; null for mmu_notifier_range_init or a NULL owner. */
  owner: string | null;
  /** Where the owner was set through the range's field after the init (`range.owner = x`). */
  ownerAssigned?: Node;
}

/** Range fields that carry the owner: `owner`, and `migrate_pgmap_owner` of the 2020 kernels. */
export const RANGE_OWNER_FIELDS = new Set(['owner', 'migrate_pgmap_owner']);

/** `obj.owner = x` / `obj->migrate_pgmap_owner = x` assignments under a node. */
export function ownerAssignments(root: Node): { node: Node; object: string; field: string; value: string; valueNode: Node }[] {
  const out: { node: Node; object: string; field: string; value: string; valueNode: Node }[] = [];
  walk(root, (n) => {
    if (n.type !== 'assignment_expression' || n.childForFieldName('operator')?.text !== '=') return;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r || l.type !== 'field_expression') return;
    const field = l.childForFieldName('field')?.text ?? '';
    const arg = l.childForFieldName('argument');
    if (!RANGE_OWNER_FIELDS.has(field) || !arg) return;
    out.push({ node: n, object: normaliseObject(arg.text), field, value: r.text.replace(/\s+/g, ' ').trim(), valueNode: r });
  });
  return out;
}

export interface RetrySection {
  begin: Node;
  /** The retry call closing the section; null when the fragment ends first. */
  retry: Node | null;
  object: string;
  start: number;
  end: number;
}

/** One hop of how an owner-less invalidation is reached from a call in the function. */
export interface Hop {
  fn: CFunction;
  call: Node;
  name: string;
}

export interface OwnerlessCall {
  /** The call in the analysed function (an invalidator, or a function of the document that reaches one). */
  call: Node;
  name: string;
  info: OwnerlessInvalidator;
  /** Name of the invalidator at the end of the chain. */
  invalidator: string;
  /** Calls inside other functions of the document that lead to the invalidator (outermost first). */
  via: Hop[];
}

export interface FunctionNotifierModel {
  fn: CFunction;
  inits: RangeInit[];
  /** The first range init with an owner and an owner-meaning event: the function is part of an owner-carrying operation. */
  ownerInit: RangeInit | null;
  sections: RetrySection[];
  ownerless: OwnerlessCall[];
}

const RANGE_INIT = new Set(['mmu_notifier_range_init', 'mmu_notifier_range_init_owner', 'mmu_notifier_range_init_migrate']);
const RANGE_START = new Set(['mmu_notifier_invalidate_range_start', 'mmu_notifier_invalidate_range_start_nonblock']);
const READ_BEGIN = new Set(['mmu_interval_read_begin']);
const READ_RETRY = new Set(['mmu_interval_read_retry', 'mmu_interval_check_retry']);
const MAX_DEPTH = 3;

export function isNullOwner(text: string): boolean {
  return /^\(?\s*(NULL|0|\(void\s*\*\)\s*0)\s*\)?$/.test(text.trim());
}

export function rangeInitOf(call: Node): RangeInit | null {
  const api = callName(call);
  if (!RANGE_INIT.has(api)) return null;
  const args = callArgs(call);
  if (args.length < 2) return null;
  const withOwner = api !== 'mmu_notifier_range_init';
  const ownerText = withOwner && args.length >= 3 ? args[args.length - 1].text : null;
  return {
    call,
    api,
    object: normaliseObject(args[0].text),
    event: args[1].text.trim() || null,
    owner: ownerText !== null && !isNullOwner(ownerText) ? ownerText.replace(/\s+/g, ' ').trim() : null,
  };
}

function sectionsOf(fn: CFunction, calls: Node[]): RetrySection[] {
  const out: RetrySection[] = [];
  for (const b of calls) {
    if (!READ_BEGIN.has(callName(b))) continue;
    const a = callArgs(b);
    const object = a.length ? normaliseObject(a[0].text) : '';
    let retry: Node | null = null;
    for (const r of calls) {
      if (r.startIndex <= b.startIndex || !READ_RETRY.has(callName(r))) continue;
      const ra = callArgs(r);
      if (ra.length && normaliseObject(ra[0].text) !== object) continue;
      retry = r;
    }
    if (retry) out.push({ begin: b, retry, object, start: b.startIndex, end: retry.endIndex });
    else if (fn.partial) out.push({ begin: b, retry: null, object, start: b.startIndex, end: fn.body.endIndex });
  }
  return out;
}

/** Direct owner-less invalidations of one function (calls of the table, range starts on owner-less ranges). */
function directOwnerless(calls: Node[], inits: RangeInit[]): { call: Node; name: string; info: OwnerlessInvalidator }[] {
  const out: { call: Node; name: string; info: OwnerlessInvalidator }[] = [];
  for (const c of calls) {
    const name = callName(c);
    const info = lookupOwnerlessInvalidator(name);
    if (info) {
      out.push({ call: c, name, info });
      continue;
    }
    if (RANGE_START.has(name)) {
      const a = callArgs(c);
      if (!a.length) continue;
      const obj = normaliseObject(a[0].text);
      // The last init of this object before the start.
      const init = inits.filter((i) => i.object === obj && i.call.startIndex < c.startIndex).pop();
      // A plain init with an owner-meaning event is notifier-missing-owner's finding (its fix makes the range carry the owner).
      if (init && init.owner === null && !(init.api === 'mmu_notifier_range_init' && init.event !== null && OWNER_EVENTS.has(init.event))) out.push({ call: c, name, info: { event: init.event ?? 'an event', note: `${name}() on a range inited by ${init.api}() without an owner` } });
    }
  }
  return out;
}

interface FunctionCalls {
  /** Every call of the body, in source order. */
  calls: Node[];
  inits: RangeInit[];
  direct: ReturnType<typeof directOwnerless>;
}

/** The calls, range inits and direct owner-less invalidations of a function, collected once per document. */
function callsOf(ctx: DocumentContext, fn: CFunction): FunctionCalls {
  const byFn = ctx.memo('device:functionCalls', () => new Map<CFunction, FunctionCalls>());
  let b = byFn.get(fn);
  if (!b) {
    const calls = callsIn(fn.body);
    const inits = calls.map(rangeInitOf).filter((x): x is RangeInit => x !== null);
    // The older way: `range.owner = x;` / `range.migrate_pgmap_owner = x;` after mmu_notifier_range_init().
    for (const as of ownerAssignments(fn.body)) {
      const init = inits.filter((i) => i.object === as.object && i.call.startIndex < as.node.startIndex).pop();
      if (init && init.owner === null && !isNullOwner(as.value)) {
        init.owner = as.value;
        init.ownerAssigned = as.node;
      }
    }
    b = { calls, inits, direct: directOwnerless(calls, inits) };
    byFn.set(fn, b);
  }
  return b;
}

/** The range inits of a function, in source order. */
export function rangeInits(ctx: DocumentContext, fn: CFunction): RangeInit[] {
  return callsOf(ctx, fn).inits;
}

export interface NotifierModel {
  functions: Map<CFunction, FunctionNotifierModel>;
  of(fn: CFunction): FunctionNotifierModel;
}

export function notifierModel(ctx: DocumentContext): NotifierModel {
  return ctx.memo('device:notifierModel', () => build(ctx));
}

function build(ctx: DocumentContext): NotifierModel {
  const byName = functionsByName(ctx);
  const baseOf = (fn: CFunction) => callsOf(ctx, fn);
  // Transitive: does a function of the document reach an owner-less invalidation? (first chain found)
  const reach = new Map<CFunction, { hops: Hop[]; invalidator: string; info: OwnerlessInvalidator } | null>();
  const reachOf = (fn: CFunction, depth: number, onStack: Set<CFunction>): { hops: Hop[]; invalidator: string; info: OwnerlessInvalidator } | null => {
    if (reach.has(fn)) return reach.get(fn)!;
    if (depth > MAX_DEPTH || onStack.has(fn)) return null;
    onStack.add(fn);
    const b = baseOf(fn);
    let found: { hops: Hop[]; invalidator: string; info: OwnerlessInvalidator } | null = null;
    if (b.direct.length) {
      const d = b.direct[0];
      found = { hops: [{ fn, call: d.call, name: d.name }], invalidator: d.name, info: d.info };
    } else {
      for (const c of b.calls) {
        const callee = byName.get(callName(c));
        if (!callee || callee === fn) continue;
        const r = reachOf(callee, depth + 1, onStack);
        if (r) {
          found = { hops: [{ fn, call: c, name: callName(c) }, ...r.hops], invalidator: r.invalidator, info: r.info };
          break;
        }
      }
    }
    onStack.delete(fn);
    reach.set(fn, found);
    return found;
  };

  const functions = new Map<CFunction, FunctionNotifierModel>();
  const of = (fn: CFunction): FunctionNotifierModel => {
    let m = functions.get(fn);
    if (m) return m;
    const b = baseOf(fn);
    // Only an operation that runs inside the driver's read section counts (the API table says which; by default the exclusive conversion).
    const op = OWNER_OPERATIONS[fn.name];
    const inside = (i: RangeInit) => (op ? op.insideDriverSection : i.event === 'MMU_NOTIFY_EXCLUSIVE');
    const ownerInit = b.inits.find((i) => i.owner !== null && i.event !== null && OWNER_EVENTS.has(i.event) && inside(i)) ?? null;
    const ownerless: OwnerlessCall[] = b.direct.map((d) => ({ call: d.call, name: d.name, info: d.info, invalidator: d.name, via: [] }));
    for (const c of b.calls) {
      const name = callName(c);
      if (lookupOwnerlessInvalidator(name)) continue;
      const callee = byName.get(name);
      if (!callee || callee === fn) continue;
      const r = reachOf(callee, 1, new Set([fn]));
      if (r) ownerless.push({ call: c, name, info: r.info, invalidator: r.invalidator, via: r.hops });
    }
    ownerless.sort((a, c) => a.call.startIndex - c.call.startIndex);
    m = { fn, inits: b.inits, ownerInit, sections: sectionsOf(fn, b.calls), ownerless };
    functions.set(fn, m);
    return m;
  };
  for (const fn of ctx.functions) of(fn);
  return { functions, of };
}

// ---------------------------------------------------------------- callbacks

export interface NotifierCallback {
  /** `struct mmu_interval_notifier_ops` or `struct mmu_notifier_ops`. */
  opsType: string;
  opsName: string;
  field: string;
  callbackName: string;
  /** The designator's value node (the callback's name in the ops table). */
  valueNode: Node;
  fn: CFunction | null;
}

export interface CallbackVerdict {
  /** Name of the range parameter. */
  rangeParam: string | null;
  /** First read of range->owner (in the callback or a helper it passes the range to); null when none. */
  ownerRead: { fn: CFunction; node: Node } | null;
  /** First mmu_interval_set_seq() call. */
  setSeq: Node | null;
  /** The range is handed to a function mmlens cannot see: the filter may be there. */
  unknownHelper: string | null;
  /** The callback compares range->event too. */
  eventRead: boolean;
}

const OPS_FIELDS: Record<string, string[]> = {
  mmu_interval_notifier_ops: ['invalidate'],
  mmu_notifier_ops: ['invalidate_range_start'],
};
/** Functions that take the range and certainly do not filter by owner. */
const NO_FILTER_HELPERS = new Set(['mmu_notifier_range_blockable', 'mmu_interval_set_seq', 'trace_mmu_notifier_range', 'pr_debug', 'pr_info', 'WARN_ON', 'WARN_ON_ONCE']);

export function notifierCallbacks(ctx: DocumentContext): NotifierCallback[] {
  return ctx.memo('device:notifierCallbacks', () => {
    const byName = functionsByName(ctx);
    const out: NotifierCallback[] = [];
    for (const pf of ctx.fragments) {
      walk(pf.tree.rootNode, (n) => {
        if (n.type === 'function_definition') return false;
        if (n.type !== 'declaration') return;
        const type = n.childForFieldName('type');
        const typeName = type?.type === 'struct_specifier' ? type.childForFieldName('name')?.text ?? '' : '';
        const fields = OPS_FIELDS[typeName];
        if (!fields) return false;
        for (const d of n.namedChildren) {
          if (!d || d.type !== 'init_declarator') continue;
          const value = d.childForFieldName('value');
          if (!value || value.type !== 'initializer_list') continue;
          const opsName = d.childForFieldName('declarator')?.text ?? '(ops)';
          for (const p of value.namedChildren) {
            if (!p || p.type !== 'initializer_pair') continue;
            const des = p.childForFieldName('designator');
            const v = p.childForFieldName('value');
            const field = des?.namedChildren[0]?.text ?? des?.text.replace(/^\./, '') ?? '';
            if (!v || !fields.includes(field) || v.type !== 'identifier') continue;
            out.push({ opsType: `struct ${typeName}`, opsName, field, callbackName: v.text, valueNode: v, fn: byName.get(v.text) ?? null });
          }
        }
        return false;
      });
    }
    return out;
  });
}

function rangeParamOf(fn: CFunction): string | null {
  const p = parameters(fn).find((x) => /\bmmu_notifier_range\b/.test(x.type));
  return p ? p.name : null;
}

/** Does the callback (or a helper of the document it hands the range to) read range->owner, and where? */
export function analyseCallback(ctx: DocumentContext, fn: CFunction): CallbackVerdict {
  const byName = functionsByName(ctx);
  const rangeParam = rangeParamOf(fn);
  const setSeq = callsOf(ctx, fn).calls.find((c) => callName(c) === 'mmu_interval_set_seq') ?? null;
  const verdict: CallbackVerdict = { rangeParam, ownerRead: null, setSeq, unknownHelper: null, eventRead: false };
  if (!rangeParam) return verdict;
  const visit = (f: CFunction, rangeName: string, depth: number, anchor: Node | null): void => {
    walk(f.body, (n) => {
      if (verdict.ownerRead) return false;
      if (n.type === 'field_expression' && n.childForFieldName('operator')?.text === '->') {
        const arg = n.childForFieldName('argument');
        const field = n.childForFieldName('field')?.text;
        if (arg?.type === 'identifier' && arg.text === rangeName) {
          if (field === 'owner') verdict.ownerRead = { fn: anchor ? fn : f, node: anchor ?? n };
          if (field === 'event') verdict.eventRead = true;
        }
      }
      if (n.type === 'call_expression') {
        const name = callName(n);
        const args = callArgs(n);
        const idx = args.findIndex((a) => a.type === 'identifier' && a.text === rangeName);
        if (idx < 0 || NO_FILTER_HELPERS.has(name)) return;
        const helper = byName.get(name);
        if (helper && helper !== f && depth < MAX_DEPTH) {
          const hp = parameters(helper)[idx];
          if (hp) visit(helper, hp.name, depth + 1, anchor ?? n);
        } else if (!helper && !verdict.unknownHelper) verdict.unknownHelper = name;
      }
    });
  };
  visit(fn, rangeParam, 0, null);
  return verdict;
}

/** Where the document shows that the driver uses device-private or exclusive memory, or hands the core an owner (first such word). */
const DEVICE_MEMORY = /\b(mmu_notifier_range_init_owner|migrate_pgmap_owner|MEMORY_DEVICE_PRIVATE|MEMORY_DEVICE_COHERENT|MIGRATE_VMA_SELECT_DEVICE_PRIVATE|MIGRATE_VMA_SELECT_DEVICE_COHERENT|migrate_vma_setup|make_device_exclusive_range|make_device_exclusive|pgmap_owner|dev_private_owner|MMU_NOTIFY_EXCLUSIVE|MMU_NOTIFY_MIGRATE|is_device_private_page|is_device_exclusive_entry)\b/;

export function deviceMemoryUse(ctx: DocumentContext): { line: number; column: number; word: string } | null {
  return ctx.memo('device:deviceMemoryUse', () => {
    const lines = documentLines(ctx);
    for (let i = 0; i < lines.length; i++) {
      const m = DEVICE_MEMORY.exec(lines[i]);
      if (m) return { line: i + 1, column: m.index + 1, word: m[1] };
    }
    return null;
  });
}
