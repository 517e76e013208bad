/**
 * The command line: a thin shell over the engine. Reads files, folders (walked
 * with the configured include patterns) and `-` (stdin); prints text (like
 * checkpatch), JSON, SARIF or b4 check output. Exit codes: 0 no finding of
 * warning or error severity, 1 at least one, 2 bad usage or unreadable input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import picomatch from 'picomatch';
import { SingleBar, Presets } from 'cli-progress';
import { analyzeText, initParser } from './engine';
import { defaultConfig, loadConfigFile, validateConfig, RULE_SETTINGS, type MmlensConfig } from './config';
import type { AnalysisResult, InputError } from './model';
import { renderText } from './report/text';
import { b4Check, checkJson, factsJson, sarif } from './report/json';
import { allRules } from './rules';
import { registerLitmusCommand } from './litmus/cli';
import { KernelTree } from './context/tree';
import { groupSeries, splitSeriesResult } from './context/series';
import { compareSince } from './context/since';

const VERSION: string = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();

/** Input errors that mean the document could not be read at all. */
const UNREADABLE = new Set(['unreadable', 'binary-input', 'too-large', 'not-found']);

interface Input {
  path: string;
  text: string;
}

class UsageError extends Error {}

function collectInputs(paths: string[], config: MmlensConfig, errors: InputError[]): Input[] {
  const isIncluded = picomatch(config.include, { dot: false });
  const inputs: Input[] = [];
  const readOne = (p: string): void => {
    try {
      const buf = fs.readFileSync(p);
      inputs.push({ path: p, text: buf.toString('utf8') });
    } catch (e) {
      errors.push({ path: p, line: null, code: 'unreadable', message: `${p}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  };
  for (const p of paths) {
    if (p === '-') {
      try {
        inputs.push({ path: '<stdin>', text: fs.readFileSync(0).toString('utf8') });
      } catch (e) {
        errors.push({ path: '<stdin>', line: null, code: 'unreadable', message: `<stdin>: cannot read: ${(e as Error).message}` });
      }
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.push({ path: p, line: null, code: 'not-found', message: `${p}: no such file or folder` });
      continue;
    }
    if (!st.isDirectory()) {
      readOne(p);
      continue;
    }
    const found: string[] = [];
    const walkDir = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        errors.push({ path: dir, line: null, code: 'unreadable', message: `${dir}: cannot list: ${(e as Error).message}` });
        return;
      }
      for (const e of entries) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walkDir(full);
        else if (e.isFile() && isIncluded(path.relative(p, full).split(path.sep).join('/'))) found.push(full);
      }
    };
    walkDir(p);
    found.sort();
    if (found.length === 0) errors.push({ path: p, line: null, code: 'no-input', message: `${p}: no file matching ${config.include.join(', ')}` });
    found.forEach(readOne);
  }
  return inputs;
}

function resolveConfig(opts: { config?: string; rule?: string[] }): { config: MmlensConfig; errors: string[] } {
  let base: { config: MmlensConfig; errors: string[] };
  if (opts.config) {
    if (!fs.existsSync(opts.config)) throw new UsageError(`--config ${opts.config}: no such file`);
    base = loadConfigFile(opts.config);
  } else if (fs.existsSync('.mmlens.json')) base = loadConfigFile('.mmlens.json');
  else base = { config: defaultConfig('cli'), errors: [] };
  for (const r of opts.rule ?? []) {
    const m = /^([\w-]+)=(\w+)$/.exec(r);
    if (!m || !(RULE_SETTINGS as readonly string[]).includes(m[2])) throw new UsageError(`--rule ${r}: expected <rule-id>=<${RULE_SETTINGS.join('|')}>`);
    if (!allRules.some((x) => x.meta.id === m[1])) throw new UsageError(`--rule ${r}: unknown rule "${m[1]}" (see \`mmlens rules\`)`);
    const { config, errors } = validateConfig({ rules: { [m[1]]: m[2] } });
    base.config.rules = { ...base.config.rules, ...config.rules };
    base.errors.push(...errors);
  }
  return base;
}

interface AnalyseExtra {
  tree?: KernelTree;
}

async function analyseAll(inputs: Input[], config: MmlensConfig, trace: boolean, progress: boolean, extra: AnalyseExtra = {}): Promise<{ input: Input; result: AnalysisResult }[]> {
  await initParser();
  const total = inputs.reduce((n, i) => n + i.text.length, 0);
  const bar = progress && process.stderr.isTTY && (inputs.length > 3 || total > 4 * 1024 * 1024) ? new SingleBar({ stream: process.stderr, format: 'mmlens [{bar}] {value}/{total} documents | {file}', hideCursor: true }, Presets.shades_classic) : null;
  bar?.start(inputs.length, 0, { file: '' });
  const out: { input: Input; result: AnalysisResult }[] = [];
  // Separate files of one series are checked together as one mbox, then split back per file.
  const { groups, single } = inputs.length > 1 ? groupSeries(inputs) : { groups: [], single: inputs };
  const opts = { config, trace, ...(extra.tree ? { tree: extra.tree } : {}) };
  for (const g of groups) {
    bar?.update(out.length, { file: path.basename(g.parts[0].path) });
    const r = analyzeText(g.text, g.parts[0].path, opts);
    splitSeriesResult(r, g).forEach((result, i) => out.push({ input: { path: g.parts[i].path, text: g.parts[i].text }, result }));
  }
  for (const input of single) {
    bar?.update(out.length, { file: path.basename(input.path) });
    out.push({ input, result: analyzeText(input.text, input.path, opts) });
  }
  bar?.update(out.length, { file: '' });
  bar?.stop();
  const order = new Map(inputs.map((x, i) => [x.path, i]));
  return out.sort((a, b) => (order.get(a.input.path) ?? 0) - (order.get(b.input.path) ?? 0));
}

/** The kernel tree of --tree, or an error when the folder does not exist. */
function openTree(dir: string | undefined, cacheDir: string | undefined, cache: boolean): KernelTree | undefined {
  if (!dir) return undefined;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--tree ${dir}: no such folder`);
  return new KernelTree(dir, cache ? (cacheDir ? { cacheDir } : {}) : { cacheDir: null });
}

function exitCode(results: AnalysisResult[], errors: InputError[]): number {
  if ([...errors, ...results.flatMap((r) => r.errors)].some((e) => UNREADABLE.has(e.code))) return 2;
  return results.some((r) => r.findings.some((f) => f.severity !== 'info')) ? 1 : 0;
}

function printErrors(errors: InputError[]): void {
  for (const e of errors) process.stderr.write(`mmlens: ${e.message}\n`);
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('mmlens')
    .description('Check Linux mm patch mails (mbox, .eml, format-patch, web-archive text) for seqcount, lock, barrier, mmu notifier and tail-page bugs.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('report findings (exit 0: none of warning/error severity, 1: some, 2: bad usage or unreadable input)')
    .argument('<paths...>', 'files, folders (patches and mboxes in them), or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'b4']).default('text'))
    .option('--trace', "show the emulator's work per function and each finding's path")
    .option('--terse', 'one line per finding (text format)')
    .option('--config <file>', 'settings file (default: ./.mmlens.json when present)')
    .option('--rule <id=setting>', 'override a rule: off, info, warning, error or default (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--no-progress', 'no progress bar on a terminal')
    .option('--tree <dir>', 'a kernel source tree (git or plain): whole functions around hunks, callee bodies, ops tables')
    .option('--cache-dir <dir>', 'where tree-file summaries are cached (default: $XDG_CACHE_HOME/mmlens)')
    .option('--no-cache', 'do not read or write the tree summary cache')
    .option('--since <old>', 'an older version of the series (file or folder): print only what the new one introduces or still has')
    .action(async (paths: string[], opts: { format: string; trace?: boolean; terse?: boolean; config?: string; rule?: string[]; progress: boolean; tree?: string; cacheDir?: string; cache: boolean; since?: string }) => {
      const { config, errors: cfgErrors } = resolveConfig(opts);
      for (const e of cfgErrors) process.stderr.write(`mmlens: config: ${e}\n`);
      const errors: InputError[] = [];
      const tree = openTree(opts.tree ?? config.tree, opts.cacheDir, opts.cache);
      const inputs = collectInputs(paths, config, errors);
      const done = await analyseAll(inputs, config, !!opts.trace, opts.progress, { tree });
      const results = done.map((d) => d.result);
      if (opts.since) {
        const oldInputs = collectInputs([opts.since], config, errors);
        const old = (await analyseAll(oldInputs, config, false, false, { tree })).map((d) => d.result);
        const cmp = compareSince(old, results);
        for (const r of results) {
          r.findings = r.findings.filter((f) => f.severity !== 'info' || !cmp.status.has(f));
          for (const f of r.findings) {
            const st = cmp.status.get(f);
            if (!st) continue;
            (f as typeof f & { since?: string }).since = st;
            f.message = `[${st === 'new' ? 'new' : `still there since ${path.basename(opts.since)}`}] ${f.message}`;
          }
        }
        process.stderr.write(`mmlens: since ${opts.since}: ${cmp.newCount} new, ${cmp.remaining} remaining, ${cmp.gone} gone\n`);
      }
      if (opts.format === 'json') process.stdout.write(JSON.stringify(checkJson(results, errors, !!opts.trace), null, 2) + '\n');
      else if (opts.format === 'sarif') process.stdout.write(JSON.stringify(sarif(results, VERSION), null, 2) + '\n');
      else if (opts.format === 'b4') process.stdout.write(JSON.stringify(b4Check(results), null, 2) + '\n');
      else process.stdout.write(renderText(done.map((d) => ({ result: d.result, text: d.input.text })), { trace: opts.trace, terse: opts.terse }));
      if (opts.format === 'text') printErrors([...errors, ...results.flatMap((r) => r.errors)]);
      else printErrors(errors.filter((e) => UNREADABLE.has(e.code)));
      code = exitCode(results, errors);
    });

  program
    .command('facts')
    .description('print the facts the extractors found (seqcount, barrier, lockdep, lock, notifier, page events with locations)')
    .argument('<paths...>', 'files, folders, or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('--config <file>', 'settings file')
    .action(async (paths: string[], opts: { format: string; config?: string }) => {
      const { config } = resolveConfig(opts);
      const errors: InputError[] = [];
      const inputs = collectInputs(paths, config, errors);
      const done = await analyseAll(inputs, config, false, true);
      const results = done.map((d) => d.result);
      if (opts.format === 'json') process.stdout.write(JSON.stringify(factsJson(results, errors), null, 2) + '\n');
      else for (const f of results.flatMap((r) => r.facts)) process.stdout.write(`${f.path}:${f.line}:${f.column}: ${f.kind} ${f.role} ${f.api}(${f.args.join(', ')})${f.function ? ` in ${f.function}` : ''} [${f.image}${f.quoteDepth ? `, quote ${f.quoteDepth}` : ''}]\n`);
      const allErrors = [...errors, ...results.flatMap((r) => r.errors)];
      printErrors(allErrors.filter((e) => opts.format === 'text' || UNREADABLE.has(e.code)));
      code = allErrors.some((e) => UNREADABLE.has(e.code)) ? 2 : 0;
    });

  program
    .command('rules')
    .description('list the rules with their default severity and docs page')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: string }) => {
      if (opts.format === 'json') process.stdout.write(JSON.stringify(allRules.map((r) => ({ id: r.meta.id, severity: r.meta.defaultSeverity, category: r.meta.category, description: r.meta.description, docs: r.meta.docs, enabledByDefault: r.meta.enabledByDefault !== false })), null, 2) + '\n');
      else for (const r of allRules) process.stdout.write(`${r.meta.id.padEnd(36)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.description}\n`);
    });

  registerLitmusCommand(program, (c) => {
    code = c;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`mmlens: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (c) => {
      process.exitCode = c;
    },
    (e) => {
      process.stderr.write(`mmlens: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
