/**
 * Timelines in mail: seed 003's CPU0 | CPU1 argument (GUP vs page_mkclean)
 * is found, both threads are built from the [G*] and [C*] steps, the
 * false-negative outcome is Never with the barriers as written and Sometimes
 * (with a witness) once the smp_wmb() at [G3] is removed. Plus fixtures of
 * our own: the rule fires on an unordered message-passing timeline and stays
 * quiet (an info verdict) on the ordered one.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readMailDocument } from '../../src/mail';
import { exploreTimelines, findTimelines, type TimelineLine } from '../../src/litmus/timeline';
import { analyzeText, initParser } from '../../src/engine';
import { readSeed, SKIP_SEEDS } from '../helpers/seeds';

before(async () => {
  await initParser();
});

const seed = readSeed('003');

function answers(text: string, path = 'mail.txt') {
  const { messages } = readMailDocument(text, path);
  return messages.flatMap((m) => exploreTimelines(m.body as TimelineLine[], path).answers);
}

test('seed 003: the timelines T1, T2, T3 are found and both threads are built from [G*] and [C*]', { skip: seed ? false : SKIP_SEEDS }, () => {
  const { messages } = readMailDocument(seed!.text, seed!.path);
  const blocks = messages.flatMap((m) => findTimelines(m.body as TimelineLine[]));
  assert.deepEqual(
    blocks.map((b) => b.name),
    ['T1', 'T2', 'T3'],
  );
  assert.deepEqual(blocks[0].headers, ['GUP on CPU0', 'page_mkclean() on CPU1']);
  // T1 is cut by a reply after [C1]; its [C2]/[C3] rows still belong to it.
  assert.deepEqual(
    blocks[0].steps.map((s) => s.label),
    ['G2', 'G3', 'G4', 'C1', 'C2', 'C3'],
  );
  const [a] = answers(seed!.text, seed!.path);
  assert.deepEqual(a.programs, [
    ['G2', 'G3', 'G4'],
    ['C1', 'C2', 'C3'],
  ]);
  assert.match(a.question, /page_mkclean\(\) on CPU1 overwrite \[G4\] \(PagePin\(page\)\) at \[C1\] and still miss \[G2\] \(page->mapcount\) at \[C3\]/);
});

test('seed 003 as written: the false negative (pin flag clear and mapcount increment missed) is Never', { skip: seed ? false : SKIP_SEEDS }, () => {
  const [a] = answers(seed!.text, seed!.path);
  assert.equal(a.verdict, 'Never');
  assert.equal(a.matching, 0);
  assert.equal(a.executions, 3);
  // The mail's classes: T1 and T2 each hold one execution; the class no timeline draws with
  // [C3] before [G2] and [G4] before [C1] is the false negative, forbidden by the barriers.
  const t1 = a.classes.find((c) => c.timelines.includes('T1'))!;
  assert.deepEqual(t1.order, ['[G2] before [C3]', '[G4] before [C1]']);
  assert.equal(t1.executions, 1);
  assert.equal(a.classes.find((c) => c.timelines.includes('T2'))!.executions, 1);
  const bad = a.classes.find((c) => c.order.join() === '[C3] before [G2],[G4] before [C1]')!;
  assert.deepEqual(bad.timelines, []);
  assert.equal(bad.executions, 0);
  assert.ok(a.racing.some((r) => /^T3: \[G4\] \| \[C1\] on one row/.test(r)), a.racing.join());
  const r = analyzeText(seed!.text, seed!.path);
  assert.equal(r.findings.filter((f) => f.rule === 'ordering-outcome-reachable').length, 0);
  const info = r.findings.filter((f) => f.rule === 'ordering-outcome-verdict');
  assert.equal(info.length, 1);
  assert.match(info[0].message, /Never: none of the 3 executions/);
});

test('seed 003 without the smp_wmb() at [G3]: Sometimes, with a witness that misses [G2]', { skip: seed ? false : SKIP_SEEDS }, () => {
  const text = seed!.text.replace(/\[G3\] smp_wmb\(\);/g, '[G3]            ');
  assert.notEqual(text, seed!.text);
  const [a] = answers(text, seed!.path);
  assert.deepEqual(a.programs[0], ['G2', 'G3', 'G4']);
  assert.equal(a.verdict, 'Sometimes');
  assert.equal(a.matching, 1);
  const trace = a.witnessTrace!.map((s) => s.message);
  assert.ok(trace.some((m) => /\[C1\] test_and_clear_bit: R PagePin\(page\)=1 \(reads from GUP on CPU0/.test(m)), trace.join('\n'));
  assert.ok(trace.some((m) => /\[C3\] atomic_read: R page->mapcount=0 \(reads from init\)/.test(m)), trace.join('\n'));
  const r = analyzeText(text, seed!.path);
  const w = r.findings.filter((f) => f.rule === 'ordering-outcome-reachable');
  assert.equal(w.length, 1);
  assert.equal(w[0].severity, 'warning');
  assert.ok(w[0].trace.length >= 4);
  assert.equal(w[0].line, a.blocks[0].docLine);
});

const mp = (writer: string[], reader: string[]) => {
  const rows: string[] = ['writer on CPU0                      | reader on CPU1'];
  for (const w of writer) rows.push(`${w.padEnd(36)}|`);
  for (const r of reader) rows.push(`${' '.repeat(36)}| ${r}`);
  return `From: a@b\nSubject: Re: ordering\n\nI think this is fine:\n\n${rows.map((r) => `> ${r}`).join('\n')}\n\nThanks\n`;
};

test('fires on an unordered publish timeline; an info Never on the ordered one', () => {
  const bad = analyzeText(mp(['[W1] WRITE_ONCE(s->data, 1);', '[W2] WRITE_ONCE(s->flag, 1);'], ['[R1] f = READ_ONCE(s->flag);', '[R2] d = READ_ONCE(s->data);']), 'bad.eml');
  assert.equal(bad.findings.filter((f) => f.rule === 'ordering-outcome-reachable').length, 1);
  const good = analyzeText(mp(['[W1] WRITE_ONCE(s->data, 1);', '[W2] smp_store_release(&s->flag, 1);'], ['[R1] f = smp_load_acquire(&s->flag);', '[R2] d = READ_ONCE(s->data);']), 'good.eml');
  assert.equal(good.findings.filter((f) => f.rule === 'ordering-outcome-reachable').length, 0);
  assert.match(good.findings.find((f) => f.rule === 'ordering-outcome-verdict')!.message, /Never/);
});

test('plain assignments are taken as marked accesses, and say so', () => {
  const [a] = answers(mp(['[W1] s->data = 1;', '[W2] smp_wmb();', '[W3] s->flag = 1;'], ['[R1] f = s->flag;', '[R2] smp_rmb();', '[R3] d = s->data;']));
  assert.equal(a.verdict, 'Never');
  assert.ok(a.notes.some((n) => /plain store to s->data is modelled as WRITE_ONCE/.test(n)));
});

test('an unknown step gives no verdict, it names the step', () => {
  const r = analyzeText(mp(['[W1] publish(s);'], ['[R1] f = READ_ONCE(s->flag);']), 'x.eml');
  assert.equal(r.findings.filter((f) => f.rule === 'ordering-outcome-reachable').length, 0);
  assert.match(r.findings.find((f) => f.rule === 'ordering-outcome-verdict')!.message, /not explored: \[W1\] "publish\(s\);": publish\(\) is outside/);
});

test('tables that are not timelines are left alone (diffstat, no CPU header)', () => {
  const text = 'From: a@b\nSubject: [PATCH] x\n\n---\n include/linux/mm.h | 12 ++++----\n mm/gup.c           |  3 ++-\n 2 files changed\n';
  const r = analyzeText(text, 'p.eml');
  assert.equal(r.findings.filter((f) => f.rule.startsWith('ordering-outcome')).length, 0);
});
