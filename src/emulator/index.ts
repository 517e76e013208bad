/**
 * The mm-primitives emulator: a shared, memoised analysis of every function of a
 * document, for the pairing rules and for other rule authors.
 *
 * Usage (any rule):
 *
 *   import { emulate } from '../../emulator';
 *   const em = emulate(ctx);                      // memoised: ctx.memo('emulation', ...)
 *   for (const fn of ctx.functions) {
 *     const a = em.analysisOf(fn);                // paths, exits, summary, bounded flag
 *     em.lockStateAt(fn, node);                   // { heldOnAllPaths, notHeldOnSomePath: [{ lock, trace }] }
 *     em.seqcountOpenAt(fn, node);                // { openOnAllPaths, openOnSomePath } write sections
 *   }
 *   em.summaryOf('mmap_write_lock');              // the wrapper effect of a function defined in the document
 *
 * Keys: every lock, counter and range is named by its normalised object
 * expression (`&pool->stats_seq` → `pool->stats_seq`, `(&x)->y` → `x.y`). The
 * mmap_lock APIs name `<mm>->mmap_lock` (the rwsem) and open `<mm>->mm_lock_seq`
 * (mmap_write_lock*), RCU is `RCU`, and lock APIs that return the lock
 * (pmd_lock, lock_vma_under_rcu...) name the variable the result is assigned to.
 *
 * What a state is: per path, the depth of every resource relative to the
 * function's entry (+1 taken here, -1 released a hold the caller had), the known
 * values of a few variables (results of trylock/killable calls, returned values,
 * conditions that guard primitives), and the open read sections. Paths are
 * explored with bounded loop unrolling and a cap on distinct states
 * (config.limits); `bounded` says when a bound was hit.
 *
 * Query semantics:
 *  - lockStateAt(fn, node): the states recorded before the statement or call
 *    that contains `node`. heldOnAllPaths: locks this function took and holds on
 *    every path reaching the node. notHeldOnSomePath: locks this function took on
 *    some path (or released) that some path reaching the node does not hold, with
 *    that path's trace. Locks the function never touches are in neither list: the
 *    caller's holds are unknown.
 *  - seqcountOpenAt(fn, node): seqcount/seqlock write sections open at the node,
 *    on all paths / on some path (same rules).
 *  - summaryOf(name): what calling `name` does, computed from a complete
 *    definition in the document: outcomes with effects (delta per object, `$i`
 *    for parameter i), conditional on the return value ('held-if-zero' like
 *    mmap_write_lock_killable, 'held-if-true' like a trylock) or not.
 */
import type { Node } from 'web-tree-sitter';
import type { FunctionReport, TraceStep } from '../model';
import { patchesOfMessage, type CFunction, type DocumentContext } from '../rules/framework';
import { lookupApi, NOTIFIER_DISPATCHERS } from '../kernel/apis';
import { declaredName, declarators } from '../c/ast';
import { FunctionEmulator, type Effect, type ExitRec, type FunctionSummary, type SummaryOutcome } from './exec';
import { resKey, traceOf, type AbsVal, type State } from './state';
import { lockWords } from './primitives';
import { derivePairingIssues, type PairingIssue } from './issues';

export type { FunctionSummary, Effect, SummaryOutcome, ExitRec } from './exec';
export type { PairingIssue } from './issues';
export { objKey } from './primitives';

export interface PathInfo {
  /** 'return' and 'end' leave the function; 'unknown' leaves the visible code (hunk edge, goto to a label not shown). */
  exit: 'return' | 'end' | 'unknown';
  line: number;
  returns: AbsVal;
  /** Resources left open (or released that the caller held) at the exit, in words. */
  open: string[];
  trace: TraceStep[];
}

export interface FunctionAnalysis {
  fn: CFunction;
  params: string[];
  /** Both ends of the body are real lines: the whole function is visible. */
  complete: boolean;
  exits: ExitRec[];
  paths: PathInfo[];
  bounded: boolean;
  boundNotes: string[];
  summary: FunctionSummary | null;
  /** The function is an .invalidate_range_start callback (by name or by an ops table in the document). */
  startCallback: boolean;
  /** Internal: the emulator run (anomalies, read sections, snapshots). */
  emu: FunctionEmulator;
}

export interface LockState {
  heldOnAllPaths: string[];
  notHeldOnSomePath: { lock: string; trace: TraceStep[] }[];
}

