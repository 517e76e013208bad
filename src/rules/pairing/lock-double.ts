import { createRule } from '../framework';
import { reportIssues } from './common';

/** A lock taken again on a path that already holds it. */
export const lockDouble = createRule({
  meta: {
    id: 'lock-double',
    defaultSeverity: 'error',
    category: 'lock',
    description: 'A lock taken while the same path already holds it (self-deadlock).',
    messages: {
      doubleLock:
        '{{call}} in {{fn}}() takes {{obj}}{{inside}} while this path already holds it (taken at line {{prevLine}} by {{prevApi}}): a {{lockKind}} is not recursive, so the task deadlocks on itself; release it first, or do not take it again here.',
      upgrade:
        '{{call}} in {{fn}}() takes {{obj}}{{inside}} for writing while this path holds it for reading (since line {{prevLine}}): the writer waits for all readers, itself included, so the task deadlocks; drop the read hold first and revalidate after taking the write lock.',
    },
  },
  run(ctx, report) {
    reportIssues('lock-double', ctx, report);
  },
});
