import { createRule } from '../framework';
import { reportIssues } from './common';

/** A seqcount/seqlock write section that some path leaves open (the function is not a wrapper). */
export const seqcountUnmatchedBegin = createRule({
  meta: {
    id: 'seqcount-unmatched-begin',
    defaultSeverity: 'error',
    category: 'seqcount',
    description: 'A seqcount write section opened on a path that leaves the function without closing it.',
    messages: {
      mismatched:
        '{{call}} in {{fn}}() opens a write section on {{obj}} but every path closes {{other}} instead (line {{otherLine}}): {{why}}, and {{other}} goes odd with no writer; close the counter that was opened ({{obj}}).',
      leftOpen:
        '{{call}} in {{fn}}() opens a write section on {{obj}} that is not closed on the path through {{exit}}: {{why}}; add {{closer}} before {{where}}, or move the label so every exit passes the end.',
    },
  },
  run(ctx, report) {
    reportIssues('seqcount-unmatched-begin', ctx, report);
  },
});
