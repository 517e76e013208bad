/**
 * Candidate executions of a litmus test, enumerated with pruning as they are
 * built: one run per thread (reads take values from the value domain), then
 * per location a coherence order and a reads-from choice that must match
 * values, give each RMW read the write just before its own write (atomicity)
 * and keep po-loc | rf | co | fr acyclic (coherence) — all before the
 * locations are combined and the whole execution meets happens-before,
 * propagation and RCU.
 */
import { threadTraces, valueDomain } from './exec';
import { buildStatic, checkExecution, type StaticRels } from './model';
import { Rel } from './rel';
import { type Event, type Execution, LitmusError, type LitmusTest, type Prop, type ThreadTrace, type Val } from './types';

export interface ExploreResult {
  /** Executions the model allows (after the filter clause). */
  executions: number;
  /** Of those, how many satisfy the outcome. */
  matching: number;
  /** The first allowed execution satisfying the outcome. */
  witness: Execution | null;
  /** Candidates rejected per axiom (for --trace style reports). */
  rejected: Record<string, number>;
  /** Every allowed execution, when asked for (editor's "Show executions", timeline classes). */
  all?: Execution[];
}

export interface ExploreOptions {
  /** The outcome asked about; defaults to the test's condition proposition. */
  outcome?: (x: Execution) => boolean;
  /** Keep every allowed execution in the result. */
  keepAll?: boolean;
  /** Stop after this many candidates (a guard for editors); throws LitmusError beyond. */
  maxCandidates?: number;
}

interface LocChoice {
  co: number[];
  /** rf for the reads of this location: [read, write][] */
  rf: [number, number][];
}

/** Value of a final-state name: "tid:reg" or a location. */
export function finalValue(x: Execution, lhs: { tid: number | null; name: string }, test: LitmusTest): Val {
  if (lhs.tid !== null) {
    const regs = x.regs.get(lhs.tid);
    if (!regs) throw new LitmusError(`${test.path}: the condition names ${lhs.tid}:${lhs.name} but there is no P${lhs.tid}`);
    if (!regs.has(lhs.name)) {
      const init = test.regInit.get(`${lhs.tid}:${lhs.name}`);
      if (init !== undefined) return init;
      throw new LitmusError(`${test.path}: the condition names ${lhs.tid}:${lhs.name}, a register P${lhs.tid} never sets`);
    }
    return regs.get(lhs.name)!;
  }
  return x.final.get(lhs.name) ?? test.init.get(lhs.name) ?? 0;
}

export function evalProp(p: Prop, x: Execution, test: LitmusTest): boolean {
  switch (p.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evalProp(p.a, x, test);
    case 'and':
      return evalProp(p.a, x, test) && evalProp(p.b, x, test);
    case 'or':
      return evalProp(p.a, x, test) || evalProp(p.b, x, test);
    case 'eq':
      return (finalValue(x, p.lhs, test) === p.rhs) !== p.neg;
  }
}

/** The outcome a test asks about: the proposition of exists/~exists; for forall P, a counterexample (~P). */
export function conditionOutcome(test: LitmusTest): (x: Execution) => boolean {
  const c = test.condition;
  return c.kind === 'forall' ? (x) => !evalProp(c.prop, x, test) : (x) => evalProp(c.prop, x, test);
}

/** Every permutation of `ws` keeping same-thread writes in program order. */
function coOrders(ws: Event[]): Event[][] {
  const out: Event[][] = [];
  const used = new Array(ws.length).fill(false);
  const cur: Event[] = [];
  const rec = () => {
    if (cur.length === ws.length) {
      out.push([...cur]);
      return;
    }
    for (let i = 0; i < ws.length; i++) {
      if (used[i]) continue;
      // a po-earlier write of the same thread must already be placed
      if (ws.some((o, k) => !used[k] && k !== i && o.tid === ws[i].tid && o.idx < ws[i].idx)) continue;
      used[i] = true;
      cur.push(ws[i]);
      rec();
      cur.pop();
      used[i] = false;
    }
  };
  rec();
  return out;
}

/** Valid (co, rf) choices for one location: values match, RMW reads take their co-predecessor, coherence holds. */
function locationChoices(s: StaticRels, loc: string, init: Event): LocChoice[] {
  const ev = s.events;
  const ws = ev.filter((e) => e.kind === 'W' && e.loc === loc && e.tid >= 0);
  const rs = ev.filter((e) => e.kind === 'R' && e.loc === loc);
  const out: LocChoice[] = [];
  for (const order of coOrders(ws)) {
    const co = [init.id, ...order.map((e) => e.id)];
    // RMW reads are fixed; other reads range over writes with their value.
    const options: number[][] = rs.map((r) => {
      if (r.rmw !== null) {
        const w = ev.find((e) => e.tid === r.tid && e.idx === r.rmw)!;
        const p = co.indexOf(w.id);
        return p > 0 && ev[co[p - 1]].val === r.val ? [co[p - 1]] : [];
      }
      return co.filter((w) => ev[w].val === r.val);
    });
    if (options.some((o) => o.length === 0)) continue;
    const pick = new Array(rs.length).fill(0);
    for (;;) {
      const rf: [number, number][] = rs.map((r, i) => [r.id, options[i][pick[i]]]);
      if (coherent(s, co, rf)) out.push({ co, rf });
      let i = rs.length - 1;
      while (i >= 0 && pick[i] + 1 >= options[i].length) pick[i--] = 0;
      if (i < 0) break;
      pick[i]++;
    }
  }
  return out;
}

