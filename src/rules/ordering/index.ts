import type { Rule } from '../framework';

/** Rules of this group, in the order they run. */
export const rules: Rule[] = [];
