/**
 * Quote prefixes (`> `, `>`, `> > `, `>> `, `>>`) and the SourceLine built
 * from one line of the opened document.
 */
import type { SourceLine } from '../model';

const GT = 62; // '>'
const SP = 32; // ' '

/**
 * Split the quote prefix off a line. Each level is one `>` and at most ONE
 * following space, so a quoted diff context line `>  \tfoo` keeps " \tfoo".
 * A tab after `>` is content (`>\tfoo` → "\tfoo"), and a line that starts with
 * a blank before its first `>` is not quoted.
 */
export function splitQuote(line: string): { depth: number; prefixLength: number } {
  let depth = 0;
  let at = 0;
  while (line.charCodeAt(at) === GT) {
    depth++;
    at++;
    if (line.charCodeAt(at) === SP) at++;
  }
  return { depth, prefixLength: at };
}

/**
 * One body line, as it stands at `docLine`. `offset` is the number of raw
 * characters before `text` that are not shown (the `>` an mboxrd `>From `
 * escape adds), so docColumn still points into the opened document.
 */
export function rawSourceLine(text: string, docLine: number, offset: number): SourceLine {
  // splitQuote, inlined: this runs once per quoted line of every mail.
  let depth = 0;
  let at = 0;
  while (text.charCodeAt(at) === GT) {
    depth++;
    at++;
    if (text.charCodeAt(at) === SP) at++;
  }
  if (depth === 0) return { docLine, docColumn: offset + 1, text, quoteDepth: 0 };
  return { docLine, docColumn: offset + at + 1, text: text.slice(at), quoteDepth: depth };
}

/**
 * A line that came out of a content-transfer decoding. Its column is exact
 * only when the raw line starts with the same quote prefix; otherwise it is 1.
 */
export function decodedSourceLine(text: string, docLine: number, rawLine: string | null, rawOffset: number): SourceLine {
  if (text.charCodeAt(0) !== GT) {
    return { docLine, docColumn: 1, text, quoteDepth: 0, decoded: true };
  }
  const q = splitQuote(text);
  const prefix = text.slice(0, q.prefixLength);
  const column = rawLine !== null && rawLine.startsWith(prefix) ? rawOffset + q.prefixLength + 1 : 1;
  return { docLine, docColumn: column, text: text.slice(q.prefixLength), quoteDepth: q.depth, decoded: true };
}
