/**
 * Open-coded sequence counts and the seqcount API forms that leave the ordering
 * to the caller. A writer increments a counter, fences, stores the data, fences
 * and increments again; a reader loads the counter (saving it), fences, loads
 * the data, fences and re-loads the counter to compare it with the saved value
 * (possibly saved by another function of the same document).
 *
 * Precision first: a shape is only checked when the document shows that the
 * code is meant to be lockless (a barrier next to the counter somewhere, or a
 * seqcount API on it), and an unknown call or a lock operation on the way makes
 * the check give up rather than guess.
 */
import type { CFunction, DocumentContext } from '../rules/framework';
import type { Node } from 'web-tree-sitter';
import { declaredName, walk } from '../c/ast';
import { commentsOf, documentingComment } from './comments';
import { documentEvents, fieldOf, type FnEvents, type IncEvent, type LoadEvent, type OrdEvent, type Operand, type SeqEvent, type StoreEvent } from './events';

export interface ReaderIssue {
  kind: 'recheck' | 'recheck-entry' | 'begin';
  fn: CFunction;
  /** The counter read that is not ordered (the re-check, or the saving load). */
  at: LoadEvent | SeqEvent;
  counter: string;
  /** The data load on the wrong side of the missing barrier (null: the loads are before this function). */
  data: LoadEvent | null;
  /** Where the value compared against was saved. */
  savedIn?: { fn: CFunction; event: LoadEvent | SeqEvent } | null;
  api?: string;
}

export interface WriterIssue {
  kind: 'begin' | 'end';
  fn: CFunction;
  inc: IncEvent;
  counter: string;
  store: StoreEvent | IncEvent;
}

function usable(fe: FnEvents): boolean {
  return fe.fn.fragment.kind !== 'pre';
}

const isRead = (e: OrdEvent): e is LoadEvent | SeqEvent => e.t === 'load' || (e.t === 'seq' && (e.role === 'read-begin' || e.role === 'read-check'));

/** Why mmlens takes a location for a sequence count: named in findings and traces. */
export interface CounterEvidence {
  kind: 'writer' | 'reader' | 'type' | 'comment';
  fn: CFunction | null;
  node: Node;
  /** In words, e.g. "`pool->seq` is read, fenced and re-read in stats_read()". */
  text: string;
}

export interface SeqcountModel {
  /** Open-coded counters (location keys) with evidence on that object in one function, or from a declared type or a comment. */
  openCoded: Set<string>;
  /** Fields named by a seqcount API call somewhere in the document, or declared seqcount_t/seqcount_*_t/seqlock_t. */
  apiCounters: Set<string>;
  /** Evidence per open-coded counter key. */
  evidence: Map<string, CounterEvidence>;
  reader: ReaderIssue[];
  writer: WriterIssue[];
}

export function seqcountModel(ctx: DocumentContext): SeqcountModel {
  return ctx.memo('ordering/seqcount', () => build(ctx));
}

const SEQ_TYPE = /^(seqcount_t|seqcount_\w+_t|seqcount_latch_t|seqlock_t)$/;
/** A comment's own words saying a location is a sequence count. */
const SEQ_WORDS = /\b(seq(uence)?[ -]?(count(er)?|lock|number)s?|seqcount|odd (means|while|when|=)|(is|stays|becomes) odd\b)/i;

/** Barriers written out as such (a value-returning atomic orders too, but is no evidence of a hand-made sequence count). */
const EXPLICIT = /^(__)?(smp_|virt_|dma_)?[rw]?mb$|^smp_acquire__after_ctrl_dep$|^smp_store_mb$/;
const isWriteFence = (e: OrdEvent | undefined): boolean => !!e && e.t === 'barrier' && EXPLICIT.test(e.name) && (e.strength === 'write' || e.strength === 'full');
const isReadFence = (e: OrdEvent | undefined): boolean => !!e && ((e.t === 'barrier' && EXPLICIT.test(e.name) && (e.strength === 'read' || e.strength === 'full')) || (e.t === 'load' && e.via === 'acquire'));
const fenceName = (e: OrdEvent): string => (e.t === 'barrier' ? `${e.name}()` : e.t === 'load' ? 'an acquire load' : 'a release store');

/** Fields declared with a seqcount type anywhere in the document. */
function declaredSeqcounts(ctx: DocumentContext): Set<string> {
  const out = new Set<string>();
  for (const pf of ctx.fragments)
    walk(pf.tree.rootNode, (n) => {
      if (n.type !== 'field_declaration' && n.type !== 'declaration') return;
      const t = n.childForFieldName('type');
      if (!t || !SEQ_TYPE.test(t.text.trim())) return n.type === 'declaration' ? undefined : false;
      for (const d of n.childrenForFieldName('declarator')) {
        const name = declaredName(d ?? null);
        if (name) out.add(name);
      }
      return false;
    });
  return out;
}

