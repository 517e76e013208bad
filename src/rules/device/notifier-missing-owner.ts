/**
 * notifier-missing-owner: mmu_notifier_range_init() with an event whose meaning
 * needs an owner (MMU_NOTIFY_EXCLUSIVE, MMU_NOTIFY_MIGRATE). The range carries
 * no owner, so the driver that asked for the operation cannot tell its own
 * invalidation apart from a foreign one: it retries for ever or tears down the
 * mapping it is building. Fix: mmu_notifier_range_init_owner() with the owner
 * the function has at hand (args->owner, migrate->pgmap_owner, owner).
 */
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../model';
import { createRule, type CFunction, type DocumentContext } from '../framework';
import { OWNER_EVENTS } from '../../device/invalidators';
import { rangeInits } from '../../device/owner';
import { docSlice, loc, parameters, step } from '../../device/util';
import { walk } from '../../c/ast';

type M = 'missingOwner' | 'missingOwnerNoCandidate';

/** An owner expression the function can pass: a parameter or field named *owner (not range->owner). */
export function ownerCandidate(fn: CFunction): string | null {
  for (const p of parameters(fn)) if (/owner$/i.test(p.name)) return p.name;
  let found: string | null = null;
  walk(fn.body, (n) => {
    if (found) return false;
    if (n.type === 'field_expression') {
      const field = n.childForFieldName('field')?.text ?? '';
      const arg = n.childForFieldName('argument');
      if (/owner$/.test(field) && arg && arg.type === 'identifier' && !/range$/.test(arg.text) && n.parent?.type !== 'assignment_expression') {
        found = n.text.replace(/\s+/g, '');
        return false;
      }
    }
    if (n.type === 'identifier' && /^(\w+_)?owner$/.test(n.text) && n.parent?.type !== 'field_expression') {
      found = n.text;
      return false;
    }
  });
  return found;
}

function fixFor(ctx: DocumentContext, fn: CFunction, call: Node, owner: string): Fix | undefined {
  const l = loc(ctx, fn, call);
  const text = docSlice(ctx, l);
  if (!text || !text.startsWith('mmu_notifier_range_init') || !text.endsWith(')')) return undefined;
  const replacement = `mmu_notifier_range_init_owner${text.slice('mmu_notifier_range_init'.length, -1)}, ${owner})`;
  return { description: `Use mmu_notifier_range_init_owner() with ${owner} as the owner`, ...l, replacement, safety: 'needs-review' };
}

export const notifierMissingOwner = createRule<M>({
  meta: {
    id: 'notifier-missing-owner',
    defaultSeverity: 'warning',
    category: 'notifier',
    fixable: 'needs-review',
    description: 'mmu_notifier_range_init() with MMU_NOTIFY_EXCLUSIVE/MIGRATE: the range has no owner, so the driver cannot recognise its own invalidation.',
    messages: {
      missingOwner:
        'mmu_notifier_range_init() with {{event}} leaves range->owner NULL: the driver that started this operation cannot tell its own invalidation from a foreign one, so its .invalidate bumps the sequence and the driver retries or tears down the mapping it is building; use mmu_notifier_range_init_owner(..., {{owner}}).',
      missingOwnerNoCandidate:
        'mmu_notifier_range_init() with {{event}} leaves range->owner NULL: the driver that started this operation cannot tell its own invalidation from a foreign one, so its .invalidate bumps the sequence and the driver retries or tears down the mapping it is building; use mmu_notifier_range_init_owner() and pass the driver\'s owner (the pgmap owner) down to here.',
    },
  },
  run(ctx, report) {
    for (const fn of ctx.functions) {
      for (const init of rangeInits(ctx, fn)) {
        if (init.api !== 'mmu_notifier_range_init' || init.owner !== null || !init.event || !OWNER_EVENTS.has(init.event)) continue;
        const call = init.call;
        const owner = ownerCandidate(fn);
        const fix = owner ? fixFor(ctx, fn, call, owner) : undefined;
        report({
          messageId: owner ? 'missingOwner' : 'missingOwnerNoCandidate',
          data: { event: init.event, owner: owner ?? '' },
          loc: loc(ctx, fn, call),
          function: fn.name,
          messageIndex: fn.fragment.messageIndex,
          trace: [
            step(ctx, fn, call, `${init.object}: event ${init.event}, owner NULL`, `${init.object}: ${init.event}, no owner`),
            step(ctx, fn, call, `a driver's .invalidate skips its own ${init.event} invalidation only when range->owner matches; with NULL it cannot, and its mmu_interval_read_retry() fails`),
          ],
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
