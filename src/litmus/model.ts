/**
 * The Linux-kernel memory model as a checker of one candidate execution,
 * written from tools/memory-model/Documentation/explanation.txt and the
 * definitions in linux-kernel.bell/.cat (lock.cat for spinlocks):
 *
 *   coherence        acyclic (po-loc | rf | co | fr)   — checked per location while enumerating
 *   atomicity        empty rmw & (fre ; coe)           — the RMW read takes the write just before it in co
 *   happens-before   acyclic hb, hb = ppo | rfe | ((prop \ id) & int)
 *   propagation      acyclic pb, pb = prop ; strong-fence ; hb*
 *   rcu              irreflexive rb, rb = prop ; po ; rcu-fence ; po? ; hb* ; pb*
 *
 * Every access the explorer builds is marked (READ_ONCE and stronger): plain
 * accesses are refused up front, so [Marked] filters are the identity here.
 */
import { Rel } from './rel';
import type { Event, ThreadEvent } from './types';

/** The parts of an execution that do not depend on rf and co. */
export interface StaticRels {
  n: number;
  events: Event[];
  po: Rel;
  int: Rel;
  addr: Rel;
  data: Rel;
  ctrl: Rel;
  rmw: Rel;
  strong: Rel;
  poRel: Rel;
  acqPo: Rel;
  wmb: Rel;
  rmb: Rel;
  fence: Rel;
  /** rcu_read_unlock → its rcu_read_lock. */
  rscsi: Rel;
  /** identity on synchronize_rcu events. */
  rcuGp: Rel;
  hasRcu: boolean;
  /** smp_mb__after_unlock_lock() fences: [UL-thread events before UL, UL, LKW, events after the fence]. */
  afterUnlockLock: { before: number[]; ul: number; lkw: number; after: number[] }[];
}

const isMem = (e: ThreadEvent) => e.kind !== 'F';

/**
 * Build the node list and static relations for one choice of thread runs.
 * Nodes: initial writes, then every read and write, and the RCU fences
 * (rcu_read_lock/unlock, synchronize_rcu), which rcu-order needs as nodes.
 * Other fences only shape relations between accesses.
 */