function build(ctx: DocumentContext): SeqcountModel {
  const all = [...documentEvents(ctx).values()].filter(usable);
  const apiCounters = declaredSeqcounts(ctx);
  for (const fe of all) for (const e of fe.events) if (e.t === 'seq' && e.field) apiCounters.add(e.field);

  // Where each counter value was saved outside a local: key of the destination → reads that saved it.
  const savedBy = new Map<string, { fn: CFunction; event: LoadEvent | SeqEvent }[]>();
  for (const fe of all)
    for (const e of fe.events)
      if (isRead(e) && e.savedTo && !e.savedLocal) {
        const saves = savedBy.get(e.savedTo);
        if (saves) saves.push({ fn: fe.fn, event: e });
        else savedBy.set(e.savedTo, [{ fn: fe.fn, event: e }]);
      }

  const evidence = new Map<string, CounterEvidence>();
  const add = (key: string, ev: CounterEvidence) => {
    if (key === '*' || !key || evidence.has(key) || apiCounters.has(fieldOf(key))) return;
    evidence.set(key, ev);
  };
  for (const fe of all) {
    const ev = fe.events;
    const fn = fe.fn;
    // Writer: a counter stepped on both sides of a write fence, or stepped right next to one.
    const incs = ev.filter((e): e is IncEvent => e.t === 'inc' && !!e.unit);
    const byKey = new Map<string, IncEvent[]>();
    for (const e of incs) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    for (const [k, list] of byKey) {
      for (let i = 0; i + 1 < list.length && !evidence.has(k); i++) {
        const a = list[i];
        const b = list[i + 1];
        const fence = ev.slice(a.index + 1, b.index).find(isWriteFence) ?? (b.via === 'release' ? b : undefined);
        if (fence) add(k, { kind: 'writer', fn, node: a.node, text: `\`${k}\` is incremented on both sides of ${fenceName(fence)} in ${fn.name}()` });
      }
      for (const a of list) {
        const fence = [ev[a.index - 1], ev[a.index + 1]].find(isWriteFence);
        if (fence) add(k, { kind: 'writer', fn, node: a.node, text: `\`${k}\` is incremented right ${fence.index < a.index ? 'after' : 'before'} ${fenceName(fence)} in ${fn.name}()` });
      }
    }
    // Reader: the counter saved, fenced, then re-read and compared with the saved value.
    for (const e of ev) {
      if (e.t !== 'compare') continue;
      for (const [x, y] of [
        [e.a, e.b],
        [e.b, e.a],
      ] as const) {
        const fresh = x.read ?? (x.local ? lastAssign(ev, x.local, e.index)?.read : undefined);
        if (!fresh || fresh.t !== 'load') continue;
        let saved: { fn: CFunction; event: LoadEvent | SeqEvent } | undefined;
        if (y.local) {
          const r = lastAssign(ev, y.local, e.index)?.read;
          if (r && r !== fresh && r.t === 'load' && r.key === fresh.key && r.index < fresh.index) saved = { fn, event: r };
        } else {
          const k = y.key ?? y.read?.key;
          saved = k ? savedBy.get(k)?.find((s) => s.event.t === 'load' && s.event.key === fresh.key && s.event !== fresh) : undefined;
        }
        if (!saved) continue;
        if (saved.fn === fn && y.local) {
          const fence = ev.slice(saved.event.index, fresh.index).find(isReadFence);
          if (fence) add(fresh.key, { kind: 'reader', fn, node: fresh.node, text: `\`${fresh.key}\` is read, fenced by ${fenceName(fence)} and re-read in ${fn.name}()` });
        } else {
          const sev = documentEvents(ctx).get(saved.fn)?.events ?? [];
          const after = sev[saved.event.index + 1];
          const fence = saved.event.t === 'load' && saved.event.via === 'acquire' ? saved.event : isReadFence(after) ? after : undefined;
          const where = saved.fn === fn ? `${fn.name}()` : `${saved.fn.name}(), then re-read and compared in ${fn.name}()`;
          if (fence) add(fresh.key, { kind: 'reader', fn, node: fresh.node, text: `\`${fresh.key}\` is saved and fenced by ${fenceName(fence)} in ${where}` });
        }
      }
    }
  }
  // The comments' own words: a comment on a step of the counter calls it a sequence count.
  for (const fe of all) {
    const pf = ctx.fragments.find((p) => p.fragment === fe.fn.fragment);
    if (!pf) continue;
    const comments = commentsOf(ctx, pf).filter((c) => SEQ_WORDS.test(c.words));
    if (!comments.length) continue;
    for (const e of fe.events) {
      if (!((e.t === 'inc' && e.unit) || (e.t === 'load' && e.savedTo)) || evidence.has(e.key)) continue;
      const c = documentingComment(comments, e.node.startPosition.row);
      if (c) add(e.key, { kind: 'comment', fn: fe.fn, node: c.node, text: `the comment at \`${e.node.text.replace(/\s+/g, ' ').slice(0, 40)}\` in ${fe.fn.name}() calls it a sequence count ("${c.words.slice(0, 60)}")` });
    }
  }
  const openCoded = new Set(evidence.keys());

  const reader: ReaderIssue[] = [];
  const writer: WriterIssue[] = [];
  // Re-checks first: a saving load is only a reader's begin when its counter is re-checked somewhere.
  const checked = new Set<string>();
  const pending: (() => void)[] = [];
  for (const fe of all) pending.push(checkReader(fe, openCoded, apiCounters, savedBy, reader, checked));
  for (const p of pending) p();
  for (const fe of all) checkWriter(fe, openCoded, writer);
  return { openCoded, apiCounters, evidence, reader, writer };
}

