/**
 * A function body as the ordering rules see it: its shared-memory accesses,
 * barriers, seqcount calls, lock operations and unknown calls, in evaluation
 * order (straight-line: branches are read in source order, which is what a
 * reviewer does with a sketch). Locals are not shared memory; a load saved into
 * a local or a field, and the comparisons of such values, are kept so that the
 * seqcount shapes (save the counter, re-load it, compare) can be recognised.
 */
import type { Node } from 'web-tree-sitter';
import { callArgs, callName, declaredName, normaliseObject, walk } from '../c/ast';
import type { CFunction, DocumentContext } from '../rules/framework';
import { accessCall, barrierStrength, isInertCall, isLockOp, seqcountRole, type BarrierStrength, type SeqRole } from './primitives';

export type LoadVia = 'plain' | 'once' | 'acquire' | 'dep';
export type StoreVia = 'plain' | 'once' | 'release';

interface Base {
  node: Node;
  /** Index in the function's event list. */
  index: number;
}
export interface LoadEvent extends Base {
  t: 'load';
  key: string;
  field: string;
  via: LoadVia;
  /** Key of the place the loaded value is stored in (`s = x->seq` → "s"), when it is saved. */
  savedTo?: string;
  savedLocal?: boolean;
}
export interface StoreEvent extends Base {
  t: 'store';
  key: string;
  field: string;
  via: StoreVia;
}
export interface IncEvent extends Base {
  t: 'inc';
  key: string;
  field: string;
  via: StoreVia;
  /** A sequence-count step: `++`, `+= 1`, `+= 2`, `x = x + 1` (not a decrement, not a count of things). */
  unit?: boolean;
}
export interface BarrierEvent extends Base {
  t: 'barrier';
  name: string;
  strength: BarrierStrength;
}
export interface SeqEvent extends Base {
  t: 'seq';
  name: string;
  role: SeqRole;
  key: string;
  field: string;
  savedTo?: string;
  savedLocal?: boolean;
  /** Second argument (the saved value) of a retry call, normalised. */
  compared?: Operand;
}
export interface LockEvent extends Base {
  t: 'lock';
  name: string;
}
export interface CallEvent extends Base {
  t: 'call';
  name: string;
}
export interface Operand {
  read?: LoadEvent | SeqEvent;
  local?: string;
  /** Key of a shared location read as a whole (same as read.key when read is set). */
  key?: string;
}
export interface CompareEvent extends Base {
  t: 'compare';
  a: Operand;
  b: Operand;
}
export interface AssignLocalEvent extends Base {
  t: 'assign';
  local: string;
  from: Operand;
}

export type OrdEvent = LoadEvent | StoreEvent | IncEvent | BarrierEvent | SeqEvent | LockEvent | CallEvent | CompareEvent | AssignLocalEvent;

export interface FnEvents {
  fn: CFunction;
  events: OrdEvent[];
  locals: Set<string>;
  params: string[];
}

/** `&mm->mm_lock_seq.sequence` → "mm_lock_seq"; `vma->seqcount` → "seqcount"; `*p` → "*p"; `seq` → "seq". */
export function fieldOf(key: string): string {
  let k = key.replace(/\[[^\]]*\]$/, '');
  k = k.replace(/(\.seqcount)?\.sequence$/, '').replace(/\.seqcount$/, '');
  const m = /(?:->|\.)([A-Za-z_]\w*)$/.exec(k);
  return m ? m[1] : k;
}

function stripParens(n: Node): Node {
  let cur = n;
  for (;;) {
    if (cur.type === 'parenthesized_expression' && cur.namedChildCount === 1) cur = cur.namedChild(0)!;
    else if (cur.type === 'cast_expression' && cur.childForFieldName('value')) cur = cur.childForFieldName('value')!;
    else return cur;
  }
}

function isSharedLocation(n: Node): boolean {
  const s = stripParens(n);
  if (s.type === 'field_expression') return true;
  if (s.type === 'pointer_expression') return s.child(0)?.type === '*';
  if (s.type === 'subscript_expression') return isSharedLocation(s.childForFieldName('argument')!);
  // Plain identifiers are taken as locals: sketches in mail use variables they never declare.
  return false;
}

/**
 * The parameter_declaration nodes of a function definition: those of every
 * parameter_list under its declarator, not looking inside a parameter (a
 * function-pointer parameter's own list is not the function's).
 */
export function parameterDeclarations(fn: CFunction): Node[] {
  const out: Node[] = [];
  const decl = fn.def.childForFieldName('declarator');
  const stack: Node[] = decl ? [decl] : [];
  while (stack.length) {
    const d = stack.pop()!;
    if (d.type === 'parameter_list') {
      for (const p of d.namedChildren) if (p && p.type === 'parameter_declaration') out.push(p);
      continue;
    }
    for (const c of d.namedChildren) if (c) stack.push(c);
  }
  return out;
}

