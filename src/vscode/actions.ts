/**
 * Code actions as data: the safe fix a finding carries, and "Ignore this rule
 * here", which writes `suppressionComment(rule)` on a new line above the
 * finding. Inside a hunk the new line is an added (`+`) line behind the same
 * quote prefix and indentation, and the hunk header's new-side count is bumped,
 * so the mail stays a valid (quoted) diff that still applies.
 */
import type { AnalysisResult, Finding } from '../model';
import { suppressionComment } from '../suppress';
import { rng, type CodeActionSpec, type DocLike, type TextEditSpec } from './types';

const QUOTE = /^((?:>[ \t]?)*)/;
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;
const MAX_SCAN = 20000;

export interface LinePrefix {
  quote: string;
  /** The diff marker when the line is inside a hunk, else null. */
  marker: '+' | '-' | ' ' | null;
  indent: string;
  /** 0-based line of the hunk header when inside a hunk. */
  hunkHeaderLine: number | null;
}

/** Split a line into quote prefix, diff marker (only when a hunk header is found above), and indentation. */
export function linePrefix(doc: DocLike, line: number): LinePrefix {
  const text = doc.lineAt(line);
  const quote = QUOTE.exec(text)![1];
  const rest = text.slice(quote.length);
  let hunkHeaderLine: number | null = null;
  if (/^[+\- ]/.test(rest) || rest === '') {
    for (let i = line - 1; i >= 0 && line - i < MAX_SCAN; i--) {
      const t = doc.lineAt(i);
      const q = QUOTE.exec(t)![1];
      const r = t.slice(q.length);
      if (q.trimEnd() === quote.trimEnd() && HUNK_HEADER.test(r)) {
        hunkHeaderLine = i;
        break;
      }
      // Hunk bodies only hold marker lines, "\ No newline", and blank (trimmed context) lines.
      if (q.trimEnd() !== quote.trimEnd() || !(r === '' || /^[+\- \\]/.test(r)) || /^(?:\+\+\+|---) /.test(r)) break;
    }
  }
  if (hunkHeaderLine !== null) {
    const marker = (rest[0] ?? ' ') as '+' | '-' | ' ';
    const indent = /^[ \t]*/.exec(rest.slice(1))![0];
    return { quote, marker, indent, hunkHeaderLine };
  }
  return { quote, marker: null, indent: /^[ \t]*/.exec(rest)![0], hunkHeaderLine: null };
}

/** The edits that insert a suppression comment above a 0-based line. */
export function suppressionEdits(doc: DocLike, line: number, rule: string): TextEditSpec[] {
  const p = linePrefix(doc, line);
  const comment = suppressionComment(rule);
  const edits: TextEditSpec[] = [];
  if (p.marker !== null && p.hunkHeaderLine !== null) {
    edits.push({ range: rng(line, 0, line, 0), newText: `${p.quote}+${p.indent}${comment}\n` });
    const header = doc.lineAt(p.hunkHeaderLine);
    const body = header.slice(p.quote.length);
    const m = HUNK_HEADER.exec(body)!;
    // `+start,count` → `+start,count+1`; `+start` (count 1) → `+start,2`.
    const plusAt = p.quote.length + body.indexOf(` +${m[1]}`) + 2;
    const countText = m[2] !== undefined ? `,${m[2]}` : '';
    const newCount = (m[2] !== undefined ? Number(m[2]) : 1) + 1;
    const from = plusAt + m[1].length;
    edits.push({ range: rng(p.hunkHeaderLine, from, p.hunkHeaderLine, from + countText.length), newText: `,${newCount}` });
  } else {
    edits.push({ range: rng(line, 0, line, 0), newText: `${p.quote}${p.indent}${comment}\n` });
  }
  return edits;
}

/** Code actions for the findings (by index into result.findings) under the cursor. */
export function codeActionsFor(doc: DocLike, result: AnalysisResult, findingIndexes: readonly number[]): CodeActionSpec[] {
  const out: CodeActionSpec[] = [];
  const ignored = new Set<string>();
  for (const i of findingIndexes) {
    const f = result.findings[i];
    if (!f) continue;
    if (f.fix && f.fix.safety === 'safe') {
      const range = rng(f.fix.line - 1, f.fix.column - 1, f.fix.endLine - 1, f.fix.endColumn - 1);
      out.push({ title: `mmlens: ${f.fix.description}`, kind: 'quickfix', edits: [{ range, newText: f.fix.replacement }], isPreferred: true, findingIndexes: [i] });
    }
  }
  for (const i of findingIndexes) {
    const f = result.findings[i];
    if (!f) continue;
    const key = `${f.rule}@${f.line}`;
    if (ignored.has(key)) continue;
    ignored.add(key);
    out.push({ title: `mmlens: Ignore ${f.rule} here`, kind: 'quickfix', edits: suppressionEdits(doc, f.line - 1, f.rule), findingIndexes: [i] });
  }
  return out;
}
