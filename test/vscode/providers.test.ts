import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { toDiagnostics, findingRange, countBySeverity, formatCounts, tagsFor, inputErrorDiagnostics } from '../../src/vscode/diagnostics';
import { computeLenses, registerLensContributor, lensContributors } from '../../src/vscode/lenses';
import { codeActionsFor, linePrefix, suppressionEdits } from '../../src/vscode/actions';
import { hoverAt, wordAt } from '../../src/vscode/hover';
import { CMD } from '../../src/vscode/commands';
import { suppressionsByLine } from '../../src/suppress';
import { lookupApi, type ApiInfo } from '../../src/kernel/apis';
import { fakeDoc, finding, fnReport, message, result } from './fake';

const PATCH = [
  'From: A <a@example.org>', // 1
  'Subject: [PATCH v2 1/3] mm: stats', // 2
  '---', // 3
  'diff --git a/mm/stats.c b/mm/stats.c', // 4
  '--- a/mm/stats.c', // 5
  '+++ b/mm/stats.c', // 6
  '@@ -10,6 +10,8 @@ static void pool_stats_add(struct pool *pool, long n)', // 7
  ' {', // 8
  ' \tspin_lock(&pool->lock);', // 9
  '+\twrite_seqcount_begin(&pool->stats_seq);', // 10
  ' \tpool->nr += n;', // 11
  '-\told();', // 12
  '+\tsmp_wmb();', // 13
  ' \tspin_unlock(&pool->lock);', // 14
  ' }', // 15
].join('\n');

const docUri = (id: string) => `file:///ext/docs/rules/${id}.md`;

test('diagnostics: exact range, code with doc target, trace as related information', () => {
  const doc = fakeDoc(PATCH);
  const f = finding({ line: 10, column: 3, endLine: 10, endColumn: 23, trace: [{ line: 10, column: 3, message: 'write section opens', state: 'pool->stats_seq: open' }, { line: 14, column: 3, message: 'function returns', state: 'pool->stats_seq: still open' }] });
  const [d] = toDiagnostics(doc, result({ findings: [f] }), { ruleDocUri: docUri });
  assert.deepEqual(d.range, { start: { line: 9, character: 2 }, end: { line: 9, character: 22 } });
  assert.equal(doc.lineAt(9).slice(d.range.start.character, d.range.end.character), 'write_seqcount_begin');
  assert.deepEqual(d.code, { value: 'seqcount-write-unpaired', target: 'file:///ext/docs/rules/seqcount-write-unpaired.md' });
  assert.equal(d.severity, 'warning');
  assert.equal(d.source, 'mmlens');
  assert.match(d.message, /\(mm\/stats\.c:12\)$/);
  assert.equal(d.related.length, 2);
  assert.equal(d.related[1].range.start.line, 13);
  assert.equal(d.related[0].message, 'step 1/2: write section opens — pool->stats_seq: open');
  assert.equal(d.findingIndex, 0);
});

test('diagnostics: severity follows the finding (set from settings by the engine)', () => {
  const doc = fakeDoc(PATCH);
  const ds = toDiagnostics(doc, result({ findings: [finding({ severity: 'error' }), finding({ severity: 'info', line: 13 })] }), { ruleDocUri: docUri });
  assert.deepEqual(ds.map((d) => d.severity), ['error', 'info']);
});

test('findingRange: empty ranges grow to the word, out-of-range lines are clamped', () => {
  const doc = fakeDoc(PATCH);
  assert.deepEqual(findingRange(doc, { line: 13, column: 3 }), { start: { line: 12, character: 2 }, end: { line: 12, character: 9 } });
  const r = findingRange(doc, { line: 999, column: 1 });
  assert.equal(r.start.line, 14);
  // A column past the end of the line and nothing to grow into: the line's content.
  const r2 = findingRange(doc, { line: 8, column: 40 });
  assert.deepEqual(r2, { start: { line: 7, character: 1 }, end: { line: 7, character: 2 } });
});

test('tags where they fit; counts and their wording', () => {
  assert.deepEqual(tagsFor({ rule: 'barrier-redundant', messageId: 'x' }), ['unnecessary']);
  assert.deepEqual(tagsFor({ rule: 'seqcount-write-unpaired', messageId: 'unpaired' }), []);
  const c = countBySeverity([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }, { severity: 'info' }]);
  assert.equal(formatCounts(c), '1 error, 2 warnings, 1 info');
  assert.equal(formatCounts(countBySeverity([])), 'no findings');
});

