/** Shared helpers of the extractor tests: C snippet → facts. */
import { initParser } from '../../src/c/parser';
import { buildFragment, fragmentFromC, type FragmentMeta } from '../../src/c/prepare';
import { parseFragment } from '../../src/c/functions';
import { extractFacts } from '../../src/analyzers';
import type { Fact, Image } from '../../src/model';

export const ready = (): Promise<void> => initParser();

export function factsOf(code: string, opts: Parameters<typeof fragmentFromC>[1] = {}): Fact[] {
  return extractFacts([parseFragment(fragmentFromC(code, opts))], 'test.c');
}

/** Facts of a diff-like fragment: each line is [image, text]; the fragment kind decides which images are kept. */
export function factsOfImages(kind: FragmentMeta['kind'], lines: [Image, string][], functionHint: string | null = null): Fact[] {
  const f = buildFragment(
    { id: `t/${kind}`, kind, messageIndex: 0, file: 'mm/x.c', functionHint, quoteDepth: 0 },
    lines.map(([image, text], i) => ({ text, docLine: 10 + i, docColumn: 2, sourceLine: 100 + i, image })),
  );
  return extractFacts([parseFragment(f)], 'mail.txt');
}

export function only(facts: Fact[], pred: Partial<Fact>): Fact[] {
  return facts.filter((f) => Object.entries(pred).every(([k, v]) => (f as unknown as Record<string, unknown>)[k] === v));
}
