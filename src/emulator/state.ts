/**
 * The emulator's abstract state: what one path knows at one point of a
 * function. States are immutable (every change makes a copy), so traces and
 * snapshots recorded at nodes can share them.
 */
import type { TraceStep } from '../model';

/** What a path knows about an integer or pointer value. */
export type AbsVal = 'zero' | 'pos' | 'neg' | 'nonzero' | 'nonneg' | 'unknown';

/** Kinds of resources the models track. */
export type ResKind = 'seq' | 'lock' | 'range' | 'counter';

/**
 * One tracked resource (a seqcount write section, a lock, a notifier range, a
 * counter), keyed by kind and normalised object. `depth` is relative to the
 * function's entry: +1 opened here, -1 a section the caller opened was closed here.
 */
export interface Res {
  kind: ResKind;
  obj: string;
  depth: number;
  /** Last operation on this path: the model needs it to tell "closed twice" from "closed the caller's". */
  lastOp?: 'open' | 'close';
  /** Lock class (spin, mutex, rwsem, rwlock, rcu, vma, seqlock...) and mode. */
  cls?: string;
  mode?: 'read' | 'write' | 'excl';
  /** Opened as a side effect of a lock API (mmap_write_lock opens mm_lock_seq): the lock rule speaks for it. */
  implicit?: boolean;
  /** Opened by guard()/scoped_guard(): released by the compiler at scope exit. */
  scoped?: boolean;
  /** For a scoped resource: the node id of the block (or scoped_guard) whose exit releases it. */
  scope?: number;
  /** Where it was last opened/closed on this path (doc position and text). */
  openedAt?: Site;
  closedAt?: Site;
  /** The API or wrapper that opened it. */
  via?: string;
}

/** A read section whose value must reach a retry. */
export interface Reader {
  site: number;
  kind: 'seq' | 'interval';
  obj: string;
  /** Variable holding the sequence value, when there is one. */
  v: string | null;
}

export interface Site {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Node id of the call. */
  node: number;
  text: string;
}

export interface TraceList {
  step: TraceStep;
  prev: TraceList | null;
  len: number;
}

export interface State {
  res: ReadonlyMap<string, Res>;
  env: ReadonlyMap<string, AbsVal>;
  readers: readonly Reader[];
  trace: TraceList | null;
  /** Cached canonical key (everything but the trace). */
  key?: string;
}

export const EMPTY_STATE: State = { res: new Map(), env: new Map(), readers: [], trace: null };

export function resKey(kind: ResKind, obj: string): string {
  return `${kind}\u0001${obj}`;
}

export function stateKey(s: State): string {
  if (s.key !== undefined) return s.key;
  const parts: string[] = [];
  for (const k of [...s.res.keys()].sort()) {
    const r = s.res.get(k)!;
    parts.push(`${k}:${r.depth}:${r.lastOp ?? ''}:${r.mode ?? ''}:${r.scoped ? 's' : ''}:${r.openedAt?.node ?? ''}`);
  }
  parts.push('|');
  for (const k of [...s.env.keys()].sort()) parts.push(`${k}=${s.env.get(k)}`);
  parts.push('|');
  for (const r of [...s.readers].sort((a, b) => a.site - b.site)) parts.push(`${r.kind}${r.site}:${r.obj}:${r.v ?? ''}`);
  const key = parts.join(';');
  (s as { key?: string }).key = key;
  return key;
}

export function withRes(s: State, key: string, r: Res | null): State {
  const res = new Map(s.res);
  if (r) res.set(key, r);
  else res.delete(key);
  return { res, env: s.env, readers: s.readers, trace: s.trace };
}

export function withEnv(s: State, name: string, v: AbsVal): State {
  const env = new Map(s.env);
  if (v === 'unknown') env.delete(name);
  else env.set(name, v);
  return { res: s.res, env, readers: s.readers, trace: s.trace };
}

/** Forget every known value that mentions `name` (it was assigned). */
export function forget(s: State, name: string): State {
  if (!s.env.size) return s;
  let env: Map<string, AbsVal> | null = null;
  let re: RegExp | null = null;
  for (const k of s.env.keys()) {
    if (k !== name) {
      if (!k.includes(name)) continue;
      re ??= new RegExp(`(^|[^\\w])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`);
      if (!re.test(k)) continue;
    }
    env ??= new Map(s.env);
    env.delete(k);
  }
  return env ? { res: s.res, env, readers: s.readers, trace: s.trace } : s;
}

export function withReaders(s: State, readers: Reader[]): State {
  return { res: s.res, env: s.env, readers, trace: s.trace };
}

export function addStep(s: State, step: TraceStep): State {
  return { res: s.res, env: s.env, readers: s.readers, trace: { step, prev: s.trace, len: (s.trace?.len ?? 0) + 1 }, key: s.key };
}

export function traceOf(s: State | TraceList | null): TraceStep[] {
  let t: TraceList | null = s === null ? null : 'step' in s ? s : s.trace;
  const out: TraceStep[] = [];
  while (t) {
    out.push(t.step);
    t = t.prev;
  }
  return out.reverse();
}

/** Keep the first state of every canonical key. */
export function dedupe(states: State[]): State[] {
  if (states.length < 2) return states;
  const seen = new Set<string>();
  const out: State[] = [];
  for (const s of states) {
    const k = stateKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------- abstract values

/** Truth of a value: true, false or unknown (null). */
export function truth(v: AbsVal): boolean | null {
  if (v === 'zero') return false;
  if (v === 'pos' || v === 'neg' || v === 'nonzero') return true;
  return null;
}

export function refineTruth(v: AbsVal, t: boolean): AbsVal {
  if (!t) return 'zero';
  if (v === 'nonneg') return 'pos';
  if (v === 'unknown') return 'nonzero';
  return v;
}

export function isNeg(v: AbsVal): boolean | null {
  if (v === 'neg') return true;
  if (v === 'zero' || v === 'pos' || v === 'nonneg') return false;
  return null;
}

export function refineNeg(v: AbsVal, t: boolean): AbsVal {
  if (t) return 'neg';
  if (v === 'nonzero') return 'pos';
  if (v === 'unknown') return 'nonneg';
  return v;
}

/** The variable an object key is reached through: `folio` for `folio`, `vma->vm_lock` or `pages[i]`. */
export function baseName(obj: string): string | null {
  const m = /^([A-Za-z_]\w*)(?=$|->|\.|\[)/.exec(obj);
  return m ? m[1] : null;
}

/**
 * `name` now points at another object (the loop's next folio, `dst = src`, a
 * fresh declaration): locks reached through it are no longer this path's to
 * pair. A lock still held here was handed on (stored in an array, owned by
 * the caller); one released here stays released on the object, not the name.
 */
export function rebind(s: State, name: string): State {
  let res: Map<string, Res> | null = null;
  for (const [k, r] of s.res) {
    if (r.kind !== 'lock' || r.scoped || r.implicit || baseName(r.obj) !== name) continue;
    res ??= new Map(s.res);
    res.delete(k);
  }
  return res ? { res, env: s.env, readers: s.readers, trace: s.trace } : s;
}
