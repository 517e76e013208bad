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
import { documentEvents, type FnEvents, type IncEvent, type LoadEvent, type OrdEvent, type Operand, type SeqEvent, type StoreEvent } from './events';

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

export interface SeqcountModel {
  /** Counter fields with an open-coded writer or reader that uses barriers. */
  openCoded: Set<string>;
  /** Fields named by a seqcount API call somewhere in the document. */
  apiCounters: Set<string>;
  writerEvidence: Set<string>;
  readerEvidence: Set<string>;
  reader: ReaderIssue[];
  writer: WriterIssue[];
}

export function seqcountModel(ctx: DocumentContext): SeqcountModel {
  return ctx.memo('ordering/seqcount', () => build(ctx));
}

function build(ctx: DocumentContext): SeqcountModel {
  const all = [...documentEvents(ctx).values()].filter(usable);
  const writerEvidence = new Set<string>();
  const readerEvidence = new Set<string>();
  const apiCounters = new Set<string>();
  // Fields whose freshly read value is compared with something: candidate counters on the read side.
  const compared = new Set<string>();
  for (const fe of all)
    for (const e of fe.events) {
      if (e.t !== 'compare') continue;
      for (const op of [e.a, e.b]) {
        const r = op.read ?? (op.local ? lastAssign(fe.events, op.local, e.index)?.read : undefined);
        if (r) compared.add(r.field);
      }
    }
  for (const fe of all) {
    const ev = fe.events;
    const hasWriteFence = ev.some((e) => (e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full')) || ((e.t === 'inc' || e.t === 'store') && e.via === 'release'));
    const hasReadFence = ev.some((e) => (e.t === 'barrier' && (e.strength === 'read' || e.strength === 'full')) || (e.t === 'load' && e.via === 'acquire'));
    for (const e of ev) {
      if (e.t === 'inc' && hasWriteFence) writerEvidence.add(e.field);
      if (e.t === 'load' && e.savedTo && hasReadFence && compared.has(e.field)) readerEvidence.add(e.field);
      if (e.t === 'seq' && e.field) apiCounters.add(e.field);
    }
  }
  // A field written by a seqcount API is not an open-coded counter; its users go through the API rules.
  const openCoded = new Set([...writerEvidence, ...readerEvidence].filter((f) => !apiCounters.has(f) && f !== '*'));

  // Where each counter value was saved: key of the destination → reads that saved it.
  const savedBy = new Map<string, { fn: CFunction; event: LoadEvent | SeqEvent }[]>();
  for (const fe of all)
    for (const e of fe.events)
      if (isRead(e) && e.savedTo && !e.savedLocal) {
        const saves = savedBy.get(e.savedTo);
        if (saves) saves.push({ fn: fe.fn, event: e });
        else savedBy.set(e.savedTo, [{ fn: fe.fn, event: e }]);
      }

  const reader: ReaderIssue[] = [];
  const writer: WriterIssue[] = [];
  // Re-checks first: a saving load is only a reader's begin when its counter is re-checked somewhere.
  const checked = new Set<string>();
  const pending: (() => void)[] = [];
  for (const fe of all) pending.push(checkReader(fe, openCoded, apiCounters, savedBy, reader, checked));
  for (const p of pending) p();
  for (const fe of all) checkWriter(fe, openCoded, readerEvidence, writer);
  return { openCoded, apiCounters, writerEvidence, readerEvidence, reader, writer };
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
  const isCounter = (f: string) => openCoded.has(f) || apiCounters.has(f);
  /** A plain or marked load of a counter: an open-coded one, or the `.sequence` of a seqcount_t read by hand. */
  const openLoad = (e: LoadEvent) => openCoded.has(e.field) || (apiCounters.has(e.field) && /\.sequence$/.test(e.key));
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
      if (r && r !== fresh && r.field === field && r.index < fresh.index) return { fn: fe.fn, event: r };
      return undefined;
    }
    const key = op.key ?? op.read?.key;
    if (!key) return undefined;
    return savedBy.get(key)?.find((s) => s.event.field === field && s.event !== fresh);
  };

  const checks: { fresh: LoadEvent | SeqEvent; saved: { fn: CFunction; event: LoadEvent | SeqEvent }; api?: string }[] = [];
  for (const e of ev) {
    if (e.t === 'compare') {
      for (const [x, y] of [
        [e.a, e.b],
        [e.b, e.a],
      ] as const) {
        const fresh = readOf(x, e.index);
        if (!fresh || !isCounter(fresh.field)) continue;
        if (fresh.t === 'seq' && fresh.role !== 'read-check') continue;
        if (fresh.t === 'load' && !openLoad(fresh)) continue;
        const saved = savedValue(y, fresh.field, fresh, e.index);
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
        if (e.t === 'seq' && e.field === r.field && e.role === 'read-begin') verdict = 'ok'; // nothing read since the begin
        else verdict = e.t === 'seq' && e.role === 'read-retry' ? 'ok' : 'unknown';
        break;
      }
      if (isRead(e) && e.field === r.field) {
        verdict = 'ok'; // back at the saving read: nothing loaded in between
        break;
      }
      if (e.t === 'load' && !isCounter(e.field)) {
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

  for (const c of checks) checked.add(c.fresh.field);
  // The saving read of an open-coded counter must be followed by a read barrier before the data loads.
  const checkReads = new Set(checks.map((c) => c.fresh));
  return () => {
    for (const e of ev) {
      if (e.t !== 'load' || !e.savedTo || e.via === 'acquire' || !openLoad(e) || checkReads.has(e) || !checked.has(e.field)) continue;
      let data: LoadEvent | null = null;
      for (let i = e.index + 1; i < ev.length; i++) {
        const n = ev[i];
        if (n.t === 'barrier' && (n.strength === 'read' || n.strength === 'full')) break;
        if (n.t === 'lock' || n.t === 'call' || n.t === 'seq') break;
        if (isRead(n) && n.field === e.field) break;
        if (n.t === 'load' && !isCounter(n.field) && n.key !== e.savedTo) {
          data = n;
          break;
        }
      }
      if (data) out.push({ kind: 'begin', fn: fe.fn, at: e, counter: e.key, data });
    }
  };
}

function checkWriter(fe: FnEvents, openCoded: Set<string>, readerEvidence: Set<string>, out: WriterIssue[]): void {
  const ev = fe.events;
  const fields = new Set(ev.filter((e): e is IncEvent => e.t === 'inc' && openCoded.has(e.field)).map((e) => e.field));
  const hasWriteFence = ev.some((e) => e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full'));
  for (const f of fields) {
    const incs = ev.filter((e): e is IncEvent => e.t === 'inc' && e.field === f);
    const isData = (e: OrdEvent): e is StoreEvent | IncEvent => (e.t === 'store' || e.t === 'inc') && e.field !== f;
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
      if (!prev && !(hasWriteFence || readerEvidence.has(f))) return;
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
