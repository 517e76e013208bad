import { createRule } from '../framework';
import { reportIssues } from './common';

/** mmu_notifier_invalidate_range_start() without _end on some path; counts a start callback leaves raised on error. */
export const notifierUnmatchedStart = createRule({
  meta: {
    id: 'notifier-unmatched-start',
    defaultSeverity: 'error',
    category: 'notifier',
    description: 'An MMU-notifier range started and not ended on some path, or state a start callback raises and its error path leaves raised.',
    messages: {
      leftStarted:
        '{{call}} in {{fn}}() starts notifier range {{obj}} that is not ended on the path through {{exit}}: {{why}}; call {{closer}} on that path too (before {{where}}).',
      callbackErrorLeavesRaised:
        '{{fn}}() is an .invalidate_range_start callback, and its error return at line {{line}} leaves {{obj}} raised (raised at line {{raisedLine}}): when the start callback fails the core never calls .invalidate_range_end, so nothing lowers {{obj}} again and everyone waiting for it to drop waits for ever; lower it on the error path before returning.',
      errorPathLeavesRaised:
        '{{fn}}() lowers {{obj}} on its other error paths but not on the return at line {{line}} (raised at line {{raisedLine}}): on that error nobody will lower it later, so waiters for {{obj}} to drop wait for ever; lower it there as the other error paths do.',
    },
  },
  run(ctx, report) {
    reportIssues('notifier-unmatched-start', ctx, report);
  },
});
