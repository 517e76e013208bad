/**
 * Separate files of one series (`git format-patch` output, `[PATCH vN M/K]`,
 * threaded to one cover letter) given together are checked as one mbox, in
 * patch order, so patch 3 sees what patch 1 defines; the result is then split
 * back so every finding lands on its own file's lines.
 */
import * as nodePath from 'node:path';
import type { AnalysisResult, Finding, TraceStep } from '../model';
import { parseSubject } from '../mail/subject';
import { isFromLine } from '../mail';

export interface SeriesInput {
  path: string;
  text: string;
}

export interface SeriesPart extends SeriesInput {
  /** 1-based line of the combined text where this part's first line stands. */
  firstLine: number;
  /** Lines of the combined text before the part's own (a synthetic `From ` line). */
  added: number;
  lineCount: number;
}

export interface SeriesGroup {
  /** The combined mbox text. */
  text: string;
  parts: SeriesPart[];
}

const SYNTHETIC_FROM = 'From mmlens-series Thu Jan  1 00:00:00 1970';

interface Head {
  subject: string | null;
  messageId: string | null;
  root: string | null;
  froms: number;
}

/** The few header fields grouping needs, read from the top of the text (folded lines joined). */
function head(text: string): Head {
  const lines = text.split('\n', 400);
  const fields = new Map<string, string>();
  let last: string | null = null;
  let froms = 0;
  let inHeader = true;
  for (const raw of lines) {
    const l = raw.replace(/\r$/, '');
    if (isFromLine(l)) {
      froms++;
      inHeader = true;
      continue;
    }
    if (!inHeader) continue;
    if (l === '') {
      inHeader = false;
      continue;
    }
    if (/^[ \t]/.test(l) && last) fields.set(last, `${fields.get(last)} ${l.trim()}`);
    else {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(l);
      if (m) {
        last = m[1].toLowerCase();
        if (!fields.has(last)) fields.set(last, m[2]);
      }
    }
  }
  const id = (v: string | undefined): string | null => (v ? /<[^>]+>/.exec(v)?.[0] ?? null : null);
  const refs = fields.get('references');
  return { subject: fields.get('subject') ?? null, messageId: id(fields.get('message-id')), root: id(refs) ?? id(fields.get('in-reply-to')), froms };
}

/**
 * Split inputs into series groups (two or more single-message files of one series)
 * and the rest. Files are grouped by folder, version, patch count and thread root.
 */
export function groupSeries(inputs: SeriesInput[]): { groups: SeriesGroup[]; single: SeriesInput[] } {
  const keyed = new Map<string, { n: number; input: SeriesInput }[]>();
  const single: SeriesInput[] = [];
  for (const input of inputs) {
    const h = head(input.text);
    const s = h.subject ? parseSubject(h.subject) : null;
    if (input.path === '<stdin>' || h.froms > 1 || !s || !s.isPatch || s.isReply || s.number === null || !s.total || s.total < 2) {
      single.push(input);
      continue;
    }
    const root = s.number === 0 ? h.messageId : h.root;
    const key = `${nodePath.dirname(input.path)}|${s.version ?? 1}|${s.total}|${root ?? ''}`;
    const list = keyed.get(key) ?? [];
    list.push({ n: s.number, input });
    keyed.set(key, list);
  }
  const groups: SeriesGroup[] = [];
  for (const list of keyed.values()) {
    const nums = new Set(list.map((x) => x.n));
    if (list.length < 2 || nums.size !== list.length) {
      single.push(...list.map((x) => x.input));
      continue;
    }
    list.sort((a, b) => a.n - b.n);
    groups.push(joinSeries(list.map((x) => x.input)));
  }
  return { groups, single };
}

export function joinSeries(inputs: SeriesInput[]): SeriesGroup {
  const out: string[] = [];
  const parts: SeriesPart[] = [];
  let line = 1;
  for (const input of inputs) {
    let text = input.text.replace(/\r?\n$/, '');
    const own = text.split('\n');
    const first = own.find((l) => l.trim() !== '') ?? '';
    const added = isFromLine(first.replace(/\r$/, '')) ? 0 : 1;
    if (added) out.push(SYNTHETIC_FROM);
    // An mbox needs a blank line before the next `From `.
    out.push(...own, '');
    parts.push({ ...input, firstLine: line + added, added, lineCount: own.length });
    line += added + own.length + 1;
    text = '';
  }
  return { text: out.join('\n'), parts };
}

/** Cut the combined result into one result per part, with lines and message indexes of the part's own text. */
export function splitSeriesResult(r: AnalysisResult, g: SeriesGroup): AnalysisResult[] {
  return g.parts.map((part) => {
    const lo = part.firstLine;
    const hi = part.firstLine + part.lineCount - 1;
    const inPart = (l: number | null | undefined): boolean => typeof l === 'number' && l >= lo && l <= hi;
    const mv = (l: number): number => l - lo + 1;
    const msgs = r.messages.filter((m) => inPart(m.subjectLine ?? m.startLine) || (m.startLine <= hi && m.endLine >= lo));
    const renum = new Map(msgs.map((m, i) => [m.index, i]));
    const step = (s: TraceStep): TraceStep => (inPart(s.line) ? { ...s, line: mv(s.line) } : s);
    const findings: Finding[] = r.findings
      .filter((f) => inPart(f.line))
      .map((f) => ({
        ...f,
        path: part.path,
        line: mv(f.line),
        endLine: inPart(f.endLine) ? mv(f.endLine) : mv(f.line),
        trace: f.trace.map(step),
        ...(f.messageIndex !== undefined && renum.has(f.messageIndex) ? { messageIndex: renum.get(f.messageIndex)! } : {}),
        ...(f.fix ? { fix: { ...f.fix, line: mv(f.fix.line), endLine: mv(f.fix.endLine) } } : {}),
      }));
    const messages = msgs.map((m) => ({
      ...m,
      index: renum.get(m.index)!,
      startLine: Math.max(1, mv(m.startLine)),
      endLine: Math.min(part.lineCount, mv(m.endLine)),
      subjectLine: m.subjectLine === null ? null : mv(m.subjectLine),
      files: m.files.map((f) => ({ ...f, headerLine: mv(f.headerLine), hunks: f.hunks.map((h) => ({ ...h, headerLine: mv(h.headerLine) })) })),
    }));
    const functions = r.functions
      .filter((f) => inPart(f.line))
      .map((f) => ({ ...f, line: mv(f.line), endLine: inPart(f.endLine) ? mv(f.endLine) : mv(f.line), messageIndex: renum.get(f.messageIndex) ?? f.messageIndex, ...(f.pathTraces ? { pathTraces: f.pathTraces.map((t) => t.map(step)) } : {}) }));
    const facts = r.facts.filter((f) => inPart(f.line)).map((f) => ({ ...f, path: part.path, line: mv(f.line), endLine: inPart(f.endLine) ? mv(f.endLine) : mv(f.line) }));
    const errors = r.errors.filter((e) => e.line === null ? part === g.parts[0] : inPart(e.line)).map((e) => ({ ...e, path: part.path, line: e.line === null ? null : mv(e.line) }));
    return {
      path: part.path,
      messages,
      facts,
      findings,
      functions,
      errors,
      stats: { bytes: part.text.length, messages: messages.length, fragments: 0, functions: functions.length, ms: part === g.parts[0] ? r.stats.ms : 0 },
    };
  });
}