export interface Emulation {
  functions: FunctionAnalysis[];
  analysisOf(fn: CFunction): FunctionAnalysis;
  /** Explored paths of a function. */
  pathsOf(fn: CFunction): PathInfo[];
  lockStateAt(fn: CFunction, node: Node): LockState;
  seqcountOpenAt(fn: CFunction, node: Node): { openOnAllPaths: string[]; openOnSomePath: string[] };
  summaryOf(name: string): FunctionSummary | null;
  /** Findings-to-be of the pairing rules (rules word and report them). */
  issues: PairingIssue[];
}

export function emulate(ctx: DocumentContext): Emulation {
  return ctx.memo('emulation', () => build(ctx));
}

function build(ctx: DocumentContext): Emulation {
  const analyses = new Map<CFunction, FunctionAnalysis>();
  const inProgress = new Set<string>();
  const summaries = new Map<string, FunctionSummary | null>();
  const startCallbacks = findStartCallbacks(ctx);
  const trace = ctx.trace === true;

  const byName = new Map<string, CFunction[]>();
  for (const f of ctx.functions) {
    const list = byName.get(f.name);
    if (list) list.push(f);
    else byName.set(f.name, [f]);
  }

  const summaryOf = (name: string): FunctionSummary | null => {
    if (summaries.has(name)) return summaries.get(name)!;
    if (inProgress.has(name)) return null;
    const cands = (byName.get(name) ?? []).filter((f) => isComplete(f));
    // Not defined in the document: ask the context (a kernel tree's body of the callee).
    if (!cands.length && ctx.context) {
      const c = ctx.context.callee(name);
      if (c && isComplete(c)) cands.push(c);
    }
    if (!cands.length) {
      summaries.set(name, null);
      return null;
    }
    const rank = (f: CFunction): number => (f.fragment.kind === 'pre' ? 2 : f.fragment.kind === 'quoted-code' ? 1 : 0);
    cands.sort((a, b) => rank(a) - rank(b));
    inProgress.add(name);
    let best: FunctionSummary | null = null;
    try {
      for (const f of cands) {
        const a = analyse(f);
        if (a.summary && a.summary.outcomes.some((o) => o.effects.length)) {
          best = a.summary;
          break;
        }
        best ??= a.summary;
      }
    } finally {
      inProgress.delete(name);
    }
    summaries.set(name, best);
    return best;
  };

  const analyse = (fn: CFunction): FunctionAnalysis => {
    const done = analyses.get(fn);
    if (done) return done;
    const params = paramsOf(fn, ctx);
    const emu = new FunctionEmulator(fn, params, {
      maxPaths: ctx.config.limits.maxPathsPerFunction,
      loopUnroll: ctx.config.limits.loopUnroll,
      resolve: summaryOf,
    });
    inProgress.add(fn.name);
    try {
      emu.run();
    } finally {
      inProgress.delete(fn.name);
    }
    const complete = isComplete(fn);
    const a: FunctionAnalysis = {
      fn,
      params,
      complete,
      exits: emu.exits,
      paths: emu.exits.map(pathInfo),
      bounded: emu.bounded,
      boundNotes: emu.boundNotes,
      summary: null,
      startCallback: startCallbacks.has(fn.name) || (/invalidate_range_start$/.test(fn.name) && !lookupApi(fn.name) && !NOTIFIER_DISPATCHERS.has(fn.name) && params.length > 0 && /\bstruct\s+mmu_notifier\s*\*/.test(fn.def.childForFieldName('declarator')?.text ?? '')),
      emu,
    };
    a.summary = complete && !emu.aborted ? deriveSummary(a) : null;
    analyses.set(fn, a);
    return a;
  };

  const functions = ctx.functions.map(analyse);
  const issues = derivePairingIssues(functions);

  // build() runs once per document (emulate() memoises it), so the reports are pushed once.
  for (const a of functions) ctx.functionReports.push(functionReport(a, trace));

  const snapshotsAt = (fn: CFunction, node: Node): State[] => {
    const a = analyse(fn);
    let n: Node | null = node;
    while (n) {
      const s = a.emu.snapshots.get(n.id);
      if (s) return s;
      if (n.id === fn.def.id) break;
      n = n.parent;
    }
    return [];
  };

  return {
    functions,
    analysisOf: analyse,
    pathsOf: (fn) => analyse(fn).paths,
    summaryOf,
    issues,
    lockStateAt(fn, node) {
      return stateAt(snapshotsAt(fn, node), 'lock');
    },
    seqcountOpenAt(fn, node) {
      const states = snapshotsAt(fn, node);
      const some = new Set<string>();
      for (const s of states) for (const x of s.res.values()) if (x.kind === 'seq' && x.depth > 0) some.add(x.obj);
      return { openOnAllPaths: stateAt(states, 'seq').heldOnAllPaths, openOnSomePath: [...some] };
    },
  };
}

