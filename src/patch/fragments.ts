/** STUB (replaced by the fragment builder). */
import type { Fragment, Message, Patch } from '../model';

export function buildFragments(_messages: Message[], _patches: Patch[]): Fragment[] {
  return [];
}
