/**
 * `npm run bench`: times `check` end to end on the seed mails and on generated
 * corpora, and raw tree-sitter parsing of the same C in the same run.
 *
 *   node out/bench/run.js [--runs N] [--sizes 1,10] [--seed S] [--no-seeds] [--out FILE]
 *   node --import tsx bench/run.ts ...
 *
 * Honesty rules: the inputs are the same every run (seed mails as they are,
 * corpora from a seeded generator, their sha256 printed); one warm-up pass is
 * not counted; every figure is the median of N passes; the parse baseline is
 * measured in the same process, in the same passes, on exactly the C fragments
 * the pipeline builds for the same documents.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { analyzeText, initParser } from '../src/engine';
import { parseC } from '../src/c/parser';
import { defaultConfig, type MmlensConfig } from '../src/config';
import { readMailDocument } from '../src/mail';
import { findPatches } from '../src/patch';
import { buildFragments } from '../src/patch/fragments';
import { fragmentFromC } from '../src/c/prepare';
import { renderText } from '../src/report/text';
import type { InputError } from '../src/model';
import { generateMbox, stressSource } from './generate';
import { litmusBench } from './litmus';
import { treeBench } from './tree';

// ---------------------------------------------------------------- options

interface Options {
  runs: number;
  sizesMB: number[];
  seed: number;
  seeds: boolean;
  out: string | null;
}

function usage(): string {
  return [
    'usage: bench [--runs N] [--sizes 1,10] [--seed S] [--no-seeds] [--out FILE]',
    '  --runs N      measured passes per workload (default 5; one warm-up pass comes first)',
    '  --sizes LIST  generated corpus sizes in MB, 1 MB = 1,000,000 bytes (default 1,10; 0 = none)',
    '  --seed S      generator seed (default 1)',
    '  --no-seeds    skip the seed mails in ../shared/seeds',
    '  --out FILE    JSON results (default .bench/last.json; "-" = do not write)',
  ].join('\n');
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 5, sizesMB: [1, 10], seed: 1, seeds: true, out: null };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag}: expected a number ≥ ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') o.runs = Math.floor(num(flag, value(), 1));
    else if (flag === '--sizes') o.sizesMB = value().split(',').map((s) => num(flag, s, 0)).filter((n) => n > 0);
    else if (flag === '--seed') o.seed = Math.floor(num(flag, value(), 0));
    else if (flag === '--no-seeds') o.seeds = false;
    else if (flag === '--out') o.out = value();
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(usage() + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument "${a}"\n${usage()}`);
  }
  return o;
}

// ---------------------------------------------------------------- helpers

/** The repository root: the nearest folder above this file with mmlens's package.json (works from bench/ and out/bench/). */
function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'mmlens') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`bench: cannot find the mmlens repository above ${__dirname}`);
    dir = up;
  }
}

const now = () => performance.now();
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const MB = 1e6;
const gc = (globalThis as { gc?: () => void }).gc;

/** Write a generated input only when it is missing or differs from what is on disk. */
function writeIfChanged(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

interface Doc {
  path: string;
  bytes: number;
  sha256: string;
  /** The C texts the pipeline hands to tree-sitter for this document (one per fragment). */
  fragments: string[];
  /** Every hunk line of the document without its diff marker, joined: one parse per document. */
  hunkC: string;
}

interface Workload {
  name: string;
  docs: Doc[];
}

/**
 * What the pipeline parses, computed outside the timed region with the
 * engine's own stages (mail → patches → fragments), so the baseline follows
 * the pipeline as its layers change.
 */
function prepareDoc(file: string): Doc {
  const buf = fs.readFileSync(file);
  const text = buf.toString('utf8');
  // A C file is one fragment, built as the engine builds it.
  if (/\.(c|h)$/i.test(file)) return { path: file, bytes: buf.length, sha256: sha256(buf), fragments: [fragmentFromC(text, { id: 'c0', kind: 'file', file }).text], hunkC: text };
  const errors: InputError[] = [];
  const mail = readMailDocument(text, file);
  const patches = mail.messages.flatMap((m) => findPatches(m, file, errors));
  const fragments = buildFragments(mail.messages, patches).map((f) => f.text);
  const hunkC = patches
    .flatMap((p) => p.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text))))
    .join('\n');
  return { path: file, bytes: buf.length, sha256: sha256(buf), fragments, hunkC };
}

interface Pass {
  e2eMs: number;
  parseMs: number;
  concatMs: number;
  findings: number;
  errors: Record<string, number>;
}

