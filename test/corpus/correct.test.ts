/**
 * Precision gate: correct mm code written in the kernel's idioms (GUP + folio
 * conversion, compound_head() before ->mapping, mmu_interval_read_begin/retry
 * loops under the driver lock, .invalidate callbacks that filter by owner and
 * event, init_owner in migrate paths, paired seqcount and lock usage) produces
 * no warning or error from any rule.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../../src/engine';

const DIR = path.join(__dirname, 'correct');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();

before(async () => {
  await initParser();
});

test('the corpus holds at least 1,500 lines over gup, rmap, hmm and migrate_device code', () => {
  const lines = FILES.reduce((n, f) => n + fs.readFileSync(path.join(DIR, f), 'utf8').split('\n').length, 0);
  assert.ok(lines >= 1500, `${lines} lines`);
  for (const f of ['gup.c', 'rmap.c', 'hmm.c', 'migrate_device.c']) assert.ok(FILES.includes(f), f);
});

for (const file of FILES) {
  test(`${file}: no warning or error from any rule`, () => {
    const r = analyzeText(fs.readFileSync(path.join(DIR, file), 'utf8'), path.join('test/corpus/correct', file));
    const bad = r.findings.filter((f) => f.severity === 'warning' || f.severity === 'error');
    assert.deepEqual(
      bad.map((f) => `${file}:${f.line}:${f.column} ${f.rule}/${f.messageId}: ${f.message}`),
      [],
    );
  });
  test(`${file}: every rule runs to the end (a crashed rule hides its findings)`, () => {
    const r = analyzeText(fs.readFileSync(path.join(DIR, file), 'utf8'), path.join('test/corpus/correct', file));
    const crashed = r.errors.filter((e) => e.code === 'rule-crashed').map((e) => e.message.split('\n')[0]);
    assert.deepEqual(crashed, []);
  });
}
