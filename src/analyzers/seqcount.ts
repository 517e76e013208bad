/**
 * Seqcount facts: every seqlock.h primitive (begin/end/read/retry, raw_, do_raw_,
 * _nested, latch, seqlock_t writers and readers), and the open-coded forms:
 * a counter incremented right next to a write barrier and a seq-like field loaded
 * right before (read-begin) or checked right after (read-retry) a read barrier.
 */
import type { Node } from 'web-tree-sitter';
import type { ApiInfo } from '../kernel/apis';
import { callArgs, callName, normaliseObject } from '../c/ast';
import { argTexts, emit, isSeqLikeName, lastName, nextStatement, objectOf, prevStatement, returnUse, statementOf, unwrap, type Ctx } from './common';

/** A seqlock.h call. */
export function seqcountCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const detail: Record<string, string | number | boolean | null> = {};
  if (info.family) detail.family = info.family;
  if (info.returns) detail.returns = info.returns;
  switch (info.role) {
    case 'read-begin':
    case 'latch-read-begin': {
      const u = returnUse(call);
      // raw_seqcount_try_begin(s, start) / mmap_lock_speculate_try_begin(mm, &seq) store the value in an argument.
      if (/try_begin$/.test(name)) {
        detail.seqVar = args[1] !== undefined ? normaliseObject(args[1]) : null;
        detail.returnUse = u.use;
        detail.negated = u.negated;
      } else detail.seqVar = u.assignedTo;
      break;
    }
    case 'read-retry':
    case 'latch-read-retry':
    case 'need-retry':
    case 'done-retry':
    case 'read-begin-or-lock':
      detail.seqVar = args[1] !== undefined ? normaliseObject(args[1]) : null;
      break;
    case 'write-begin':
    case 'write-end':
      if (/_nested$/.test(name) && args[1] !== undefined) detail.subclass = args[1];
      if (/irqsave|irqrestore/.test(name) && args[1] !== undefined) detail.flags = args[1];
      break;
  }
  emit(ctx, call, { kind: 'seqcount', api: name, role: info.role, args, object: objectOf(call, info.objectArg), detail: Object.keys(detail).length ? detail : undefined });
}

/** The counter a statement increments by one (`x++`, `++x`, `x += 1`, `x = x + 1`, `WRITE_ONCE(x, x + 1)`), or null. */
function incrementTarget(stmt: Node | null): Node | null {
  if (!stmt || stmt.type !== 'expression_statement') return null;
  const e = stmt.namedChild(0);
  if (!e) return null;
  if (e.type === 'update_expression') {
    const op = e.childForFieldName('operator')?.text;
    const arg = e.childForFieldName('argument');
    return op === '++' && arg ? arg : null;
  }
  if (e.type === 'assignment_expression') {
    const op = e.childForFieldName('operator')?.text;
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left || !right) return null;
    if (op === '+=' && right.text.trim() === '1') return left;
    if (op === '=' && isPlusOne(right, left.text)) return left;
    return null;
  }
  if (e.type === 'call_expression' && callName(e) === 'WRITE_ONCE') {
    const args = callArgs(e);
    if (args.length === 2 && isPlusOne(args[1], args[0].text)) return args[0];
  }
  return null;
}

/** `x + 1` or `1 + x` where x is `target` (READ_ONCE(x) accepted). */
function isPlusOne(expr: Node, target: string): boolean {
  const e = unwrap(expr);
  if (e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '+') return false;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  if (!l || !r) return false;
  const key = normaliseObject(target);
  const same = (n: Node): boolean => {
    const u = unwrap(n);
    if (u.type === 'call_expression' && callName(u) === 'READ_ONCE') {
      const a = u.childForFieldName('arguments')?.namedChild(0);
      return !!a && normaliseObject(a.text) === key;
    }
    return normaliseObject(u.text) === key;
  };
  return (r.text.trim() === '1' && same(l)) || (l.text.trim() === '1' && same(r));
}

function isWriteBarrierStmt(stmt: Node | null): string | null {
  if (!stmt || stmt.type !== 'expression_statement') return null;
  const e = stmt.namedChild(0);
  if (!e || e.type !== 'call_expression') return null;
  const n = callName(e);
  return n === 'smp_wmb' || n === 'wmb' || n === 'smp_mb' || n === 'mb' ? n : null;
}

