/**
 * The judged corpus lists: test/corpus/JUDGED.md names every warning/error mmlens
 * gives on ../shared/linux-corpus and ../shared/mail-corpus, one line each:
 *   - <rule> <corpus>/<path>:<line> — <right|false> — <why>
 * The gate tests (linux-corpus.test.ts, mail-corpus.test.ts) and `npm run judge`
 * share this module: what the corpora yield now, what the list says, and the diff.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../src/engine';
import { defaultConfig } from '../../src/config';
import type { AnalysisResult } from '../../src/model';

export type CorpusName = 'linux-corpus' | 'mail-corpus';

export const ROOT = path.join(__dirname, '..', '..');
export const SHARED = path.join(ROOT, '..', 'shared');
export const JUDGED_FILE = path.join(__dirname, 'JUDGED.md');

/** Input errors that mean part of a document was not analysed (a crash, a spent budget): gated like findings. */
export const GATED_ERRORS = new Set(['rule-crashed', 'time-budget', 'cancelled', 'mail-internal-error']);

export function corpusDir(corpus: CorpusName): string {
  return path.join(SHARED, corpus);
}

/** Files of a corpus the gate runs on (paths relative to the corpus folder), or null when the corpus is absent. */
export function corpusFiles(corpus: CorpusName): string[] | null {
  const dir = corpusDir(corpus);
  if (!fs.existsSync(dir)) return null;
  const out: string[] = [];
  const walkDir = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walkDir(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walkDir(dir);
  const keep = corpus === 'linux-corpus' ? (f: string) => /\.(c|h)$/.test(f) : (f: string) => /^[^/]+\.eml$/.test(f) || /^bugs\/[^/]+\.patch$/.test(f);
  return out.filter(keep).sort();
}

/** One gated result: `<rule> <corpus>/<path>:<line>` (the key JUDGED.md lines start with). */
export interface Observed {
  key: string;
  rule: string;
  corpus: CorpusName;
  file: string;
  line: number;
  message: string;
  function: string | null;
}

/** Analyse one corpus file the way a user's `mmlens check` does, and list its gated results. */
export function observeFile(corpus: CorpusName, file: string): { result: AnalysisResult; observed: Observed[] } {
  const full = path.join(corpusDir(corpus), file);
  const text = fs.readFileSync(full, 'utf8');
  // The user's defaults, but a generous time budget: the gate must not depend on the machine's
  // load (speed is measured in `npm run bench`); a budget spent even so is still gated.
  const config = defaultConfig();
  config.limits.timeBudgetMs = 120_000;
  const result = analyzeText(text, `../shared/${corpus}/${file}`, { config });
  const observed: Observed[] = [];
  const add = (rule: string, line: number, message: string, fn: string | null): void => {
    observed.push({ key: `${rule} ${corpus}/${file}:${line}`, rule, corpus, file, line, message, function: fn });
  };
  for (const f of result.findings) if (f.severity === 'warning' || f.severity === 'error') add(f.rule, f.line, f.message, f.function ?? null);
  for (const e of result.errors) if (GATED_ERRORS.has(e.code)) add(e.code, e.line ?? 0, e.message.split('\n')[0], null);
  return { result, observed };
}

export interface JudgedLine {
  key: string;
  verdict: 'right' | 'false';
  why: string;
  lineNo: number;
}

const LINE = /^- (\S+) ((?:linux-corpus|mail-corpus)\/\S+:\d+) — (right|false) — (.+)$/;

/** Parse JUDGED.md; malformed list lines are returned separately so a test can name them. */
export function readJudged(file = JUDGED_FILE): { lines: JudgedLine[]; malformed: string[] } {
  const lines: JudgedLine[] = [];
  const malformed: string[] = [];
  if (!fs.existsSync(file)) return { lines, malformed };
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      if (!l.startsWith('- ')) return;
      const m = LINE.exec(l.trimEnd());
      if (!m) {
        malformed.push(`JUDGED.md:${i + 1}: ${l}`);
        return;
      }
      lines.push({ key: `${m[1]} ${m[2]}`, verdict: m[3] as 'right' | 'false', why: m[4], lineNo: i + 1 });
    });
  return { lines, malformed };
}

/** Multiset difference: observed results with no judged line, and judged lines (of the given files) no longer observed. */
export function compare(observed: Observed[], judged: JudgedLine[], files: Set<string>): { unjudged: Observed[]; stale: JudgedLine[] } {
  const want = new Map<string, number>();
  for (const j of judged) want.set(j.key, (want.get(j.key) ?? 0) + 1);
  const unjudged: Observed[] = [];
  for (const o of observed) {
    const n = want.get(o.key) ?? 0;
    if (n > 0) want.set(o.key, n - 1);
    else unjudged.push(o);
  }
  const stale: JudgedLine[] = [];
  for (const j of judged) {
    const file = j.key.slice(j.key.indexOf(' ') + 1).replace(/:\d+$/, '');
    if (!files.has(file)) continue;
    const n = want.get(j.key) ?? 0;
    if (n > 0) {
      stale.push(j);
      want.set(j.key, n - 1);
    }
  }
  return { unjudged, stale };
}

/** A ready-to-edit JUDGED.md line for an unjudged result (verdict left for a human to set). */
export function draftLine(o: Observed): string {
  const where = o.function ? ` in ${o.function}()` : '';
  return `- ${o.key} — false — UNJUDGED${where}: ${o.message.slice(0, 140).replace(/\s+/g, ' ')}`;
}
