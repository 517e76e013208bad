/** STUB. */
import type { Fragment } from '../model';
import type { ParsedFragment } from '../rules/framework';
import { parseC } from './parser';

export function parseFragment(fragment: Fragment): ParsedFragment {
  return { fragment, tree: parseC(fragment.text), functions: [] };
}
