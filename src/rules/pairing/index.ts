import type { Rule } from '../framework';
import { seqcountUnmatchedBegin } from './seqcount-unmatched-begin';
import { seqcountUnmatchedEnd } from './seqcount-unmatched-end';
import { seqcountNestedBegin } from './seqcount-nested-begin';
import { seqcountReadUnchecked } from './seqcount-read-unchecked';
import { lockUnmatched } from './lock-unmatched';
import { lockDouble } from './lock-double';
import { notifierUnmatchedStart } from './notifier-unmatched-start';
import { notifierRetryUnchecked } from './notifier-retry-unchecked';

/** Rules of this group, in the order they run (all read the shared emulation, src/emulator). */
export const rules: Rule[] = [
  seqcountUnmatchedBegin,
  seqcountUnmatchedEnd,
  seqcountNestedBegin,
  seqcountReadUnchecked,
  lockUnmatched,
  lockDouble,
  notifierUnmatchedStart,
  notifierRetryUnchecked,
] as Rule[];
