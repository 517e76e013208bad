/**
 * Path-by-path execution of one C function over the abstract state: control
 * flow from the tree-sitter tree (if/else, switch with fall-through, loops with
 * bounded unrolling, goto/labels forwards and backwards, return, break and
 * continue, scoped_guard/guard() scopes), kernel primitives from the API table,
 * and callees through their summaries. States that agree on everything but the
 * trace are merged at every statement, so the work grows with the number of
 * distinct states, not with the number of syntactic paths.
 */
import type { Node } from 'web-tree-sitter';
import type { TraceStep } from '../model';
import type { CFunction } from '../rules/framework';
import { callArgs, callName, declaredName, declarators, docPosition } from '../c/ast';
import { lookupApi } from '../kernel/apis';
import {
  addStep, dedupe, EMPTY_STATE, forget, rebind, isNeg, refineNeg, refineTruth, resKey, stateKey, traceOf, truth, withEnv, withReaders, withRes,
  type AbsVal, type Res, type ResKind, type Site, type State,
} from './state';
import { guardClass, lockWords, modelApiCall, objKey, type CallModel, type Op } from './primitives';

// ---------------------------------------------------------------- summaries (what a callee does)

export interface Effect {
  kind: ResKind;
  /** Object key with parameters written as $0, $1... */
  obj: string;
  delta: number;
  cls?: string;
  mode?: 'read' | 'write' | 'excl';
  implicit?: boolean;
}

export interface SummaryOutcome {
  /** Return value of the paths with these effects ('any' when the effects do not depend on it). */
  ret: AbsVal | 'any';
  effects: Effect[];
}

export interface FunctionSummary {
  name: string;
  /** The definition the summary was computed from. */
  fn: CFunction;
  params: string[];
  outcomes: SummaryOutcome[];
  /** 'held-if-zero' / 'held-if-true' when the effects depend on the return value. */
  conditional: 'held-if-zero' | 'held-if-true' | null;
  /** Paths the summary was computed from (real exits). */
  paths: number;
}

export type Resolver = (name: string) => FunctionSummary | null;

// ---------------------------------------------------------------- results

export interface ExitRec {
  kind: 'return' | 'end' | 'unknown';
  state: State;
  node: Node | null;
  ret: AbsVal;
  why?: string;
}

export type AnomalyType = 'open-while-open' | 'close-again' | 'close-inherited' | 'upgrade';

export interface Anomaly {
  type: AnomalyType;
  kind: ResKind;
  obj: string;
  node: Node;
  api: string;
  /** The wrapper the operation came through, when it came through a callee. */
  via: string | null;
  /** The resource as it was before the operation. */
  before: Res | undefined;
  trace: TraceStep[];
  implicit: boolean;
  cls?: string;
  mode?: string;
}

export interface ReaderSite {
  node: Node;
  api: string;
  kind: 'seq' | 'interval';
  obj: string;
  v: string | null;
  checked: boolean;
  hinted: boolean;
  /** A state holding this reader reached an exit the hunk does not show. */
  unresolved: boolean;
  trace: TraceStep[];
}

export interface OpenSite {
  node: Node;
  api: string;
  via: string | null;
  kind: ResKind;
  obj: string;
  /** Opened from depth 0 (not re-taken after dropping the caller's hold). */
  fresh: boolean;
}

export interface EmuOptions {
  maxPaths: number;
  loopUnroll: number;
  resolve: Resolver;
  /** Work budget (state × statement steps) and time budget for one function. */
  maxWork?: number;
  maxMs?: number;
}

class BudgetExceeded extends Error {}

interface Flow {
  next: State[];
  brk: State[];
  cont: State[];
  gotos: Map<string, State[]>;
}

const emptyFlow = (next: State[] = []): Flow => ({ next, brk: [], cont: [], gotos: new Map() });

function addGotos(into: Map<string, State[]>, from: Map<string, State[]>): void {
  for (const [k, v] of from) into.set(k, [...(into.get(k) ?? []), ...v]);
}

const PASS_THROUGH = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', 'unlikely_notrace', 'data_race', 'READ_ONCE']);
const COUNTER_ATOMIC = /^atomic(64|_long)?_(inc|dec)$/;
const ZERO_LIT = /^(0|0[uUlL]*|NULL|false|0x0+)$/;