/** The latest assignment to a local before `index`. */
function lastAssign(ev: OrdEvent[], local: string, index: number): Operand | null {
  for (let i = index - 1; i >= 0; i--) {
    const e = ev[i];
    if (e.t === 'assign' && e.local === local) return e.from;
  }
  return null;
}

function checkReader(
  fe: FnEvents,
  openCoded: Set<string>,
  apiCounters: Set<string>,
  savedBy: Map<string, { fn: CFunction; event: LoadEvent | SeqEvent }[]>,
  out: ReaderIssue[],
  checked: Set<string>,
): () => void {
  const ev = fe.events;
  const isCounter = (e: LoadEvent | SeqEvent) => openCoded.has(e.key) || apiCounters.has(e.field);
  /** One counter whatever the access: the key of an open-coded one, the field of an API one. */
  const idOf = (e: LoadEvent | SeqEvent) => (openCoded.has(e.key) ? `k:${e.key}` : `f:${e.field}`);
  /** A plain or marked load of a counter: an open-coded one, or the `.sequence` of a seqcount_t read by hand. */
  const openLoad = (e: LoadEvent) => openCoded.has(e.key) || (apiCounters.has(e.field) && /\.sequence$/.test(e.key));
  /** The read an operand stands for (directly or through a local). */
  const readOf = (op: Operand, at: number): LoadEvent | SeqEvent | null => {
    if (op.read) return op.read;
    if (op.local) {
      const from = lastAssign(ev, op.local, at);
      return from?.read ?? null;
    }
    return null;
  };
  /** Is the operand a value of `field` saved by another read than `fresh`? */
  const savedValue = (op: Operand, field: string, fresh: LoadEvent | SeqEvent, at: number): { fn: CFunction; event: LoadEvent | SeqEvent } | null | undefined => {
    if (op.local) {
      const from = lastAssign(ev, op.local, at);
      const r = from?.read;
      if (r && r !== fresh && idOf(r) === field && r.index < fresh.index) return { fn: fe.fn, event: r };
      return undefined;
    }
    const key = op.key ?? op.read?.key;
    if (!key) return undefined;
    return savedBy.get(key)?.find((s) => idOf(s.event) === field && s.event !== fresh);
  };

  const checks: { fresh: LoadEvent | SeqEvent; saved: { fn: CFunction; event: LoadEvent | SeqEvent }; api?: string }[] = [];
  for (const e of ev) {
    if (e.t === 'compare') {
      for (const [x, y] of [
        [e.a, e.b],
        [e.b, e.a],
      ] as const) {
        const fresh = readOf(x, e.index);
        if (!fresh || !isCounter(fresh)) continue;
        if (fresh.t === 'seq' && fresh.role !== 'read-check') continue;
        if (fresh.t === 'load' && !openLoad(fresh)) continue;
        const saved = savedValue(y, idOf(fresh), fresh, e.index);
        if (!saved) continue;
        if (!checks.some((c) => c.fresh === fresh)) checks.push({ fresh, saved, api: fresh.t === 'seq' ? fresh.name : undefined });
      }
    } else if (e.t === 'seq' && e.role === 'read-retry-unordered' && apiCounters.has(e.field)) {
      checks.push({ fresh: e, saved: { fn: fe.fn, event: e }, api: e.name });
    }
  }

  for (const c of checks) {
    const r = c.fresh;
    // Acquire or not, the re-read itself orders nothing before it: look back for a read barrier.
    let verdict: 'ok' | 'unknown' | LoadEvent | 'entry' = 'entry';
    for (let i = r.index - 1; i >= 0; i--) {
      const e = ev[i];
      if (e.t === 'barrier' && (e.strength === 'read' || e.strength === 'full')) {
        verdict = 'ok';
        break;
      }
      if (e.t === 'lock' || e.t === 'call' || (e.t === 'seq' && e.role !== 'read-check')) {
        if (e.t === 'seq' && idOf(e) === idOf(r) && e.role === 'read-begin') verdict = 'ok'; // nothing read since the begin
        else verdict = e.t === 'seq' && e.role === 'read-retry' ? 'ok' : 'unknown';
        break;
      }
      if (isRead(e) && idOf(e) === idOf(r)) {
        verdict = 'ok'; // back at the saving read: nothing loaded in between
        break;
      }
      if (e.t === 'load' && !isCounter(e)) {
        verdict = e.via === 'acquire' ? 'ok' : e;
        break;
      }
    }
    if (verdict === 'ok' || verdict === 'unknown') continue;
    if (verdict === 'entry') {
      // Only when the saved value comes from another function (the section spans functions) and this one is whole.
      if (c.saved.fn === fe.fn || fe.fn.partial || fe.fn.synthetic) continue;
      out.push({ kind: 'recheck-entry', fn: fe.fn, at: r, counter: r.key, data: null, savedIn: c.saved, api: c.api });
    } else {
      out.push({ kind: 'recheck', fn: fe.fn, at: r, counter: r.key, data: verdict, savedIn: c.saved, api: c.api });
    }
  }

  for (const c of checks) checked.add(idOf(c.fresh));
  // The saving read of an open-coded counter must be followed by a read barrier before the data loads.
  const checkReads = new Set(checks.map((c) => c.fresh));
  return () => {
    for (const e of ev) {
      if (e.t !== 'load' || !e.savedTo || e.via === 'acquire' || !openLoad(e) || checkReads.has(e) || !checked.has(idOf(e))) continue;
      let data: LoadEvent | null = null;
      for (let i = e.index + 1; i < ev.length; i++) {
        const n = ev[i];
        if (n.t === 'barrier' && (n.strength === 'read' || n.strength === 'full')) break;
        if (n.t === 'lock' || n.t === 'call' || n.t === 'seq') break;
        if (isRead(n) && idOf(n) === idOf(e)) break;
        if (n.t === 'load' && !isCounter(n) && n.key !== e.savedTo) {
          data = n;
          break;
        }
      }
      if (data) out.push({ kind: 'begin', fn: fe.fn, at: e, counter: e.key, data });
    }
  };
}

