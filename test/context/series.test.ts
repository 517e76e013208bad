import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeText, initParser } from '../../src/engine';
import { edit, mail, tmpDir, unifiedDiff } from './helpers';

before(async () => {
  await initParser();
});

const ROOT = path.resolve(__dirname, '..', '..');
function mmlens(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------- fix patches

const LEAKY = `static int widget_poke(struct widget *w)
{
	spin_lock(&w->lock);
	if (w->dead)
		return -ENODEV;
	w->pokes++;
	spin_unlock(&w->lock);
	return 0;
}
`;

test('a fix patch: the pre-image bug is shown as fixed by this patch (info), the post-image is clean', () => {
  const fixed = edit(edit(LEAKY, '\t\treturn -ENODEV;\n', '\t\tgoto unlock;\n'), '\tspin_unlock(&w->lock);\n', 'unlock:\n\tspin_unlock(&w->lock);\n');
  const patch = mail('[PATCH] widget: drop the lock on the dead path', 'Fixes: 123456789abc ("widget: poke")', unifiedDiff('drivers/widget/core.c', LEAKY, fixed));
  const r = analyzeText(patch, 'fix.patch');
  assert.deepEqual(r.findings.filter((f) => f.severity !== 'info'), []);
  const info = r.findings.filter((f) => f.messageId === 'fixedByPatch');
  assert.equal(info.length, 1, JSON.stringify(r.findings, null, 1));
  assert.equal(info[0].rule, 'lock-unmatched');
  assert.equal(info[0].severity, 'info');
  assert.match(info[0].message, /^fixed by this patch/);
  // Where the leak is reported (the lock taken), naming the removed return that leaked it.
  assert.equal(patch.split('\n')[info[0].line - 1], ' \tspin_lock(&w->lock);');
  assert.match(info[0].message, /return -ENODEV/);
});

test('a finding in both images is reported once, on the post-image, and not as fixed', () => {
  const still = edit(LEAKY, '\tw->pokes++;\n', '\tw->pokes += 2;\n');
  const patch = mail('[PATCH] widget: poke twice', '', unifiedDiff('drivers/widget/core.c', LEAKY, still));
  const r = analyzeText(patch, 'p.patch');
  const g = r.findings.filter((f) => f.rule === 'lock-unmatched');
  assert.equal(g.length, 1, JSON.stringify(r.findings, null, 1));
  assert.notEqual(g[0].severity, 'info');
  assert.ok(patch.split('\n')[g[0].line - 1].startsWith(' '), 'reported on a post-image (context) line');
  assert.equal(r.findings.filter((f) => f.messageId === 'fixedByPatch').length, 0);
});

// ---------------------------------------------------------------- series

const BASE = `#include "gadget.h"

static int gadget_count(struct gadget *g)
{
	return g->n;
}
`;

function series(version: number): { cover: string; parts: string[] } {
  const p1 = BASE + `
static void gadget_grab(struct gadget *g)
{
	spin_lock(&g->lock);
	g->grabs++;
}
`;
  // v2 takes the lock in gadget_note() and leaks it on one path.
  const p2 = p1 + (version === 1 ? `
static void gadget_note(struct gadget *g)
{
	g->notes++;
}
` : `
static void gadget_note(struct gadget *g)
{
	spin_lock(&g->lock);
	if (!g->n)
		return;
	g->notes++;
	spin_unlock(&g->lock);
}
`);
  const body3 = version === 1
    ? `
static int gadget_set(struct gadget *g, int v)
{
	gadget_grab(g);
	if (v < 0)
		return -EINVAL;
	g->n = v;
	spin_unlock(&g->lock);
	return 0;
}
`
    : `
static int gadget_set(struct gadget *g, int v)
{
	if (v < 0)
		return -EINVAL;
	gadget_grab(g);
	g->n = v;
	spin_unlock(&g->lock);
	return 0;
}
`;
  const p3 = p2 + body3;
  const p4 = p3 + `
static int gadget_reset(struct gadget *g)
{
	gadget_grab(g);
	if (g->n < 0)
		return -EIO;
	g->n = 0;
	spin_unlock(&g->lock);
	return 0;
}
`;
  const v = version === 1 ? '' : ` v${version}`;
  const root = `<cover-v${version}@example.org>`;
  const hdr = (n: number) => ({ 'Message-ID': `<${n}-v${version}@example.org>`, 'In-Reply-To': root, References: root });
  const cover = `From: Dev One <dev@example.org>\nSubject: [PATCH${v} 0/4] gadget: locking\nMessage-ID: ${root}\n\nFour patches.\n`;
  const steps = [BASE, p1, p2, p3, p4];
  const titles = ['gadget: add gadget_grab()', 'gadget: add a note counter', 'gadget: add gadget_set()', 'gadget: add gadget_reset()'];
  const parts = titles.map((t, i) => mail(`[PATCH${v} ${i + 1}/4] ${t}`, 'Body.', unifiedDiff('drivers/gadget/core.c', steps[i], steps[i + 1]), hdr(i + 1)));
  return { cover, parts };
}

function writeSeries(dir: string, s: { cover: string; parts: string[] }): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, '0000-cover-letter.patch')];
  fs.writeFileSync(files[0], s.cover);
  s.parts.forEach((p, i) => {
    const f = path.join(dir, `000${i + 1}-part.patch`);
    fs.writeFileSync(f, p);
    files.push(f);
  });
  return files;
}