/** End to end as `mmlens check` does it per document: read, analyse, render the text report. */
function endToEnd(w: Workload, config: MmlensConfig): { ms: number; findings: number; errors: Record<string, number> } {
  let findings = 0;
  let sink = 0;
  const errors: Record<string, number> = {};
  const t0 = now();
  for (const d of w.docs) {
    const text = fs.readFileSync(d.path).toString('utf8');
    const result = analyzeText(text, d.path, { config });
    sink += renderText([{ result, text }]).length;
    findings += result.findings.length;
    for (const e of result.errors) errors[e.code] = (errors[e.code] ?? 0) + 1;
  }
  const ms = now() - t0;
  if (sink < 0) throw new Error('unreachable');
  return { ms, findings, errors };
}

/** tree-sitter alone on the same fragments (trees freed right away). */
function parseFragments(w: Workload): number {
  const t0 = now();
  for (const d of w.docs)
    for (const f of d.fragments) {
      const tree = parseC(f);
      tree.delete();
    }
  return now() - t0;
}

function parseConcat(w: Workload): number {
  const t0 = now();
  for (const d of w.docs) {
    if (!d.hunkC) continue;
    const tree = parseC(d.hunkC);
    tree.delete();
  }
  return now() - t0;
}

function onePass(w: Workload, config: MmlensConfig): Pass {
  gc?.();
  const e = endToEnd(w, config);
  gc?.();
  const parseMs = parseFragments(w);
  gc?.();
  const concatMs = parseConcat(w);
  return { e2eMs: e.ms, parseMs, concatMs, findings: e.findings, errors: e.errors };
}

// ---------------------------------------------------------------- main

interface Row {
  workload: string;
  docs: number;
  bytes: number;
  fragments: number;
  fragmentBytes: number;
  hunkCBytes: number;
  sha256: string[];
  runs: number;
  e2eMs: { median: number; min: number; max: number; all: number[] };
  parseMs: { median: number; min: number; max: number; all: number[] };
  concatMs: { median: number; min: number; max: number; all: number[] };
  e2eMBps: number;
  parseMBps: number;
  parseCMBps: number;
  ratio: number | null;
  findings: number;
  errors: Record<string, number>;
}

function stats(xs: number[]) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs.map((x) => Math.round(x * 1000) / 1000) };
}

