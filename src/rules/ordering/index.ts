import type { Rule } from '../framework';
import { seqcountReaderBarrier } from './seqcount-reader-barrier';
import { seqcountWriterBarrier } from './seqcount-writer-barrier';

/** Rules of this group, in the order they run. */
export const rules: Rule[] = [seqcountReaderBarrier, seqcountWriterBarrier] as Rule[];