function asMbox(s: { cover: string; parts: string[] }): string {
  return [s.cover, ...s.parts].map((m) => `From mmlens-test Mon Sep 17 00:00:00 2001\n${m}\n`).join('');
}

/** Findings as (subject of their message, rule, function, text of their line). */
function shape(results: { path: string; findings: { rule: string; function?: string | null; line: number; severity: string; messageIndex?: number }[]; messages: { index: number; subject: { title: string } | null }[] }[], texts: Map<string, string>) {
  return results
    .flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${r.messages.find((m) => m.index === f.messageIndex)?.subject?.title}|${f.rule}|${f.function}|${texts.get(r.path)!.split('\n')[f.line - 1]}`))
    .sort();
}

test('a 4-part series: 1/4 defines a wrapper, 3/4 uses it; separate files give the same findings as one mbox', () => {
  const s = series(1);
  const dir = tmpDir('series');
  const files = writeSeries(path.join(dir, 'v1'), s);
  const mboxFile = path.join(dir, 'v1.mbox');
  fs.writeFileSync(mboxFile, asMbox(s));
  const mbox = analyzeText(asMbox(s), mboxFile);
  const leaks = mbox.findings.filter((f) => f.rule === 'lock-unmatched');
  // gadget_set() and gadget_reset() return holding the lock gadget_grab() took in 1/4.
  assert.deepEqual(leaks.map((f) => f.function).sort(), ['gadget_reset', 'gadget_set']);
  // Alone, 3/4 does not know the wrapper: nothing to say.
  assert.deepEqual(analyzeText(s.parts[2], '3.patch').findings.filter((f) => f.rule === 'lock-unmatched'), []);
  const sep = mmlens(['check', '--format', 'json', ...files]);
  const one = mmlens(['check', '--format', 'json', mboxFile]);
  assert.equal(sep.code, 1, sep.stderr);
  assert.equal(one.code, 1, one.stderr);
  const texts = new Map<string, string>([[mboxFile, asMbox(s)], ...files.map((f) => [f, fs.readFileSync(f, 'utf8')] as [string, string])]);
  const sepJson = JSON.parse(sep.stdout);
  const oneJson = JSON.parse(one.stdout);
  const byPath = (j: { findings: { path: string }[] }) => {
    const m = new Map<string, { path: string; findings: never[]; messages: never[] }>();
    for (const f of j.findings) (m.get(f.path) ?? m.set(f.path, { path: f.path, findings: [], messages: [] }).get(f.path)!).findings.push(f as never);
    return [...m.values()];
  };
  // Compare by rule, function and the text of the line reported (lines differ between the files and the mbox).
  const flat = (j: { findings: { path: string; rule: string; function?: string | null; line: number; severity: string }[] }) =>
    j.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}|${f.function}|${texts.get(f.path)!.split('\n')[f.line - 1]}`).sort();
  assert.deepEqual(flat(sepJson), flat(oneJson));
  assert.equal(flat(sepJson).length, 2);
  // Each finding lands in its own file: 3/4 and 4/4.
  assert.deepEqual(byPath(sepJson).map((r) => path.basename(r.path)).sort(), ['0003-part.patch', '0004-part.patch']);
  void shape;
});

test('check --since v1 v2: lists what v2 introduces and what it still has, matched by subject and function', () => {
  const dir = tmpDir('since');
  const v1 = writeSeries(path.join(dir, 'v1'), series(1));
  const v2 = writeSeries(path.join(dir, 'v2'), series(2));
  const r = mmlens(['check', '--format', 'json', '--since', path.join(dir, 'v1'), path.join(dir, 'v2')]);
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout) as { findings: { since?: string; function: string; severity: string; message: string }[] };
  const got = j.findings.filter((f) => f.severity !== 'info').map((f) => `${f.function}:${f.since}`).sort();
  // gadget_set() was fixed in v2 (gone), gadget_reset() remains, gadget_note() is new.
  assert.deepEqual(got, ['gadget_note:new', 'gadget_reset:remaining']);
  assert.match(r.stderr, /since .*v1: 1 new, 1 remaining, 1 gone/);
  const text = mmlens(['check', '--since', path.join(dir, 'v1'), path.join(dir, 'v2')]);
  assert.match(text.stdout, /\[new\]/);
  assert.match(text.stdout, /\[still there since v1\]/);
  void v1;
});
