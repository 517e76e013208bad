/**
 * From explored paths to the pairing rules' findings-to-be. Decisions that need
 * the whole function (wrapper or bug, owned or inherited section) are taken
 * here; the rules in src/rules/pairing word and report them.
 */
import type { Node } from 'web-tree-sitter';
import type { TraceStep } from '../model';
import type { CFunction } from '../rules/framework';
import { lookupApi } from '../kernel/apis';
import { callArgs, callName, declaredName, declarators, docPosition } from '../c/ast';
import type { FunctionAnalysis } from './index';
import { conditionalKind } from './index';
import type { ExitRec, OpenSite } from './exec';
import { lockWords, objKey } from './primitives';
import { atoms } from './exec';
import { baseName, resKey, traceOf, type Res } from './state';

export type PairingRuleId =
  | 'seqcount-unmatched-begin'
  | 'seqcount-unmatched-end'
  | 'seqcount-nested-begin'
  | 'seqcount-read-unchecked'
  | 'lock-unmatched'
  | 'lock-double'
  | 'notifier-unmatched-start'
  | 'notifier-retry-unchecked';

export interface PairingIssue {
  rule: PairingRuleId;
  messageId: string;
  fn: CFunction;
  node: Node;
  data: Record<string, string | number>;
  trace: TraceStep[];
}

/**
 * Names that say "this takes something and leaves it to the caller": enough to
 * excuse a resource left open on every path, or on the paths its return value
 * tells apart.
 */
const WRAPPER_NAME = /lock|begin|start|get|acquire|enter|try|grab|hold|take|seq|guard|pin|killable|interruptible/i;

/**
 * A stricter subset of WRAPPER_NAME, named for the lock it takes
 * (`folio_lock_anon_vma_read`, `lock_vma_under_rcu`, `pmd_trylock`): taking the
 * lock for the caller is the job, so a lock it leaves held on some paths only
 * is excused too, whatever it returns.
 */
const LOCKING_FN = /(^|_)(try)?lock(ed)?(_|$)/;

export function derivePairingIssues(analyses: FunctionAnalysis[]): PairingIssue[] {
  const out: PairingIssue[] = [];
  for (const a of analyses) {
    if (a.fn.fragment.kind === 'pre') continue;
    leaks(a, out);
    anomalies(a, out);
    readers(a, out);
    counters(a, out);
  }
  return out;
}

function lineOf(a: FunctionAnalysis, n: Node): number {
  return docPosition(a.fn.fragment, n.startPosition.row, n.startPosition.column).line;
}

function exitWords(a: FunctionAnalysis, e: ExitRec, openLine: number): { exit: string; where: string } {
  const trace = traceOf(e.state);
  let gotoStep: TraceStep | null = null;
  for (const s of trace) if (s.line >= openLine && /^goto \w+$/.test(s.message)) gotoStep = s;
  const line = e.node ? lineOf(a, e.node) : trace[trace.length - 1]?.line ?? 0;
  // A line read from the kernel tree is named by its place in the tree's file, not by a line of the mail.
  const inTree = (t: number | undefined): string | null => (t === undefined ? null : `${a.fn.fragment.file ?? 'the file'}:${t} in the tree`);
  if (gotoStep) {
    const label = gotoStep.message.slice(5);
    return { exit: `\`goto ${label}\` (${inTree(gotoStep.tree) ?? `line ${gotoStep.line}`})`, where: `\`${label}:\`` };
  }
  const exitTree = e.node ? a.fn.fragment.lines[e.node.startPosition.row]?.tree : undefined;
  if (e.kind === 'return' && e.node) return { exit: `\`${e.node.text.replace(/\s+/g, ' ')}\` (${inTree(exitTree) ?? `line ${line}`})`, where: 'that return' };
  return { exit: `the end of the function (line ${line})`, where: 'the closing brace' };
}

