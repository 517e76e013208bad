import { createRule } from '../framework';
import { reportIssues } from './common';

/** A lock left held on some path, or released on a path where it was not taken. */
export const lockUnmatched = createRule({
  meta: {
    id: 'lock-unmatched',
    defaultSeverity: 'error',
    category: 'lock',
    description: 'A lock held on some exit of a function that is not a lock wrapper, or released where it was not taken.',
    messages: {
      mismatched:
        '{{call}} in {{fn}}() takes {{obj}} but every path releases {{other}} instead (line {{otherLine}}): {{obj}} stays held, so {{why}}, and {{other}} is released without being held; release the object that was taken ({{obj}}).',
      leaked:
        '{{obj}} ({{lockKind}}) taken by {{call}} in {{fn}}() is still held on the path through {{exit}}: {{why}}; call {{closer}} on that path before {{where}}, or jump to the unlock label instead.',
      notHeld:
        '{{call}} in {{fn}}() releases {{obj}} on a path where it was not taken ({{fn}}() takes it with {{beginApi}}() only on other paths): releasing a lock this task does not hold corrupts its state and frees it under another CPU that holds it; release it only on the paths that took it.',
      releasedTwice:
        '{{call}} in {{fn}}() releases {{obj}} a second time on this path (it was released at line {{prevLine}}): the second release hands the lock to nobody or breaks another holder on another CPU; remove it, or take the lock again before it.',
    },
  },
  run(ctx, report) {
    reportIssues('lock-unmatched', ctx, report);
  },
});
