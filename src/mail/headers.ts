/**
 * RFC 2822 header blocks (folded continuation lines) and the MailHeaders the
 * rest of mmlens reads. Lines are given as the array of the document's lines
 * (CR already stripped); every index here is 0-based, doc line = index + 1.
 */
import libmime from 'libmime';
import type { MailHeaders } from '../model';

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** Unfolded raw value (continuation lines joined, not decoded). */
  value: string;
  /** 0-based index of the line the field starts on. */
  line: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** 0-based index of the first line after the block (the blank separator, or the first body line). */
  end: number;
  /** True when the block ended at a blank line, as RFC 2822 wants. */
  blankEnded: boolean;
}

/** Index of the ':' ending a field name at the start of `s`, or -1 when `s` is not a header line. */
export function headerColon(s: string): number {
  const n = s.length < 78 ? s.length : 78;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) return i > 0 ? i : -1;
    if (c <= 32 || c > 126) return -1;
  }
  return -1;
}

export function isContinuation(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c === 32 || c === 9) && s.trim() !== '';
}

export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0 && c !== 0xfeff) return false;
  }
  return true;
}

/** Header names a web rendering shows; a block starting with one of them may begin a message on a page. */
export const KNOWN_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'sent', 'message-id', 'in-reply-to', 'references', 'reply-to', 'sender',
  'organization', 'user-agent', 'list-id', 'mime-version', 'content-type', 'content-transfer-encoding', 'x-mailer',
]);

/**
 * Read a header block starting at `start` (before `end`). It stops at a blank
 * line, or (tolerantly) at the first line that is neither a field nor a
 * continuation. `limit` bounds the number of lines read (a page's header block
 * is short; a real mail's can be long).
 */
export function readHeaderBlock(lines: string[], start: number, end: number, limit = Infinity): HeaderBlock {
  const fields: HeaderField[] = [];
  let name = '';
  let first = '';
  let more: string[] | null = null;
  let line = -1;
  let i = start;
  let blankEnded = false;
  for (; i < end && i - start < limit; i++) {
    const s = lines[i];
    if (s === '' || isBlank(s)) {
      blankEnded = true;
      break;
    }
    if (line >= 0 && isContinuation(s)) {
      if (more === null) more = [first];
      more.push(s);
      continue;
    }
    const colon = headerColon(s);
    if (colon < 0) break;
    if (line >= 0) fields.push({ name, value: more === null ? first : more.join(''), line });
    name = s.slice(0, colon).toLowerCase();
    first = s.slice(colon + 1);
    more = null;
    line = i;
  }
  if (line >= 0) fields.push({ name, value: more === null ? first : more.join(''), line });
  return { fields, end: i, blankEnded };
}

export function field(fields: HeaderField[], name: string): HeaderField | undefined {
  for (const f of fields) if (f.name === name) return f;
  return undefined;
}

/** Collapse folding whitespace; drop the decorations web archives add (`(raw)`, `[thread overview]`). */
export function cleanValue(v: string): string {
  let s = collapseBlanks(v);
  if (s.charCodeAt(s.length - 1) === 93 /* ] */ || s.charCodeAt(s.length - 1) === 41 /* ) */) {
    for (const tail of [' [thread overview]', '[thread overview]', ' (raw)']) {
      if (s.endsWith(tail)) s = s.slice(0, s.length - tail.length).trimEnd();
    }
  }
  return s;
}

/** Whitespace that is not a single space (folds, tabs, runs of blanks). */
const NEEDS_COLLAPSE = /[\t\n\r\v\f\u00a0]| {2}/;

/** Trim; when the value holds a fold, a tab or a run of blanks, turn every run of whitespace into one space. */
export function collapseBlanks(v: string): string {
  return NEEDS_COLLAPSE.test(v) ? v.replace(/\s+/g, ' ').trim() : v.trim();
}

/** Decode RFC 2047 encoded-words; a broken word is left as written. */
export function decodeWords(v: string): string {
  if (v.indexOf('=?') < 0) return v;
  try {
    return libmime.decodeWords(v).replace(/\s+/g, ' ').trim();
  } catch {
    return v;
  }
}

const HEADER_KEYS: Record<string, keyof MailHeaders> = {
  from: 'from',
  to: 'to',
  subject: 'subject',
  date: 'date',
  'message-id': 'messageId',
  'in-reply-to': 'inReplyTo',
  references: 'references',
};

export function mailHeaders(fields: HeaderField[]): { headers: MailHeaders; subjectLine: number | null } {
  const headers: MailHeaders = {};
  let subjectLine: number | null = null;
  for (const f of fields) {
    const key = HEADER_KEYS[f.name];
    if (key === undefined || headers[key] !== undefined) continue; // the first of repeated fields wins
    const v = cleanValue(f.value);
    headers[key] = key === 'from' || key === 'to' || key === 'subject' ? decodeWords(v) : v;
    if (key === 'subject') subjectLine = f.line + 1;
  }
  return { headers, subjectLine };
}