function stripParens(n: Node): Node {
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

function hasSideEffects(text: string): boolean {
  return /[A-Za-z_]\w*\s*\(|\+\+|--|[^=!<>]=[^=]/.test(text);
}

export class FunctionEmulator {
  readonly exits: ExitRec[] = [];
  readonly anomalies: Anomaly[] = [];
  readonly readers = new Map<number, ReaderSite>();
  /** Every distinct open (site, resource, API, depth 0 or not), in the order first seen. */
  readonly opens: OpenSite[] = [];
  bounded = false;
  readonly boundNotes: string[] = [];
  /** States before each statement and call, by node id (for lockStateAt and friends). */
  readonly snapshots = new Map<number, State[]>();
  /** Every open/close seen, counted, for the report lines. */
  readonly counts = new Map<string, { opens: Set<number>; closes: Set<number>; kind: ResKind; cls?: string; mode?: string }>();
  aborted = false;

  private work = 0;
  private readonly t0 = performance.now();
  private readonly tracked = new Set<string>();
  private readonly scopeStack: number[] = [];
  private loopDepth = 0;
  private readonly macroRows: Map<string, string>;
  private readonly realEnd: boolean;
  private readonly anomalySeen = new Set<string>();
  private readonly interesting = new Map<number, boolean>();
  private readonly openSeen = new Set<string>();

  constructor(
    readonly fn: CFunction,
    readonly params: string[],
    private readonly opt: EmuOptions,
  ) {
    const macros = fn.fragment.macros ?? [];
    this.macroRows = new Map(macros.map((m) => [`${m.row}:${m.column}`, m.name]));
    const endLine = fn.fragment.lines[fn.body.endPosition.row];
    this.realEnd = !!endLine && (endLine.docLine !== null || endLine.tree !== undefined);
  }

  run(): void {
    this.prescan();
    try {
      const flow = this.execStmt(this.fn.body, [EMPTY_STATE]);
      for (const s of flow.next) this.exit(this.realEnd ? 'end' : 'unknown', s, null, 'unknown', this.realEnd ? undefined : 'the hunk ends inside the function');
      for (const s of [...flow.brk, ...flow.cont]) this.exit('unknown', s, null, 'unknown', 'break/continue out of code the hunk does not show');
      for (const [label, ss] of flow.gotos) for (const s of ss) this.exit('unknown', s, null, 'unknown', `goto ${label}: the label is not in the visible code`);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      this.aborted = true;
      this.bounded = true;
      this.boundNotes.push(`work budget spent (${this.work} steps): the rest of ${this.fn.name}() was not explored`);
    }
  }

  // ------------------------------------------------------------ helpers

  private site(node: Node): Site {
    const s = docPosition(this.fn.fragment, node.startPosition.row, node.startPosition.column);
    const e = docPosition(this.fn.fragment, node.endPosition.row, node.endPosition.column);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, node: node.id, text: node.text.replace(/\s+/g, ' ') };
  }

  private step(s: State, node: Node, message: string, state?: string): State {
    const p = docPosition(this.fn.fragment, node.startPosition.row, node.startPosition.column);
    const tree = this.fn.fragment.lines[node.startPosition.row]?.tree;
    return addStep(s, { line: p.line, column: p.column, message, ...(state !== undefined ? { state } : {}), ...(tree !== undefined ? { tree } : {}) });
  }

  private tick(n: number): void {
    this.work += n;
    if (this.work > (this.opt.maxWork ?? 400_000)) throw new BudgetExceeded();
    if ((this.work & 1023) < n && performance.now() - this.t0 > (this.opt.maxMs ?? 800)) throw new BudgetExceeded();
  }

  private cap(states: State[], where: Node): State[] {
    const d = dedupe(states);
    if (d.length <= this.opt.maxPaths) return d;
    this.bound(`more than ${this.opt.maxPaths} distinct states at line ${this.site(where).line} (limits.maxPathsPerFunction); the rest were dropped`);
    return d.slice(0, this.opt.maxPaths);
  }

  private bound(note: string): void {
    this.bounded = true;
    if (!this.boundNotes.includes(note) && this.boundNotes.length < 8) this.boundNotes.push(note);
  }

  private snapshot(node: Node, states: State[]): void {
    const prev = this.snapshots.get(node.id);
    if (!prev) this.snapshots.set(node.id, states.slice(0, this.opt.maxPaths));
    else if (prev.length < this.opt.maxPaths) prev.push(...states.slice(0, this.opt.maxPaths - prev.length));
  }

  private exit(kind: ExitRec['kind'], s: State, node: Node | null, ret: AbsVal, why?: string): void {
    let st = s;
    if (kind !== 'unknown' || why) {
      const at = node ?? this.fn.body;
      const msg = kind === 'return' ? `returns${node ? `: ${node.text.replace(/\s+/g, ' ')}` : ''}` : kind === 'end' ? `leaves ${this.fn.name}() at its closing brace` : `leaves the visible code (${why})`;
      st = this.step(s, kind === 'end' ? this.lastLineNode() : at, msg, describeOpen(s));
    }
    for (const r of st.readers) {
      const rs = this.readers.get(r.site);
      if (rs && kind === 'unknown') rs.unresolved = true;
    }
    this.exits.push({ kind, state: st, node, ret, why });
  }

  private lastLineNode(): Node {
    return this.fn.body.lastChild ?? this.fn.body;
  }

  /** Variables whose values the emulator keeps: returned ones, results of conditional primitives, conditions guarding primitives. */
  private prescan(): void {
    const body = this.fn.body;
    for (const n of body.descendantsOfType(['return_statement', 'assignment_expression', 'init_declarator', 'if_statement'])) {
      if (!n) continue;
      switch (n.type) {
        case 'return_statement': {
          const e = n.namedChild(0);
          if (e) {
            const x = stripParens(e);
            if (!hasSideEffects(x.text)) this.tracked.add(objKey(x.text));
          }
          break;
        }
        case 'assignment_expression':
        case 'init_declarator': {
          const right = n.type === 'assignment_expression' ? n.childForFieldName('right') : n.childForFieldName('value');
          const left = n.type === 'assignment_expression' ? n.childForFieldName('left') : n.childForFieldName('declarator');
          if (right && left) {
            const r = stripParens(right);
            if (r.type === 'call_expression' && this.conditionalCallee(callName(r))) {
              const name = n.type === 'init_declarator' ? declaredName(left) : objKey(left.text);
              if (name) this.tracked.add(name);
            }
          }
          break;
        }
        case 'if_statement': {
          if (this.isInteresting(n)) {
            const c = n.childForFieldName('condition');
            if (c) for (const a of atoms(c)) this.tracked.add(a);
          }
          break;
        }
      }
    }
  }

  private conditionalCallee(name: string): boolean {
    const info = lookupApi(name);
    if (info) return !!info.returns;
    const s = this.opt.resolve(name);
    return !!s && s.conditional !== null;
  }

  private primitiveCallee(name: string): boolean {
    const info = lookupApi(name);
    if (info) return info.kind === 'lock' || info.kind === 'seqcount' || info.kind === 'notifier';
    if (name === this.fn.name) return false;
    const s = this.opt.resolve(name);
    return !!s && s.outcomes.some((o) => o.effects.length > 0);
  }

  /** Does the subtree hold a jump or a primitive call (worth a trace step and tracked conditions)? */
  private isInteresting(n: Node): boolean {
    const c = this.interesting.get(n.id);
    if (c !== undefined) return c;
    let hit = false;
    for (const f of ['consequence', 'alternative']) {
      const b = n.childForFieldName(f);
      if (!b || hit) continue;
      for (const x of b.descendantsOfType(['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'call_expression'])) {
        if (!x) continue;
        if (x.type !== 'call_expression' || this.primitiveCallee(callName(x))) {
          hit = true;
          break;
        }
      }
    }
    this.interesting.set(n.id, hit);
    return hit;
  }

  // ------------------------------------------------------------ statements

  private execMany(nodes: Node[], states: State[]): Flow {
    return this.execBlock(nodes, states, null);
  }

  execStmt(node: Node, states: State[]): Flow {
    if (!states.length) return emptyFlow();
    this.tick(states.length);
    switch (node.type) {
      case 'compound_statement':
        return this.execBlock(node.namedChildren.filter((c): c is Node => !!c), states, node);
      case 'expression_statement': {
        this.snapshot(node, states);
        const e = node.namedChild(0);
        if (!e) return emptyFlow(states);
        return emptyFlow(this.cap(this.evalMany(states, e), node));
      }
      case 'declaration': {
        this.snapshot(node, states);
        let cur = states;
        for (const d of declarators(node)) {
          const name = declaredName(d);
          if (name) cur = cur.map((s) => rebind(s, name));
          const v = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
          if (!v) continue;
          const out: State[] = [];
          for (const s of cur)
            for (const ev of this.evalExpr(s, v, name)) out.push(name && this.tracked.has(name) ? withEnv(ev.s, name, ev.v) : ev.s);
          cur = out;
        }
        return emptyFlow(this.cap(cur, node));
      }
      case 'if_statement':
        return this.execIf(node, states);
      case 'while_statement':
      case 'for_statement':
      case 'do_statement':
        return this.execLoop(node, states);
      case 'switch_statement':
        return this.execSwitch(node, states);
      case 'return_statement': {
        this.snapshot(node, states);
        const e = node.namedChild(0);
        for (const s of states) {
          if (!e) this.exit('return', s, node, 'unknown');
          else for (const ev of this.evalExpr(s, e, null)) this.exit('return', ev.s, node, ev.v);
        }
        return emptyFlow();
      }
      case 'break_statement':
        return { ...emptyFlow(), brk: states };
      case 'continue_statement':
        return { ...emptyFlow(), cont: states };
      case 'goto_statement': {
        const label = node.childForFieldName('label')?.text ?? '';
        const g = new Map<string, State[]>();
        g.set(label, states.map((s) => this.step(s, node, `goto ${label}`, describeOpen(s))));
        return { ...emptyFlow(), gotos: g };
      }
      case 'labeled_statement': {
        const inner = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'statement_identifier');
        return this.execMany(inner, states);
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        // Both sides of an #if are possible configurations.
        const alt = node.childForFieldName('alternative');
        const body = node.namedChildren.filter((c): c is Node => !!c && c.id !== alt?.id && c.id !== node.childForFieldName('condition')?.id && c.id !== node.childForFieldName('name')?.id && c.type !== 'preproc_arg');
        const a = this.execMany(body, states);
        if (node.type === 'preproc_else') return a;
        const b = alt ? this.execStmt(alt, states) : emptyFlow(states);
        return mergeFlows(a, b);
      }
      case 'ERROR': {
        // Best effort: run what looks like statements, evaluate what looks like expressions.
        const kids = node.namedChildren.filter((c): c is Node => !!c);
        let cur = states;
        const flow = emptyFlow();
        for (const k of kids) {
          if (/_statement$|^declaration$|^compound_statement$/.test(k.type)) {
            const f = this.execStmt(k, cur);
            flow.brk.push(...f.brk);
            flow.cont.push(...f.cont);
            addGotos(flow.gotos, f.gotos);
            cur = f.next;
          } else if (/expression|identifier/.test(k.type)) cur = this.evalMany(cur, k);
        }
        flow.next = cur;
        return flow;
      }
      case 'attributed_statement': {
        const inner = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'attribute_declaration');
        return this.execMany(inner, states);
      }
      default:
        return emptyFlow(states);
    }
  }

  private execBlock(children: Node[], states: State[], compound: Node | null): Flow {
    if (compound) this.scopeStack.push(compound.id);
    const labels = new Map<string, number>();
    children.forEach((c, i) => {
      let n: Node | null = c;
      while (n && n.type === 'labeled_statement') {
        const l = n.childForFieldName('label')?.text;
        if (l && !labels.has(l)) labels.set(l, i);
        n = n.namedChildren.find((x): x is Node => !!x && x.type !== 'statement_identifier') ?? null;
      }
    });
    const out = emptyFlow();
    const seenAt = new Map<string, Set<string>>();
    const rounds = new Map<string, number>();
    const backward = new Map<string, State[]>();

    const runFrom = (start: number, init: State[]): void => {
      let cur = init;
      const pending = new Map<string, State[]>();
      for (let i = start; i < children.length; i++) {
        const c = children[i];
        // States jumping to labels of this statement join here.
        let n: Node | null = c;
        while (n && n.type === 'labeled_statement') {
          const l = n.childForFieldName('label')?.text ?? '';
          const p = pending.get(l);
          if (p) {
            cur = [...cur, ...p];
            pending.delete(l);
          }
          const seen = seenAt.get(l) ?? new Set<string>();
          seenAt.set(l, seen);
          for (const s of cur) seen.add(stateKey(s));
          n = n.namedChildren.find((x): x is Node => !!x && x.type !== 'statement_identifier') ?? null;
        }
        if (!cur.length && !pending.size) break;
        if (!cur.length) continue;
        cur = this.cap(cur, c);
        const f = this.execStmt(c, cur);
        out.brk.push(...f.brk);
        out.cont.push(...f.cont);
        for (const [l, ss] of f.gotos) {
          const at = labels.get(l);
          if (at === undefined) out.gotos.set(l, [...(out.gotos.get(l) ?? []), ...ss]);
          else if (at > i) pending.set(l, [...(pending.get(l) ?? []), ...ss]);
          else backward.set(l, [...(backward.get(l) ?? []), ...ss]);
        }
        cur = f.next;
      }
      out.next.push(...cur);
      // A goto to a label of this block that was never reached (cannot happen for forward labels) is dropped.
    };

    runFrom(0, states);
    while (backward.size) {
      const [l, ss] = backward.entries().next().value as [string, State[]];
      backward.delete(l);
      const seen = seenAt.get(l) ?? new Set<string>();
      const fresh = dedupe(ss).filter((s) => !seen.has(stateKey(s)));
      if (!fresh.length) continue;
      const r = (rounds.get(l) ?? 0) + 1;
      rounds.set(l, r);
      if (r > this.opt.loopUnroll) {
        this.bound(`goto ${l}: backward jump followed ${this.opt.loopUnroll} times (limits.loopUnroll); further rounds not explored`);
        continue;
      }
      runFrom(labels.get(l)!, fresh);
    }
    if (!compound) return out;
    this.scopeStack.pop();
    // Leaving the block by any way releases what its guard()s took.
    return releaseScoped(out, compound.id);
  }

  private execIf(node: Node, states: State[]): Flow {
    this.snapshot(node, states);
    const cond = node.childForFieldName('condition');
    const cons = node.childForFieldName('consequence');
    let alt = node.childForFieldName('alternative');
    if (alt && alt.type === 'else_clause') alt = alt.namedChildren.find((c): c is Node => !!c) ?? null;
    const macro = this.macroRows.get(`${node.startPosition.row}:${node.startPosition.column}`);
    if (macro && (macro === 'scoped_guard' || macro === 'scoped_cond_guard') && cond && cons) return this.execScopedGuard(node, cond, cons, states);
    if (!cond || !cons) return emptyFlow(states);
    const c = this.condMany(states, cond);
    const show = this.isInteresting(node);
    const condText = cond.text.replace(/\s+/g, ' ');
    const t = show && c.t.length && c.f.length ? c.t.map((s) => this.step(s, cond, `if ${condText}: true`)) : c.t;
    const f = show && c.t.length && c.f.length ? c.f.map((s) => this.step(s, cond, `if ${condText}: false`)) : c.f;
    const a = this.execStmt(cons, t);
    const b = alt ? this.execStmt(alt, f) : emptyFlow(f);
    return mergeFlows(a, b);
  }

  private execScopedGuard(node: Node, cond: Node, cons: Node, states: State[]): Flow {
    // scoped_guard(type, args...) { body }  (rewritten to `if (type, args...)`)
    const inner = stripParens(cond);
    const parts: Node[] = [];
    const flat = (n: Node): void => {
      if (n.type === 'comma_expression') {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (l) flat(l);
        if (r) flat(r);
      } else parts.push(n);
    };
    flat(inner);
    const type = parts[0]?.text ?? '';
    const obj = parts[1] ? objKey(parts[1].text) : type;
    const { cls, mode } = guardClass(type);
    const opened = states.map((s) => this.applyOp(s, { op: 'open', kind: 'lock', obj: cls === 'rcu' ? 'RCU' : obj, cls, mode }, node, `scoped_guard(${type})`, null, node.id));
    return releaseScoped(this.execStmt(cons, opened), node.id);
  }

  private execLoop(node: Node, states: State[]): Flow {
    this.snapshot(node, states);
    const isDo = node.type === 'do_statement';
    const body = node.childForFieldName('body');
    const cond = node.childForFieldName('condition');
    const update = node.type === 'for_statement' ? node.childForFieldName('update') : null;
    let cur = states;
    if (node.type === 'for_statement') {
      const init = node.childForFieldName('initializer');
      if (init) cur = init.type === 'declaration' ? this.execStmt(init, cur).next : this.evalMany(cur, init);
    }
    const out = emptyFlow();
    if (!body) return emptyFlow(cur);
    const infinite = !cond || /^\(?\s*(1|true)\s*\)?$/.test(cond.text);
    const seen = new Set<string>();
    this.loopDepth++;
    let iter = 0;
    try {
      for (; cur.length; iter++) {
        cur = dedupe(cur).filter((s) => !seen.has(stateKey(s)));
        for (const s of cur) seen.add(stateKey(s));
        if (!cur.length) break;
        if (iter > this.opt.loopUnroll) break;
        let inBody = cur;
        if (!isDo && cond) {
          const c = this.condMany(cur, cond);
          out.next.push(...c.f);
          inBody = c.t;
        }
        const f = this.execStmt(body, inBody);
        out.next.push(...f.brk);
        addGotos(out.gotos, f.gotos);
        let next = [...f.next, ...f.cont];
        if (update) next = this.evalMany(next, update);
        if (isDo && cond) {
          const c = this.condMany(next, cond);
          out.next.push(...c.f);
          next = c.t;
        }
        cur = next;
      }
    } finally {
      this.loopDepth--;
    }
    if (cur.length) {
      this.bound(`loop at line ${this.site(node).line} unrolled ${this.opt.loopUnroll} times (limits.loopUnroll)`);
      if (!infinite) out.next.push(...cur.map((s) => this.step(s, node, `loop bound hit after ${this.opt.loopUnroll} iterations: assuming the loop ends here`, describeOpen(s))));
    }
    out.next = this.cap(out.next, node);
    return out;
  }

  private execSwitch(node: Node, states: State[]): Flow {
    this.snapshot(node, states);
    const cond = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    let cur = cond ? this.evalMany(states, cond) : states;
    cur = this.cap(cur, node);
    if (!body) return emptyFlow(cur);
    const out = emptyFlow();
    let fall: State[] = [];
    let hasDefault = false;
    const pre: Node[] = [];
    for (const c of body.namedChildren) {
      if (!c) continue;
      if (c.type !== 'case_statement') {
        pre.push(c);
        continue;
      }
      const value = c.childForFieldName('value');
      if (!value) hasDefault = true;
      const stmts = c.namedChildren.filter((x): x is Node => !!x && x.id !== value?.id && x.type !== 'comment');
      const f = this.execBlock(stmts, this.cap([...cur, ...fall], c), null);
      out.next.push(...f.brk);
      out.cont.push(...f.cont);
      addGotos(out.gotos, f.gotos);
      fall = f.next;
    }
    out.next.push(...fall);
    if (!hasDefault) out.next.push(...cur);
    out.next = this.cap(out.next, node);
    return out;
  }

  // ------------------------------------------------------------ expressions

  private evalMany(states: State[], node: Node): State[] {
    const out: State[] = [];
    for (const s of states) for (const ev of this.evalExpr(s, node, null)) out.push(ev.s);
    return out;
  }

  private condMany(states: State[], node: Node): { t: State[]; f: State[] } {
    const t: State[] = [];
    const f: State[] = [];
    for (const s of states) {
      const r = this.cond(s, node);
      t.push(...r.t);
      f.push(...r.f);
    }
    return { t, f };
  }

  /** Split a state by a condition: the states where it holds and those where it does not. */
  cond(s: State, node: Node): { t: State[]; f: State[] } {
    const n = stripParens(node);
    if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
      const r = this.cond(s, n.childForFieldName('argument')!);
      return { t: r.f, f: r.t };
    }
    if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left')!;
      const right = n.childForFieldName('right')!;
      if (op === '&&') {
        const a = this.cond(s, left);
        const t: State[] = [];
        const f: State[] = [...a.f];
        for (const x of a.t) {
          const b = this.cond(x, right);
          t.push(...b.t);
          f.push(...b.f);
        }
        return { t, f };
      }
      if (op === '||') {
        const a = this.cond(s, left);
        const t: State[] = [...a.t];
        const f: State[] = [];
        for (const x of a.f) {
          const b = this.cond(x, right);
          t.push(...b.t);
          f.push(...b.f);
        }
        return { t, f };
      }
      if ((op === '==' || op === '!=') && (ZERO_LIT.test(right.text.trim()) || ZERO_LIT.test(left.text.trim()))) {
        const sub = ZERO_LIT.test(right.text.trim()) ? left : right;
        const r = this.cond(s, sub);
        return op === '==' ? { t: r.f, f: r.t } : r;
      }
      if ((op === '<' || op === '>=') && ZERO_LIT.test(right.text.trim())) {
        const yes: State[] = [];
        const no: State[] = [];
        for (const ev of this.evalExpr(s, left, null)) {
          const neg = isNeg(ev.v);
          if (neg !== false) yes.push(this.refine(ev.s, ev.ref, refineNeg(ev.v, true)));
          if (neg !== true) no.push(this.refine(ev.s, ev.ref, refineNeg(ev.v, false)));
        }
        return op === '<' ? { t: yes, f: no } : { t: no, f: yes };
      }
    }
    if (n.type === 'call_expression') {
      const name = callName(n);
      const a = PASS_THROUGH.has(name) && name !== 'READ_ONCE' && name !== 'data_race' ? callArgs(n)[0] : undefined;
      if (a) return this.cond(s, a);
    }
    const t: State[] = [];
    const f: State[] = [];
    for (const ev of this.evalExpr(s, n, null)) {
      const tv = truth(ev.v);
      if (tv !== false) t.push(tv === null ? this.refine(ev.s, ev.ref, refineTruth(ev.v, true)) : ev.s);
      if (tv !== true) f.push(tv === null ? this.refine(ev.s, ev.ref, 'zero') : ev.s);
    }
    return { t, f };
  }

  private refine(s: State, ref: string | undefined, v: AbsVal): State {
    if (!ref || !this.tracked.has(ref)) return s;
    return withEnv(s, ref, v);
  }

  /** Evaluate an expression for its effects and value; a call with a return-dependent effect splits the state. */
  evalExpr(s: State, node: Node, lhs: string | null): { s: State; v: AbsVal; ref?: string }[] {
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = node.namedChild(0);
        return inner ? this.evalExpr(s, inner, lhs) : [{ s, v: 'unknown' }];
      }
      case 'number_literal': {
        const t = node.text.replace(/[uUlL]+$/, '');
        return [{ s, v: Number(t) === 0 ? 'zero' : 'pos' }];
      }
      case 'true':
        return [{ s, v: 'pos' }];
      case 'false':
      case 'null':
        return [{ s, v: 'zero' }];
      case 'string_literal':
      case 'concatenated_string':
      case 'sizeof_expression':
      case 'char_literal':
        return [{ s, v: 'unknown' }];
      case 'identifier':
      case 'field_expression':
      case 'subscript_expression': {
        if (node.text === 'NULL' || node.text === 'false') return [{ s, v: 'zero' }];
        if (node.text === 'true') return [{ s, v: 'pos' }];
        const k = objKey(node.text);
        if (node.type !== 'identifier' && hasSideEffects(node.text)) {
          let cur = [s];
          for (const c of node.namedChildren) if (c) cur = this.evalMany(cur, c);
          return cur.map((x) => ({ s: x, v: 'unknown' as AbsVal }));
        }
        return [{ s, v: s.env.get(k) ?? 'unknown', ref: k }];
      }
      case 'pointer_expression': {
        const op = node.childForFieldName('operator')?.text;
        if (op === '&') return [{ s, v: 'nonzero' }];
        const k = objKey(node.text);
        return [{ s, v: s.env.get(k) ?? 'unknown', ref: k }];
      }
      case 'cast_expression': {
        const v = node.childForFieldName('value');
        return v ? this.evalExpr(s, v, lhs) : [{ s, v: 'unknown' }];
      }
      case 'unary_expression': {
        const op = node.childForFieldName('operator')?.text;
        const arg = node.childForFieldName('argument');
        if (!arg) return [{ s, v: 'unknown' }];
        if (op === '!') {
          const r = this.cond(s, arg);
          return [...r.t.map((x) => ({ s: x, v: 'zero' as AbsVal })), ...r.f.map((x) => ({ s: x, v: 'pos' as AbsVal }))];
        }
        if (op === '-') {
          if (arg.type === 'number_literal') return [{ s, v: Number(arg.text.replace(/[uUlL]+$/, '')) === 0 ? 'zero' : 'neg' }];
          if (arg.type === 'identifier' && /^E[A-Z0-9]+$/.test(arg.text)) return [{ s, v: 'neg' }];
        }
        return this.evalExpr(s, arg, null).map((e) => ({ s: e.s, v: 'unknown' as AbsVal }));
      }
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.text ?? '';
        if (['&&', '||', '==', '!=', '<', '>', '<=', '>='].includes(op)) {
          if (!hasSideEffects(node.text)) {
            const k = objKey(node.text);
            const known = s.env.get(k);
            if (known) return [{ s, v: known, ref: k }];
          }
          const l = node.childForFieldName('left');
          const rr = node.childForFieldName('right');
          const zeroCmp = !!l && !!rr && (ZERO_LIT.test(l.text.trim()) || ZERO_LIT.test(rr.text.trim()));
          if (op === '&&' || op === '||' || ((op === '==' || op === '!=') && zeroCmp) || ((op === '<' || op === '>=') && !!rr && ZERO_LIT.test(rr.text.trim()))) {
            const r = this.cond(s, node);
            return [...r.t.map((x) => ({ s: x, v: 'pos' as AbsVal })), ...r.f.map((x) => ({ s: x, v: 'zero' as AbsVal }))];
          }
          let cur = [s];
          for (const c of [l, rr]) if (c && hasSideEffects(c.text)) cur = this.evalMany(cur, c);
          const k = objKey(node.text);
          return cur.map((x) => ({ s: x, v: 'unknown' as AbsVal, ref: hasSideEffects(node.text) ? undefined : k }));
        }
        if (!hasSideEffects(node.text)) {
          const k = objKey(node.text);
          return [{ s, v: s.env.get(k) ?? 'unknown', ref: k }];
        }
        let cur = [s];
        for (const f of ['left', 'right']) {
          const c = node.childForFieldName(f);
          if (c) cur = this.evalMany(cur, c);
        }
        return cur.map((x) => ({ s: x, v: 'unknown' as AbsVal }));
      }
      case 'conditional_expression': {
        const c = node.childForFieldName('condition');
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        if (!c) return [{ s, v: 'unknown' }];
        const r = this.cond(s, c);
        const out: { s: State; v: AbsVal; ref?: string }[] = [];
        for (const x of r.t) out.push(...(a ? this.evalExpr(x, a, lhs) : [{ s: x, v: 'unknown' as AbsVal }]));
        for (const x of r.f) out.push(...(b ? this.evalExpr(x, b, lhs) : [{ s: x, v: 'unknown' as AbsVal }]));
        return out;
      }
      case 'comma_expression': {
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        const mid = l ? this.evalMany([s], l) : [s];
        const out: { s: State; v: AbsVal; ref?: string }[] = [];
        for (const x of mid) out.push(...(r ? this.evalExpr(x, r, lhs) : [{ s: x, v: 'unknown' as AbsVal }]));
        return out;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text ?? '=';
        if (!left || !right) return [{ s, v: 'unknown' }];
        const name = objKey(left.text);
        if (op === '+=' || op === '-=') {
          const lit = right.type === 'number_literal' ? Number(right.text) : NaN;
          let st = forget(s, name);
          if (!Number.isNaN(lit)) st = this.counter(st, node, name, op === '+=' ? lit : -lit);
          return [{ s: st, v: 'unknown' }];
        }
        const out: { s: State; v: AbsVal; ref?: string }[] = [];
        for (const ev of this.evalExpr(op === '=' ? rebind(s, name) : s, right, op === '=' ? name : null)) {
          let st = forget(ev.s, name);
          if (op === '=' && this.tracked.has(name)) st = withEnv(st, name, ev.v);
          out.push({ s: st, v: op === '=' ? ev.v : 'unknown', ref: name });
        }
        return out;
      }
      case 'update_expression': {
        const arg = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text;
        if (!arg) return [{ s, v: 'unknown' }];
        const name = objKey(arg.text);
        return [{ s: this.counter(forget(s, name), node, name, op === '++' ? 1 : -1), v: 'unknown' }];
      }
      case 'call_expression':
        return this.evalCall(s, node, lhs);
      default: {
        let cur = [s];
        for (const c of node.namedChildren) if (c) cur = this.evalMany(cur, c);
        return cur.map((x) => ({ s: x, v: 'unknown' as AbsVal }));
      }
    }
  }

  /** A counter raised or lowered (`hmm->notifiers++`): tracked for fields, outside loops, clamped to ±2. */
  private counter(s: State, node: Node, name: string, delta: number): State {
    if (this.loopDepth > 0 || !/->|\./.test(name)) return s;
    const key = resKey('counter', name);
    const r = s.res.get(key);
    const depth = Math.max(-2, Math.min(2, (r?.depth ?? 0) + Math.sign(delta)));
    const st = withRes(s, key, depth === 0 && !r ? null : { kind: 'counter', obj: name, depth, lastOp: delta > 0 ? 'open' : 'close', openedAt: delta > 0 ? this.site(node) : r?.openedAt });
    return this.step(st, node, `${node.text.replace(/\s+/g, ' ')}: ${name} ${delta > 0 ? 'raised' : 'lowered'}`, `${name}: ${depth >= 0 ? '+' : ''}${depth} since entry`);
  }

  private evalCall(s: State, call: Node, lhs: string | null): { s: State; v: AbsVal; ref?: string }[] {
    const fnNode = call.childForFieldName('function');
    const name = callName(call);
    const args = callArgs(call);
    // guard(type)(&lock): held until the end of the enclosing block.
    if (fnNode && fnNode.type === 'call_expression' && callName(fnNode) === 'guard') {
      const type = callArgs(fnNode)[0]?.text ?? '';
      const { cls, mode } = guardClass(type);
      const obj = cls === 'rcu' ? 'RCU' : args[0] ? objKey(args[0].text) : type;
      const scope = this.scopeStack[this.scopeStack.length - 1] ?? this.fn.body.id;
      this.snapshot(call, [s]);
      return [{ s: this.applyOp(s, { op: 'open', kind: 'lock', obj, cls, mode }, call, `guard(${type})`, null, scope), v: 'unknown' }];
    }
    if (PASS_THROUGH.has(name) && args[0]) return this.evalExpr(s, args[0], lhs);
    // Arguments first (nested calls).
    let cur: State[] = [s];
    for (const a of args) if (hasSideEffects(a.text)) cur = this.evalMany(cur, a);
    this.snapshot(call, cur);
    const model = modelApiCall(name, args, lhs, call.text);
    const out: { s: State; v: AbsVal; ref?: string }[] = [];
    if (model) {
      for (const st of cur) out.push(...this.applyModel(st, model, call));
      return out;
    }
    if (COUNTER_ATOMIC.test(name) && args[0]) {
      const k = objKey(args[0].text);
      return cur.map((st) => ({ s: this.counter(st, call, k, /inc$/.test(name) ? 1 : -1), v: 'unknown' as AbsVal }));
    }
    if (name && name !== this.fn.name && !lookupApi(name)) {
      const sum = this.opt.resolve(name);
      if (sum && sum.outcomes.some((o) => o.effects.length > 0)) {
        for (const st of cur) out.push(...this.applySummary(st, sum, call, args));
        return out;
      }
    }
    return cur.map((x) => ({ s: x, v: 'unknown' as AbsVal }));
  }

  private applyModel(s: State, model: CallModel, call: Node): { s: State; v: AbsVal }[] {
    const text = call.text.replace(/\s+/g, ' ');
    const doOps = (st: State): State => {
      for (const op of model.ops) st = this.applyOp(st, op, call, model.api, null);
      return st;
    };
    if (!model.returns) return [{ s: doOps(s), v: 'unknown' }];
    const [okV, failV]: [AbsVal, AbsVal] = model.returns === 'held-if-true' ? ['pos', 'zero'] : model.returns === 'held-if-nonnull' ? ['nonzero', 'zero'] : ['zero', 'neg'];
    const what = model.ops.map((o) => o.obj).filter((x, i, a) => a.indexOf(x) === i).join(', ');
    const started = model.returns === 'started-if-zero' ? 'started' : 'held';
    const ok = doOps(this.step(s, call, `${text} ${okV === 'zero' ? 'returned 0' : okV === 'pos' ? 'returned true' : 'returned non-NULL'}: ${what} ${started}`));
    const fail = this.step(s, call, `${text} ${failV === 'neg' ? 'failed (returned an error)' : failV === 'zero' && okV === 'pos' ? 'returned false' : 'returned NULL'}: ${what} not ${started}`, describeOpen(s));
    return [
      { s: ok, v: okV },
      { s: fail, v: failV },
    ];
  }

  private applySummary(s: State, sum: FunctionSummary, call: Node, args: Node[]): { s: State; v: AbsVal }[] {
    const out: { s: State; v: AbsVal }[] = [];
    const text = call.text.replace(/\s+/g, ' ');
    for (const o of sum.outcomes) {
      let st = s;
      if (sum.conditional) st = this.step(st, call, `${text}: ${sum.name}() ${o.ret === 'zero' ? 'returns 0' : o.ret === 'pos' || o.ret === 'nonzero' ? 'returns true/non-NULL' : 'returns an error/false'} on these paths`);
      for (const e of o.effects) {
        const obj = substitute(e.obj, sum.params, args);
        if (obj === null) continue;
        if (e.kind === 'counter') {
          st = this.counter(st, call, obj, e.delta);
          continue;
        }
        for (let i = 0; i < Math.abs(e.delta); i++)
          st = this.applyOp(st, { op: e.delta > 0 ? 'open' : 'close', kind: e.kind, obj, cls: e.cls, mode: e.mode, implicit: e.implicit }, call, sum.name, sum.name);
      }
      out.push({ s: st, v: o.ret === 'any' ? 'unknown' : o.ret });
    }
    return out;
  }

  /** Apply one operation; anomalies are recorded with the trace that led to them. */
  applyOp(s: State, op: Op, call: Node, api: string, via: string | null, scoped?: number): State {
    const key = resKey(op.kind, op.obj);
    const r = s.res.get(key);
    const depth = r?.depth ?? 0;
    const text = via ? `${call.text.replace(/\s+/g, ' ')} (through ${via}())` : call.text.replace(/\s+/g, ' ');
    const count = (o: boolean): void => {
      const c = this.counts.get(key) ?? { opens: new Set<number>(), closes: new Set<number>(), kind: op.kind, cls: op.cls, mode: op.mode };
      if (o) c.opens.add(call.id);
      else c.closes.add(call.id);
      this.counts.set(key, c);
    };
    switch (op.op) {
      case 'open': {
        count(true);
        if (depth > 0) {
          const sharedOk = r?.mode === 'read' && op.mode === 'read' && op.kind === 'lock';
          if (!sharedOk) {
            this.anomaly({ type: r?.mode === 'read' && op.mode === 'write' ? 'upgrade' : 'open-while-open', kind: op.kind, obj: op.obj, node: call, api, via, before: r, implicit: !!op.implicit && !!r?.implicit, cls: op.cls, mode: op.mode }, s, call, text);
            return this.step(s, call, `${text}: ${op.obj} is already ${op.kind === 'seq' ? 'in a write section' : op.kind === 'range' ? 'started' : 'held'}`, describeRes(r!));
          }
        }
        const seen = `${call.id}\u0001${key}\u0001${api}\u0001${via ?? ''}\u0001${depth === 0}`;
        if (!this.openSeen.has(seen)) {
          this.openSeen.add(seen);
          this.opens.push({ node: call, api, via, kind: op.kind, obj: op.obj, fresh: depth === 0 });
        }
        const nr: Res = {
          kind: op.kind, obj: op.obj, depth: depth + 1, lastOp: 'open', cls: op.cls ?? r?.cls, mode: op.mode ?? r?.mode, implicit: op.implicit,
          scoped: scoped !== undefined ? true : r?.scoped, openedAt: depth === 0 ? this.site(call) : r?.openedAt, via: via ?? api,
        };
        if (scoped !== undefined) nr.scope = scoped;
        const st = withRes(s, key, nr);
        return this.step(st, call, `${text}: ${op.kind === 'seq' ? `opens the write section on ${op.obj}` : op.kind === 'range' ? `starts notifier range ${op.obj}` : `takes ${op.obj} (${lockWords(op.cls, op.mode)})`}`, describeRes(nr));
      }
      case 'close': {
        count(false);
        if (depth > 0) {
          const nr: Res = { ...r!, depth: depth - 1, lastOp: 'close', closedAt: this.site(call) };
          return this.step(withRes(s, key, nr), call, `${text}: ${op.kind === 'seq' ? `closes the write section on ${op.obj}` : op.kind === 'range' ? `ends notifier range ${op.obj}` : `releases ${op.obj}`}`, describeRes(nr));
        }
        if (r && r.lastOp === 'close') {
          this.anomaly({ type: 'close-again', kind: op.kind, obj: op.obj, node: call, api, via, before: r, implicit: !!op.implicit, cls: op.cls, mode: op.mode }, s, call, text);
          return this.step(s, call, `${text}: ${op.obj} was already ${op.kind === 'seq' ? 'closed' : op.kind === 'range' ? 'ended' : 'released'} on this path`, describeRes(r));
        }
        this.anomaly({ type: 'close-inherited', kind: op.kind, obj: op.obj, node: call, api, via, before: r, implicit: !!op.implicit, cls: op.cls, mode: op.mode }, s, call, text);
        const nr: Res = { kind: op.kind, obj: op.obj, depth: depth - 1, lastOp: 'close', cls: op.cls, mode: op.mode, implicit: op.implicit, closedAt: this.site(call), via: via ?? api };
        return this.step(withRes(s, key, nr), call, `${text}: ${op.kind === 'seq' ? `closes a write section on ${op.obj} this function did not open` : op.kind === 'range' ? `ends range ${op.obj} this function did not start` : `releases ${op.obj}, which this function did not take`}`, describeRes(nr));
      }
      case 'downgrade': {
        if (r && depth > 0) {
          const nr: Res = { ...r, mode: 'read' };
          return this.step(withRes(s, key, nr), call, `${text}: ${op.obj} downgraded to read`, describeRes(nr));
        }
        return s;
      }
      case 'release-kind-cls': {
        let st = s;
        for (const [k, x] of s.res) if (x.kind === op.kind && x.cls === op.cls && x.depth > 0) st = withRes(st, k, { ...x, depth: 0, lastOp: 'close', closedAt: this.site(call) });
        return st;
      }
      case 'read-begin': {
        const readers = s.readers.filter((x) => x.site !== call.id);
        readers.push({ site: call.id, kind: op.reader!, obj: op.obj, v: op.seqVar ?? null });
        if (!this.readers.has(call.id))
          this.readers.set(call.id, { node: call, api, kind: op.reader!, obj: op.obj, v: op.seqVar ?? null, checked: false, hinted: false, unresolved: false, trace: traceOf(s) });
        return this.step(withReaders(s, readers), call, `${text}: ${op.reader === 'interval' ? 'interval notifier sequence' : 'read section on'} ${op.obj} begins${op.seqVar ? ` (value in ${op.seqVar})` : ''}`);
      }
      case 'read-check':
      case 'read-hint': {
        const match = (x: { kind: string; obj: string; v: string | null }): boolean => x.kind === op.reader && (x.obj === op.obj || !op.obj) && (!op.seqVar || !x.v || x.v === op.seqVar);
        const hit = s.readers.filter(match);
        for (const x of hit) {
          const rs = this.readers.get(x.site);
          if (rs) {
            if (op.op === 'read-check') rs.checked = true;
            else rs.hinted = true;
          }
        }
        // A value checked against a counter the state lost track of (merged loops) still counts.
        if (!hit.length) for (const rs of this.readers.values()) if (match(rs)) op.op === 'read-check' ? (rs.checked = true) : (rs.hinted = true);
        if (op.op === 'read-hint') return s;
        return this.step(withReaders(s, s.readers.filter((x) => !match(x))), call, `${text}: checks the ${op.reader === 'interval' ? 'interval notifier sequence' : 'read section'} on ${op.obj}`);
      }
    }
  }

  private anomaly(a: Omit<Anomaly, 'trace'>, s: State, call: Node, text: string): void {
    const k = `${a.type}|${a.node.id}|${a.obj}`;
    if (this.anomalySeen.has(k)) return;
    this.anomalySeen.add(k);
    const p = docPosition(this.fn.fragment, call.startPosition.row, call.startPosition.column);
    this.anomalies.push({ ...a, trace: [...traceOf(s), { line: p.line, column: p.column, message: text, state: a.before ? describeRes(a.before) : 'not open on this path' }] });
  }
}

