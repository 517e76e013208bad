import type { Rule } from '../framework';
import { seqcountReaderBarrier } from './seqcount-reader-barrier';
import { seqcountWriterBarrier } from './seqcount-writer-barrier';
import { barrierUnpaired } from './barrier-unpaired';
import { barrierNoComment } from './barrier-no-comment';
import { barrierAtomicMisplaced } from './barrier-atomic-misplaced';
import { lockdepCommentNotAssert } from './lockdep-comment-not-assert';
import { lockdepAssertUnheld } from './lockdep-assert-unheld';
import { seqcountWriterUnserialized } from './seqcount-writer-unserialized';

/** Rules of this group, in the order they run. */
export const rules: Rule[] = [
  seqcountReaderBarrier,
  seqcountWriterBarrier,
  barrierAtomicMisplaced,
  barrierUnpaired,
  barrierNoComment,
  lockdepCommentNotAssert,
  lockdepAssertUnheld,
  seqcountWriterUnserialized,
] as Rule[];
