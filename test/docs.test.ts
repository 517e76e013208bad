/**
 * Docs that are tested: every rule has a page at docs/rules/<id>.md, and the
 * page's first ```c example produces exactly one finding of that rule.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../src/engine';
import { validateConfig } from '../src/config';
import { allRules } from '../src/rules';

const ROOT = path.resolve(__dirname, '..');

before(async () => {
  await initParser();
});

test('rule ids are unique and kebab-case', () => {
  const ids = allRules.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)+$/);
});

for (const rule of allRules) {
  test(`${rule.meta.id}: has a docs page whose first example fires exactly once`, () => {
    const page = path.join(ROOT, rule.meta.docs);
    assert.ok(fs.existsSync(page), `missing ${rule.meta.docs}`);
    const md = fs.readFileSync(page, 'utf8');
    assert.match(md, new RegExp(`^# ${rule.meta.id}`, 'm'), 'the page starts with the rule id as its title');
    const m = /```c\n([\s\S]*?)```/.exec(md);
    assert.ok(m, 'the page has a ```c example');
    // Every rule on, at its own severity, so off-by-default rules are checked too.
    const { config } = validateConfig({ rules: { [rule.meta.id]: rule.meta.defaultSeverity } });
    const r = analyzeText(m[1], 'example.c', { config });
    const hits = r.findings.filter((f) => f.rule === rule.meta.id);
    assert.equal(hits.length, 1, `expected one ${rule.meta.id} finding, got ${hits.length}: ${hits.map((h) => `${h.line}: ${h.message}`).join(' | ')}`);
  });
  test(`${rule.meta.id}: every message id has a message that says what to do`, () => {
    for (const [id, msg] of Object.entries(rule.meta.messages)) {
      assert.ok((msg as string).length > 40, `${id}: message too short to say what, why and what to do`);
    }
  });
}