function mergeFlows(a: Flow, b: Flow): Flow {
  const gotos = new Map(a.gotos);
  addGotos(gotos, b.gotos);
  return { next: [...a.next, ...b.next], brk: [...a.brk, ...b.brk], cont: [...a.cont, ...b.cont], gotos };
}

/** Every way out of a guard's scope (fall-through, break, continue, goto) drops what the guard took. */
function releaseScoped(f: Flow, scope: number): Flow {
  const rel = (ss: State[]): State[] =>
    ss.map((s) => {
      let st = s;
      for (const [k, r] of s.res) if (r.scoped && r.scope === scope) st = withRes(st, k, null);
      return st;
    });
  return { next: rel(f.next), brk: rel(f.brk), cont: rel(f.cont), gotos: new Map([...f.gotos].map(([l, ss]) => [l, rel(ss)])) };
}

/** Refinable atoms of a condition: `!locked && (flags & X)` → ["locked", "flags&X"]. */
export function atoms(node: Node): string[] {
  const n = stripParens(node);
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') return atoms(n.childForFieldName('argument')!);
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if ((op === '&&' || op === '||') && l && r) return [...atoms(l), ...atoms(r)];
    if ((op === '==' || op === '!=' || op === '<' || op === '>=') && l && r) {
      if (ZERO_LIT.test(r.text.trim())) return atoms(l);
      if (ZERO_LIT.test(l.text.trim())) return atoms(r);
    }
  }
  if (n.type === 'call_expression' && PASS_THROUGH.has(callName(n))) {
    const a = callArgs(n)[0];
    return a ? atoms(a) : [];
  }
  if (hasSideEffects(n.text)) return [];
  return [objKey(n.text)];
}

