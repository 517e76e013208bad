/**
 * What the engine itself reports for the e2e documents (same source tree as the
 * bundle, same 'editor' config): the suite checks that the editor shows exactly
 * this. Prints JSON: { rules: [...ids], files: { name: { findings, functions, messages, hover } } }.
 * Usage: node --import tsx e2e/reference.ts FILE...
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../src/engine';
import { defaultConfig } from '../src/config';
import { allRules } from '../src/rules';
import { API_TABLE } from '../src/kernel/apis';

(async () => {
  await initParser();
  const files: Record<string, unknown> = {};
  for (const f of process.argv.slice(2)) {
    const text = fs.readFileSync(f, 'utf8');
    const r = analyzeText(text, f, { config: defaultConfig('editor') });
    // A kernel primitive on a diff line, for the hover check.
    let hover: { line: number; column: number; word: string; summary: string } | null = null;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length && !hover; i++) {
      if (!/^[+\- ]/.test(lines[i])) continue;
      for (const m of lines[i].matchAll(/[A-Za-z_]\w*/g)) {
        const info = Object.prototype.hasOwnProperty.call(API_TABLE, m[0]) ? API_TABLE[m[0]] : undefined;
        if (info && m[0].length > 6) {
          hover = { line: i + 1, column: (m.index ?? 0) + 2, word: m[0], summary: info.summary };
          break;
        }
      }
    }
    files[path.basename(f)] = {
      findings: r.findings.map((x) => ({ rule: x.rule, line: x.line, column: x.column, severity: x.severity, message: x.message, fix: x.fix ? x.fix.safety : null })),
      functions: r.functions.map((x) => ({ name: x.name, line: x.line, summary: x.summary })),
      messages: r.messages.map((m) => ({ subjectLine: m.subjectLine, isPatch: !!m.subject?.isPatch, files: m.files.length })),
      hover,
      ms: Math.round(r.stats.ms),
    };
  }
  process.stdout.write(JSON.stringify({ rules: allRules.map((r) => r.meta.id), files }, null, 1));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
