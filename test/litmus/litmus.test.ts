/**
 * The litmus suite: every test/litmus/tests/*.litmus states its documented
 * verdict in a "Result: Never|Sometimes" comment; the explorer must give it.
 * Plus the JSON shape of `mmlens litmus`, and clear errors for constructs
 * outside the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLitmus, tryRunLitmus } from '../../src/litmus';
import { runLitmusCommand } from '../../src/litmus/cli';

const DIR = path.join(__dirname, 'tests');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();

test('the suite holds every classic shape with and without its barriers', () => {
  const names = files.map((f) => f.replace(/\.litmus$/, ''));
  for (const shape of ['MP', 'SB', 'LB', 'R', 'S', '2+2W', 'WRC', 'ISA2', 'IRIW', 'Z6.0']) {
    const mine = names.filter((n) => n.startsWith(`${shape}+`));
    const verdicts = new Set(mine.map((n) => /Result:\s*(\w+)/.exec(fs.readFileSync(path.join(DIR, `${n}.litmus`), 'utf8'))![1]));
    assert.ok(verdicts.has('Never') && verdicts.has('Sometimes'), `${shape}: needs a Never and a Sometimes variant, has ${[...verdicts].join(', ')}`);
  }
  for (const co of ['CoRR', 'CoRW', 'CoWR', 'CoWW']) assert.ok(names.some((n) => n.startsWith(`${co}+`)), co);
});

for (const f of files) {
  test(`${f}: the documented verdict`, () => {
    const text = fs.readFileSync(path.join(DIR, f), 'utf8');
    const expected = /Result:\s*(Never|Sometimes)/.exec(text);
    assert.ok(expected, 'the test states its Result');
    const r = runLitmus(text, f);
    assert.equal(r.verdict, expected[1], `${r.name}: ${r.matching} of ${r.executions} match`);
    assert.ok(r.executions > 0, 'some execution is allowed');
    if (r.verdict === 'Sometimes') {
      assert.ok(r.witness && r.witness.steps.length > 0, 'a witness comes with Sometimes');
      assert.ok(r.matching <= r.executions);
    } else assert.equal(r.witness, undefined);
  });
}

test('MP witness: P1 reads the flag from P0 and the buffer from the initial state', () => {
  const r = runLitmus(fs.readFileSync(path.join(DIR, 'MP+poonceonces.litmus'), 'utf8'), 'mp');
  const reads = r.witness!.steps.filter((s) => s.access.startsWith('R '));
  assert.deepEqual(
    reads.map((s) => [s.access, s.readsFrom?.startsWith('P0') ? 'P0' : s.readsFrom]),
    [
      ['R flag=1', 'P0'],
      ['R buf=0', 'init'],
    ],
  );
  assert.equal(r.witness!.final['1:r1'], 0);
});

test('the allowed executions are counted, not the candidates', () => {
  const sb = runLitmus(fs.readFileSync(path.join(DIR, 'SB+fencembonceonces.litmus'), 'utf8'), 'sb');
  assert.equal(sb.executions, 3); // (0,1) (1,0) (1,1); (0,0) is forbidden
  const iriw = runLitmus(fs.readFileSync(path.join(DIR, 'IRIW+poonceonces+OnceOnce.litmus'), 'utf8'), 'iriw');
  assert.equal(iriw.executions, 16);
});

test('forall P asks whether a counterexample exists; filter drops executions', () => {
  const src = (cond: string) => `C t\n{}\nP0(int *a)\n{\n\tWRITE_ONCE(*a, 1);\n}\nP1(int *a)\n{\n\tint r0;\n\tr0 = READ_ONCE(*a);\n}\n${cond}\n`;
  assert.equal(runLitmus(src('forall (1:r0=0 \\/ 1:r0=1)'), 'f').verdict, 'Never');
  assert.equal(runLitmus(src('forall (1:r0=1)'), 'f').verdict, 'Sometimes');
  const filtered = runLitmus(src('filter (1:r0=1)\nexists (1:r0=0)'), 'f');
  assert.equal(filtered.executions, 1);
  assert.equal(filtered.verdict, 'Never');
  assert.equal(runLitmus(src('~exists (1:r0=0)'), 'f').verdict, 'Sometimes');
});

for (const [file, construct] of [
  ['plain-access.litmus', /plain \(unmarked\) write to \*a/],
  ['loop.litmus', /"while" is outside what the model covers/],
  ['unknown-primitive.litmus', /srcu_read_lock\(\) is outside what the model covers/],
] as const) {
  test(`${file}: a clear error naming the construct, no verdict`, () => {
    const p = path.join(__dirname, 'errors', file);
    const { result, error } = tryRunLitmus(fs.readFileSync(p, 'utf8'), p);
    assert.equal(result, null);
    assert.match(error!.message, construct);
    assert.ok(error!.line! > 0, 'the error has a line');
  });
}

test('not a C litmus test: the header is named', () => {
  const { error } = tryRunLitmus('AArch64 MP\n{}\n', 'x.litmus');
  assert.match(error!.message, /first line must be "C <name>".*AArch64/);
});

test('mmlens litmus --format json: the documented shape, errors listed, exit 2 on an error', () => {
  const ok = runLitmusCommand([path.join(DIR, 'MP+poonceonces.litmus'), path.join(DIR, 'MP+pooncerelease+poacquireonce.litmus')], 'json');
  const j = JSON.parse(ok.out);
  assert.deepEqual(Object.keys(j), ['tests', 'errors']);
  assert.equal(ok.code, 0);
  assert.deepEqual(Object.keys(j.tests[0]), ['name', 'path', 'verdict', 'executions', 'matching', 'witness']);
  assert.deepEqual(Object.keys(j.tests[1]), ['name', 'path', 'verdict', 'executions', 'matching']);
  assert.deepEqual(
    j.tests.map((t: { verdict: string }) => t.verdict),
    ['Sometimes', 'Never'],
  );
  const bad = runLitmusCommand([path.join(__dirname, 'errors', 'loop.litmus'), path.join(DIR, 'SB+poonceonces.litmus'), 'no/such.litmus'], 'json');
  const b = JSON.parse(bad.out);
  assert.equal(bad.code, 2);
  assert.equal(b.tests.length, 1);
  assert.equal(b.errors.length, 2);
  const text = runLitmusCommand([path.join(DIR, 'SB+poonceonces.litmus')], 'text').out;
  assert.match(text, /Sometimes: 1 of 4 allowed executions match/);
  assert.match(text, /witness:/);
});
