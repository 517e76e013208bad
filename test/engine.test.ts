import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, initParser, looksBinary, effectiveSeverity } from '../src/engine';
import { defaultConfig, validateConfig } from '../src/config';
import { allRules } from '../src/rules';

before(async () => {
  await initParser();
});

/** Deterministic pseudo-random text (xorshift), so the test input is the same every run. */
function randomText(bytes: number, seed = 42): string {
  let x = seed;
  const words = ['the', 'page', 'lock', 'seq', '{', '}', '(', ')', ';', '>', '@@', '+', '-', 'smp_wmb', '\n', '\n> ', 'diff', '*/', '/*', '"', "'"];
  const out: string[] = [];
  let n = 0;
  while (n < bytes) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const w = words[(x >>> 0) % words.length];
    out.push(w, ' ');
    n += w.length + 1;
  }
  return out.join('');
}

test('binary input is refused with a clear error, not parsed', () => {
  const r = analyzeText('\u0000\u0001\u0002PK\u0003\u0004' + 'x'.repeat(100), 'a.bin');
  assert.equal(r.findings.length, 0);
  assert.equal(r.errors[0].code, 'binary-input');
  assert.match(r.errors[0].message, /binary/);
  assert.equal(looksBinary('plain text\nwith lines\n'), false);
});

test('an empty document gives an empty result', () => {
  const r = analyzeText('', 'empty.patch');
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.facts, []);
  assert.equal(r.errors.filter((e) => e.code !== 'no-message').length, 0);
});

test('a document over the size limit is refused, not truncated silently', () => {
  const config = defaultConfig();
  config.limits.maxDocumentBytes = 1024;
  const r = analyzeText('x'.repeat(2048), 'big.mbox', { config });
  assert.equal(r.errors[0].code, 'too-large');
});

test('a truncated hunk still yields its visible statements and an input warning', () => {
  const text = ['diff --git a/mm/a.c b/mm/a.c', '--- a/mm/a.c', '+++ b/mm/a.c', '@@ -1,9 +1,10 @@ static void f(void)', ' \tspin_lock(&l);', '+\tsmp_wmb();'].join('\n');
  const r = analyzeText(text, 't.patch');
  assert.ok(r.errors.some((e) => e.code === 'truncated-hunk' && e.line === 4));
  assert.equal(r.stats.fragments, 1);
});

test('5 MB of random text finishes and reports no finding', () => {
  const text = randomText(5 * 1024 * 1024);
  const r = analyzeText(text, 'random.txt');
  assert.equal(r.findings.filter((f) => f.severity !== 'info').length, 0);
  assert.ok(r.stats.ms < 120_000);
});

test('cancellation stops the analysis and says so', () => {
  const text = Array.from({ length: 50 }, (_, i) => `@@ -1,2 +1,2 @@ void f${i}(void)\n \ta();\n+\tb();\n`).join('');
  let calls = 0;
  const r = analyzeText(text, 'c.patch', { isCancelled: () => ++calls > 3 });
  assert.ok(r.errors.some((e) => e.code === 'cancelled'));
});

test('rule settings: off, a severity, default', () => {
  const rule = allRules[0];
  if (!rule) return; // no rule registered yet
  const { config } = validateConfig({ rules: { [rule.meta.id]: 'off' } });
  assert.equal(effectiveSeverity(rule, config), null);
  const { config: c2 } = validateConfig({ rules: { [rule.meta.id]: 'error' } });
  assert.equal(effectiveSeverity(rule, c2), 'error');
});

test('barrier-no-comment: on in the CLI, off by default in the editor, on in the editor when a setting asks', () => {
  const code = `static void f(struct s *s)
{
	s->a = 1;
	smp_wmb();
	s->b = 1;
}
`;
  const rules = (surface: 'cli' | 'editor', setting?: 'info') => {
    const config = defaultConfig(surface);
    if (setting) config.rules['barrier-no-comment'] = setting;
    return analyzeText(code, 'f.c', { config }).findings.map((f) => f.rule).filter((r) => r === 'barrier-no-comment');
  };
  assert.deepEqual(rules('cli'), ['barrier-no-comment']);
  assert.deepEqual(rules('editor'), []);
  assert.deepEqual(rules('editor', 'info'), ['barrier-no-comment']);
});
