import { createRule } from '../framework';
import { reportIssues } from './common';

/** A write-section end on a path where no section is open. */
export const seqcountUnmatchedEnd = createRule({
  meta: {
    id: 'seqcount-unmatched-end',
    defaultSeverity: 'error',
    category: 'seqcount',
    description: 'A seqcount write section closed on a path where it is not open.',
    messages: {
      notOpen:
        '{{call}} in {{fn}}() closes a write section that is not open on this path ({{fn}}() opens it with {{beginApi}}() only on other paths): the count flips while no write is in progress, so readers on other CPUs spin on an odd count or accept torn data; call it only on the paths that opened the section.',
      closedTwice:
        '{{call}} in {{fn}}() closes the write section on {{obj}} a second time on this path (it was closed at line {{prevLine}}): the count goes odd with no writer, so readers spin until the next write; remove the second end or reopen the section before it.',
    },
  },
  run(ctx, report) {
    reportIssues('seqcount-unmatched-end', ctx, report);
  },
});
