/**
 * `mmlens litmus [--format text|json] FILE...`: run C litmus tests (files, or
 * folders holding *.litmus) and print each verdict. Exit 0 when every test
 * ran, 2 when a file could not be read or holds a construct outside the model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { litmusJson, renderLitmusText, tryRunLitmus, type LitmusRunError, type LitmusTestResult } from './index';

function litmusFiles(paths: string[], errors: LitmusRunError[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.push({ path: p, line: null, message: `${p}: no such file or folder` });
      continue;
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(full);
        else if (e.isFile() && e.name.endsWith('.litmus')) found.push(full);
      }
    };
    walk(p);
    if (!found.length) errors.push({ path: p, line: null, message: `${p}: no *.litmus file in this folder` });
    files.push(...found.sort());
  }
  return files;
}

export function runLitmusCommand(paths: string[], format: string): { out: string; errors: LitmusRunError[]; code: number } {
  const errors: LitmusRunError[] = [];
  const results: LitmusTestResult[] = [];
  for (const f of litmusFiles(paths, errors)) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      errors.push({ path: f, line: null, message: `${f}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    const { result, error } = tryRunLitmus(text, f);
    if (result) results.push(result);
    if (error) errors.push(error);
  }
  const out = format === 'json' ? JSON.stringify(litmusJson(results, errors), null, 2) + '\n' : renderLitmusText(results);
  return { out, errors, code: errors.length ? 2 : 0 };
}

/** Adds the `litmus` command; `setCode` receives the exit code. */
export function registerLitmusCommand(program: Command, setCode: (code: number) => void): void {
  program
    .command('litmus')
    .description("run C litmus tests (the kernel's tools/memory-model format) under the Linux-kernel memory model: Never/Sometimes, executions allowed and matching, a witness (exit 0: all ran, 2: unreadable or outside the model)")
    .argument('<files...>', '.litmus files, or folders holding them')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((files: string[], opts: { format: string }) => {
      const { out, errors, code } = runLitmusCommand(files, opts.format);
      process.stdout.write(out);
      for (const e of errors) process.stderr.write(`mmlens: ${e.message}\n`);
      setCode(code);
    });
}
