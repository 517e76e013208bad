/** A small fake document and hand-made analysis results for the provider tests (no vscode). */
import type { AnalysisResult, Finding, FunctionReport, MessageSummary } from '../../src/model';
import type { DocLike } from '../../src/vscode/types';

export function fakeDoc(text: string, uri = 'file:///ws/a.patch', languageId = 'diff'): DocLike {
  const lines = text.split('\n');
  return { uri, fileName: uri.split('/').pop() ?? uri, languageId, version: 1, lineCount: lines.length, lineAt: (l) => lines[l] ?? '', getText: () => text };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'seqcount-write-unpaired',
    severity: 'warning',
    messageId: 'unpaired',
    message: 'write_seqcount_begin() without a matching end',
    path: '/ws/a.patch',
    line: 3,
    column: 3,
    endLine: 3,
    endColumn: 23,
    source: { file: 'mm/stats.c', line: 12 },
    trace: [],
    function: 'pool_stats_add',
    ...over,
  };
}

export function message(over: Partial<MessageSummary> = {}): MessageSummary {
  return {
    index: 0,
    headers: { subject: '[PATCH v2 1/3] mm: stats' },
    subject: { tags: ['PATCH'], version: 2, number: 1, total: 3, title: 'mm: stats', isReply: false, isPatch: true },
    startLine: 1,
    endLine: 20,
    subjectLine: 2,
    files: [{ path: 'mm/stats.c', headerLine: 6, hunks: [{ headerLine: 9, functionName: 'pool_stats_add', quoteDepth: 0 }] }],
    ...over,
  };
}

export function fnReport(over: Partial<FunctionReport> = {}): FunctionReport {
  return { name: 'pool_stats_add', fragmentId: 'm0/f0/h0/post', messageIndex: 0, line: 10, endLine: 16, image: 'post', partial: true, paths: 4, bounded: false, summary: ['write section: 2 begins, 2 ends on all 4 paths'], ...over };
}

export function result(over: Partial<AnalysisResult> = {}): AnalysisResult {
  return { path: '/ws/a.patch', messages: [message()], facts: [], findings: [], functions: [], errors: [], stats: { bytes: 100, messages: 1, fragments: 1, functions: 1, ms: 3 }, ...over };
}