export function buildStatic(initLocs: { loc: string; val: Event['val'] }[], threads: ThreadEvent[][]): StaticRels {
  const events: Event[] = [];
  initLocs.forEach(({ loc, val }, k) => {
    events.push({ id: events.length, tid: -1 - k, idx: -1, kind: 'W', loc, val, fence: null, acquire: false, release: false, noreturn: false, rmw: null, lock: null, addr: [], data: [], ctrl: [], api: 'init', pos: { line: 0, column: 0 } });
  });
  const nodeOf: number[][] = [];
  threads.forEach((tev, tid) => {
    nodeOf[tid] = tev.map((e, idx) => {
      if (e.kind === 'F' && e.fence !== 'rcu-lock' && e.fence !== 'rcu-unlock' && e.fence !== 'sync-rcu') return -1;
      events.push({ ...e, id: events.length, tid, idx });
      return events.length - 1;
    });
  });
  const n = events.length;
  const po = new Rel(n);
  const int = new Rel(n);
  const addr = new Rel(n);
  const data = new Rel(n);
  const ctrl = new Rel(n);
  const rmw = new Rel(n);
  const mb = new Rel(n);
  const wmb = new Rel(n);
  const rmb = new Rel(n);
  const gp = new Rel(n);
  const poRel = new Rel(n);
  const acqPo = new Rel(n);
  const rscsi = new Rel(n);
  const rcuGp = new Rel(n);
  let hasRcu = false;
  const afterUnlockLock: StaticRels['afterUnlockLock'] = [];
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (events[a].tid === events[b].tid) int.add(a, b);

  threads.forEach((tev, tid) => {
    const nodes = nodeOf[tid];
    const m = tev.length;
    for (let i = 0; i < m; i++) {
      const ni = nodes[i];
      if (ni < 0) continue;
      const e = tev[i];
      for (const d of e.addr) if (nodes[d] >= 0) addr.add(nodes[d], ni);
      for (const d of e.data) if (nodes[d] >= 0) data.add(nodes[d], ni);
      for (const d of e.ctrl) if (nodes[d] >= 0) ctrl.add(nodes[d], ni);
      if (e.rmw !== null && e.kind === 'R') rmw.add(ni, nodes[e.rmw]);
      if (e.fence === 'sync-rcu') {
        rcuGp.add(ni, ni);
        hasRcu = true;
      }
      for (let j = i + 1; j < m; j++) {
        const nj = nodes[j];
        if (nj < 0) continue;
        po.add(ni, nj);
        const f = tev[j];
        if (isMem(e) && f.kind === 'W' && f.release) poRel.add(ni, nj);
        if (e.kind === 'R' && e.acquire && isMem(f)) acqPo.add(ni, nj);
      }
    }
    // Fences between two accesses of the thread.
    for (let k = 0; k < m; k++) {
      const F = tev[k].fence;
      if (!F) continue;
      if (F === 'sync-rcu') {
        // gp = po ; [Sync-rcu] ; po?
        for (let i = 0; i < k; i++) {
          if (nodes[i] < 0) continue;
          gp.add(nodes[i], nodes[k]);
          for (let j = k + 1; j < m; j++) if (nodes[j] >= 0) gp.add(nodes[i], nodes[j]);
        }
        continue;
      }
      if (F === 'rcu-lock' || F === 'rcu-unlock') {
        hasRcu = true;
        continue;
      }
      const before: number[] = [];
      const after: number[] = [];
      for (let i = 0; i < k; i++) if (isMem(tev[i])) before.push(i);
      for (let j = k + 1; j < m; j++) if (isMem(tev[j])) after.push(j);
      const rmwEv = (i: number) => tev[i].rmw !== null && tev[i].lock === null;
      for (const i of before)
        for (const j of after) {
          const a = tev[i];
          const b = tev[j];
          const A = nodes[i];
          const B = nodes[j];
          switch (F) {
            case 'mb':
              mb.add(A, B);
              break;
            case 'wmb':
              if (a.kind === 'W' && b.kind === 'W') wmb.add(A, B);
              break;
            case 'rmb':
              if (a.kind === 'R' && b.kind === 'R' && !a.noreturn && !b.noreturn) rmb.add(A, B);
              break;
            case 'before-atomic':
              // [M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M]
              if (rmwEv(j) || after.some((c) => c <= j && rmwEv(c))) mb.add(A, B);
              break;
            case 'after-atomic':
              // [M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M]
              if (rmwEv(i) || before.some((c) => c >= i && rmwEv(c))) mb.add(A, B);
              break;
            case 'after-spinlock':
              // [M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M]
              if (a.lock === 'LKW' || before.some((c) => c >= i && tev[c].lock === 'LKW')) mb.add(A, B);
              break;
            default:
              break;
          }
        }
      if (F === 'after-unlock-lock') {
        // [M] ; po ; [UL] ; (co | po) ; [LKW] ; fencerel(After-unlock-lock) ; [M]: the LKW is the last lock before the fence.
        const lkw = [...before].reverse().find((c) => tev[c].lock === 'LKW');
        if (lkw !== undefined) {
          // UL in the same thread before the LKW (po), or any UL co-before it (resolved with co).
          for (let u = 0; u < lkw; u++) if (tev[u].lock === 'UL') for (let i = 0; i < u; i++) if (isMem(tev[i])) for (const j of after) mb.add(nodes[i], nodes[j]);
          afterUnlockLock.push({ before: [], ul: -1, lkw: nodes[lkw], after: after.map((j) => nodes[j]) });
        }
      }
    }
    // rcu-rscs: nested rcu_read_lock/unlock matched innermost first.
    const stack: number[] = [];
    for (let i = 0; i < m; i++) {
      if (tev[i].fence === 'rcu-lock') stack.push(i);
      else if (tev[i].fence === 'rcu-unlock') {
        const l = stack.pop();
        if (l !== undefined) rscsi.add(nodes[i], nodes[l]);
      }
    }
  });
  const strong = mb.union(gp);
  const fence = strong.union(poRel, acqPo, wmb, rmb);
  return { n, events, po, int, addr, data, ctrl, rmw, strong, poRel, acqPo, wmb, rmb, fence, rscsi, rcuGp, hasRcu, afterUnlockLock };
}

/** Which axiom an execution breaks, or null when the model allows it. */
export type Verdict = null | 'happens-before' | 'propagation' | 'rcu';

