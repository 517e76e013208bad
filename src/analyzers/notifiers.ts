/**
 * MMU-notifier facts: range init (event, owner or null, mm, start, end, and the
 * vma of the older 7-argument form), range start/end (nonblock with its return
 * use), interval-notifier read/retry/set-seq, and calls to kernel functions that
 * fire owner-less invalidations (OWNERLESS_INVALIDATORS: event and note).
 */
import type { Node } from 'web-tree-sitter';
import { OWNERLESS_INVALIDATORS, type ApiInfo } from '../kernel/apis';
import { normaliseObject } from '../c/ast';
import { argTexts, emit, objectOf, returnUse, type Ctx } from './common';

export function notifierCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const args = argTexts(call);
  const detail: Record<string, string | number | boolean | null> = {};
  switch (info.role) {
    case 'range-init':
    case 'range-init-owner': {
      const withOwner = info.role === 'range-init-owner';
      const core = withOwner ? args.slice(0, -1) : args;
      // New: (range, event, flags, mm, start, end); older: (range, event, flags, vma, mm, start, end).
      const old = core.length >= 7;
      detail.event = core[1] ?? null;
      detail.flags = core[2] ?? null;
      detail.vma = old ? core[3] ?? null : null;
      detail.mm = (old ? core[4] : core[3]) ?? null;
      detail.start = (old ? core[5] : core[4]) ?? null;
      detail.end = (old ? core[6] : core[5]) ?? null;
      detail.owner = withOwner ? args[args.length - 1] ?? null : null;
      detail.form = old ? 'vma' : 'mm';
      break;
    }
    case 'range-start-nonblock': {
      const u = returnUse(call);
      detail.returns = info.returns ?? null;
      detail.returnUse = u.use;
      detail.negated = u.negated;
      detail.assignedTo = u.assignedTo;
      break;
    }
    case 'interval-read-begin': {
      detail.seqVar = returnUse(call).assignedTo;
      break;
    }
    case 'interval-read-retry':
    case 'interval-check-retry':
    case 'interval-set-seq':
      detail.seqVar = args[1] !== undefined ? normaliseObject(args[1]) : null;
      if (info.role !== 'interval-set-seq') detail.returnUse = returnUse(call).use;
      break;
    case 'owner-less-invalidation': {
      const o = OWNERLESS_INVALIDATORS[name];
      detail.event = o ? o.event : null;
      detail.owner = null;
      detail.note = o ? o.note : null;
      break;
    }
  }
  emit(ctx, call, { kind: 'notifier', api: name, role: info.role, args, object: objectOf(call, info.objectArg), detail: Object.keys(detail).length ? detail : undefined });
}
