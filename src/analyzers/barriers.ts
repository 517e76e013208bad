/**
 * Barrier and ordered-access facts: smp_mb/rmb/wmb (and mb/rmb/wmb), release
 * stores and acquire loads, smp_mb__before/after_atomic, barrier(), ordered
 * atomics, READ_ONCE/WRITE_ONCE/data_race/rcu_dereference. Barriers record the
 * accesses of the statements right before and after them (detail.before/after).
 */
import type { Node } from 'web-tree-sitter';
import type { ApiInfo } from '../kernel/apis';
import { callArgs } from '../c/ast';
import { accessesOf, argTexts, emit, nextStatement, objectOf, prevStatement, statementOf, type Ctx } from './common';
import { openCodedRead, openCodedRelease, openCodedWrite } from './seqcount';

const STANDALONE = new Set(['barrier-full', 'barrier-read', 'barrier-write', 'barrier-before-atomic', 'barrier-after-atomic', 'compiler-barrier']);

export function barrierCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const detail: Record<string, string | number | boolean | null> = {};
  const stmt = statementOf(call);
  if (STANDALONE.has(info.role)) {
    detail.before = stmt ? accessesOf(prevStatement(stmt)) : '';
    detail.after = stmt ? accessesOf(nextStatement(stmt)) : '';
  } else {
    // An ordered access inside an expression: its neighbours are the enclosing statement's.
    let s: Node | null = call;
    while (s && !/(_statement|declaration)$/.test(s.type)) s = s.parent;
    if (s && s.type !== 'compound_statement') {
      detail.before = accessesOf(prevStatement(s));
      detail.after = accessesOf(nextStatement(s));
    }
    if (info.role === 'release-store' && args[1] !== undefined) detail.value = args[1];
  }
  emit(ctx, call, { kind: 'barrier', api: name, role: info.role, args, object: objectOf(call, info.objectArg), detail });
  if (info.role === 'barrier-write' || info.role === 'barrier-full') openCodedWrite(ctx, call, name);
  if (info.role === 'barrier-read' || info.role === 'barrier-full') openCodedRead(ctx, call, name);
  if (info.role === 'release-store') openCodedRelease(ctx, call, callArgs(call));
}

/** READ_ONCE/WRITE_ONCE/data_race/rcu_dereference*: kind 'access', object = the accessed location. */
export function accessCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const detail: Record<string, string | number | boolean | null> | undefined = info.role === 'once-write' && args[1] !== undefined ? { value: args[1] } : undefined;
  emit(ctx, call, { kind: 'access', api: name, role: info.role, args, object: objectOf(call, info.objectArg), detail });
}
