import { createRule } from '../framework';
import { reportIssues } from './common';

/** A write-section begin on a counter whose section is already open (directly or through a callee). */
export const seqcountNestedBegin = createRule({
  meta: {
    id: 'seqcount-nested-begin',
    defaultSeverity: 'error',
    category: 'seqcount',
    description: 'A seqcount write section opened while one on the same counter is already open.',
    messages: {
      nested:
        '{{call}} in {{fn}}() opens a write section on {{obj}} while the one opened at line {{prevLine}} ({{prevApi}}) is still open: the count goes even in the middle of the write, so readers on other CPUs accept data the writer is still changing; close the first section before opening another, or drop the inner begin.',
      nestedViaCallee:
        '{{call}} in {{fn}}() opens a write section on {{obj}}{{inside}} while the one opened at line {{prevLine}} ({{prevApi}}) is still open: the count goes even in the middle of the write, so readers on other CPUs accept data still being changed; do not call {{via}}() inside the section, or close the section first.',
    },
  },
  run(ctx, report) {
    reportIssues('seqcount-nested-begin', ctx, report);
  },
});
