/**
 * Small, dependency-free readers used by the bench and examples tests: split an
 * mbox on its `From ` separators, read headers, decode quoted-printable bodies,
 * and check that every `@@ -a,b +c,d @@` header announces exactly the lines that
 * follow it. Deliberately independent of src/ (the project's own mail and patch
 * layers are what these files are meant to exercise).
 */

export interface RawMessage {
  /** 1-based line of the message's first line in the document. */
  startLine: number;
  separator: string | null;
  headers: Map<string, string>;
  /** Body lines, quoted-printable decoded when the headers say so. */
  body: string[];
  /** 1-based document line of body[0]; meaningful only for bodies that were not decoded. */
  bodyLine: number;
  decoded: boolean;
}

/** `From <sender> <asctime>`, as mbox separators are written (git uses a fixed date). */
export const MBOX_SEPARATOR = /^From \S+ (Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

export function splitMbox(text: string): RawMessage[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (MBOX_SEPARATOR.test(l) && (i === 0 || lines[i - 1] === '')) starts.push(i);
  });
  if (starts.length === 0) starts.push(0);
  return starts.map((s, k) => readMessage(lines.slice(s, k + 1 < starts.length ? starts[k + 1] : lines.length), s + 1));
}

export function readMessage(lines: string[], startLine = 1): RawMessage {
  let i = 0;
  let separator: string | null = null;
  if (MBOX_SEPARATOR.test(lines[0] ?? '')) separator = lines[i++];
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const l = lines[i];
    if (/^[ \t]/.test(l) && last) headers.set(last, `${headers.get(last)} ${l.trim()}`);
    else {
      const m = /^([!-9;-~]+):\s?(.*)$/.exec(l);
      if (!m) break;
      last = m[1].toLowerCase();
      headers.set(last, m[2]);
    }
  }
  const bodyStart = i + 1;
  let body = lines.slice(bodyStart);
  const qp = /quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '');
  if (qp) body = decodeQuotedPrintable(body.join('\n')).split('\n');
  return { startLine, separator, headers, body, bodyLine: startLine + bodyStart, decoded: qp };
}

export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export interface HunkCheck {
  /** Index in the line array given (0-based) of the `@@` header. */
  at: number;
  header: string;
  quoteDepth: number;
  oldCount: number;
  newCount: number;
  seenOld: number;
  seenNew: number;
  /** Problems; empty when the header's counts match the lines exactly. */
  problems: string[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Remove `depth` levels of `>` quoting (`> `, `>`, `> > `). */
function unquote(line: string): { depth: number; text: string } {
  let depth = 0;
  let at = 0;
  while (line[at] === '>') {
    depth++;
    at++;
    if (line[at] === ' ') at++;
  }
  return { depth, text: line.slice(at) };
}

/**
 * Every hunk header in `lines` (at quote depth ≤ maxDepth), with the lines that
 * follow counted the way git apply counts them: ' ' and an empty line are context,
 * '-' old only, '+' new only, '\' (no newline marker) neither. After the counts
 * are used up, the next line must not look like more hunk body.
 */
export function checkHunks(lines: string[], maxDepth = 0): HunkCheck[] {
  const out: HunkCheck[] = [];
  for (let i = 0; i < lines.length; i++) {
    const q = unquote(lines[i]);
    if (q.depth > maxDepth) continue;
    const m = HUNK.exec(q.text);
    if (!m) continue;
    const oldCount = m[2] === undefined ? 1 : Number(m[2]);
    const newCount = m[4] === undefined ? 1 : Number(m[4]);
    const c: HunkCheck = { at: i, header: q.text, quoteDepth: q.depth, oldCount, newCount, seenOld: 0, seenNew: 0, problems: [] };
    let j = i + 1;
    for (; j < lines.length && (c.seenOld < oldCount || c.seenNew < newCount); j++) {
      const l = unquote(lines[j]);
      if (l.depth !== q.depth) {
        c.problems.push(`line ${j + 1}: quote depth changes inside the hunk`);
        break;
      }
      const k = l.text[0];
      if (l.text === '' || k === ' ') {
        c.seenOld++;
        c.seenNew++;
      } else if (k === '-') c.seenOld++;
      else if (k === '+') c.seenNew++;
      else if (k === '\\') continue;
      else {
        c.problems.push(`line ${j + 1}: "${l.text}" is not a hunk line`);
        break;
      }
    }
    if (c.seenOld !== oldCount || c.seenNew !== newCount) c.problems.push(`header says -${oldCount} +${newCount}, body has -${c.seenOld} +${c.seenNew}`);
    else if (j < lines.length) {
      const next = unquote(lines[j]);
      if (next.depth === q.depth && /^[+\- ]/.test(next.text) && !/^(-- ?$|--- |\+\+\+ )/.test(next.text))
        c.problems.push(`line ${j + 1}: "${next.text}" follows the hunk but the header's counts are used up`);
    }
    out.push(c);
  }
  return out;
}
