import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../../src/engine';
import { KernelTree } from '../../src/context';
import { locateHunks } from '../../src/context/locate';
import { findPatches } from '../../src/patch';
import { readMailDocument } from '../../src/mail';
import { LINUX, edit, git, hasGit, mail, tmpDir, unifiedDiff, writeTree } from './helpers';

before(async () => {
  await initParser();
});

const FROB_H = `struct frob {
	spinlock_t lock;
	int count;
	int state;
};
`;

const FROB_C = `#include <linux/spinlock.h>
#include "frob.h"

static int frob_prepare(struct frob *f)
{
	return f->state;
}

int frob_update(struct frob *f, int v)
{
	int ret = 0;

	if (v < 0)
		return -EINVAL;
	f->count = v;
	f->state = 3;
	f->state += v;
	f->state -= 1;
	ret = frob_prepare(f);
	if (ret)
		goto out;
	f->count++;
	f->count *= 2;
	f->count -= 3;
	f->state = 2;
	f->state *= 5;
out:
	return ret;
}
`;

/** The patch takes the lock after the first block and drops it before `out:`: the goto between the hunks skips the unlock. */
const FROB_C_LOCKED = edit(edit(FROB_C, '\tf->count = v;\n', '\tf->count = v;\n\tspin_lock(&f->lock);\n'), '\tf->state *= 5;\n', '\tf->state *= 5;\n\tspin_unlock(&f->lock);\n');

const noCache = (dir: string): KernelTree => new KernelTree(dir, { cacheDir: null });
const gated = (r: ReturnType<typeof analyzeText>) => r.findings.filter((f) => f.severity !== 'info');

test('a lock leak through a goto hidden between two hunks: found with the tree, silent without', () => {
  const tree = writeTree(tmpDir('tree'), { 'drivers/foo/frob.c': FROB_C, 'drivers/foo/frob.h': FROB_H });
  const patch = mail('[PATCH] foo: serialise frob updates', 'Take the lock.', unifiedDiff('drivers/foo/frob.c', FROB_C, FROB_C_LOCKED));
  // The gap really hides the goto: it is in neither hunk.
  assert.ok(!/goto out/.test(patch));
  const without = analyzeText(patch, 'frob.patch');
  assert.deepEqual(gated(without), []);
  const withTree = analyzeText(patch, 'frob.patch', { tree: noCache(tree) });
  const leak = gated(withTree);
  assert.equal(leak.length, 1, JSON.stringify(withTree.findings, null, 1));
  assert.equal(leak[0].rule, 'lock-unmatched');
  assert.match(leak[0].message, /goto out/);
  // On the mail's `+` line that takes the lock.
  const lines = patch.split('\n');
  assert.equal(lines[leak[0].line - 1], '+\tspin_lock(&f->lock);');
  assert.equal(leak[0].function, 'frob_update');
  assert.deepEqual(withTree.errors.filter((e) => /^tree/.test(e.code)), []);
  // The correct version (unlock before the label the goto reaches) stays quiet with the tree.
  const fixed = edit(edit(FROB_C, '\tf->count = v;\n', '\tf->count = v;\n\tspin_lock(&f->lock);\n'), 'out:\n', 'out:\n\tspin_unlock(&f->lock);\n');
  const good = mail('[PATCH] foo: serialise frob updates', 'Take the lock.', unifiedDiff('drivers/foo/frob.c', FROB_C, fixed));
  assert.deepEqual(gated(analyzeText(good, 'good.patch', { tree: noCache(tree) })), []);
});

test('a callee in the tree that drops the lock silences a false leak; without its body the leak is reported', () => {
  const withBody = FROB_H + `
static inline void frob_release(struct frob *f)
{
	f->state = 0;
	spin_unlock(&f->lock);
}
`;
  const protoOnly = FROB_H + '\nvoid frob_release(struct frob *f);\n';
  const after = edit(edit(FROB_C, '\tf->count = v;\n', '\tf->count = v;\n\tspin_lock(&f->lock);\n\tif (f->state < 0) {\n\t\tfrob_release(f);\n\t\treturn -EBUSY;\n\t}\n'), 'out:\n', 'out:\n\tspin_unlock(&f->lock);\n');
  const patch = mail('[PATCH] foo: bail out on a dead frob', '', unifiedDiff('drivers/foo/frob.c', FROB_C, after));
  const a = writeTree(tmpDir('treeA'), { 'drivers/foo/frob.c': FROB_C, 'drivers/foo/frob.h': withBody });
  const b = writeTree(tmpDir('treeB'), { 'drivers/foo/frob.c': FROB_C, 'drivers/foo/frob.h': protoOnly });
  const noBody = gated(analyzeText(patch, 'p.patch', { tree: noCache(b) }));
  assert.equal(noBody.length, 1);
  assert.equal(noBody[0].rule, 'lock-unmatched');
  assert.match(noBody[0].message, /return -EBUSY/);
  const r = analyzeText(patch, 'p.patch', { tree: noCache(a) });
  assert.deepEqual(gated(r), [], JSON.stringify(r.findings, null, 1));
  assert.ok(r.functions.some((f) => f.name === 'frob_update' && f.summary.some((s) => /2 unlocks on all/.test(s))), JSON.stringify(r.functions));
});

