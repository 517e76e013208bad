/**
 * Device rules on the real mail (seed 002, Peter Xu's proposed split in
 * page_make_device_exclusive_one()), on the shipped examples, and on the
 * correct examples of the rule pages.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../../../src/engine';
import { validateConfig } from '../../../src/config';
import { rules } from '../../../src/rules/device';
import { lineOf, readSeed, SKIP_SEEDS } from '../../helpers/seeds';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DEVICE = new Set(rules.map((r) => r.meta.id));

before(async () => {
  await initParser();
});

test('seed 002: notifier-unfiltered-invalidation on the quoted split_huge_pmd_address() line; page_anon_vma() is quiet', (t) => {
  const seed = readSeed('002');
  if (!seed) return t.skip(SKIP_SEEDS);
  const r = analyzeText(seed.text, seed.path);
  if (r.stats.fragments === 0) return t.skip('the patch layer yields no fragments for seed 002 yet');
  const split = lineOf(seed.text, 'split_huge_pmd_address(vma, address, false, page);');
  const device = r.findings.filter((f) => DEVICE.has(f.rule));
  const hit = device.find((f) => f.rule === 'notifier-unfiltered-invalidation' && f.line === split);
  assert.ok(hit, `no finding on line ${split}; device findings: ${JSON.stringify(device.map((f) => [f.rule, f.line]))}`);
  assert.equal(hit.function, 'page_make_device_exclusive_one');
  assert.match(hit.message, /MMU_NOTIFY_CLEAR.*MMU_NOTIFY_EXCLUSIVE.*args->owner/);
  assert.ok(hit.trace.some((s) => s.line === lineOf(seed.text, 'mmu_notifier_range_init_owner(')), 'the trace shows the owner-carrying init');
  const anonRead = lineOf(seed.text, 'mapping = (unsigned long)page->mapping;');
  assert.equal(device.filter((f) => f.rule === 'page-tail-mapping' && f.line === anonRead).length, 0, "page_anon_vma()'s read after compound_head() is not flagged");
  assert.deepEqual(device.map((f) => `${f.rule}:${f.line}`), [`notifier-unfiltered-invalidation:${split}`], 'nothing else from the device rules');
});

test('examples: the device rules find exactly what examples/expected.json lists for them', (t) => {
  const dir = path.join(ROOT, 'examples');
  const expectedPath = path.join(dir, 'expected.json');
  if (!fs.existsSync(expectedPath)) return t.skip('no examples/expected.json');
  const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8')) as Record<string, { rule: string; line: number }[]>;
  for (const [file, want] of Object.entries(expected)) {
    const r = analyzeText(fs.readFileSync(path.join(dir, file), 'utf8'), path.join('examples', file));
    const got = r.findings.filter((f) => DEVICE.has(f.rule)).map((f) => `${f.rule}:${f.line}`).sort();
    assert.deepEqual(got, want.filter((w) => DEVICE.has(w.rule)).map((w) => `${w.rule}:${w.line}`).sort(), file);
  }
});

for (const rule of rules) {
  test(`${rule.meta.id}: the correct examples of its page produce nothing`, () => {
    const md = fs.readFileSync(path.join(ROOT, rule.meta.docs), 'utf8');
    const blocks = [...md.matchAll(/```c\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 2, 'a bad and a correct example');
    const { config } = validateConfig({ rules: { [rule.meta.id]: 'warning' } });
    for (const code of blocks.slice(1)) {
      const hits = analyzeText(code, 'example.c', { config }).findings.filter((f) => f.rule === rule.meta.id);
      assert.deepEqual(hits.map((h) => `${h.line}: ${h.message}`), []);
    }
  });
}
