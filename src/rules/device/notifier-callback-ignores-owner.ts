/**
 * notifier-callback-ignores-owner: the .invalidate callback of a driver that
 * uses device-private or exclusive memory never compares range->owner (or
 * compares it only after mmu_interval_set_seq()). Its own migrations and
 * exclusive-access conversions then invalidate its read sections: the driver
 * retries its own work or tears down the mapping it is building.
 */
import { createRule } from '../framework';
import { analyseCallback, deviceMemoryUse, notifierCallbacks } from '../../device/owner';
import { loc, step } from '../../device/util';
import type { TraceStep } from '../../model';
import { functionName } from '../../c/ast';

type M = 'ignoresOwner' | 'filterAfterSeq';

export const notifierCallbackIgnoresOwner = createRule<M>({
  meta: {
    id: 'notifier-callback-ignores-owner',
    defaultSeverity: 'warning',
    category: 'notifier',
    description: 'An mmu notifier .invalidate callback of a device-memory driver that never compares range->owner before bumping the sequence.',
    messages: {
      ignoresOwner:
        '{{callback}}(), the {{field}} callback of {{ops}}, never reads range->owner, yet this driver uses device memory ({{word}}): the invalidations of its own migrations and exclusive-access conversions bump the sequence, so it retries or tears down its own mapping; return early when range->event is MMU_NOTIFY_MIGRATE/MMU_NOTIFY_EXCLUSIVE and range->owner is the driver\'s owner.',
      filterAfterSeq:
        '{{callback}}() compares range->owner only after mmu_interval_set_seq(): the sequence is already bumped, so the driver\'s own {{word}} invalidation still makes mmu_interval_read_retry() fail; test range->event and range->owner before calling mmu_interval_set_seq().',
    },
  },
  run(ctx, report) {
    const use = deviceMemoryUse(ctx);
    if (!use) return;
    const seen = new Set<unknown>();
    for (const cb of notifierCallbacks(ctx)) {
      const fn = cb.fn;
      if (!fn || seen.has(fn)) continue;
      seen.add(fn);
      const v = analyseCallback(ctx, fn);
      if (!v.rangeParam || v.unknownHelper) continue;
      let messageId: M | null = null;
      if (!v.ownerRead) messageId = 'ignoresOwner';
      else if (v.setSeq && v.ownerRead.node.startIndex > v.setSeq.startIndex && v.ownerRead.fn === fn) messageId = 'filterAfterSeq';
      if (!messageId) continue;
      let nameNode = fn.def.childForFieldName('declarator');
      while (nameNode && nameNode.type !== 'identifier') nameNode = nameNode.childForFieldName('declarator');
      const anchor = nameNode && !fn.synthetic && functionName(fn.def) === fn.name ? nameNode : fn.body;
      const trace: TraceStep[] = [
        { line: use.line, column: use.column, message: `the driver uses device-private or exclusive memory: ${use.word}` },
        step(ctx, fn, anchor, `${fn.name}() is the ${cb.field} callback of ${cb.opsName} (${cb.opsType})`),
      ];
      if (v.setSeq) trace.push(step(ctx, fn, v.setSeq, 'mmu_interval_set_seq() bumps the sequence: every read section open on this notifier will retry', 'sequence bumped'));
      if (v.ownerRead && messageId === 'filterAfterSeq') trace.push(step(ctx, v.ownerRead.fn, v.ownerRead.node, 'range->owner is compared only here, after the bump'));
      report({
        messageId,
        data: { callback: fn.name, field: `.${cb.field}`, ops: cb.opsName, word: use.word },
        loc: loc(ctx, fn, anchor),
        function: fn.name,
        messageIndex: fn.fragment.messageIndex,
        trace,
      });
    }
  },
});