/** Called for every write/full barrier statement: open-coded increments next to it. */
export function openCodedWrite(ctx: Ctx, barrierCall: Node, barrierName: string): void {
  const stmt = statementOf(barrierCall);
  if (!stmt) return;
  for (const neighbour of [prevStatement(stmt), nextStatement(stmt)]) {
    const target = incrementTarget(neighbour);
    if (!target || !neighbour) continue;
    const key = `inc:${target.startIndex}`;
    if (ctx.seen.has(key)) continue;
    ctx.seen.add(key);
    const before = isWriteBarrierStmt(prevStatement(neighbour));
    const after = isWriteBarrierStmt(nextStatement(neighbour));
    const role = before && after ? 'latch-write' : after ? 'write-begin' : 'write-end';
    emit(ctx, neighbour.namedChild(0) ?? neighbour, {
      kind: 'seqcount',
      api: 'open-coded-increment',
      role,
      args: [target.text],
      object: normaliseObject(target.text),
      detail: { barrier: after ?? before ?? barrierName, barrierPosition: before && after ? 'both' : after ? 'after' : 'before', seqLikeName: isSeqLikeName(lastName(unwrap(target))) },
    });
  }
}

/** A read of a seq-like location: `s->seq`, `READ_ONCE(s->seq)`, `x.sequence`. */
function seqLikeRead(expr: Node | null): Node | null {
  if (!expr) return null;
  const e = unwrap(expr);
  if (e.type === 'call_expression' && /^(READ_ONCE|data_race)$/.test(callName(e))) {
    const a = e.childForFieldName('arguments')?.namedChild(0);
    return a ? seqLikeRead(a) : null;
  }
  if ((e.type === 'field_expression' || e.type === 'identifier') && isSeqLikeName(lastName(e))) return e;
  return null;
}

/** A statement that loads a seq-like field into a variable: `x = s->seq;`, `unsigned seq = READ_ONCE(s->seq);`. */
function seqLoad(stmt: Node | null): { load: Node; into: string } | null {
  if (!stmt) return null;
  if (stmt.type === 'expression_statement') {
    const e = stmt.namedChild(0);
    if (e && e.type === 'assignment_expression' && e.childForFieldName('operator')?.text === '=') {
      const r = seqLikeRead(e.childForFieldName('right'));
      if (r) return { load: r, into: normaliseObject(e.childForFieldName('left')?.text ?? '') };
    }
    return null;
  }
  if (stmt.type === 'declaration') {
    for (const d of stmt.namedChildren) {
      if (d && d.type === 'init_declarator') {
        const r = seqLikeRead(d.childForFieldName('value'));
        if (r) return { load: r, into: normaliseObject(d.childForFieldName('declarator')?.text ?? '').replace(/^\*+/, '') };
      }
    }
  }
  return null;
}

/** A check of a seq-like field in a condition right after a read barrier: `if (seq != s->seq)`. */
function seqCheck(stmt: Node | null): Node | null {
  if (!stmt) return null;
  let cond: Node | null = null;
  if (stmt.type === 'if_statement' || stmt.type === 'while_statement') cond = stmt.childForFieldName('condition');
  else if (stmt.type === 'return_statement') cond = stmt.namedChild(0);
  if (!cond) return null;
  const stack: Node[] = [cond];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'binary_expression' && /^(!=|==)$/.test(n.childForFieldName('operator')?.text ?? '')) {
      for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
        const r = side ? seqLikeRead(side) : null;
        if (r && r.type === 'field_expression') return r;
      }
    }
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  return null;
}

/** Called for every read/full barrier statement: open-coded seq loads before it and checks after it. */
export function openCodedRead(ctx: Ctx, barrierCall: Node, barrierName: string): void {
  const stmt = statementOf(barrierCall);
  if (!stmt) return;
  const prev = seqLoad(prevStatement(stmt));
  if (prev) {
    const key = `load:${prev.load.startIndex}`;
    if (!ctx.seen.has(key)) {
      ctx.seen.add(key);
      emit(ctx, prev.load, { kind: 'seqcount', api: 'open-coded-load', role: 'read-begin', args: [prev.load.text], object: normaliseObject(prev.load.text), detail: { barrier: barrierName, seqVar: prev.into || null } });
    }
  }
  const check = seqCheck(nextStatement(stmt));
  if (check) {
    const key = `load:${check.startIndex}`;
    if (!ctx.seen.has(key)) {
      ctx.seen.add(key);
      emit(ctx, check, { kind: 'seqcount', api: 'open-coded-load', role: 'read-retry', args: [check.text], object: normaliseObject(check.text), detail: { barrier: barrierName } });
    }
  }
}

/** `smp_store_release(&s->seq, s->seq + 1)`: an open-coded write-end with release ordering. */
export function openCodedRelease(ctx: Ctx, call: Node, args: Node[]): void {
  if (args.length !== 2) return;
  const target = normaliseObject(args[0].text);
  if (!isPlusOne(args[1], target)) return;
  emit(ctx, call, { kind: 'seqcount', api: 'open-coded-increment', role: 'write-end', args: [target], object: target, detail: { barrier: 'smp_store_release', barrierPosition: 'release', seqLikeName: isSeqLikeName(target.replace(/^.*(->|\.)/, '')) } });
}
