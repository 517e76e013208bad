/**
 * The kernel primitives as emulator operations, derived from the API table
 * (src/kernel/apis.ts, via lookupApi): a call becomes a list of operations on
 * resources (open/close a seqcount write section, take/release a lock, start/end
 * a notifier range, begin/check a read section), possibly conditional on the
 * call's return value.
 */
import type { Node } from 'web-tree-sitter';
import { lookupApi, type ApiInfo, type ReturnSemantics } from '../kernel/apis';
import { normaliseObject } from '../c/ast';
import type { ResKind } from './state';

export interface Op {
  op: 'open' | 'close' | 'downgrade' | 'release-kind-cls' | 'read-begin' | 'read-check' | 'read-hint';
  kind: ResKind;
  obj: string;
  cls?: string;
  mode?: 'read' | 'write' | 'excl';
  implicit?: boolean;
  /** For read-begin/read-check: which reader model, and the variable holding the sequence. */
  reader?: 'seq' | 'interval';
  seqVar?: string | null;
  /** A read-begin whose value is also the call's value (assigned or compared). */
  scoped?: boolean;
}

export interface CallModel {
  api: string;
  info: ApiInfo | null;
  ops: Op[];
  returns?: ReturnSemantics;
}

/** Read-begin APIs that are plain loads, not read sections (no retry owed). */
const PLAIN_READS = new Set(['raw_read_seqcount']);

/** A leading pointer cast: `(struct folio *)`, `(void *)`. */
const POINTER_CAST = /^\((?:struct\w+\*|[\w ]+\*)\)/;

/**
 * Normalise an object expression to a key: normaliseObject() (src/c/ast.ts),
 * then also through leading pointer casts, and `(&x)->y` → `x.y`, `(*p).f` → `p->f`.
 */
export function objKey(text: string): string {
  let t = normaliseObject(text);
  for (let u = t.replace(POINTER_CAST, ''); u !== t; u = t.replace(POINTER_CAST, '')) t = normaliseObject(u);
  return t.replace(/\(&([\w.]+)\)->/g, '$1.').replace(/\(\*([\w]+)\)\./g, '$1->');
}

/** `mm` → `mm->field`, `&init_mm` → `init_mm.field`. */
function member(argText: string, field: string): string {
  const t = argText.replace(/\s+/g, '');
  if (t.startsWith('&') && !t.startsWith('&&')) return `${objKey(t.slice(1))}.${field}`;
  const k = objKey(t);
  return /^[\w.>-]+$/.test(k) ? `${k}->${field}` : `(${k})->${field}`;
}

function lockClass(family: string | undefined): { cls: string; mode: 'read' | 'write' | 'excl' } {
  switch (family) {
    case 'spinlock':
    case 'pte-lock':
      return { cls: 'spinlock', mode: 'excl' };
    case 'rwlock-read':
      return { cls: 'rwlock', mode: 'read' };
    case 'rwlock-write':
      return { cls: 'rwlock', mode: 'write' };
    case 'mutex':
      return { cls: 'mutex', mode: 'excl' };
    case 'rwsem-read':
    case 'mmap-read':
      return { cls: 'rwsem', mode: 'read' };
    case 'rwsem-write':
    case 'mmap-write':
      return { cls: 'rwsem', mode: 'write' };
    case 'vma-read':
      return { cls: 'vma', mode: 'read' };
    case 'vma-write':
      return { cls: 'vma-write', mode: 'write' };
    case 'rcu':
      return { cls: 'rcu', mode: 'read' };
    case 'srcu':
      return { cls: 'srcu', mode: 'read' };
    case 'seqlock':
    case 'seqlock-excl':
      return { cls: 'seqlock', mode: 'excl' };
    case 'page-lock':
      return { cls: 'page-lock', mode: 'excl' };
    default:
      return { cls: family ?? 'lock', mode: 'excl' };
  }
}

/** Human name of a lock class and mode, for messages. */
export function lockWords(cls: string | undefined, mode: string | undefined): string {
  const m = mode === 'read' ? ' (read)' : mode === 'write' ? ' (write)' : '';
  switch (cls) {
    case 'spinlock':
      return 'spinlock';
    case 'rwsem':
      return `rw_semaphore${m}`;
    case 'rwlock':
      return `rwlock${m}`;
    case 'vma':
      return 'per-VMA read lock';
    case 'vma-write':
      return 'per-VMA write lock';
    case 'rcu':
      return 'RCU read-side section';
    case 'srcu':
      return 'SRCU read-side section';
    case 'seqlock':
      return 'seqlock spinlock';
    case 'page-lock':
      return 'page/folio lock';
    default:
      return cls ?? 'lock';
  }
}

/** Guard class name (guard(spinlock_irqsave), scoped_guard(mutex, ...)) → lock class. */
export function guardClass(type: string): { cls: string; mode: 'read' | 'write' | 'excl' } {
  const t = type.trim();
  if (/^rcu/.test(t)) return { cls: 'rcu', mode: 'read' };
  if (/^srcu/.test(t)) return { cls: 'srcu', mode: 'read' };
  if (/mutex/.test(t)) return { cls: 'mutex', mode: 'excl' };
  if (/rwsem_read|mmap_read/.test(t)) return { cls: 'rwsem', mode: 'read' };
  if (/rwsem_write|mmap_write/.test(t)) return { cls: 'rwsem', mode: 'write' };
  if (/^read_lock/.test(t)) return { cls: 'rwlock', mode: 'read' };
  if (/^write_lock/.test(t)) return { cls: 'rwlock', mode: 'write' };
  if (/spinlock|raw_spin/.test(t)) return { cls: 'spinlock', mode: 'excl' };
  return { cls: t, mode: 'excl' };
}