function stateAt(states: State[], kind: 'lock' | 'seq'): LockState {
  if (!states.length) return { heldOnAllPaths: [], notHeldOnSomePath: [] };
  const objs = new Set<string>();
  for (const s of states) for (const r of s.res.values()) if (r.kind === kind) objs.add(r.obj);
  const held: string[] = [];
  const notHeld: { lock: string; trace: TraceStep[] }[] = [];
  for (const obj of objs) {
    const key = resKey(kind, obj);
    // Not held and known not held: released here, or taken here on other paths only.
    const witness = states.find((s) => (s.res.get(key)?.depth ?? 0) <= 0);
    if (!witness) held.push(obj);
    else notHeld.push({ lock: obj, trace: traceOf(witness) });
  }
  return { heldOnAllPaths: held, notHeldOnSomePath: notHeld };
}

/** Both braces of the body stand on real lines: the whole function is in view. */
function isComplete(fn: CFunction): boolean {
  const a = fn.fragment.lines[fn.body.startPosition.row];
  const b = fn.fragment.lines[fn.body.endPosition.row];
  // Lines read from a kernel tree (`tree`) are real code too.
  if (!a || !b || (a.docLine === null && a.tree === undefined) || (b.docLine === null && b.tree === undefined)) return false;
  const startText = fn.fragment.text.split('\n')[fn.body.startPosition.row] ?? '';
  return startText[fn.body.startPosition.column] === '{';
}

function pathInfo(e: ExitRec): PathInfo {
  const trace = traceOf(e.state);
  const last = trace[trace.length - 1];
  return {
    exit: e.kind,
    line: last?.line ?? 0,
    returns: e.ret,
    open: [...e.state.res.values()].filter((r) => r.depth !== 0 && !r.scoped).map((r) => `${r.obj}${r.kind === 'seq' ? ' (write section)' : r.kind === 'range' ? ' (notifier range)' : r.kind === 'counter' ? ` (counter ${r.depth > 0 ? '+' : ''}${r.depth})` : ` (${lockWords(r.cls, r.mode)})`}${r.depth < 0 ? ' released' : ''}`),
    trace,
  };
}

// ---------------------------------------------------------------- parameters