test('a mismatched tree is reported once per file and ignored: same findings as the mail alone', () => {
  const patch = mail('[PATCH] foo: serialise frob updates', '', unifiedDiff('drivers/foo/frob.c', FROB_C, FROB_C_LOCKED));
  // Another frob.c: same function name, other body. The hunks cannot be located.
  const other = FROB_C.replace('\tf->count = v;\n', '\tf->count = v + 1;\n').replace('\tf->state = 2;\n', '\tf->state = 7;\n');
  const tree = writeTree(tmpDir('mismatch'), { 'drivers/foo/frob.c': other, 'drivers/foo/frob.h': FROB_H });
  const r = analyzeText(patch, 'p.patch', { tree: noCache(tree) });
  const notes = r.errors.filter((e) => e.code === 'tree-mismatch');
  assert.equal(notes.length, 1);
  assert.match(notes[0].message, /does not match the tree/);
  assert.deepEqual(r.findings, analyzeText(patch, 'p.patch').findings);
  // A file the tree does not have: said once too.
  const empty = tmpDir('empty');
  const r2 = analyzeText(patch, 'p.patch', { tree: noCache(empty) });
  assert.equal(r2.errors.filter((e) => e.code === 'tree-mismatch').length, 1);
  assert.match(r2.errors.find((e) => e.code === 'tree-mismatch')!.message, /not in the tree/);
});

test('base-commit: is honoured in a git tree: the file is read at that commit', { skip: !hasGit() && 'git is not installed' }, () => {
  const dir = writeTree(tmpDir('git'), { 'drivers/foo/frob.c': FROB_C, 'drivers/foo/frob.h': FROB_H });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  // The working tree moves on: the function no longer looks like the patch's base.
  const moved = FROB_C.replace('\tf->count = v;\n', '\tf->count = v - 1;\n');
  fs.writeFileSync(path.join(dir, 'drivers/foo/frob.c'), moved);
  git(dir, 'commit', '-q', '-am', 'moved on');
  const diff = unifiedDiff('drivers/foo/frob.c', FROB_C, FROB_C_LOCKED);
  const withBase = mail('[PATCH] foo: serialise frob updates', '', `${diff}\nbase-commit: ${base}\n`);
  const r = analyzeText(withBase, 'p.patch', { tree: noCache(dir) });
  assert.deepEqual(r.errors.filter((e) => /^tree/.test(e.code)), []);
  assert.equal(gated(r).length, 1);
  assert.equal(gated(r)[0].rule, 'lock-unmatched');
  // Without the base-commit line the working tree is read: it does not match, and nothing is reported from it.
  const noBase = mail('[PATCH] foo: serialise frob updates', '', diff);
  const r2 = analyzeText(noBase, 'p.patch', { tree: noCache(dir) });
  assert.equal(r2.errors.filter((e) => e.code === 'tree-mismatch').length, 1);
  assert.deepEqual(gated(r2), []);
  // A base-commit the repository does not have is said, and the working tree is used.
  const unknown = mail('[PATCH] foo: serialise frob updates', '', `${diff}\nbase-commit: ${'0123456789abcdef'.repeat(2)}01234567\n`);
  const r3 = analyzeText(unknown, 'p.patch', { tree: noCache(dir) });
  assert.equal(r3.errors.filter((e) => e.code === 'tree-base').length, 1);
});