/**
 * The operations of a call to a known kernel API, or null when the name is not
 * one the emulator models. `lhs` is the normalised expression the result is
 * assigned to, when it is.
 */
export function modelApiCall(name: string, args: Node[], lhs: string | null, callText: string): CallModel | null {
  const info = lookupApi(name);
  if (!info) return null;
  const argText = (i: number | undefined): string | null => (i === undefined || !args[i] ? null : args[i].text);
  const obj = (): string | null => {
    const t = argText(info.objectArg);
    return t === null ? null : objKey(t);
  };
  /** The second argument as a key (the sequence value of a retry or try_begin), when there is one. */
  const seqArg = (): string | null => {
    const t = argText(1);
    return t ? objKey(t) : null;
  };
  /** A field of the mm in the first argument (`mm->mmap_lock`, `mm->mm_lock_seq`). */
  const mmField = (field: string): string | null => {
    const t = argText(0);
    return t ? member(t, field) : null;
  };
  const ops: Op[] = [];
  /** mmap_write_unlock/downgrade: ends the mm_lock_seq write section, dropping every VMA write lock. */
  const endMmWrite = (): void => {
    ops.push({ op: 'close', kind: 'seq', obj: mmField('mm_lock_seq')!, implicit: true });
    ops.push({ op: 'release-kind-cls', kind: 'lock', obj: '*', cls: 'vma-write' });
  };
  const model = (returns?: ReturnSemantics): CallModel => ({ api: name, info, ops, returns: returns ?? info.returns });
  switch (info.role) {
    case 'write-begin': {
      const o = obj();
      if (!o) return null;
      if (info.family === 'seqlock') ops.push({ op: 'open', kind: 'lock', obj: o, cls: 'seqlock', mode: 'excl', implicit: true });
      ops.push({ op: 'open', kind: 'seq', obj: o });
      return model();
    }
    case 'write-end': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'close', kind: 'seq', obj: o });
      if (info.family === 'seqlock') ops.push({ op: 'close', kind: 'lock', obj: o, cls: 'seqlock', mode: 'excl', implicit: true });
      return model();
    }
    case 'read-begin': {
      if (PLAIN_READS.has(name)) return null;
      const o = obj();
      if (!o) return null;
      // raw_seqcount_try_begin(s, start) / mmap_lock_speculate_try_begin(mm, &seq): the value goes to the second argument.
      const seqVar = info.returns ? seqArg() : lhs;
      const key = name.startsWith('mmap_lock_speculate') ? mmField('mm_lock_seq')! : o;
      ops.push({ op: 'read-begin', kind: 'seq', obj: key, reader: 'seq', seqVar });
      return model();
    }
    case 'read-retry': {
      const o = obj();
      if (!o) return null;
      const key = name.startsWith('mmap_lock_speculate') ? mmField('mm_lock_seq')! : o;
      ops.push({ op: 'read-check', kind: 'seq', obj: key, reader: 'seq', seqVar: seqArg() });
      return model();
    }
    case 'interval-read-begin': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'read-begin', kind: 'seq', obj: o, reader: 'interval', seqVar: lhs });
      return model();
    }
    case 'interval-read-retry': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'read-check', kind: 'seq', obj: o, reader: 'interval', seqVar: seqArg() });
      return model();
    }
    case 'interval-check-retry': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'read-hint', kind: 'seq', obj: o, reader: 'interval', seqVar: seqArg() });
      return model();
    }
    case 'lock':
    case 'trylock': {
      const { cls, mode } = lockClass(info.family);
      let o: string | null;
      if (info.lockIsResult) o = lhs ?? objKey(callText);
      else if (info.family === 'mmap-read' || info.family === 'mmap-write') o = mmField('mmap_lock');
      else if (info.family === 'rcu') o = 'RCU';
      else o = obj();
      if (!o) return null;
      ops.push({ op: 'open', kind: 'lock', obj: o, cls, mode });
      if (info.family === 'mmap-write') ops.push({ op: 'open', kind: 'seq', obj: mmField('mm_lock_seq')!, implicit: true });
      return model();
    }
    case 'unlock': {
      const { cls, mode } = lockClass(info.family);
      if (info.family === 'vma-write') {
        // vma_end_write_all(mm): ends the mm_lock_seq write section, dropping every VMA write lock.
        if (!argText(0)) return null;
        endMmWrite();
        return model();
      }
      let o: string | null;
      if (info.family === 'mmap-read' || info.family === 'mmap-write') o = mmField('mmap_lock');
      else if (info.family === 'rcu') o = 'RCU';
      else o = obj();
      if (!o) return null;
      if (info.family === 'mmap-write') endMmWrite();
      ops.push({ op: 'close', kind: 'lock', obj: o, cls, mode });
      return model();
    }
    case 'downgrade': {
      if (!argText(0)) return null;
      if (info.family === 'mmap-write') {
        endMmWrite();
        ops.push({ op: 'downgrade', kind: 'lock', obj: mmField('mmap_lock')!, cls: 'rwsem', mode: 'read' });
      } else ops.push({ op: 'downgrade', kind: 'lock', obj: obj()!, cls: 'rwsem', mode: 'read' });
      return model();
    }
    case 'range-start':
    case 'range-start-nonblock': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'open', kind: 'range', obj: o });
      return model();
    }
    case 'range-end': {
      const o = obj();
      if (!o) return null;
      ops.push({ op: 'close', kind: 'range', obj: o });
      return model();
    }
    default:
      return null;
  }
}

