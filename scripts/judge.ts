/**
 * `npm run judge [linux-corpus|mail-corpus] [path-substring...]`: run mmlens on
 * the corpora and print (1) the unjudged warnings/errors as ready-to-edit
 * JUDGED.md lines (verdict and reason still to be written: read the code first),
 * (2) the stale lines JUDGED.md still holds. Exit 1 when either list is non-empty.
 */
import { initParser } from '../src/engine';
import { compare, corpusFiles, draftLine, observeFile, readJudged, type CorpusName, type Observed } from '../test/corpus/judged';

async function main(): Promise<void> {
  await initParser();
  const args = process.argv.slice(2);
  const corpora = (['linux-corpus', 'mail-corpus'] as CorpusName[]).filter((c) => !args.some((a) => a.endsWith('-corpus')) || args.includes(c));
  const filters = args.filter((a) => !a.endsWith('-corpus'));
  const { lines, malformed } = readJudged();
  let bad = malformed.length;
  for (const m of malformed) console.log(`malformed: ${m}`);
  for (const corpus of corpora) {
    const files = corpusFiles(corpus);
    if (!files) {
      console.log(`# ${corpus}: absent, skipped`);
      continue;
    }
    const chosen = files.filter((f) => !filters.length || filters.some((s) => f.includes(s)));
    const observed: Observed[] = [];
    for (const f of chosen) {
      if (process.stderr.isTTY) process.stderr.write(`\r${corpus}: ${f}`.padEnd(80));
      observed.push(...observeFile(corpus, f).observed);
    }
    if (process.stderr.isTTY) process.stderr.write("\r".padEnd(81) + "\r");
    const { unjudged, stale } = compare(observed, lines, new Set(chosen.map((f) => `${corpus}/${f}`)));
    console.log(`# ${corpus}: ${observed.length} warnings/errors on ${chosen.length} files; ${unjudged.length} unjudged, ${stale.length} stale`);
    if (unjudged.length) {
      console.log(`## unjudged (add to test/corpus/JUDGED.md after reading the code; set right|false and the reason)`);
      for (const o of unjudged) console.log(draftLine(o));
    }
    if (stale.length) {
      console.log(`## stale (no longer reported: remove these lines)`);
      for (const j of stale) console.log(`JUDGED.md:${j.lineNo}: - ${j.key} — ${j.verdict} — ${j.why}`);
    }
    bad += unjudged.length + stale.length;
  }
  process.exitCode = bad ? 1 : 0;
}

void main();
