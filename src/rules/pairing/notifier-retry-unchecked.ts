import { createRule } from '../framework';
import { reportIssues } from './common';

/** mmu_interval_read_begin() whose sequence never reaches mmu_interval_read_retry(). */
export const notifierRetryUnchecked = createRule({
  meta: {
    id: 'notifier-retry-unchecked',
    defaultSeverity: 'error',
    category: 'notifier',
    description: 'An mmu_interval_read_begin() sequence that is never checked with mmu_interval_read_retry() before the result is used.',
    messages: {
      neverChecked:
        'The sequence {{api}}(&{{obj}}) returns in {{fn}}() is never checked with mmu_interval_read_retry(): an invalidation on another CPU can run between the page walk and its use, and the device keeps mappings to pages that are gone; take the driver lock the .invalidate callback takes, and retry from {{api}}() when mmu_interval_read_retry(&{{obj}}, {{v}}) returns true.',
      hintOnly:
        'The sequence {{api}}(&{{obj}}) returns in {{fn}}() is only checked with mmu_interval_check_retry(), a lockless hint: an invalidation can still run after it and before the result is used on another CPU; check mmu_interval_read_retry(&{{obj}}, {{v}}) under the driver lock before committing the result.',
    },
  },
  run(ctx, report) {
    reportIssues('notifier-retry-unchecked', ctx, report);
  },
});
