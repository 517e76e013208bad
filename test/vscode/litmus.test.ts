/**
 * The explorer's editor pieces as data: the lens on each timeline with its
 * verdict and "Show executions", the report section, the commands' markdown
 * and the diagnostics of .litmus documents.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initParser } from '../../src/engine';
import { computeLenses } from '../../src/vscode/lenses';
import { exploreTimelineMarkdown, litmusDiagnostics, litmusMarkdown, timelineLens, timelineSection } from '../../src/vscode/litmus';
import { LITMUS_CMD } from '../../src/vscode/litmusSpecs';
import { commandSpecs } from '../../src/vscode/commands';
import { readSeed, SKIP_SEEDS } from '../helpers/seeds';
import { fakeDoc } from './fake';

before(async () => {
  await initParser();
});

const seed = readSeed('003');
const LITMUS = path.join(__dirname, '..', 'litmus', 'tests');

test('seed 003: a lens on each of T1, T2, T3 saying "Never: 3 executions", and "Show executions"', { skip: seed ? false : SKIP_SEEDS }, () => {
  const result = analyzeText(seed!.text, seed!.path);
  const doc = fakeDoc(seed!.text, 'file:///ws/003.txt', 'mmlens-mail');
  const lenses = computeLenses({ doc, result }, [timelineLens]);
  const verdicts = lenses.filter((l) => l.command.title.startsWith('Never'));
  assert.equal(verdicts.length, 3, lenses.map((l) => `${l.range.start.line + 1}: ${l.command.title}`).join(' | '));
  assert.ok(verdicts.every((l) => l.command.title === 'Never: 3 executions'));
  assert.equal(lenses.filter((l) => l.command.title === 'Show executions').length, 3);
  assert.ok(lenses.every((l) => l.command.command === LITMUS_CMD.exploreTimeline));
  const rendered = timelineSection.render({ uri: doc.uri, name: '003', result }, {} as never)!;
  assert.match(rendered.markdown, /Never: 3 executions/);
  const md = exploreTimelineMarkdown(seed!.text, seed!.path, result.findings.find((f) => f.rule === 'ordering-outcome-verdict')!.line);
  assert.match(md, /T1 +\[G2\] before \[C3\], \[G4\] before \[C1\]: 1 execution/);
  assert.match(md, /not drawn +\[C3\] before \[G2\], \[G4\] before \[C1\]: 0 executions \(forbidden by the model\)/);
});

test('the report shows a Sometimes verdict with its witness', { skip: seed ? false : SKIP_SEEDS }, () => {
  const text = seed!.text.replace(/\[G3\] smp_wmb\(\);/g, '[G3]            ');
  const result = analyzeText(text, seed!.path);
  const rendered = timelineSection.render({ uri: 'file:///x', name: 'x', result }, {} as never)!;
  assert.match(rendered.html, /Sometimes: 1 of 4 executions/);
  assert.match(rendered.html, /\[C3\] atomic_read: R page-&gt;mapcount=0 \(reads from init\)/);
});

test('.litmus: diagnostics give the verdict, or an error on the line of the construct outside the model', () => {
  const mp = fs.readFileSync(path.join(LITMUS, 'MP+poonceonces.litmus'), 'utf8');
  const [d] = litmusDiagnostics(mp, 'mp.litmus');
  assert.equal(d.severity, 'info');
  assert.match(d.message, /^Sometimes: 1 of 4/);
  const [e] = litmusDiagnostics(mp.replace('WRITE_ONCE(*buf, 1);', 'while (1) ;'), 'mp.litmus');
  assert.equal(e.severity, 'error');
  assert.equal(e.range.start.line + 1, mp.split('\n').findIndex((l) => l.includes('WRITE_ONCE(*buf, 1);')) + 1);
  assert.match(litmusMarkdown(mp, 'mp.litmus'), /\*\*Sometimes\*\*: 1 of 4[\s\S]*## Witness/);
});

test('the commands are in the table ("Explore Timeline", "Run Litmus Test")', () => {
  const titles = commandSpecs.map((c) => c.title);
  assert.ok(titles.includes('Explore Timeline') && titles.includes('Run Litmus Test'));
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  assert.ok(pkg.contributes.languages.some((l: { id: string; extensions: string[] }) => l.id === 'litmus' && l.extensions.includes('.litmus')));
  const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'litmus');
  assert.ok(g && fs.existsSync(path.join(__dirname, '..', '..', g.path)));
});