function paramsOf(fn: CFunction, ctx: DocumentContext): string[] {
  if (!fn.synthetic) {
    let d = fn.def.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const list = d?.childForFieldName('parameters');
    if (!list) return [];
    return list.namedChildren.filter((p): p is Node => !!p && p.type === 'parameter_declaration').map((p) => lastIdent(p.childForFieldName('declarator')?.text ?? ''));
  }
  const header = hunkHeader(fn, ctx);
  if (!header) return [];
  const at = header.indexOf(`${fn.name}(`);
  if (at < 0) return [];
  let depth = 0;
  let i = at + fn.name.length;
  let inner = '';
  for (; i < header.length; i++) {
    const c = header[i];
    if (c === '(') {
      if (depth++ === 0) continue;
    } else if (c === ')' && --depth === 0) break;
    if (depth > 0) inner += c;
  }
  if (!inner.trim() || inner.trim() === 'void') return [];
  const parts: string[] = [];
  let d = 0;
  let cur = '';
  for (const c of inner) {
    if (c === '(') d++;
    if (c === ')') d--;
    if (c === ',' && d === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map(lastIdent);
}

function lastIdent(t: string): string {
  const m = /([A-Za-z_]\w*)\s*(\[[^\]]*\])*\s*\)?\s*$/.exec(t.replace(/\(\s*\*\s*(\w+)\s*\)\s*\(.*$/, '$1'));
  return m ? m[1] : '';
}

function hunkHeader(fn: CFunction, ctx: DocumentContext): string | null {
  const m = /^m(\d+)\/p(\d+)\/f(\d+)\/h(\d+)\//.exec(fn.fragment.id);
  if (!m) return null;
  const patches = patchesOfMessage(ctx, Number(m[1]));
  const h = patches[Number(m[2])]?.files[Number(m[3])]?.hunks.find((x) => x.index === Number(m[4]));
  return h?.header ?? null;
}

// ---------------------------------------------------------------- summaries

function localNames(fn: CFunction): Set<string> {
  const out = new Set<string>();
  for (const n of fn.body.descendantsOfType('declaration')) {
    if (!n) continue;
    for (const d of declarators(n)) {
      const name = declaredName(d);
      if (name) out.add(name);
    }
  }
  return out;
}

function template(obj: string, params: string[], locals: Set<string>): string {
  const m = /^([A-Za-z_]\w*)(.*)$/.exec(obj);
  if (!m) return obj;
  const i = params.indexOf(m[1]);
  if (i >= 0 && m[1]) return `$${i}${m[2]}`;
  if (locals.has(m[1])) return `%local:${obj}`;
  return obj;
}

function effectsOf(s: State, params: string[], locals: Set<string>): Effect[] {
  const out: Effect[] = [];
  for (const r of s.res.values()) {
    if (r.depth === 0 || r.scoped) continue;
    out.push({ kind: r.kind, obj: template(r.obj, params, locals), delta: r.depth, cls: r.cls, mode: r.mode, implicit: r.implicit });
  }
  return out.sort((a, b) => `${a.kind}${a.obj}`.localeCompare(`${b.kind}${b.obj}`));
}

const sig = (es: Effect[]): string => es.map((e) => `${e.kind}:${e.obj}:${e.delta}:${e.mode ?? ''}`).join(';');

function deriveSummary(a: FunctionAnalysis): FunctionSummary | null {
  const real = a.exits.filter((e) => e.kind !== 'unknown');
  if (!real.length || real.length !== a.exits.length) return null;
  const locals = localNames(a.fn);
  const groups = new Map<string, { effects: Effect[]; rets: AbsVal[] }>();
  for (const e of real) {
    const es = effectsOf(e.state, a.params, locals);
    const k = sig(es);
    const g = groups.get(k) ?? { effects: es, rets: [] };
    g.rets.push(e.ret);
    groups.set(k, g);
  }
  const base = { name: a.fn.name, fn: a.fn, params: a.params, paths: real.length };
  if (groups.size === 1) {
    const [g] = groups.values();
    return { ...base, outcomes: [{ ret: 'any', effects: g.effects }], conditional: null };
  }
  if (groups.size === 2) {
    const [g1, g2] = [...groups.values()];
    const held = g1.effects.length && !g2.effects.length ? g1 : g2.effects.length && !g1.effects.length ? g2 : null;
    const none = held === g1 ? g2 : g1;
    if (held && held.effects.every((e) => e.delta > 0)) {
      const c = conditionalKind(held.rets, none.rets);
      if (c === 'held-if-zero')
        return { ...base, conditional: c, outcomes: [{ ret: 'zero', effects: held.effects }, { ret: 'neg', effects: [] }] };
      if (c === 'held-if-true')
        return { ...base, conditional: c, outcomes: [{ ret: 'nonzero', effects: held.effects }, { ret: 'zero', effects: [] }] };
    }
  }
  return null;
}

/** Do the return values tell the held paths from the others the way kernel APIs do? */
export function conditionalKind(heldRets: AbsVal[], otherRets: AbsVal[]): 'held-if-zero' | 'held-if-true' | null {
  if (heldRets.every((r) => r === 'zero' || r === 'unknown' || r === 'nonneg') && otherRets.every((r) => r === 'neg' || r === 'nonzero') && heldRets.some((r) => r === 'zero' || r === 'unknown')) return 'held-if-zero';
  if (heldRets.every((r) => r === 'pos' || r === 'nonzero' || r === 'unknown') && otherRets.every((r) => r === 'zero')) return 'held-if-true';
  return null;
}

// ---------------------------------------------------------------- .invalidate_range_start callbacks

function findStartCallbacks(ctx: DocumentContext): Set<string> {
  const out = new Set<string>();
  for (const p of ctx.fragments) {
    const re = /\.invalidate_range_start\s*=\s*&?\s*([A-Za-z_]\w*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(p.fragment.text))) out.add(m[1]);
  }
  // Ops tables in the tree's files name callbacks the document does not show the table of.
  if (ctx.context) for (const f of ctx.functions) if (ctx.context.opsNaming(f.name).some((o) => o.field === 'invalidate_range_start')) out.add(f.name);
  return out;
}