test('input errors with a line become info diagnostics; document-wide ones do not', () => {
  const ds = inputErrorDiagnostics(fakeDoc(PATCH), [
    { path: 'a', line: 7, code: 'truncated-hunk', message: 'hunk ends early' },
    { path: 'a', line: null, code: 'time-budget', message: 'over budget' },
  ]);
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code.value, 'truncated-hunk');
  assert.equal(ds[0].severity, 'info');
});

test('code lens: counts and "Show report" on the patch subject, emulator summary and "Show paths" on functions', () => {
  const doc = fakeDoc(PATCH);
  const lenses = computeLenses({ doc, result: result({ findings: [finding({ line: 10 }), finding({ line: 13, severity: 'error' })], functions: [fnReport({ line: 8 })] }) });
  const titles = lenses.map((l) => `${l.range.start.line}:${l.command.title}`);
  assert.deepEqual(titles, ['1:mmlens: 1 error, 1 warning', '1:Show report', '7:pool_stats_add: write section: 2 begins, 2 ends on all 4 paths', '7:Show paths']);
  const report = lenses.find((l) => l.command.title === 'Show report')!;
  assert.equal(report.command.command, CMD.showReport);
  assert.deepEqual(report.command.arguments, [doc.uri, 0]);
  const paths = lenses.find((l) => l.command.title === 'Show paths')!;
  assert.deepEqual(paths.command.arguments, [doc.uri, 'm0/f0/h0/post', 'pool_stats_add', 8]);
});

test('code lens: one lens per patch of a series, findings counted per message; a bare document still gets one', () => {
  const doc = fakeDoc(Array.from({ length: 60 }, () => 'x').join('\n'), 'file:///ws/s.mbx', 'mmlens-mail');
  const msgs = [
    message({ index: 0, subjectLine: 3, startLine: 1, endLine: 10, files: [], subject: { tags: ['PATCH'], version: 2, number: 0, total: 2, title: 'cover', isReply: false, isPatch: true } }),
    message({ index: 1, subjectLine: 13, startLine: 11, endLine: 30 }),
    message({ index: 2, subjectLine: 33, startLine: 31, endLine: 60 }),
  ];
  const lenses = computeLenses({ doc, result: result({ messages: msgs, findings: [finding({ line: 20 }), finding({ line: 40, messageIndex: 2 }), finding({ line: 45, messageIndex: 2 })] }) });
  const counts = lenses.filter((l) => l.command.title.startsWith('mmlens:')).map((l) => `${l.range.start.line + 1} ${l.command.title}`);
  assert.deepEqual(counts, ['3 mmlens: no findings', '13 mmlens: 1 warning', '33 mmlens: 2 warnings']);
  const bare = computeLenses({ doc, result: result({ messages: [], findings: [] }) });
  assert.deepEqual(bare.map((l) => l.command.title), ['mmlens: no findings', 'Show report']);
});

test('code lens table: a later analysis plugs in a contributor', () => {
  const doc = fakeDoc('P0\n{\n}\n', 'file:///ws/t.litmus', 'mmlens-mail');
  registerLensContributor({ id: 'litmus-test', provide: ({ doc: d }) => [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: `litmus: ${d.fileName}`, command: 'mmlens.litmus' } }] });
  try {
    const titles = computeLenses({ doc, result: result({ messages: [] }) }).map((l) => l.command.title);
    assert.ok(titles.includes('litmus: t.litmus'));
    assert.throws(() => registerLensContributor({ id: 'litmus-test', provide: () => [] }));
  } finally {
    lensContributors.splice(lensContributors.findIndex((c) => c.id === 'litmus-test'), 1);
  }
});