function gitCommit(root: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const log = (s = '') => process.stdout.write(s + '\n');

  // The CLI's configuration, with the per-document time budget at its maximum:
  // a 10 MB mbox must be analysed whole, not cut off and reported as fast.
  const config = defaultConfig('cli');
  config.limits.timeBudgetMs = 600_000;

  const tInit = now();
  await initParser();
  const initMs = now() - tInit;

  const workloads: Workload[] = [];
  const notes: string[] = [];
  const seedsDir = path.resolve(root, '..', 'shared', 'seeds');
  if (!opts.seeds) notes.push('seeds: skipped (--no-seeds)');
  else if (!fs.existsSync(seedsDir)) notes.push(`seeds: skipped, ${seedsDir} not found`);
  else {
    const files = fs.readdirSync(seedsDir).filter((n) => fs.statSync(path.join(seedsDir, n)).isFile()).sort();
    if (files.length === 0) notes.push(`seeds: skipped, ${seedsDir} is empty`);
    else workloads.push({ name: 'seeds', docs: files.map((n) => prepareDoc(path.join(seedsDir, n))) });
  }
  const corpusDir = path.join(root, 'bench', 'corpus');
  for (const mb of opts.sizesMB) {
    const text = generateMbox(Math.round(mb * MB), opts.seed);
    const file = path.join(corpusDir, `corpus-${mb}MB-s${opts.seed}.mbox`);
    writeIfChanged(file, text);
    workloads.push({ name: `corpus-${mb}MB`, docs: [prepareDoc(file)] });
  }

  {
    // The emulator's worst cases (issue: a 5,000-line function, a 100-way switch), as a C file.
    const file = path.join(corpusDir, 'stress.c');
    writeIfChanged(file, stressSource().text);
    workloads.push({ name: 'stress.c', docs: [prepareDoc(file)] });
  }

  const commit = gitCommit(root);
  log(`mmlens bench: ${commit ?? 'no git'}, node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus()[0]?.model ?? 'cpu ?'} x${os.cpus().length}`);
  log(`  ${opts.runs} measured passes per workload after 1 warm-up; medians; 1 MB = 1,000,000 bytes${gc ? '; gc between phases' : ''}`);
  log('  e2e    = per document: read file + analyzeText (CLI config, timeBudgetMs 600000) + renderText; parser already initialised');
  log('  parse  = parseC() on exactly the C fragments the pipeline builds (readMailDocument → findPatches → buildFragments, untimed), one parse per fragment, tree freed');
  log('  concat = parseC() once per document on all hunk lines joined, diff markers stripped');
  log('  ratio  = median e2e / median parse, both from the same passes');
  log(`  parser init (wasm load, once): ${initMs.toFixed(1)} ms; corpus seed ${opts.seed}`);
  for (const n of notes) log(`  ${n}`);
  log();

  const rows: Row[] = [];
  for (const w of workloads) {
    onePass(w, config); // warm-up, not counted
    const passes: Pass[] = [];
    for (let i = 0; i < opts.runs; i++) passes.push(onePass(w, config));
    const bytes = w.docs.reduce((s, d) => s + d.bytes, 0);
    const fragmentBytes = w.docs.reduce((s, d) => s + d.fragments.reduce((t, f) => t + Buffer.byteLength(f), 0), 0);
    const hunkCBytes = w.docs.reduce((s, d) => s + Buffer.byteLength(d.hunkC), 0);
    const e2e = stats(passes.map((p) => p.e2eMs));
    const parse = stats(passes.map((p) => p.parseMs));
    const concat = stats(passes.map((p) => p.concatMs));
    const last = passes[passes.length - 1];
    rows.push({
      workload: w.name,
      docs: w.docs.length,
      bytes,
      fragments: w.docs.reduce((s, d) => s + d.fragments.length, 0),
      fragmentBytes,
      hunkCBytes,
      sha256: w.docs.map((d) => d.sha256),
      runs: opts.runs,
      e2eMs: e2e,
      parseMs: parse,
      concatMs: concat,
      e2eMBps: bytes / MB / (e2e.median / 1000),
      parseMBps: bytes / MB / (parse.median / 1000),
      parseCMBps: fragmentBytes / MB / (parse.median / 1000),
      ratio: parse.median >= 0.05 ? e2e.median / parse.median : null,
      findings: last.findings,
      errors: last.errors,
    });
  }

  const header = ['workload', 'docs', 'MB', 'frags', 'C MB', 'e2e ms', 'e2e MB/s', 'parse ms', 'parse MB/s', 'C MB/s', 'e2e/parse', 'concat ms', 'findings'];
  const table = rows.map((r) => [
    r.workload,
    String(r.docs),
    (r.bytes / MB).toFixed(3),
    String(r.fragments),
    (r.fragmentBytes / MB).toFixed(3),
    r.e2eMs.median.toFixed(1),
    r.e2eMBps.toFixed(2),
    r.parseMs.median.toFixed(1),
    r.parseMBps.toFixed(2),
    r.parseCMBps.toFixed(2),
    r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`,
    r.concatMs.median.toFixed(1),
    String(r.findings),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  log(fmt(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) log(fmt(t));
  log();
  log('  MB/s columns: mail bytes per second, except "C MB/s" (fragment C bytes per second of parse)');
  for (const r of rows) {
    const spread = (s: { min: number; max: number; median: number }) => (s.median > 0 ? `${(((s.max - s.min) / s.median) * 100).toFixed(0)}%` : 'n/a');
    log(`  ${r.workload}: e2e min/max ${r.e2eMs.min.toFixed(1)}/${r.e2eMs.max.toFixed(1)} ms (spread ${spread(r.e2eMs)}), parse min/max ${r.parseMs.min.toFixed(1)}/${r.parseMs.max.toFixed(1)} ms (spread ${spread(r.parseMs)}); sha256 ${r.sha256.length === 1 ? r.sha256[0].slice(0, 16) : sha256(r.sha256.join('')).slice(0, 16) + ' (of ' + r.sha256.length + ' files)'}`);
    const errs = Object.entries(r.errors);
    if (errs.length) log(`  ${r.workload}: input errors in the analysis: ${errs.map(([k, v]) => `${k} x${v}`).join(', ')}${r.errors['time-budget'] ? '  <-- TIME BUDGET HIT: e2e is not the whole pipeline' : ''}`);
    if (r.fragments === 0) log(`  ${r.workload}: the pipeline built no C fragments, so there is no parse baseline`);
  }

  log();
  const tree = treeBench(root, config, opts.runs, log);
  const litmus = litmusBench(root, opts.runs, log);

  const out = opts.out === '-' ? null : path.resolve(root, opts.out ?? path.join('.bench', 'last.json'));
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const json = {
      tool: 'mmlens bench',
      time: new Date().toISOString(),
      commit,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu: `${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}`,
      runs: opts.runs,
      warmup: 1,
      seed: opts.seed,
      parserInitMs: initMs,
      method: {
        e2e: 'per document: fs.readFileSync + analyzeText(text, path, { config: CLI defaults with limits.timeBudgetMs = 600000 }) + renderText; parser initialised beforehand',
        parse: 'parseC on each C fragment text the pipeline builds (readMailDocument → findPatches → buildFragments, computed outside the timing); tree.delete() after each',
        concat: 'parseC once per document on all hunk lines (diff markers stripped) joined with newlines',
        ratio: 'median e2e ms / median parse ms, same passes',
        units: '1 MB = 1,000,000 bytes; ms from performance.now()',
      },
      notes,
      results: rows,
      tree,
      litmus,
    };
    fs.writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
    log(`  results: ${path.relative(process.cwd(), out) || out}`);
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (c) => {
      process.exitCode = c;
    },
    (e) => {
      process.stderr.write(`bench: ${(e as Error).message ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
