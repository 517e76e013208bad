import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

function mmlens(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const CLEAN = ['From: A <a@example.org>', 'Subject: [PATCH] mm: tidy', '', 'diff --git a/mm/a.c b/mm/a.c', '--- a/mm/a.c', '+++ b/mm/a.c', '@@ -1,3 +1,3 @@ static void f(void)', ' {', '-\tx = 1;', '+\tx = 2;', ' }', ''].join('\n');

test('check on a clean patch from stdin: exit 0, checkpatch-like total line', () => {
  const r = mmlens(['check', '-'], CLEAN);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^total: 0 errors, 0 warnings, \d+ infos, \d+ lines checked in 1 document$/m);
});

test('check --format json has the documented shape', () => {
  const r = mmlens(['check', '--format', 'json', '-'], CLEAN);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.ok(Array.isArray(j.findings));
  assert.ok(Array.isArray(j.errors));
});

test('facts --format json prints a facts array', () => {
  const r = mmlens(['facts', '--format', 'json', '-'], CLEAN);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Array.isArray(JSON.parse(r.stdout).facts));
});

test('bad usage exits 2', () => {
  assert.equal(mmlens(['check', '--format', 'xml', '-'], CLEAN).code, 2);
  assert.equal(mmlens(['frobnicate']).code, 2);
  assert.equal(mmlens(['check']).code, 2);
  const r = mmlens(['check', '--rule', 'no-such-rule=off', '-'], CLEAN);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown rule/);
});

test('unreadable input exits 2 with a clear message; binary input too', () => {
  const r = mmlens(['check', path.join(os.tmpdir(), 'mmlens-does-not-exist.patch')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no such file/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmlens-cli-'));
  const bin = path.join(dir, 'blob.patch');
  fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7]));
  const b = mmlens(['check', bin]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /binary/);
});

test('a folder is walked with the include patterns', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmlens-dir-'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'a.patch'), CLEAN);
  fs.writeFileSync(path.join(dir, 'notes.md'), '# not a patch');
  const r = mmlens(['check', '--format', 'json', '--trace', dir]);
  assert.equal(r.code, 0, r.stderr);
  const r2 = mmlens(['check', dir]);
  assert.match(r2.stdout, /in 1 document\n$/);
});
