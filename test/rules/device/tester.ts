/**
 * Table tests for one rule: `valid` cases produce no finding of the rule,
 * `invalid` cases produce exactly the listed findings (message id and line,
 * 1-based in the case's code; a leading newline of the code is dropped).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, initParser } from '../../../src/engine';
import { validateConfig } from '../../../src/config';
import type { Finding } from '../../../src/model';

export interface ValidCase {
  name: string;
  code: string;
}

export interface InvalidCase extends ValidCase {
  errors: { messageId: string; line: number; data?: RegExp }[];
  /** Expected fix replacement of the first finding (null: no fix). */
  fix?: string | null;
}

export function findingsOf(ruleId: string, code: string, path = 'case.c'): Finding[] {
  const { config } = validateConfig({ rules: { [ruleId]: 'warning' } });
  const r = analyzeText(code.replace(/^\n/, ''), path, { config });
  const crashed = r.errors.filter((e) => e.code === 'rule-crashed');
  assert.deepEqual(crashed, [], 'no rule crashes');
  return r.findings.filter((f) => f.rule === ruleId);
}

export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    before(async () => {
      await initParser();
    });
    for (const c of cases.valid) {
      test(`valid: ${c.name}`, () => {
        const hits = findingsOf(ruleId, c.code);
        assert.deepEqual(
          hits.map((h) => `${h.line}: ${h.messageId}`),
          [],
          `expected no ${ruleId} finding`,
        );
      });
    }
    for (const c of cases.invalid) {
      test(`invalid: ${c.name}`, () => {
        const hits = findingsOf(ruleId, c.code);
        assert.deepEqual(
          hits.map((h) => ({ messageId: h.messageId, line: h.line })),
          c.errors.map((e) => ({ messageId: e.messageId, line: e.line })),
        );
        c.errors.forEach((e, i) => {
          if (e.data) assert.match(hits[i].message, e.data);
          assert.ok(hits[i].trace.length > 0, 'the finding carries a trace');
        });
        if (c.fix !== undefined) {
          if (c.fix === null) assert.equal(hits[0].fix, undefined);
          else {
            assert.ok(hits[0].fix, 'a fix is offered');
            assert.equal(hits[0].fix.replacement, c.fix);
            assert.equal(hits[0].fix.safety, 'needs-review');
          }
        }
      });
    }
  });
}