test('hunks are located like patch does: offset and fuzz; a changed line is not fuzz', () => {
  const diff = unifiedDiff('drivers/foo/frob.c', FROB_C, FROB_C_LOCKED);
  const m = readMailDocument(mail('[PATCH] x', '', diff), 'x').messages[0];
  const hunks = findPatches(m, 'x', [])[0].files[0].hunks;
  const lines = FROB_C.split('\n');
  const exact = locateHunks(lines, hunks);
  assert.equal(exact.failed, null);
  assert.deepEqual(exact.located.map((l) => [l.offset, l.fuzz]), [[0, 0], [0, 0]]);
  // Five lines added on top: found at offset 5.
  const shifted = ['/* a */', '/* b */', '/* c */', '/* d */', '/* e */', ...lines];
  assert.deepEqual(locateHunks(shifted, hunks).located.map((l) => l.offset), [5, 5]);
  // A context line at the edge changed: found with fuzz 1 (as GNU patch does, up to 2 lines at either end).
  const fuzzed = FROB_C.replace('\tif (v < 0)\n', '\tif (v < 0 || !f)\n').split('\n');
  const f = locateHunks(fuzzed, hunks);
  assert.equal(f.failed, null);
  assert.equal(f.located[0].fuzz, 1);
  // Mail that lost its tabs still matches (whitespace-insensitive pass).
  assert.equal(locateHunks(lines.map((l) => l.replace(/\t/g, '        ')), hunks).failed, null);
  // A context line next to the change differs: no match.
  const broken = FROB_C.replace('\tf->count = v;\n', '\tf->count = -v;\n').split('\n');
  assert.notEqual(locateHunks(broken, hunks).failed, null);
});

test('tree-file summaries are cached on disk by content: the second run reads them', () => {
  const tree = writeTree(tmpDir('cache'), { 'drivers/foo/frob.c': FROB_C, 'drivers/foo/frob.h': FROB_H });
  const cacheDir = tmpDir('cachedir');
  const patch = mail('[PATCH] foo: serialise frob updates', '', unifiedDiff('drivers/foo/frob.c', FROB_C, FROB_C_LOCKED));
  const t1 = new KernelTree(tree, { cacheDir });
  const r1 = analyzeText(patch, 'p.patch', { tree: t1 });
  assert.ok(t1.stats.indexed > 0);
  assert.equal(t1.stats.cacheHits, 0);
  const t2 = new KernelTree(tree, { cacheDir });
  const r2 = analyzeText(patch, 'p.patch', { tree: t2 });
  assert.equal(t2.stats.indexed, 0);
  assert.ok(t2.stats.cacheHits > 0);
  assert.deepEqual(r2.findings, r1.findings);
  // An edited file is a new key, never a stale entry.
  fs.writeFileSync(path.join(tree, 'drivers/foo/frob.h'), FROB_H + '\n/* edited */\n');
  const t3 = new KernelTree(tree, { cacheDir });
  analyzeText(patch, 'p.patch', { tree: t3 });
  assert.ok(t3.stats.indexed >= 1);
});

test('linux-corpus as a tree: a leak past a goto between two hunks of mlock_fixup()', { skip: !fs.existsSync(path.join(LINUX, 'mm/mlock.c')) && '../shared/linux-corpus is absent' }, () => {
  const orig = fs.readFileSync(path.join(LINUX, 'mm/mlock.c'), 'utf8');
  // Our change: guard the locked_vm update with the page table lock, taken at the top.
  const changed = edit(
    edit(orig, '\tvm_flags_t oldflags = vma->vm_flags;\n\n\tif (newflags == oldflags', '\tvm_flags_t oldflags = vma->vm_flags;\n\n\tspin_lock(&mm->page_table_lock);\n\tif (newflags == oldflags'),
    '\tmm->locked_vm += nr_pages;\n',
    '\tmm->locked_vm += nr_pages;\n\tspin_unlock(&mm->page_table_lock);\n',
  );
  const patch = mail('[PATCH] mm/mlock: serialise locked_vm updates', '', unifiedDiff('mm/mlock.c', orig, changed));
  assert.equal((patch.match(/^@@/gm) ?? []).length, 2);
  assert.deepEqual(gated(analyzeText(patch, 'mlock.patch')), []);
  const r = analyzeText(patch, 'mlock.patch', { tree: noCache(LINUX) });
  const g = gated(r);
  assert.equal(g.length, 1, JSON.stringify(r.findings.map((f) => f.message)));
  assert.equal(g[0].rule, 'lock-unmatched');
  assert.equal(g[0].function, 'mlock_fixup');
  assert.match(g[0].message, /goto out/);
  assert.deepEqual(r.errors.filter((e) => /^tree/.test(e.code)), []);
});