export function extractEvents(fn: CFunction): FnEvents {
  const locals = new Set<string>();
  const params: string[] = [];
  for (const p of parameterDeclarations(fn)) {
    const name = declaredName(p.childForFieldName('declarator'));
    if (name) {
      params.push(name);
      locals.add(name);
    }
  }
  // Locals declared anywhere in the body.
  walk(fn.body, (n) => {
    if (n.type !== 'declaration') return;
    for (const d of n.childrenForFieldName('declarator')) {
      const name = declaredName(d ?? null);
      if (name) locals.add(name);
    }
  });

  const events: OrdEvent[] = [];
  const push = <E extends OrdEvent>(e: Omit<E, 'index'>): E => {
    const full = { ...e, index: events.length } as E;
    events.push(full);
    return full;
  };
  const sameLoc = (a: Node, key: string): boolean => normaliseObject(stripParens(a).text) === key;

  /** Emits the events of an expression; returns what it reads when it is a plain read of one location or local. */
  const expr = (raw: Node | null): Operand | null => {
    if (!raw) return null;
    const n = stripParens(raw);
    switch (n.type) {
      case 'comment':
      case 'sizeof_expression':
      case 'alignof_expression':
      case 'string_literal':
      case 'number_literal':
      case 'char_literal':
        return null;
      case 'identifier':
        if (/[a-z]/.test(n.text)) return { local: n.text };
        return null;
      case 'field_expression':
      case 'subscript_expression': {
        if (n.type === 'subscript_expression') expr(n.childForFieldName('index'));
        const key = normaliseObject(n.text);
        const ev = push<LoadEvent>({ t: 'load', key, field: fieldOf(key), via: 'plain', node: n });
        return { read: ev, key };
      }
      case 'pointer_expression': {
        if (n.child(0)?.type === '&') return null; // address taken, not an access
        const key = normaliseObject(n.text);
        const ev = push<LoadEvent>({ t: 'load', key, field: fieldOf(key), via: 'plain', node: n });
        return { read: ev, key };
      }
      case 'assignment_expression':
        assignment(n);
        return null;
      case 'update_expression': {
        const arg = n.childForFieldName('argument');
        if (arg && isSharedLocation(arg)) {
          const key = normaliseObject(stripParens(arg).text);
          const dec = n.childForFieldName('operator')?.text === '--' || /--/.test(n.text.replace(arg.text, ''));
          push<IncEvent>({ t: 'inc', key, field: fieldOf(key), via: 'plain', node: n, unit: !dec });
        }
        return null;
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text ?? '';
        const a = expr(n.childForFieldName('left'));
        const b = expr(n.childForFieldName('right'));
        if ((op === '==' || op === '!=') && a && b) push<CompareEvent>({ t: 'compare', a, b, node: n });
        return null;
      }
      case 'call_expression':
        return call(n);
      default:
        for (const c of n.namedChildren) if (c) expr(c);
        return null;
    }
  };

  const call = (n: Node): Operand | null => {
    const name = callName(n);
    const args = callArgs(n);
    const acc = accessCall(name);
    if (acc && args[acc.arg]) {
      const loc = stripParens(args[acc.arg]);
      const key = normaliseObject(loc.text);
      if (acc.kind === 'load') {
        if (!(loc.type === 'pointer_expression' && loc.child(0)?.type === '&') && loc.type !== 'field_expression' && loc.type !== 'pointer_expression' && loc.type !== 'identifier' && loc.type !== 'subscript_expression') {
          expr(loc);
          return null;
        }
        if (loc.type === 'identifier' && locals.has(loc.text)) return { local: loc.text }; // READ_ONCE(global) is a shared load
        for (let i = 1; i < args.length; i++) expr(args[i]);
        const ev = push<LoadEvent>({ t: 'load', key, field: fieldOf(key), via: acc.via as LoadVia, node: n });
        return { read: ev, key };
      }
      const value = acc.valueArg !== undefined ? args[acc.valueArg] : undefined;
      const via: StoreVia = acc.via === 'release' ? 'release' : 'once';
      if (value && isIncrementOf(value, key)) {
        push<IncEvent>({ t: 'inc', key, field: fieldOf(key), via, node: n, unit: true });
      } else {
        if (value) expr(value);
        if (loc.type !== 'identifier' || !locals.has(loc.text)) push<StoreEvent>({ t: 'store', key, field: fieldOf(key), via, node: n });
      }
      if (name === 'smp_store_mb') push<BarrierEvent>({ t: 'barrier', name, strength: 'full', node: n });
      return null;
    }
    const role = seqcountRole(name);
    if (role) {
      for (let i = 1; i < args.length; i++) expr(args[i]);
      const key = args[0] ? normaliseObject(args[0].text) : '';
      const ev = push<SeqEvent>({ t: 'seq', name, role, key, field: fieldOf(key), node: n });
      if (role === 'read-retry' || role === 'read-retry-unordered') {
        const s = args[1] ? stripParens(args[1]) : null;
        if (s) ev.compared = s.type === 'identifier' && locals.has(s.text) ? { local: s.text } : { key: normaliseObject(s.text) };
      }
      return { read: ev, key };
    }
    const strength = barrierStrength(name);
    if (strength) {
      for (const a of args) expr(a);
      push<BarrierEvent>({ t: 'barrier', name, strength, node: n });
      return null;
    }
    if (isLockOp(name)) {
      push<LockEvent>({ t: 'lock', name, node: n });
      return null;
    }
    for (const a of args) if (!(a.type === 'pointer_expression' && a.child(0)?.type === '&')) expr(a);
    if (!isInertCall(name)) push<CallEvent>({ t: 'call', name, node: n });
    return null;
  };

  const isIncrementOf = (value: Node, key: string): boolean => {
    const v = stripParens(value);
    if (v.type !== 'binary_expression') return false;
    const op = v.childForFieldName('operator')?.text;
    if (op !== '+') return false;
    const l = v.childForFieldName('left');
    const r = v.childForFieldName('right');
    const isLoc = (x: Node | null): boolean => {
      if (!x) return false;
      const s = stripParens(x);
      if (s.type === 'call_expression' && /^(READ_ONCE|__READ_ONCE)$/.test(callName(s))) return callArgs(s).some((a) => sameLoc(a, key));
      return sameLoc(s, key);
    };
    return (isLoc(l) && r?.type === 'number_literal') || (isLoc(r) && l?.type === 'number_literal');
  };

  const save = (target: Node, from: Operand | null): void => {
    const t = stripParens(target);
    const isLocal = t.type === 'identifier';
    if (from?.read) {
      from.read.savedTo = normaliseObject(t.text);
      from.read.savedLocal = isLocal;
    }
    if (isLocal && from) push<AssignLocalEvent>({ t: 'assign', local: t.text, from, node: target });
  };

  const assignment = (n: Node): void => {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.text ?? '=';
    if (!left || !right) return;
    const l = stripParens(left);
    const shared = isSharedLocation(l);
    const key = normaliseObject(l.text);
    if (op === '=') {
      if (shared && isIncrementOf(right, key)) {
        push<IncEvent>({ t: 'inc', key, field: fieldOf(key), via: 'plain', node: n, unit: true });
        return;
      }
      const from = expr(right);
      // Sub-expressions of the target (a->b[i], *p->q) are loads of their own; skip them for simplicity.
      save(l, from);
      if (shared) push<StoreEvent>({ t: 'store', key, field: fieldOf(key), via: 'plain', node: n });
      return;
    }
    expr(right);
    if (!shared) return;
    if (op === '+=' || op === '-=') push<IncEvent>({ t: 'inc', key, field: fieldOf(key), via: 'plain', node: n, unit: op === '+=' && /^[12][uUlL]*$/.test(stripParens(right).text.trim()) });
    else push<StoreEvent>({ t: 'store', key, field: fieldOf(key), via: 'plain', node: n });
  };

  const statement = (n: Node): void => {
    switch (n.type) {
      case 'comment':
        return;
      case 'declaration':
        for (const d of n.childrenForFieldName('declarator')) {
          if (d && d.type === 'init_declarator') {
            const value = d.childForFieldName('value');
            const from = expr(value);
            const name = declaredName(d);
            if (name && from) {
              if (from.read) {
                from.read.savedTo = name;
                from.read.savedLocal = true;
              }
              push<AssignLocalEvent>({ t: 'assign', local: name, from, node: d });
            }
          }
        }
        return;
      case 'expression_statement':
      case 'return_statement':
        for (const c of n.namedChildren) if (c) expr(c);
        return;
      case 'if_statement':
      case 'while_statement':
      case 'do_statement':
      case 'for_statement':
      case 'switch_statement':
      case 'compound_statement':
      case 'else_clause':
      case 'labeled_statement':
      case 'case_statement':
      default:
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type.endsWith('_statement') || c.type === 'declaration' || c.type === 'else_clause' || c.type === 'compound_statement') statement(c);
          else expr(c);
        }
    }
  };
  statement(fn.body);
  return { fn, events, locals, params };
}

/** Events of every function of the document, computed once. */
export function documentEvents(ctx: DocumentContext): Map<CFunction, FnEvents> {
  return ctx.memo('ordering/events', () => {
    const m = new Map<CFunction, FnEvents>();
    for (const fn of ctx.functions) m.set(fn, extractEvents(fn));
    return m;
  });
}
