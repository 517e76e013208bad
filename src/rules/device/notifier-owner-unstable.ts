/**
 * notifier-owner-unstable: an owner handed to the mmu-notifier core (range owner,
 * hmm_range.dev_private_owner, migrate_vma.pgmap_owner, make_device_exclusive()'s
 * owner) or compared in a callback (`range->owner == x`) that does not name the
 * driver: `current` (any thread may call hmm_range_fault(), so a callback
 * filtering on `range->owner == current` skips invalidations another thread of
 * the driver caused, and lets this thread's foreign ones through), or the address
 * of a variable on the stack (a new value on every call: the owner never matches
 * again, and after the return it names nothing).
 */
import type { Node } from 'web-tree-sitter';
import { createRule, type CFunction, type DocumentContext } from '../framework';
import { callArgs, callName, callsIn, loc, step } from '../../device/util';
import { RANGE_OWNER_FIELDS } from '../../device/owner';
import { declaredName, walk } from '../../c/ast';

type M = 'current' | 'stack';

/** Fields that carry a driver's owner cookie. */
const OWNER_FIELDS = new Set([...RANGE_OWNER_FIELDS, 'dev_private_owner', 'pgmap_owner']);
/** Calls whose argument (index) is an owner. */
const OWNER_ARGS: Record<string, number | 'last'> = {
  mmu_notifier_range_init_owner: 'last',
  make_device_exclusive: 'last',
  make_device_exclusive_range: 'last',
};

interface OwnerUse {
  fn: CFunction;
  node: Node;
  value: Node;
  where: string;
}

function ownerUses(fn: CFunction): OwnerUse[] {
  const out: OwnerUse[] = [];
  for (const c of callsIn(fn.body)) {
    const name = callName(c);
    const idx = OWNER_ARGS[name];
    if (idx === undefined) continue;
    const args = callArgs(c);
    const v = idx === 'last' ? args[args.length - 1] : args[idx];
    if (v && args.length >= 3) out.push({ fn, node: c, value: v, where: `the owner passed to ${name}()` });
  }
  walk(fn.body, (n) => {
    if (n.type === 'assignment_expression' && n.childForFieldName('operator')?.text === '=') {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const f = l?.type === 'field_expression' ? l.childForFieldName('field')?.text ?? '' : '';
      if (r && OWNER_FIELDS.has(f)) out.push({ fn, node: n, value: r, where: `${l!.text.replace(/\s+/g, '')}` });
    } else if (n.type === 'initializer_pair') {
      const d = n.childForFieldName('designator');
      const v = n.childForFieldName('value');
      const f = d?.namedChildren[0]?.text ?? d?.text.replace(/^\./, '') ?? '';
      if (v && OWNER_FIELDS.has(f)) out.push({ fn, node: n, value: v, where: `.${f}` });
    } else if (n.type === 'binary_expression' && /^[!=]=$/.test(n.childForFieldName('operator')?.text ?? '')) {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      for (const [a, b] of [
        [l, r],
        [r, l],
      ]) {
        if (a?.type === 'field_expression' && a.childForFieldName('field')?.text === 'owner' && b) out.push({ fn, node: n, value: b, where: `the comparison with ${a.text.replace(/\s+/g, '')}` });
      }
    }
  });
  return out;
}

/** Locals of a function that live on its stack (declared in the body or as parameters, not static). */
function stackLocals(fn: CFunction): Set<string> {
  const out = new Set<string>();
  walk(fn.def, (n) => {
    if (n.type !== 'declaration' && n.type !== 'parameter_declaration') return;
    if (n.type === 'declaration' && n.namedChildren.some((c) => c?.type === 'storage_class_specifier' && /static|extern/.test(c.text))) return false;
    for (const d of n.childrenForFieldName('declarator')) {
      const name = declaredName(d ?? null);
      if (name) out.add(name);
    }
    return false;
  });
  return out;
}

function unstable(value: Node, locals: Set<string>): { kind: M; text: string } | null {
  let v = value;
  while (v.type === 'parenthesized_expression' || v.type === 'cast_expression') v = (v.type === 'cast_expression' ? v.childForFieldName('value') : v.namedChildren.find((c) => c?.type !== 'comment')) ?? v;
  const t = v.text.replace(/\s+/g, '');
  if (t === 'current' || t === 'get_current()') return { kind: 'current', text: t };
  if (v.type === 'pointer_expression' && v.child(0)?.type === '&') {
    const a = v.childForFieldName('argument');
    let base: Node | null = a;
    while (base && (base.type === 'field_expression' || base.type === 'subscript_expression') && base.childForFieldName('operator')?.text !== '->') base = base.childForFieldName('argument');
    if (base?.type === 'identifier' && locals.has(base.text)) return { kind: 'stack', text: t };
  }
  return null;
}

export const notifierOwnerUnstable = createRule<M>({
  meta: {
    id: 'notifier-owner-unstable',
    defaultSeverity: 'warning',
    category: 'notifier',
    description: 'A notifier/device-memory owner that does not name the driver: `current` or the address of a stack variable.',
    messages: {
      current:
        '{{where}} is `{{value}}`: a thread is not an owner. Any thread may call hmm_range_fault() or start a migration for this device, so a callback filtering on range->owner == current skips invalidations it must honour and honours its own; use a pointer that names the driver or device (the pgmap owner, the drm device) everywhere the owner is set and compared.',
      stack:
        '{{where}} is `{{value}}`, the address of a variable on {{fn}}()\'s stack: a new value on every call, so the owner set here never matches the one the callback compares with, and after the return it points at nothing; use a pointer that lives as long as the driver (the pgmap owner, the device).',
    },
  },
  run(ctx: DocumentContext, report) {
    for (const fn of ctx.functions) {
      const locals = stackLocals(fn);
      for (const u of ownerUses(fn)) {
        const bad = unstable(u.value, locals);
        if (!bad) continue;
        report({
          messageId: bad.kind,
          data: { where: u.where, value: bad.text, fn: fn.name },
          loc: loc(ctx, fn, u.value),
          function: fn.name,
          messageIndex: fn.fragment.messageIndex,
          trace: [step(ctx, fn, u.node, `${u.where}: ${bad.text}`, bad.kind === 'current' ? 'owner: the calling thread' : 'owner: a stack address')],
        });
      }
    }
  },
});
