import { createRule } from '../framework';
import { reportIssues } from './common';

/** A read_seqcount_begin()/read_seqbegin() value that never reaches a retry. */
export const seqcountReadUnchecked = createRule({
  meta: {
    id: 'seqcount-read-unchecked',
    defaultSeverity: 'warning',
    category: 'seqcount',
    description: 'A seqcount read section whose begin value never reaches read_seqcount_retry()/read_seqretry().',
    messages: {
      neverChecked:
        'The value {{api}}(&{{obj}}) returns in {{fn}}() never reaches {{retryApi}}(): a writer on another CPU can change the data in the middle of the read and nothing notices; loop with `do { {{v}} = {{api}}(&{{obj}}); ... } while ({{retryApi}}(&{{obj}}, {{v}}));`.',
      discarded:
        '{{api}}(&{{obj}}) in {{fn}}() throws its value away, so no {{retryApi}}() can validate the read: a concurrent writer on another CPU tears the data unseen; keep the value and loop with `do { seq = {{api}}(&{{obj}}); ... } while ({{retryApi}}(&{{obj}}, seq));`.',
    },
  },
  run(ctx, report) {
    reportIssues('seqcount-read-unchecked', ctx, report);
  },
});
