import type { Rule } from '../framework';
import { seqcountReaderBarrier } from './seqcount-reader-barrier';
import { seqcountWriterBarrier } from './seqcount-writer-barrier';
import { barrierNoComment } from './barrier-no-comment';
import { barrierAtomicMisplaced } from './barrier-atomic-misplaced';

/** Rules of this group, in the order they run. */
export const rules: Rule[] = [seqcountReaderBarrier, seqcountWriterBarrier, barrierAtomicMisplaced, barrierNoComment] as Rule[];
