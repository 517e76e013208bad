/**
 * notifier-unfiltered-invalidation: inside an owner-carrying operation (a
 * function that inits a range with an owner and MMU_NOTIFY_EXCLUSIVE/MIGRATE,
 * which its caller runs inside an mmu_interval_read_begin … retry section) or
 * inside a retry section of the function itself, a call that fires an
 * invalidation without the owner (split_huge_pmd_address(), zap_page_range_single(),
 * try_to_migrate(), ...). The driver's .invalidate cannot filter it, bumps the
 * sequence, and the read side retries — for ever when every attempt fires it.
 */
import { createRule } from '../framework';
import { notifierModel } from '../../device/owner';
import { loc, step } from '../../device/util';
import type { TraceStep } from '../../model';

type M = 'inOwnerOperation' | 'inRetrySection';

/** An event of the table in words: MMU_NOTIFY_* as is, anything else (secondary-TLB flushes) described. */
export function eventWords(event: string): string {
  return /^MMU_NOTIFY_/.test(event) ? event : 'a secondary-TLB invalidation (mmu_notifier_invalidate_range(), no event)';
}

export const notifierUnfilteredInvalidation = createRule<M>({
  meta: {
    id: 'notifier-unfiltered-invalidation',
    defaultSeverity: 'warning',
    category: 'notifier',
    description: 'A call that fires an owner-less invalidation inside an owner-carrying operation or an mmu_interval_read_begin/retry section forces the driver to retry.',
    messages: {
      inOwnerOperation:
        '{{callee}}() fires {{event}} without an owner{{via}} inside {{function}}(), which runs as part of the owner-carrying {{ownerEvent}} operation (range owner {{owner}}): the driver\'s .invalidate cannot filter it, bumps the sequence, and the caller\'s mmu_interval_read_retry() fails on every attempt; do the work before the driver\'s read section opens, or pass the owner to the invalidation.',
      inRetrySection:
        '{{callee}}() fires {{event}} without an owner{{via}} between mmu_interval_read_begin() and mmu_interval_read_retry() on {{object}}: the notifier\'s .invalidate bumps the sequence, so the retry fails on every attempt; move the call out of the read section or make the invalidation carry the owner.',
    },
  },
  run(ctx, report) {
    const model = notifierModel(ctx);
    for (const fn of ctx.functions) {
      const m = model.of(fn);
      if (!m.ownerless.length || (!m.ownerInit && !m.sections.length)) continue;
      for (const o of m.ownerless) {
        const section = m.sections.find((s) => o.call.startIndex > s.start && o.call.endIndex <= s.end);
        if (!section && !m.ownerInit) continue;
        const via = o.via.length ? ` (${[o.name, ...o.via.map((h) => h.name)].map((n) => `${n}()`).join(' → ')})` : '';
        const trace: TraceStep[] = [];
        if (section) {
          trace.push(step(ctx, fn, section.begin, `read section on ${section.object} opens`, `${section.object}: read section open`));
        } else if (m.ownerInit) {
          const i = m.ownerInit;
          trace.push(step(ctx, fn, i.call, `${fn.name}() inits ${i.object} with ${i.event} and owner ${i.owner}: it runs inside the caller's mmu_interval_read_begin() … mmu_interval_read_retry() section`, `operation owner: ${i.owner}`));
        }
        trace.push(step(ctx, fn, o.call, `${o.name}() fires ${eventWords(o.info.event)} with range->owner NULL`, `${o.info.event}, no owner`));
        for (const h of o.via) trace.push(step(ctx, h.fn, h.call, `${h.fn.name}() calls ${h.name}()`));
        trace.push({ line: trace[trace.length - 1].line, column: trace[trace.length - 1].column, message: o.info.note });
        if (section?.retry) trace.push(step(ctx, fn, section.retry, 'mmu_interval_read_retry() sees the bumped sequence and fails: retry', `${section.object}: retry`));
        else trace.push({ line: trace[trace.length - 1].line, column: trace[trace.length - 1].column, message: 'the driver\'s .invalidate cannot recognise the invalidation as its own: it bumps the sequence and the read side retries the operation, which fires it again' });
        report({
          messageId: section ? 'inRetrySection' : 'inOwnerOperation',
          data: {
            callee: o.name,
            event: eventWords(o.info.event),
            via,
            function: fn.name,
            ownerEvent: m.ownerInit?.event ?? '',
            owner: m.ownerInit?.owner ?? '',
            object: section?.object ?? '',
          },
          loc: loc(ctx, fn, o.call),
          function: fn.name,
          messageIndex: fn.fragment.messageIndex,
          trace,
        });
      }
    }
  },
});