/** The release that matches an opening API, when the table knows it. */
function closerOf(api: string, kind: string): string {
  const cands: string[] = [];
  if (kind === 'seq') {
    cands.push(api.replace(/_nested$/, '').replace(/begin$/, 'end'), api.replace('write_seqlock', 'write_sequnlock').replace('irqsave', 'irqrestore'));
  } else if (kind === 'range') cands.push('mmu_notifier_invalidate_range_end');
  else {
    const base = api.replace(/_(killable|interruptible|nested|io|nest_lock)(_nested)?$/, '');
    cands.push(
      base.replace(/^(\w*?)trylock/, '$1lock').replace(/_lock(_|$)/, '_unlock$1').replace('irqsave', 'irqrestore'),
      base.replace(/trylock$/, 'unlock').replace(/lock$/, 'unlock'),
      base.replace(/^down_(read|write)(_trylock)?$/, 'up_$1'),
      base.replace(/^mutex_(try)?lock$/, 'mutex_unlock'),
      base.replace(/^(\w+)_trylock(_\w+)?$/, '$1_unlock$2').replace('irqsave', 'irqrestore'),
      base.replace(/^lock_page$/, 'unlock_page').replace(/^(__)?folio_(try)?lock$/, 'folio_unlock'),
      base.replace(/^trylock_page$/, 'unlock_page'),
      base.replace(/^(lock_vma_under_rcu|vma_start_read)$/, 'vma_end_read'),
      base.replace(/^pte_offset_map_lock$/, 'pte_unmap_unlock'),
      base.replace(/^(pmd|pud|huge_pte)_lock$|^(pmd|pud)_trans_huge_lock$/, 'spin_unlock'),
      base.replace(/^(raw_)?spin_lock(_\w+)?$/, '$1spin_unlock$2').replace('irqsave', 'irqrestore').replace('_nested', ''),
    );
  }
  for (const c of cands) {
    const i = lookupApi(c);
    if (c !== api && i && (i.role === 'unlock' || i.role === 'write-end' || i.role === 'range-end')) return c;
  }
  return 'the matching release';
}