/** Check one candidate: rf (read → write) and co (per location, in order). Coherence and atomicity were checked while enumerating. */
export function checkExecution(s: StaticRels, rfOf: Int32Array, co: number[][]): Verdict {
  const n = s.n;
  const ev = s.events;
  const rf = new Rel(n);
  for (let r = 0; r < n; r++) if (rfOf[r] >= 0) rf.add(rfOf[r], r);
  const coR = new Rel(n);
  const fr = new Rel(n);
  const coPos = new Int32Array(n).fill(-1);
  for (const order of co) {
    order.forEach((w, i) => {
      coPos[w] = i;
      for (let j = i + 1; j < order.length; j++) coR.add(w, order[j]);
    });
  }
  const coOfLoc = new Map<string, number[]>();
  for (const order of co) if (order.length) coOfLoc.set(ev[order[0]].loc!, order);
  for (let r = 0; r < n; r++) {
    const w = rfOf[r];
    if (w < 0) continue;
    const order = coOfLoc.get(ev[r].loc!)!;
    for (let j = coPos[w] + 1; j < order.length; j++) fr.add(r, order[j]);
  }
  const ext = (a: number, b: number) => ev[a].tid !== ev[b].tid;
  const intF = (r: Rel) => r.inter(s.int);
  const extF = (r: Rel) => r.minus(s.int);
  const rfe = extF(rf);
  const rfi = intF(rf);

  let strong = s.strong;
  if (s.afterUnlockLock.length) {
    // UL co-before the LKW in another thread: events before that UL are strongly ordered before the events after the fence.
    const extra = new Rel(n);
    for (const a of s.afterUnlockLock)
      for (let u = 0; u < n; u++)
        if (ev[u].lock === 'UL' && coR.has(u, a.lkw) && ext(u, a.lkw)) for (let i = 0; i < n; i++) if (s.po.has(i, u) && ev[i].kind !== 'F') for (const j of a.after) extra.add(i, j);
    strong = strong.union(extra);
  }

  // po ; [UL] ; rf ; [LKR] ; po
  const pulrlp = new Rel(n);
  for (let l = 0; l < n; l++) {
    const u = rfOf[l];
    if (u < 0 || ev[l].lock !== 'LKR' || ev[u].lock !== 'UL') continue;
    for (let a = 0; a < n; a++) if (s.po.has(a, u)) for (let b = 0; b < n; b++) if (s.po.has(l, b)) pulrlp.add(a, b);
  }

  const dep = s.addr.union(s.data);
  const isW = (i: number) => ev[i].kind === 'W';
  const toR = s.addr.union(dep.seq(rfi));
  const toW = dep.union(s.ctrl).filter(null, isW).union(intF(coR.union(fr)));
  const ppo = toR.union(toW, s.fence, intF(pulrlp));
  const cumul = rfe.opt().seq(strong.union(s.poRel)).union(s.wmb, pulrlp);
  const prop = extF(coR.union(fr)).opt().seq(cumul.star()).seq(rfe.opt());
  const hb = ppo.union(rfe, intF(prop.minus(Rel.id(n))));
  const hbPlus = hb.plus();
  if (!hbPlus.irreflexive()) return 'happens-before';
  const hbStar = hbPlus.union(Rel.id(n));
  const pb = prop.seq(strong).seq(hbStar);
  const pbPlus = pb.plus();
  if (!pbPlus.irreflexive()) return 'propagation';
  if (s.hasRcu) {
    const pbStar = pbPlus.union(Rel.id(n));
    const link = s.po.opt().seq(hbStar).seq(pbStar).seq(prop).seq(s.po);
    const rcuFence = rcuOrder(n, s.rcuGp, s.rscsi, link);
    const rb = prop.seq(s.po).seq(rcuFence).seq(s.po.opt()).seq(hbStar).seq(pbStar);
    if (!rb.irreflexive()) return 'rcu';
  }
  return null;
}

/**
 * rcu-fence: chains of grace periods and read-side critical sections joined
 * by rcu-link, with at least as many grace periods as critical sections.
 * Computed over (event, balance) where balance = #gp − #cs so far, clamped.
 */
function rcuOrder(n: number, gp: Rel, rscsi: Rel, link: Rel): Rel {
  const elems: { from: number; to: number; d: number }[] = [];
  for (let i = 0; i < n; i++) if (gp.has(i, i)) elems.push({ from: i, to: i, d: 1 });
  for (const [u, l] of rscsi.pairs()) elems.push({ from: u, to: l, d: -1 });
  const B = elems.length + 1;
  const out = new Rel(n);
  for (const start of elems) {
    // BFS over (element index, balance).
    const seen = new Set<string>();
    const queue: { e: number; bal: number }[] = [];
    const push = (e: number, bal: number) => {
      const b = Math.max(-B, Math.min(B, bal));
      const k = `${e}:${b}`;
      if (seen.has(k)) return;
      seen.add(k);
      queue.push({ e, bal: b });
    };
    push(elems.indexOf(start), start.d);
    while (queue.length) {
      const { e, bal } = queue.shift()!;
      const cur = elems[e];
      if (bal >= 0) out.add(start.from, cur.to);
      elems.forEach((nx, k) => {
        if (link.has(cur.to, nx.from)) push(k, bal + nx.d);
      });
    }
  }
  return out;
}
