/** Small kernel trees and patches made by the tests (fixtures in our own words). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');
export const LINUX = path.join(SHARED, 'linux-corpus');

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mmlens-${tag}-`));
}

/** Write files (path → text) under dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [p, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), t);
  }
  return dir;
}

/** `diff -u` of two versions of one file, with a/ and b/ labels and a function name in each @@ header. */
export function unifiedDiff(file: string, oldText: string, newText: string): string {
  const d = tmpDir('diff');
  fs.writeFileSync(path.join(d, 'old'), oldText);
  fs.writeFileSync(path.join(d, 'new'), newText);
  const r = spawnSync('diff', ['-u', '-F', '^[a-z].*(', '--label', `a/${file}`, '--label', `b/${file}`, 'old', 'new'], { cwd: d, encoding: 'utf8' });
  fs.rmSync(d, { recursive: true, force: true });
  if (r.status !== 1) throw new Error(`diff failed: ${r.stderr}`);
  return `diff --git a/${file} b/${file}\n${r.stdout}`;
}

export function mail(subject: string, body: string, diff: string, extra: Record<string, string> = {}): string {
  const h = Object.entries(extra).map(([k, v]) => `${k}: ${v}\n`).join('');
  return `From: Dev One <dev@example.org>\nSubject: ${subject}\n${h}\n${body}\n---\n${diff}`;
}

/** Replace `from` (which must be there) by `to` in text. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

export function hasGit(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}

export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
