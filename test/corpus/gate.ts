/** The gate test body shared by linux-corpus.test.ts and mail-corpus.test.ts. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../src/engine';
import { compare, corpusDir, corpusFiles, draftLine, observeFile, readJudged, type CorpusName, type Observed } from './judged';

export function gate(corpus: CorpusName): void {
  const files = corpusFiles(corpus);
  if (!files) {
    test(`${corpus}: gate skipped — ${corpusDir(corpus)} is absent`, { skip: `${corpusDir(corpus)} not found` }, () => {});
    return;
  }
  before(async () => {
    await initParser();
  });
  const { lines, malformed } = readJudged();
  test(`JUDGED.md: every list line has the form "- <rule> <corpus>/<path>:<line> — <right|false> — <why>"`, () => {
    assert.deepEqual(malformed, []);
  });
  const all: Observed[] = [];
  for (const file of files) {
    test(`${corpus}/${file}: every warning/error is judged in test/corpus/JUDGED.md`, () => {
      const { observed } = observeFile(corpus, file);
      all.push(...observed);
      const { unjudged, stale } = compare(observed, lines, new Set([`${corpus}/${file}`]));
      assert.deepEqual(
        { unjudged: unjudged.map(draftLine), stale: stale.map((j) => `JUDGED.md:${j.lineNo}: ${j.key} is no longer reported; remove the line`) },
        { unjudged: [], stale: [] },
        'run `npm run judge` for ready-to-edit lines',
      );
    });
  }
  test(`${corpus}: JUDGED.md names only files of the corpus`, () => {
    const known = new Set(files.map((f) => `${corpus}/${f}`));
    const unknown = lines.filter((j) => j.key.includes(` ${corpus}/`) && !known.has(j.key.slice(j.key.indexOf(' ') + 1).replace(/:\d+$/, '')));
    assert.deepEqual(unknown.map((j) => `JUDGED.md:${j.lineNo}: ${j.key}`), []);
  });
}