/** Replace $i in a summary's object with the call's argument i; null when it names a callee's local. */
function substitute(tpl: string, params: string[], args: Node[]): string | null {
  const m = /^\$(\d+)(.*)$/.exec(tpl);
  if (!m) return tpl.startsWith('%local:') ? null : tpl;
  const a = args[Number(m[1])];
  if (!a) return null;
  const rest = m[2];
  const t = a.text.replace(/\s+/g, '');
  if (!rest) return objKey(t);
  if (rest.startsWith('->')) {
    if (t.startsWith('&') && !t.startsWith('&&')) return `${objKey(t.slice(1))}.${rest.slice(2)}`;
    const k = objKey(t);
    return /^[\w.>\-[\]]+$/.test(k) ? `${k}${rest}` : `(${k})${rest}`;
  }
  return `${objKey(t)}${rest}`;
}

function describeRes(r: Res): string {
  if (r.kind === 'seq') return r.depth > 0 ? `${r.obj}: write section open (count odd)` : r.depth < 0 ? `${r.obj}: closed a section opened before this function` : `${r.obj}: no write section open (count even)`;
  if (r.kind === 'range') return r.depth > 0 ? `${r.obj}: range started, _end owed` : `${r.obj}: no range open`;
  if (r.kind === 'counter') return `${r.obj}: ${r.depth >= 0 ? '+' : ''}${r.depth} since entry`;
  return r.depth > 0 ? `${r.obj}: held${r.mode === 'read' ? ' (read)' : r.mode === 'write' ? ' (write)' : ''}` : r.depth < 0 ? `${r.obj}: released (taken before this function)` : `${r.obj}: not held`;
}

/** What a state holds open, in words (for trace steps). */
function describeOpen(s: State): string {
  const open = [...s.res.values()].filter((r) => r.depth !== 0 && r.kind !== 'counter');
  if (!open.length) return 'nothing held or open';
  return open.map(describeRes).join('; ');
}