// ---------------------------------------------------------------- reports

function functionReport(a: FunctionAnalysis, trace: boolean): FunctionReport {
  const fn = a.fn;
  const first = fn.fragment.lines.find((l, i) => i >= fn.def.startPosition.row && l.docLine !== null);
  let last: number | null = null;
  for (let i = Math.min(fn.def.endPosition.row, fn.fragment.lines.length - 1); i >= fn.def.startPosition.row; i--) {
    const l = fn.fragment.lines[i];
    if (l && l.docLine !== null) {
      last = l.docLine;
      break;
    }
  }
  const image = fn.fragment.kind === 'file' ? 'post' : fn.fragment.kind;
  const summary = summaryLines(a);
  return {
    name: fn.name,
    fragmentId: fn.fragment.id,
    messageIndex: fn.fragment.messageIndex,
    line: first?.docLine ?? 1,
    endLine: last ?? first?.docLine ?? 1,
    image,
    partial: fn.partial && !a.complete,
    paths: a.exits.length,
    bounded: a.bounded,
    summary,
    ...(trace ? { pathTraces: a.exits.map((e) => traceOf(e.state)) } : {}),
  };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : w.endsWith('s') ? 'es' : 's'}`;

function summaryLines(a: FunctionAnalysis): string[] {
  const out: string[] = [];
  const real = a.exits.filter((e) => e.kind !== 'unknown');
  const n = a.exits.length;
  const where = (k: number): string => (k === n ? `all ${plural(n, 'path')}` : `${k} of ${plural(n, 'path')}`);
  for (const [key, c] of a.emu.counts) {
    const [kind] = key.split('\u0001');
    const obj = key.slice(kind.length + 1);
    const openAt = real.filter((e) => (e.state.res.get(key)?.depth ?? 0) > 0 && !e.state.res.get(key)?.scoped);
    const relAt = real.filter((e) => (e.state.res.get(key)?.depth ?? 0) < 0);
    const label = kind === 'seq' ? `write section on ${obj}` : kind === 'range' ? `notifier range ${obj}` : `${obj} (${lockWords(c.cls, c.mode)})`;
    const ops = kind === 'seq' ? [plural(c.opens.size, 'begin'), plural(c.closes.size, 'end')] : kind === 'range' ? [plural(c.opens.size, 'start'), plural(c.closes.size, 'end')] : [`${plural(c.opens.size, 'lock')}`, `${plural(c.closes.size, 'unlock')}`];
    if (real.length && openAt.length === real.length && openAt.length) out.push(`${label}: wrapper, leaves it ${kind === 'seq' ? 'open' : kind === 'range' ? 'started' : 'held'}`);
    else if (real.length && relAt.length === real.length && relAt.length) out.push(`${label}: releases the caller's ${kind === 'seq' ? 'section' : kind === 'range' ? 'range' : 'hold'} on every path`);
    else if (openAt.length && a.summary?.conditional) out.push(`${label}: wrapper, ${kind === 'seq' ? 'open' : 'held'} when it returns ${a.summary.conditional === 'held-if-zero' ? '0' : 'true/non-NULL'}`);
    else if (openAt.length) out.push(`${label}: ${ops.join(', ')}; left ${kind === 'seq' ? 'open' : kind === 'range' ? 'started' : 'held'} on ${openAt.length} of ${plural(real.length, 'exit')}`);
    else if (kind === 'range') out.push(`${label}: start/end paired on ${where(n)}`);
    else out.push(`${label}: ${ops.join(', ')} on ${where(n)}`);
  }
  for (const r of a.emu.readers.values()) {
    const what = r.kind === 'interval' ? `interval notifier sequence of ${r.obj}` : `read section on ${r.obj}`;
    out.push(`${what}: ${r.checked ? `checked by ${r.kind === 'interval' ? 'mmu_interval_read_retry()' : 'a retry'}` : r.hinted ? 'only mmu_interval_check_retry() (a hint)' : 'no retry reached'}`);
  }
  if (a.summary?.conditional && !out.some((l) => l.includes('when it returns'))) out.push(`wrapper: effects only when it returns ${a.summary.conditional === 'held-if-zero' ? '0' : 'true/non-NULL'}`);
  if (!a.complete) out.push('partial: only part of the function is visible; imbalances are reported only where the visible code proves them');
  out.push(...a.boundNotes.map((b) => `bounded: ${b}`));
  return out;
}