function callText(n: Node): string {
  const t = n.text.replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** `spin_unlock(&p->lock)`, or words when the release is not known. */
function closeCall(api: string, kind: string, call: Node, obj: string): string {
  const c = closerOf(api, kind);
  if (c === 'the matching release') return `the ${kind === 'seq' ? 'end' : kind === 'range' ? 'range end' : 'release'} matching ${callName(call)}() on ${obj}`;
  const info = lookupApi(c);
  const args = callArgs(call).map((a) => a.text.replace(/\s+/g, ' '));
  if (info && info.objectArg === 0 && args.length && !/irqrestore/.test(c)) return `${c}(${args[0]})`;
  if (/irqrestore$/.test(c) && args.length >= 2) return `${c}(${args[0]}, ${args[1]})`;
  return `${c}()`;
}

function consequence(r: Res | { kind: string; cls?: string }): string {
  if (r.kind === 'seq') return 'readers spin or retry for ever while the count stays odd, and the next writer breaks the sequence';
  if (r.kind === 'range') return 'subscribers (KVM, HMM, IOMMU drivers) see the range invalidating for ever: their faults retry or wait and the invalidate count never drops';
  switch (r.cls) {
    case 'spinlock':
    case 'seqlock':
    case 'rwlock':
      return 'the next CPU to take it spins for ever (and interrupts or preemption may stay off)';
    case 'rcu':
    case 'srcu':
      return 'the grace period never ends, so every synchronize_rcu() and kfree_rcu() behind it stalls';
    case 'vma':
      return 'the VMA stays read-locked, so a writer (munmap, mprotect) waits for ever';
    default:
      return 'the next task to take it sleeps for ever (deadlock), and lockdep reports a lock held on return to user space';
  }
}

// ---------------------------------------------------------------- exits with something left open

/**
 * A lock taken inside a loop on an object the loop moves on from (`folio =
 * page_folio(pages[i])`, a declaration in the body): the kernel idiom of
 * locking each page for the caller (migrate_vma_collect, make_device_exclusive)
 * and handing it on through an array. Not a leak the emulator can prove.
 */
function handedOnPerIteration(a: FunctionAnalysis, call: Node, obj: string): boolean {
  const name = baseName(obj);
  if (!name) return false;
  for (let p: Node | null = call.parent; p && p.id !== a.fn.body.id; p = p.parent) {
    if (p.type !== 'for_statement' && p.type !== 'while_statement' && p.type !== 'do_statement') continue;
    const body = p.childForFieldName('body');
    if (!body) continue;
    for (const n of body.descendantsOfType(['assignment_expression', 'declaration'])) {
      if (!n) continue;
      if (n.type === 'assignment_expression') {
        const l = n.childForFieldName('left');
        if (l && objKey(l.text) === name && (n.childForFieldName('operator')?.text ?? '=') === '=') return true;
      } else if (n.type === 'declaration') {
        if (declarators(n).some((d) => declaredName(d) === name)) return true;
      }
    }
  }
  return false;
}

/**
 * Where a leak is reported: at the call that took the lock, unless that call was read
 * from a kernel tree (no line of the mail); then at the exit the patch added, when it did.
 */
function mailNode(a: FunctionAnalysis, site: Node, e: ExitRec): Node {
  const lines = a.fn.fragment.lines;
  if (lines[site.startPosition.row]?.tree === undefined || !e.node) return site;
  return lines[e.node.startPosition.row]?.image === 'post' ? e.node : site;
}

function leaks(a: FunctionAnalysis, out: PairingIssue[]): void {
  const real = a.exits.filter((e) => e.kind !== 'unknown');
  if (!real.length) return;
  const keys = new Set<string>();
  for (const e of real) for (const [k, r] of e.state.res) if (r.depth > 0 && !r.scoped && r.kind !== 'counter' && r.cls !== 'vma-write' && !r.implicit) keys.add(k);
  if (!keys.size) return;
  const siteOf = new Map<number, OpenSite>();
  for (const o of a.emu.opens) if (!siteOf.has(o.node.id)) siteOf.set(o.node.id, o);
  for (const k of keys) {
    const open = real.filter((e) => (e.state.res.get(k)?.depth ?? 0) > 0);
    const other = real.filter((e) => (e.state.res.get(k)?.depth ?? 0) <= 0);
    if (!other.length) {
      // A wrapper: every path leaves it to the caller. Unless the same paths release another
      // object of the same kind the function never took (`lock(&a); unlock(&b)`).
      if (WRAPPER_NAME.test(a.fn.name)) continue;
      const r0 = open[0].state.res.get(k)!;
      const twin = [...open[0].state.res.values()].find((x) => x.kind === r0.kind && x.obj !== r0.obj && x.depth < 0 && x.cls === r0.cls && open.every((e) => (e.state.res.get(resKey(x.kind, x.obj))?.depth ?? 0) < 0));
      if (!twin) continue;
      const site = r0.openedAt ? siteOf.get(r0.openedAt.node) : undefined;
      if (!site || r0.kind === 'range') continue;
      out.push({
        rule: r0.kind === 'seq' ? 'seqcount-unmatched-begin' : 'lock-unmatched',
        messageId: 'mismatched',
        fn: a.fn,
        node: site.node,
        trace: traceOf(open[0].state),
        data: { api: site.api, call: callText(site.node), obj: r0.obj, other: twin.obj, otherLine: twin.closedAt?.line ?? '?', fn: a.fn.name, lockKind: lockWords(r0.cls, r0.mode), why: consequence(r0) },
      });
      continue;
    }
    if (conditionalKind(open.map((e) => e.ret), other.map((e) => e.ret)) && WRAPPER_NAME.test(a.fn.name)) continue;
    const bySite = new Map<number, ExitRec>();
    for (const e of open) {
      const r = e.state.res.get(k)!;
      const id = r.openedAt?.node ?? -1;
      if (!bySite.has(id)) bySite.set(id, e);
    }
    for (const [id, e] of bySite) {
      const r = e.state.res.get(k)!;
      const site = siteOf.get(id);
      if (!site) continue;
      if (r.kind === 'lock' && (LOCKING_FN.test(a.fn.name) || handedOnPerIteration(a, site.node, r.obj))) continue;
      const { exit, where } = exitWords(a, e, r.openedAt?.line ?? 0);
      const rule: PairingRuleId = r.kind === 'seq' ? 'seqcount-unmatched-begin' : r.kind === 'range' ? 'notifier-unmatched-start' : 'lock-unmatched';
      const messageId = r.kind === 'seq' ? 'leftOpen' : r.kind === 'range' ? 'leftStarted' : 'leaked';
      out.push({
        rule,
        messageId,
        fn: a.fn,
        node: mailNode(a, site.node, e),
        trace: traceOf(e.state),
        data: {
          api: site.via ? `${callName(site.node)}` : site.api,
          call: callText(site.node),
          obj: r.obj,
          fn: a.fn.name,
          exit,
          where,
          closer: closeCall(site.via ? site.via : site.api, r.kind, site.node, r.obj),
          lockKind: lockWords(r.cls, r.mode),
          why: consequence(r),
          paths: `${open.length} of ${real.length}`,
        },
      });
    }
  }
}

// ---------------------------------------------------------------- per-path anomalies

function guardedByParam(a: FunctionAnalysis, n: Node): boolean {
  if (!a.params.length) return false;
  let p: Node | null = n.parent;
  while (p && p.id !== a.fn.body.id) {
    if (p.type === 'if_statement') {
      // The caller tells whether it already holds it: `if (!locked)`, `if (!*held)`, `if (flags & FOO_LOCKED)`.
      const c = p.childForFieldName('condition');
      const as = c ? atoms(c) : [];
      if (as.length && as.every((x) => a.params.some((q) => q && (x === q || x === `*${q}` || (new RegExp(`\\b${q}\\b`).test(x) && /lock|held|hold|flag/i.test(x)))))) return true;
    }
    p = p.parent;
  }
  return false;
}

function prevLine(r: Res | undefined, which: 'open' | 'close'): string {
  const s = which === 'open' ? r?.openedAt : r?.closedAt;
  return s ? String(s.line) : '?';
}

function anomalies(a: FunctionAnalysis, out: PairingIssue[]): void {
  for (const x of a.emu.anomalies) {
    // The implicit half of a pair is reported through the other half: mmap_write_lock twice
    // by lock-double (on mmap_lock), write_seqlock twice by seqcount-nested-begin (on the seqcount).
    if (x.kind === 'counter' || x.implicit) continue;
    const fnName = a.fn.name;
    const apiText = x.via ? `${callName(x.node)}` : x.api;
    const base = { fn: a.fn, node: x.node, trace: x.trace };
    const data: Record<string, string | number> = {
      api: apiText,
      call: callText(x.node),
      inside: x.via ? ` (inside ${x.via}())` : '',
      obj: x.obj,
      fn: fnName,
      via: x.via ?? '',
      prevLine: prevLine(x.before, x.type === 'close-again' ? 'close' : 'open'),
      prevApi: x.before?.via ?? '',
      lockKind: lockWords(x.cls ?? x.before?.cls, x.mode ?? x.before?.mode),
      why: consequence({ kind: x.kind, cls: x.cls ?? x.before?.cls }),
    };
    if (x.kind === 'seq') {
      if (x.type === 'open-while-open') out.push({ ...base, rule: 'seqcount-nested-begin', messageId: x.via ? 'nestedViaCallee' : 'nested', data });
      else if (x.type === 'close-again') out.push({ ...base, rule: 'seqcount-unmatched-end', messageId: 'closedTwice', data });
      else if (x.type === 'close-inherited') {
        if (!owned(a, x.kind, x.obj)) continue;
        out.push({ ...base, rule: 'seqcount-unmatched-end', messageId: 'notOpen', data: { ...data, beginApi: beginOf(a, x.kind, x.obj) } });
      }
    } else if (x.kind === 'lock') {
      if ((x.cls ?? x.before?.cls) === 'vma-write') continue;
      if (x.type === 'open-while-open') out.push({ ...base, rule: 'lock-double', messageId: 'doubleLock', data });
      else if (x.type === 'upgrade') out.push({ ...base, rule: 'lock-double', messageId: 'upgrade', data });
      else if (x.type === 'close-again') out.push({ ...base, rule: 'lock-unmatched', messageId: 'releasedTwice', data });
      else if (x.type === 'close-inherited') {
        if (!owned(a, x.kind, x.obj)) continue;
        out.push({ ...base, rule: 'lock-unmatched', messageId: 'notHeld', data: { ...data, beginApi: beginOf(a, x.kind, x.obj) } });
      }
    }
  }
}

/** The function opens this object from scratch on some path, unconditionally on a parameter, and is whole. */
function owned(a: FunctionAnalysis, kind: string, obj: string): boolean {
  if (!a.complete) return false;
  const opens: OpenSite[] = a.emu.opens.filter((o) => o.kind === kind && o.obj === obj && o.fresh);
  if (!opens.length) return false;
  return !opens.every((o) => guardedByParam(a, o.node));
}

function beginOf(a: FunctionAnalysis, kind: string, obj: string): string {
  const o = a.emu.opens.find((x) => x.kind === kind && x.obj === obj);
  return o ? o.api : kind === 'seq' ? 'write_seqcount_begin' : 'the lock';
}

// ---------------------------------------------------------------- read sections

function readers(a: FunctionAnalysis, out: PairingIssue[]): void {
  if (a.emu.aborted) return;
  for (const r of a.emu.readers.values()) {
    if (r.checked || r.unresolved) continue;
    const esc = escapes(a, r.node, r.v);
    if (esc === 'escaped') continue;
    if (!a.complete && esc !== 'discarded') {
      // Only what the visible code proves: every path from the begin must leave the function in view.
      if (a.exits.some((e) => e.kind === 'unknown')) continue;
    }
    const retryApi = r.kind === 'interval' ? 'mmu_interval_read_retry' : r.api === 'read_seqbegin' ? 'read_seqretry' : r.api === 'mmap_lock_speculate_try_begin' ? 'mmap_lock_speculate_retry' : 'read_seqcount_retry';
    const data = { api: r.api, obj: r.obj, fn: a.fn.name, retryApi, v: r.v ?? 'seq' };
    if (r.kind === 'interval') out.push({ rule: 'notifier-retry-unchecked', messageId: r.hinted ? 'hintOnly' : 'neverChecked', fn: a.fn, node: r.node, data, trace: r.trace.concat([stepAt(a, r.node, `${r.api}(): sequence read; no path reaches mmu_interval_read_retry()`)]) });
    else out.push({ rule: 'seqcount-read-unchecked', messageId: esc === 'discarded' ? 'discarded' : 'neverChecked', fn: a.fn, node: r.node, data, trace: r.trace.concat([stepAt(a, r.node, `${r.api}(): read section begins; no path reaches ${retryApi}()`)]) });
  }
}

function stepAt(a: FunctionAnalysis, n: Node, message: string): TraceStep {
  const p = docPosition(a.fn.fragment, n.startPosition.row, n.startPosition.column);
  return { line: p.line, column: p.column, message };
}

/** Where a read-begin's value goes: returned, stored or passed on (escaped), thrown away, or kept in a local. */
function escapes(a: FunctionAnalysis, call: Node, v: string | null): 'escaped' | 'discarded' | 'local' {
  let p = call.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'cast_expression')) p = p.parent;
  if (!p) return 'local';
  if (p.type === 'return_statement') return 'escaped';
  if (p.type === 'expression_statement') {
    const info = lookupApi(callName(call));
    return info?.returns ? 'local' : 'discarded';
  }
  if (p.type === 'argument_list') return 'escaped';
  if (p.type === 'assignment_expression') {
    const left = p.childForFieldName('left');
    if (left && left.type !== 'identifier') return 'escaped';
  }
  if (!v) return 'local';
  // Uses of the variable that hand it on.
  let escaped = false;
  const visit = (n: Node): void => {
    if (escaped) return;
    if (n.type === 'identifier' && n.text === v) {
      const q = n.parent;
      if (!q) return;
      if (q.type === 'return_statement') escaped = true;
      else if (q.type === 'pointer_expression' && q.childForFieldName('operator')?.text === '&' && !(q.parent?.type === 'argument_list' && q.parent.parent && lookupApi(callName(q.parent.parent)))) escaped = true;
      else if (q.type === 'argument_list' && q.parent) {
        const info = lookupApi(callName(q.parent));
        if (!info) escaped = true;
      } else if (q.type === 'assignment_expression' && q.childForFieldName('right')?.id === n.id) escaped = true;
      else if (q.type === 'init_declarator' && q.childForFieldName('value')?.id === n.id) escaped = true;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(a.fn.body);

  return escaped ? 'escaped' : 'local';
}

// ---------------------------------------------------------------- counters raised by .invalidate_range_start callbacks

function counters(a: FunctionAnalysis, out: PairingIssue[]): void {
  const real = a.exits.filter((e) => e.kind === 'return');
  if (!real.length) return;
  const keys = new Set<string>();
  for (const e of real) for (const [k, r] of e.state.res) if (r.kind === 'counter' && r.depth > 0) keys.add(k);
  for (const k of keys) {
    const err = real.filter((e) => e.ret === 'neg' || (e.ret === 'nonzero' && a.startCallback));
    const raisedErr = err.filter((e) => (e.state.res.get(k)?.depth ?? 0) > 0);
    if (!raisedErr.length) continue;
    const loweredErr = err.filter((e) => (e.state.res.get(k)?.depth ?? 0) <= 0);
    const ok = real.filter((e) => e.ret === 'zero');
    const raisedOk = ok.some((e) => (e.state.res.get(k)?.depth ?? 0) > 0);
    if (!raisedOk) continue; // not a count the success path hands to someone else
    if (!a.startCallback && !loweredErr.length) continue;
    const e = raisedErr[0];
    const r = e.state.res.get(k)!;
    const site = r.openedAt ? findNode(a.fn.body, r.openedAt.node) : null;
    const line = e.node ? lineOf(a, e.node) : 0;
    const { exit } = exitWords(a, e, r.openedAt?.line ?? 0);
    out.push({
      rule: 'notifier-unmatched-start',
      messageId: a.startCallback ? 'callbackErrorLeavesRaised' : 'errorPathLeavesRaised',
      fn: a.fn,
      node: e.node ?? site ?? a.fn.body,
      trace: traceOf(e.state),
      data: { fn: a.fn.name, obj: r.obj, line, raisedLine: r.openedAt?.line ?? '?', exit },
    });
  }
}

function findNode(root: Node, id: number): Node | null {
  if (root.id === id) return root;
  for (const c of root.namedChildren) {
    if (!c) continue;
    if (c.startIndex > root.endIndex) break;
    const f = findNode(c, id);
    if (f) return f;
  }
  return null;
}
