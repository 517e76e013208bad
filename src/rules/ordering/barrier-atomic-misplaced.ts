/**
 * barrier-atomic-misplaced: smp_mb__before_atomic() / smp_mb__after_atomic()
 * that do not stand right next to a non-value-returning atomic RMW.
 */
import type { Node } from 'web-tree-sitter';
import { callName, nodeLocation, nodeSource, walk } from '../../c/ast';
import { createRule } from '../framework';
import { accessCall, barrierStrength, isAtomicNonRmw, isLockOp, isNonValueAtomic, isValueReturningAtomic } from '../../ordering/primitives';

type Verdict = { id: 'noAtomic' | 'redundant' | 'notRmw'; what: string } | null;

function skipComments(n: Node | null, dir: 'next' | 'prev'): Node | null {
  let cur = n;
  while (cur && (cur.type === 'comment' || (cur.type === 'expression_statement' && cur.namedChildCount === 0))) cur = dir === 'next' ? cur.nextNamedSibling : cur.previousNamedSibling;
  return cur;
}

/** The call a statement is (`atomic_inc(&x);`, `(void)atomic_inc_return(&x);`), or null. */
function statementCall(s: Node): Node | null {
  if (s.type !== 'expression_statement') return null;
  let e = s.namedChild(0);
  while (e && (e.type === 'cast_expression' || e.type === 'parenthesized_expression')) e = e.type === 'cast_expression' ? e.childForFieldName('value') : e.namedChild(0);
  return e && e.type === 'call_expression' ? e : null;
}

/** Calls a statement evaluates (a condition's calls for if/while). */
function callsIn(s: Node): Node[] {
  const out: Node[] = [];
  const root = s.type === 'if_statement' || s.type === 'while_statement' ? s.childForFieldName('condition') : s;
  if (root) walk(root, (n) => {
    if (n.type === 'call_expression') out.push(n);
    if (n.type === 'compound_statement') return false;
  });
  return out;
}

function judge(neighbour: Node | null): Verdict | 'unknown' {
  if (!neighbour) return { id: 'noAtomic', what: 'nothing' };
  const c = statementCall(neighbour);
  if (c) {
    const name = callName(c);
    if (isNonValueAtomic(name)) return null;
    if (isValueReturningAtomic(name)) return { id: 'redundant', what: `${name}()` };
    if (isAtomicNonRmw(name)) return { id: 'notRmw', what: `${name}()` };
    if (accessCall(name) || barrierStrength(name) || isLockOp(name)) return { id: 'noAtomic', what: `${name}()` };
    return 'unknown'; // a helper may wrap the atomic (SetPageDirty, folio_set_*...)
  }
  const calls = callsIn(neighbour);
  const vr = calls.find((x) => isValueReturningAtomic(callName(x)));
  if (vr) return { id: 'redundant', what: `${callName(vr)}()` };
  if (calls.some((x) => isNonValueAtomic(callName(x)))) return null;
  if (calls.length) return 'unknown';
  if (neighbour.type === 'expression_statement' || neighbour.type === 'return_statement' || neighbour.type === 'declaration') {
    return { id: 'noAtomic', what: neighbour.text.split('\n')[0].trim() };
  }
  return 'unknown';
}

export const barrierAtomicMisplaced = createRule({
  meta: {
    id: 'barrier-atomic-misplaced',
    defaultSeverity: 'warning',
    category: 'barrier',
    description: 'smp_mb__before_atomic()/smp_mb__after_atomic() not right next to the non-value-returning atomic it is meant to order.',
    messages: {
      noAtomicBefore:
        'smp_mb__before_atomic() is followed by {{what}}, not by a non-value-returning atomic RMW: it only upgrades the atomic right after it (atomic_inc(), set_bit(), ...) and is a mere compiler barrier on x86, so on other CPUs the accesses before it are not ordered against what follows. Move it directly before the atomic it is meant to order, or use smp_mb().',
      noAtomicAfter:
        'smp_mb__after_atomic() follows {{what}}, not a non-value-returning atomic RMW: it only upgrades the atomic right before it (atomic_dec(), clear_bit(), ...) and is a mere compiler barrier on x86, so on other CPUs what follows is not ordered after the earlier accesses. Move it directly after the atomic it is meant to order, or use smp_mb().',
      redundant:
        '{{barrier}}() next to {{what}}, a value-returning atomic that is already fully ordered: the barrier adds nothing and makes a reader look for an ordering problem that is not there. Remove it (or, if a weaker variant was meant, use the _relaxed form with the barrier).',
      notRmw:
        '{{barrier}}() next to {{what}}, which is a plain store or load, not a read-modify-write: smp_mb__{before,after}_atomic() only order RMW atomics, so the other CPU may see this access out of order. Use smp_mb(), or an ordered access such as atomic_set_release()/atomic_read_acquire().',
    },
  },
  run(ctx, report) {
    for (const pf of ctx.fragments) {
      const f = pf.fragment;
      if (f.kind === 'pre') continue;
      walk(pf.tree.rootNode, (n) => {
        if (n.type !== 'expression_statement') return;
        const c = statementCall(n);
        if (!c) return;
        const name = callName(c);
        if (name !== 'smp_mb__before_atomic' && name !== 'smp_mb__after_atomic') return false;
        const before = name === 'smp_mb__before_atomic';
        let neighbour = skipComments(before ? n.nextNamedSibling : n.previousNamedSibling, before ? 'next' : 'prev');
        // smp_mb__after_atomic() first in the block of `if (atomic_dec_and_test(...)) {`.
        if (!neighbour && !before && n.parent?.type === 'compound_statement' && n.parent.parent?.type === 'if_statement') neighbour = n.parent.parent;
        if (!neighbour) {
          // At the edge of a hunk the neighbour may simply not be shown.
          const edge = before ? n.endPosition.row + 1 : n.startPosition.row - 1;
          const fl = f.lines[edge];
          if (!fl || fl.docLine === null) return false;
        }
        const v = judge(neighbour);
        if (v === null || v === 'unknown') return false;
        const rows = [n.startPosition.row, neighbour ? neighbour.startPosition.row : n.startPosition.row];
        if (f.kind === 'post' && !rows.some((r) => f.lines[r]?.image === 'post')) return false; // unchanged context
        const id = v.id === 'noAtomic' ? (before ? 'noAtomicBefore' : 'noAtomicAfter') : v.id;
        report({ messageId: id, data: { what: v.what, barrier: name }, loc: nodeLocation(f, ctx.path, c), source: nodeSource(f, c), messageIndex: f.messageIndex });
        return false;
      });
    }
  },
});
