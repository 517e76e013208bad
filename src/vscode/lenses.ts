/**
 * Code lens as a table of contributors: each gets the document and its
 * analysis and returns lenses as data. The patch lens (counts + "Show report")
 * and the function lens (what the emulator saw + "Show paths") are the first
 * two rows; later analyses (litmus tests, series views) push their own.
 */
import type { AnalysisResult, Finding, MessageSummary } from '../model';
import { CMD } from './commands';
import { countBySeverity, formatCounts } from './diagnostics';
import { findingsOfMessage, subjectBracket } from './report';
import { rng, type DocLike, type LensSpec } from './types';

export interface LensInput {
  doc: DocLike;
  result: AnalysisResult;
}

export interface LensContributor {
  id: string;
  provide(input: LensInput): LensSpec[];
}

function lineRange(doc: DocLike, line1: number) {
  const l = Math.min(Math.max(0, line1 - 1), Math.max(0, doc.lineCount - 1));
  return rng(l, 0, l, 0);
}

/** The line a patch's lens sits on: its subject, else its first diff header, else its first line. */
function patchLine(m: MessageSummary): number {
  return m.subjectLine ?? m.files[0]?.headerLine ?? m.startLine;
}

export const patchLens: LensContributor = {
  id: 'patch',
  provide({ doc, result }) {
    const single = result.messages.length <= 1;
    const lenses: LensSpec[] = [];
    const targets = result.messages
      .map((m) => ({ m, findings: single ? result.findings : findingsOfMessage(m, result.findings) }))
      .filter(({ m, findings }) => m.subject?.isPatch || m.files.length > 0 || findings.length > 0);
    const incomplete = result.errors.find((e) => e.line === null && ['time-budget', 'failed', 'too-large', 'binary-input', 'cancelled'].includes(e.code));
    const place = (line: number, findings: Finding[], messageIndex: number | null, label: string) => {
      const range = lineRange(doc, line);
      const counts = `${formatCounts(countBySeverity(findings))}${incomplete ? ` (incomplete: ${incomplete.code})` : ''}`;
      lenses.push({ range, command: { title: `mmlens: ${counts}`, command: CMD.showProblems, tooltip: `${label}: ${counts}`, arguments: [doc.uri] } });
      lenses.push({ range, command: { title: 'Show report', command: CMD.showReport, tooltip: `mmlens report for ${label}`, arguments: [doc.uri, messageIndex] } });
    };
    for (const { m, findings } of targets) {
      const s = m.subject;
      const label = s ? `[${subjectBracket(s)}] ${s.title}` : `message ${m.index + 1}`;
      place(patchLine(m), findings, m.index, label);
    }
    // Always one lens for the document, so the user sees it was checked.
    if (lenses.length === 0) place(1, result.findings, null, doc.fileName);
    return lenses;
  },
};

export const functionLens: LensContributor = {
  id: 'function',
  provide({ doc, result }) {
    const lenses: LensSpec[] = [];
    for (const fr of result.functions) {
      const range = lineRange(doc, fr.line);
      const args = [doc.uri, fr.fragmentId, fr.name, fr.line];
      const lines = fr.summary.length ? fr.summary : [`${fr.paths} path${fr.paths === 1 ? '' : 's'}, nothing to report`];
      for (const s of lines) lenses.push({ range, command: { title: `${fr.name}: ${s}`, command: CMD.showPaths, arguments: args, tooltip: `What the emulator saw in ${fr.name} (${fr.image}${fr.partial ? ', partial' : ''})` } });
      lenses.push({ range, command: { title: `Show paths${fr.bounded ? ' (bounded)' : ''}`, command: CMD.showPaths, arguments: args, tooltip: `${fr.paths} paths through ${fr.name}` } });
    }
    return lenses;
  },
};

export const lensContributors: LensContributor[] = [patchLens, functionLens];

export function registerLensContributor(c: LensContributor): void {
  if (lensContributors.some((x) => x.id === c.id)) throw new Error(`lens contributor ${c.id} is already registered`);
  lensContributors.push(c);
}

export function computeLenses(input: LensInput, contributors: readonly LensContributor[] = lensContributors): LensSpec[] {
  const out: LensSpec[] = [];
  for (const c of contributors) out.push(...c.provide(input));
  return out;
}
