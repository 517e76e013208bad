/**
 * lockdep-assert-unheld: a function of the document asserts a lock
 * (lockdep_assert_held, mmap_assert_*_locked, vma_assert_*_locked) and a caller
 * in the document reaches the call on a path where the emulator shows the lock
 * is not held.
 */
import type { Node } from 'web-tree-sitter';
import { callArgs, callName, declaredName, nodeLocation, nodeSource, normaliseObject, walk } from '../../c/ast';
import { createRule, type CFunction } from '../framework';
import { lookupApi } from '../../kernel/apis';
import { emulatorView, sameLock } from '../../ordering/emulator';
import { parameterDeclarations } from '../../ordering/events';

interface Assertion {
  fn: CFunction;
  call: Node;
  api: string;
  /** The asserted object in the callee's terms. */
  object: string;
  /** Index of the callee parameter the object hangs off, and the rest of the expression. */
  param: number;
  rest: string;
}

const ASSERT = /^(lockdep_assert_held(_write|_read|_once|_exclusive)?|assert_spin_locked|mmap_assert_locked|mmap_assert_write_locked|vma_assert_locked|vma_assert_write_locked)$/;

/** Parameter names by position ('' for an unnamed one, so that indices match the call's arguments). */
function paramNames(fn: CFunction): string[] {
  return parameterDeclarations(fn).map((p) => declaredName(p.childForFieldName('declarator')) ?? '');
}

function assertionsOf(fn: CFunction): Assertion[] {
  const out: Assertion[] = [];
  const params = paramNames(fn);
  walk(fn.body, (n) => {
    if (n.type !== 'call_expression') return;
    const name = callName(n);
    const api = lookupApi(name);
    if (!ASSERT.test(name) && !(api && api.kind === 'lockdep' && api.role === 'assert-held' && api.objectArg === 0)) return;
    const arg = callArgs(n)[0];
    if (!arg) return;
    const object = normaliseObject(arg.text);
    const m = /^([A-Za-z_]\w*)(.*)$/.exec(object);
    if (!m) return;
    const param = params.indexOf(m[1]);
    if (param < 0) return;
    out.push({ fn, call: n, api: name, object, param, rest: m[2] });
  });
  return out;
}

/** The lock a caller must hold, in the caller's terms. */
function inCaller(a: Assertion, argText: string): string {
  const arg = normaliseObject(argText);
  const addr = argText.trim().startsWith('&');
  let lock = a.rest.startsWith('->') && addr ? `${arg}.${a.rest.slice(2)}` : `${arg}${a.rest}`;
  if (/^mmap_assert/.test(a.api)) lock = `${lock}->mmap_lock`;
  return lock;
}

export const lockdepAssertUnheld = createRule({
  meta: {
    id: 'lockdep-assert-unheld',
    defaultSeverity: 'warning',
    category: 'lockdep',
    description: 'A caller in the document reaches a function that asserts a lock on a path where the lock is not held.',
    messages: {
      unheld:
        '{{callee}}() asserts {{assertion}}, but {{caller}}() calls it here on a path where {{lock}} is not held: lockdep will splat on that path, and without the lock another CPU can change what {{callee}}() relies on being stable. Take {{lock}} on every path before this call (or move the call inside the locked section).',
    },
  },
  run(ctx, report) {
    const fns = ctx.functions.filter((f) => f.fragment.kind !== 'pre');
    const asserting = new Map<string, Assertion[]>();
    for (const fn of fns) {
      const as = assertionsOf(fn);
      if (!as.length) continue;
      const known = asserting.get(fn.name);
      if (known) known.push(...as);
      else asserting.set(fn.name, as);
    }
    if (!asserting.size) return;
    const view = emulatorView(ctx);
    if (!view) return;
    for (const caller of fns) {
      walk(caller.body, (n) => {
        if (n.type !== 'call_expression') return;
        const callee = callName(n);
        const as = asserting.get(callee);
        if (!as || callee === caller.name) return;
        const args = callArgs(n);
        let state: ReturnType<typeof view.lockStateAt> | undefined;
        const reported = new Set<string>();
        for (const a of as) {
          const arg = args[a.param];
          if (!arg) continue;
          const lock = inCaller(a, arg.text);
          state ??= view.lockStateAt(caller, n);
          if (!state) return;
          const nh = state.notHeldOnSomePath.find((x) => sameLock(x.lock, lock));
          if (!nh || reported.has(lock)) continue;
          reported.add(lock);
          const asserted = nodeLocation(a.fn.fragment, ctx.path, a.call);
          report({
            messageId: 'unheld',
            data: { callee, assertion: a.call.text, caller: caller.name, lock },
            loc: nodeLocation(caller.fragment, ctx.path, n),
            source: nodeSource(caller.fragment, n),
            function: caller.name,
            messageIndex: caller.fragment.messageIndex,
            trace: [...nh.trace, { line: asserted.line, column: asserted.column, message: `${callee}() asserts ${a.object}` }],
          });
        }
      });
    }
  },
});
