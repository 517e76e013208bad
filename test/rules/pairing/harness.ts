/** Table tests for the pairing rules: `valid` stays quiet, `invalid` fires with the given message ids and lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/engine';
import { validateConfig } from '../../../src/config';
import type { Finding } from '../../../src/model';

export interface Invalid {
  name: string;
  code: string;
  errors: { messageId: string; line: number }[];
}
export interface Valid {
  name: string;
  code: string;
}

export function check(code: string, ruleId: string): Finding[] {
  const { config } = validateConfig({ rules: { [ruleId]: 'default' } });
  return analyzeText(code, 'test.c', { config, trace: true }).findings.filter((f) => f.rule === ruleId);
}

export function ruleTester(ruleId: string, cases: { valid: Valid[]; invalid: Invalid[] }): void {
  for (const v of cases.valid) {
    test(`${ruleId} stays quiet: ${v.name}`, () => {
      const got = check(v.code, ruleId);
      assert.deepEqual(got.map((f) => `${f.line}: ${f.message}`), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} fires: ${c.name}`, () => {
      const got = check(c.code, ruleId);
      assert.deepEqual(
        got.map((f) => ({ messageId: f.messageId, line: f.line })),
        c.errors,
        got.map((f) => `${f.line}: ${f.message}`).join('\n'),
      );
      for (const f of got) assert.ok(f.trace.length > 0, 'every finding carries its path');
    });
  }
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(code: string, needle: string, nth = 1): number {
  const lines = code.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`${needle} not found`);
}
