import type { Rule } from '../framework';
import { seqcountReaderBarrier } from './seqcount-reader-barrier';
import { seqcountWriterBarrier } from './seqcount-writer-barrier';
import { barrierUnpaired } from './barrier-unpaired';
import { barrierNoComment } from './barrier-no-comment';
import { barrierAtomicMisplaced } from './barrier-atomic-misplaced';
import { lockdepCommentNotAssert } from './lockdep-comment-not-assert';

/** Rules of this group, in the order they run. */
export const rules: Rule[] = [
  seqcountReaderBarrier,
  seqcountWriterBarrier,
  barrierAtomicMisplaced,
  barrierUnpaired,
  barrierNoComment,
  lockdepCommentNotAssert,
] as Rule[];
