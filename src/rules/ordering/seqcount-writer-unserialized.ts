/**
 * seqcount-writer-unserialized: write_seqcount_begin() (or a raw writer) on a
 * counter whose associated lock — from seqcount_LOCKNAME_init(), or the lock
 * held around the document's other writers of the counter — is not held on
 * some path reaching it.
 */
import type { Node } from 'web-tree-sitter';
import { callArgs, callName, nodeLocation, nodeSource, normaliseObject, walk } from '../../c/ast';
import { createRule, type CFunction } from '../framework';
import { fieldOf } from '../../ordering/events';
import { emulatorView, normaliseLock, sameLock } from '../../ordering/emulator';

const WRITER = /^(write_seqcount_begin|write_seqcount_begin_nested|raw_write_seqcount_begin|do_raw_write_seqcount_begin|write_seqcount_t_begin|do_write_seqcount_begin|do_write_seqcount_begin_nested)$/;
const INIT = /^seqcount_(raw_spinlock|spinlock|rwlock|mutex|ww_mutex)_init$/;

interface Site {
  fn: CFunction;
  call: Node;
  obj: string;
}

/** `p->seq` → "p", `mm->a.b` → "mm->a" (everything before the counter's own field). */
function baseOf(obj: string): string {
  const m = /^(.*?)(?:->|\.)[A-Za-z_]\w*$/.exec(obj);
  return m ? m[1] : '';
}

function rebase(lock: string, fromBase: string, toBase: string): string | null {
  if (!fromBase) return lock; // a global lock
  if (lock.startsWith(fromBase) && /^(->|\.)/.test(lock.slice(fromBase.length))) return toBase + lock.slice(fromBase.length);
  if (!/->|\./.test(lock)) return lock;
  return null;
}

/** One key per lock as sameLock() compares them (`mm` and `mm->mmap_lock` are the same lock). */
function lockKey(l: string): string {
  return normaliseLock(l).replace(/->mmap_lock$/, '');
}

export const seqcountWriterUnserialized = createRule({
  meta: {
    id: 'seqcount-writer-unserialized',
    defaultSeverity: 'warning',
    category: 'seqcount',
    description: 'A seqcount write section opens on a path where the lock that serialises its writers is not held.',
    messages: {
      unserialized:
        '{{api}}() opens a write section on {{counter}} on a path where {{lock}} is not held ({{why}}): two writers can then run at once, the count can go even while a write is in progress, and a reader on another CPU passes its retry check with torn data. Hold {{lock}} on every path to this call.',
    },
  },
  run(ctx, report) {
    const fns = ctx.functions.filter((f) => f.fragment.kind !== 'pre');
    const sites: Site[] = [];
    const assoc = new Map<string, { base: string; lock: string }[]>(); // counter field → lock expressions, with the counter's base
    for (const fn of fns) {
      walk(fn.body, (n) => {
        if (n.type !== 'call_expression') return;
        const name = callName(n);
        const args = callArgs(n);
        if (WRITER.test(name) && args[0]) sites.push({ fn, call: n, obj: normaliseObject(args[0].text) });
        if (INIT.test(name) && args[0] && args[1]) {
          const obj = normaliseObject(args[0].text);
          const entry = { base: baseOf(obj), lock: normaliseObject(args[1].text) };
          const known = assoc.get(fieldOf(obj));
          if (known) known.push(entry);
          else assoc.set(fieldOf(obj), [entry]);
        }
      });
    }
    if (!sites.length) return;
    const view = emulatorView(ctx);
    if (!view) return;
    // The locks held on every path to each writer, with the counter's base as a placeholder,
    // tallied per counter field once: a big mbox has thousands of writers of `->seq`.
    const BASE = '\u0002';
    const tally = new Map<string, { nulls: number; sites: number; locks: Map<string, { count: number; reprs: [Site, string][] }> }>();
    const own = new Map<Site, Set<string> | null>();
    for (const o of sites) {
      const field = fieldOf(o.obj);
      let t = tally.get(field);
      if (!t) tally.set(field, (t = { nulls: 0, sites: 0, locks: new Map() }));
      t.sites++;
      const st = view.lockStateAt(o.fn, o.call);
      if (!st) {
        t.nulls++;
        own.set(o, null);
        continue;
      }
      const keys = new Set<string>();
      for (const l of st.heldOnAllPaths) {
        const r = rebase(l, baseOf(o.obj), BASE);
        if (!r) continue;
        const k = lockKey(r);
        if (keys.has(k)) continue;
        keys.add(k);
        const e = t.locks.get(k) ?? { count: 0, reprs: [] };
        e.count++;
        if (e.reprs.length < 2) e.reprs.push([o, r]);
        t.locks.set(k, e);
      }
      own.set(o, keys);
    }
    for (const s of sites) {
      const field = fieldOf(s.obj);
      const base = baseOf(s.obj);
      const candidates: { lock: string; why: string }[] = [];
      for (const a of assoc.get(field) ?? []) {
        const l = rebase(a.lock, a.base, base);
        if (l) candidates.push({ lock: l, why: `it is tied to the counter by ${field}'s seqcount_*_init()` });
      }
      if (!candidates.length) {
        // The lock held around every other writer of the same counter.
        const t = tally.get(field)!;
        const mine = own.get(s);
        const others = t.sites - 1;
        if (others > 0 && t.nulls - (mine === null ? 1 : 0) === 0) {
          for (const [k, e] of t.locks) {
            if (e.count - (mine?.has(k) ? 1 : 0) !== others) continue;
            const repr = e.reprs.find(([o]) => o !== s)?.[1];
            if (repr) candidates.push({ lock: repr.startsWith(BASE) ? base + repr.slice(BASE.length) : repr, why: `the other writers of ${field} in this document hold it` });
          }
        }
      }
      if (!candidates.length) continue;
      const st = view.lockStateAt(s.fn, s.call);
      if (!st) continue;
      for (const c of candidates) {
        const nh = st.notHeldOnSomePath.find((x) => sameLock(x.lock, c.lock));
        if (!nh) continue;
        report({
          messageId: 'unserialized',
          data: { api: callName(s.call), counter: s.obj, lock: c.lock, why: c.why },
          loc: nodeLocation(s.fn.fragment, ctx.path, s.call),
          source: nodeSource(s.fn.fragment, s.call),
          function: s.fn.name,
          messageIndex: s.fn.fragment.messageIndex,
          trace: nh.trace,
        });
        break;
      }
    }
  },
});