function checkWriter(fe: FnEvents, openCoded: Set<string>, out: WriterIssue[]): void {
  const ev = fe.events;
  const fields = new Set(ev.filter((e): e is IncEvent => e.t === 'inc' && !!e.unit && openCoded.has(e.key)).map((e) => e.key));
  const hasWriteFence = ev.some((e) => e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full'));
  for (const f of fields) {
    const incs = ev.filter((e): e is IncEvent => e.t === 'inc' && !!e.unit && e.key === f);
    const isData = (e: OrdEvent): e is StoreEvent | IncEvent => (e.t === 'store' || e.t === 'inc') && e.key !== f;
    incs.forEach((inc, k) => {
      const next = incs[k + 1];
      const prev = incs[k - 1];
      // Forward: the count must be visible before the data stores of the section.
      if (next) {
        for (let i = inc.index + 1; i < next.index; i++) {
          const e = ev[i];
          if (e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full' || e.strength === 'release')) break;
          if (e.t === 'lock' || e.t === 'call' || e.t === 'seq') break;
          if (isData(e)) {
            if (e.via !== 'release') out.push({ kind: 'begin', fn: fe.fn, inc, counter: inc.key, store: e });
            break;
          }
        }
      }
      // Backward: the data stores must be visible before the count that closes the section.
      if (inc.via === 'release') return;
      if (!prev && !hasWriteFence && !openCoded.has(f)) return;
      const stop = prev ? prev.index : -1;
      for (let i = inc.index - 1; i > stop; i--) {
        const e = ev[i];
        if (e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full')) break;
        if (e.t === 'lock' || e.t === 'call' || e.t === 'seq') break;
        if (isData(e)) {
          // A lone increment after stores, in a function with no fence at all, is not shown to be a section end.
          if (!prev && !hasWriteFence) break;
          out.push({ kind: 'end', fn: fe.fn, inc, counter: inc.key, store: e });
          break;
        }
      }
    });
  }
}
