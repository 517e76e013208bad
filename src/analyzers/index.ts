/** STUB (replaced by the extractors). */
import type { Fact } from '../model';
import type { ParsedFragment } from '../rules/framework';

export function extractFacts(_fragments: ParsedFragment[], _path: string): Fact[] {
  return [];
}
