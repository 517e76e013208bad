import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { renderReportHtml, renderReportMarkdown, reportJson, registerReportSection, reportSections, groupByPatch, renderPathsMarkdown, type ReportContext } from '../../src/vscode/report';
import { finding, fnReport, message, result } from './fake';

const ctx: ReportContext = { ruleInfo: (id) => (id === 'seqcount-write-unpaired' ? { description: 'A write section opened and not closed.', docsUri: 'file:///x.md' } : undefined) };

const series = result({
  messages: [message({ index: 0, startLine: 1, endLine: 30, subjectLine: 2 }), message({ index: 1, startLine: 31, endLine: 60, subjectLine: 32, subject: { tags: ['PATCH'], version: 2, number: 2, total: 3, title: 'mm: more <stats>', isReply: false, isPatch: true } })],
  findings: [
    finding({ line: 10, trace: [{ line: 10, column: 3, message: 'write_seqcount_begin()', state: 'open' }, { line: 14, column: 1, message: 'return', state: 'still open' }] }),
    finding({ line: 12 }),
    finding({ line: 40, rule: 'barrier-unpaired', severity: 'error', message: 'smp_wmb() has no <paired> read barrier' }),
  ],
  functions: [fnReport()],
});

test('report: per patch, findings grouped by rule, traces step by step, escaped HTML', () => {
  const html = renderReportHtml([{ uri: 'file:///ws/s.mbx', name: 's.mbx', result: series, ms: 12 }], ctx, { nonce: 'N', cspSource: 'vscode-resource:', title: 'mmlens: s.mbx' });
  assert.match(html, /<h3>\[PATCH v2 1\/3\] mm: stats <span class="counts">2 warnings<\/span>/);
  assert.match(html, /\[PATCH v2 2\/3\] mm: more &lt;stats&gt;/);
  assert.match(html, /data-rule="seqcount-write-unpaired">seqcount-write-unpaired<\/a> <span class="n">×2<\/span>/);
  assert.match(html, /A write section opened and not closed\./);
  assert.match(html, /<ol class="trace"><li><a class="loc" href="#" data-uri="file:\/\/\/ws\/s.mbx" data-line="10">line 10<\/a> write_seqcount_begin\(\) <span class="state">open<\/span><\/li><li>.*line 14.*still open/);
  assert.match(html, /smp_wmb\(\) has no &lt;paired&gt; read barrier/);
  assert.ok(!html.includes('<paired>'));
  assert.match(html, /script-src 'nonce-N'/);
  assert.match(html, /write section: 2 begins, 2 ends on all 4 paths/);
  assert.match(html, /id="export-md"/);
  assert.match(html, /id="export-json"/);
});

test('report: Markdown and JSON exports', () => {
  const docs = [{ uri: 'file:///ws/s.mbx', name: 's.mbx', result: series, ms: 12 }];
  const md = renderReportMarkdown(docs, ctx);
  assert.match(md, /^# mmlens report\n\n## s\.mbx\n/);
  assert.match(md, /### \\\[PATCH v2 1\/3\\\] mm: stats\n\n2 warnings/);
  assert.match(md, /#### `seqcount-write-unpaired` \(2\)/);
  assert.match(md, /  1\. line 10: write\\_seqcount\\_begin\(\) — _open_\n  2\. line 14: return — _still open_/);
  assert.match(md, /### What the emulator saw\n\n\| function \| line \| paths \| summary \|/);
  const json = JSON.parse(reportJson(docs));
  assert.equal(json.tool, 'mmlens');
  assert.equal(json.documents[0].findings.length, 3);
  assert.equal(json.documents[0].name, 's.mbx');
});

test('report: grouping by patch uses messageIndex when present, lines otherwise', () => {
  const groups = groupByPatch(series, 's.mbx');
  assert.deepEqual(groups.map((g) => g.findings.length), [2, 1]);
  const single = groupByPatch(result({ messages: [], findings: [finding()] }), 'a.patch');
  assert.equal(single.length, 1);
  assert.equal(single[0].title, 'a.patch');
});

test('report sections table: a later analysis adds a section without changing the renderer', () => {
  registerReportSection({ id: 'series-view', title: 'Series', render: (d) => ({ html: `<p>series of ${d.result.messages.length}</p>`, markdown: `series of ${d.result.messages.length}\n` }) });
  try {
    const docs = [{ uri: 'u', name: 'n', result: series }];
    assert.match(renderReportHtml(docs, ctx, { nonce: 'n', cspSource: 'c', title: 't' }), /<h3>Series<\/h3><p>series of 2<\/p>/);
    assert.match(renderReportMarkdown(docs, ctx), /### Series\n\nseries of 2/);
  } finally {
    reportSections.splice(reportSections.findIndex((s) => s.id === 'series-view'), 1);
  }
});

test('show paths: each path step by step', () => {
  const md = renderPathsMarkdown('pool_stats_add', fnReport({ pathTraces: [[{ line: 10, column: 2, message: 'begin', state: 'odd' }], [{ line: 11, column: 2, message: 'end' }]] }), 'a.patch');
  assert.match(md, /# Paths through `pool_stats_add`/);
  assert.match(md, /## Path 1\n\n1\. line 10: begin — _odd_/);
  assert.match(md, /## Path 2\n\n1\. line 11: end/);
  assert.match(renderPathsMarkdown('gone', undefined, 'a.patch'), /did not report this function/);
});
