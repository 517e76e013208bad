/** Findings → diagnostics: exact range, rule id + doc link as the code, the trace as related information. */
import type { AnalysisResult, Finding, InputError, TraceStep } from '../model';
import { rng, type DiagnosticSpec, type DiagTag, type DocLike, type Rng } from './types';

export interface DiagnosticsContext {
  /** The URI (string) of a rule's doc page. */
  ruleDocUri(ruleId: string): string;
}

/** A model range (1-based, end column exclusive) clamped to the document; an empty range grows to the word or the line. */
export function findingRange(doc: DocLike, f: { line: number; column: number; endLine?: number; endColumn?: number }): Rng {
  const maxLine = Math.max(0, doc.lineCount - 1);
  const sl = Math.min(Math.max(0, f.line - 1), maxLine);
  const text = doc.lineAt(sl);
  let sc = Math.min(Math.max(0, f.column - 1), text.length);
  let el = f.endLine !== undefined ? Math.min(Math.max(sl, f.endLine - 1), maxLine) : sl;
  let ec = f.endColumn !== undefined ? Math.max(0, f.endColumn - 1) : sc;
  ec = Math.min(ec, doc.lineAt(el).length);
  if (el === sl && ec <= sc) {
    const word = /^[\w>-]+/.exec(text.slice(sc));
    if (word && word[0].length > 0) ec = sc + word[0].length;
    else {
      // The whole visible content of the line (skip the diff marker and indentation).
      const m = /^(\s*[+\- ]?\s*)(.*?)\s*$/.exec(text);
      sc = m && m[2] ? m[1].length : 0;
      ec = m && m[2] ? m[1].length + m[2].length : text.length;
    }
    el = sl;
  }
  return rng(sl, sc, el, ec);
}

export function tagsFor(f: Pick<Finding, 'rule' | 'messageId'>): DiagTag[] {
  const s = `${f.rule} ${f.messageId}`.toLowerCase();
  const tags: DiagTag[] = [];
  if (/redundant|unused|unnecessary|superfluous|dead/.test(s)) tags.push('unnecessary');
  if (/deprecated|obsolete/.test(s)) tags.push('deprecated');
  return tags;
}

export function stepText(step: TraceStep, i: number, total: number): string {
  return `step ${i + 1}/${total}: ${step.message}${step.state ? ` — ${step.state}` : ''}`;
}

export function toDiagnostics(doc: DocLike, result: AnalysisResult, ctx: DiagnosticsContext): DiagnosticSpec[] {
  return result.findings.map((f, i) => ({
    range: findingRange(doc, f),
    message: f.source ? `${f.message} (${f.source.file}:${f.source.line})` : f.message,
    severity: f.severity,
    source: 'mmlens' as const,
    code: { value: f.rule, target: ctx.ruleDocUri(f.rule) },
    related: f.trace.map((s, k) => ({ uri: doc.uri, range: findingRange(doc, { line: s.line, column: s.column }), message: stepText(s, k, f.trace.length) })),
    tags: tagsFor(f),
    findingIndex: i,
  }));
}

/** Input problems worth a diagnostic on a line (bad encoding, truncated hunks); document-wide ones go to the log. */
export function inputErrorDiagnostics(doc: DocLike, errors: InputError[]): DiagnosticSpec[] {
  return errors
    .filter((e) => e.line !== null && e.code !== 'cancelled')
    .map((e) => ({
      range: findingRange(doc, { line: e.line as number, column: 1 }),
      message: e.message,
      severity: 'info' as const,
      source: 'mmlens' as const,
      code: { value: e.code, target: '' },
      related: [],
      tags: [],
      findingIndex: -1,
    }));
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

export function formatCounts(c: SeverityCounts): string {
  const parts: string[] = [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (c.error) parts.push(plural(c.error, 'error'));
  if (c.warning) parts.push(plural(c.warning, 'warning'));
  if (c.info) parts.push(`${c.info} info`);
  return parts.length ? parts.join(', ') : 'no findings';
}