/** acyclic (po-loc | rf | co | fr) on one location, over its own events. */
function coherent(s: StaticRels, co: number[], rf: [number, number][]): boolean {
  const ids = [...co, ...rf.map(([r]) => r)];
  const local = new Map(ids.map((id, i) => [id, i]));
  const m = ids.length;
  const g = new Rel(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j && s.po.has(ids[i], ids[j])) g.add(i, j);
  for (let i = 0; i < co.length; i++) for (let j = i + 1; j < co.length; j++) g.add(i, j);
  for (const [r, w] of rf) {
    const ri = local.get(r)!;
    g.add(local.get(w)!, ri);
    for (let j = co.indexOf(w) + 1; j < co.length; j++) g.add(ri, j);
  }
  return g.acyclic();
}

/** Explore every execution of a test the model allows. */
export function explore(test: LitmusTest, opts: ExploreOptions = {}): ExploreResult {
  const outcome = opts.outcome ?? conditionOutcome(test);
  const domain = valueDomain(test);
  const perThread: ThreadTrace[][] = test.threads.map((t) => threadTraces(test, t, domain).traces);
  const locs = new Set<string>(test.init.keys());
  for (const ts of perThread) for (const tr of ts) for (const e of tr.events) if (e.loc) locs.add(e.loc);
  const locList = [...locs].sort();
  const initLocs = locList.map((loc) => ({ loc, val: test.init.get(loc) ?? 0 }));
  const result: ExploreResult = { executions: 0, matching: 0, witness: null, rejected: {}, ...(opts.keepAll ? { all: [] } : {}) };
  let candidates = 0;
  const max = opts.maxCandidates ?? 2_000_000;

  const pick = new Array(perThread.length).fill(0);
  if (perThread.some((t) => t.length === 0)) return result;
  for (;;) {
    const traces = perThread.map((ts, i) => ts[pick[i]]);
    combine(traces);
    let i = pick.length - 1;
    while (i >= 0 && pick[i] + 1 >= perThread[i].length) pick[i--] = 0;
    if (i < 0) break;
    pick[i]++;
  }
  return result;

  function combine(traces: ThreadTrace[]): void {
    // Quick value check: every read's value must be written by someone (or be initial).
    const written = new Map<string, Set<Val>>();
    for (const { loc, val } of initLocs) written.set(loc, new Set([val]));
    for (const tr of traces) for (const e of tr.events) if (e.kind === 'W') written.get(e.loc!)!.add(e.val!);
    for (const tr of traces) for (const e of tr.events) if (e.kind === 'R' && !written.get(e.loc!)!.has(e.val!)) return;

    const s = buildStatic(initLocs, traces.map((t) => t.events));
    const perLoc: LocChoice[][] = locList.map((loc, k) => locationChoices(s, loc, s.events[k]));
    if (perLoc.some((c) => c.length === 0)) return;
    const regs = new Map<number, Map<string, Val>>(traces.map((t, tid) => [tid, t.regs]));
    const sel = new Array(perLoc.length).fill(0);
    const rfOf = new Int32Array(s.n);
    for (;;) {
      if (++candidates > max) throw new LitmusError(`${test.path}: more than ${max} candidate executions; too large to explore`);
      rfOf.fill(-1);
      const co: number[][] = [];
      perLoc.forEach((c, k) => {
        const ch = c[sel[k]];
        co.push(ch.co);
        for (const [r, w] of ch.rf) rfOf[r] = w;
      });
      const verdict = checkExecution(s, rfOf, co);
      if (verdict) result.rejected[verdict] = (result.rejected[verdict] ?? 0) + 1;
      else {
        const final = new Map<string, Val>();
        co.forEach((order, k) => final.set(locList[k], s.events[order[order.length - 1]].val!));
        const rf = new Map<number, number>();
        for (let r = 0; r < s.n; r++) if (rfOf[r] >= 0) rf.set(r, rfOf[r]);
        const x: Execution = { events: s.events, rf, co: new Map(co.map((order, k) => [locList[k], order])), regs, final };
        if (!test.filter || evalProp(test.filter, x, test)) {
          result.executions++;
          if (opts.keepAll) result.all!.push(x);
          if (outcome(x)) {
            result.matching++;
            if (!result.witness) result.witness = x;
          }
        }
      }
      let i = sel.length - 1;
      while (i >= 0 && sel[i] + 1 >= perLoc[i].length) sel[i--] = 0;
      if (i < 0) break;
      sel[i]++;
    }
  }
}