test('quick fix: a safe fix is offered as preferred and edits the patch text; needs-review fixes are not offered', () => {
  const doc = fakeDoc(PATCH);
  const safe = finding({ line: 13, fix: { description: 'Use smp_store_release()', line: 13, column: 3, endLine: 13, endColumn: 12, replacement: 'smp_store_release', safety: 'safe' } });
  const review = finding({ line: 10, rule: 'other-rule', fix: { description: 'risky', line: 10, column: 3, endLine: 10, endColumn: 5, replacement: 'x', safety: 'needs-review' } });
  const actions = codeActionsFor(doc, result({ findings: [safe, review] }), [0, 1]);
  const fix = actions.find((a) => a.isPreferred)!;
  assert.equal(fix.title, 'mmlens: Use smp_store_release()');
  assert.deepEqual(fix.edits, [{ range: { start: { line: 12, character: 2 }, end: { line: 12, character: 11 } }, newText: 'smp_store_release' }]);
  assert.equal(actions.filter((a) => a.title === 'mmlens: risky').length, 0);
  assert.deepEqual(actions.map((a) => a.title).filter((t) => t.includes('Ignore')), ['mmlens: Ignore seqcount-write-unpaired here', 'mmlens: Ignore other-rule here']);
});

/** Apply edits (non-overlapping) to a text, bottom-up. */
function apply(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('ignore here: an added line with the indentation, and the hunk header count bumped', () => {
  const doc = fakeDoc(PATCH);
  const out = apply(PATCH, suppressionEdits(doc, 10, 'barrier-unpaired')).split('\n');
  assert.equal(out[6], '@@ -10,6 +10,9 @@ static void pool_stats_add(struct pool *pool, long n)');
  assert.equal(out[10], '+\t/* mmlens-ignore: barrier-unpaired */');
  assert.equal(out[11], ' \tpool->nr += n;');
  // The engine's suppression reads it: the finding line (now 12) is covered.
  const sup = suppressionsByLine(out.join('\n'));
  assert.ok((sup.get(12) as Set<string>).has('barrier-unpaired'));
});

test('ignore here: inside a quoted hunk the quote prefix is kept; a count-less header gets one', () => {
  const q = ['> @@ -5 +5 @@ void f(void)', '> -\ta();', '> +\tb();'].join('\n');
  const doc = fakeDoc(q, 'file:///ws/r.eml', 'mmlens-mail');
  assert.deepEqual(linePrefix(doc, 2), { quote: '> ', marker: '+', indent: '\t', hunkHeaderLine: 0 });
  const out = apply(q, suppressionEdits(doc, 2, 'r')).split('\n');
  assert.deepEqual(out, ['> @@ -5 +5,2 @@ void f(void)', '> -\ta();', '> +\t/* mmlens-ignore: r */', '> +\tb();']);
});

test('ignore here: quoted code without a hunk keeps the quote prefix and indentation, no marker', () => {
  const q = ['> > struct anon_vma *page_anon_vma(struct page *page)', '> > {', '> >     page = compound_head(page);'].join('\n');
  const doc = fakeDoc(q, 'file:///ws/r.eml', 'mmlens-mail');
  const out = apply(q, suppressionEdits(doc, 2, 'page-tail-mapping')).split('\n');
  assert.equal(out[2], '> >     /* mmlens-ignore: page-tail-mapping */');
  assert.equal(out.length, 4);
});

test('hover: kernel primitives from the API table', () => {
  const info: ApiInfo = { name: 'write_seqcount_begin', kind: 'seqcount', role: 'write-begin', objectArg: 0, summary: 'Opens a write section: the count goes odd.' };
  const doc = fakeDoc(PATCH);
  const h = hoverAt(doc, { line: 9, character: 8 }, (n) => (n === info.name ? info : undefined))!;
  assert.deepEqual(h.range, { start: { line: 9, character: 2 }, end: { line: 9, character: 22 } });
  assert.match(h.markdown, /\*\*write_seqcount_begin\*\*/);
  assert.match(h.markdown, /Opens a write section/);
  assert.match(h.markdown, /object: argument 1/);
  assert.equal(hoverAt(doc, { line: 10, character: 3 }, () => undefined), null);
  assert.deepEqual(wordAt('a(foo_bar)', 4), { word: 'foo_bar', start: 2, end: 9 });
});

test('hover: the real table answers for smp_wmb', () => {
  const doc = fakeDoc(PATCH);
  const h = hoverAt(doc, { line: 12, character: 4 });
  if (!lookupApi('smp_wmb')) return; // table still being filled
  assert.ok(h && h.markdown.includes('smp_wmb'));
});
