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
  let current: { name: string; parts: string[]; line: number } | null = null;
  const flush = (): void => {
    if (current) fields.push({ name: current.name, value: current.parts.length === 1 ? current.parts[0] : current.parts.join(''), line: current.line });
    current = null;
  };
  let i = start;
  let blankEnded = false;
  for (; i < end && i - start < limit; i++) {
    const s = lines[i];
    if (s === '' || isBlank(s)) {
      blankEnded = true;
      break;
    }
    if (current !== null && isContinuation(s)) {
      (current as { parts: string[] }).parts.push(s);
      continue;
    }
    const colon = headerColon(s);
    if (colon < 0) break;
    flush();
    current = { name: s.slice(0, colon).toLowerCase(), parts: [s.slice(colon + 1)], line: i };
  }
  flush();
  return { fields, end: i, blankEnded };
}

export function field(fields: HeaderField[], name: string): HeaderField | undefined {
  for (const f of fields) if (f.name === name) return f;
  return undefined;
}

/** Collapse folding whitespace; drop the decorations web archives add (`(raw)`, `[thread overview]`). */
export function cleanValue(v: string): string {
  let s = v.replace(/\s+/g, ' ').trim();
  for (const tail of [' [thread overview]', '[thread overview]', ' (raw)']) {
    if (s.endsWith(tail)) s = s.slice(0, s.length - tail.length).trimEnd();
  }
  return s;
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

export function mailHeaders(fields: HeaderField[]): { headers: MailHeaders; subjectLine: number | null } {
  const headers: MailHeaders = {};
  let subjectLine: number | null = null;
  const get = (name: string): HeaderField | undefined => field(fields, name);
  const set = (key: keyof MailHeaders, name: string, decode: boolean): void => {
    const f = get(name);
    if (!f) return;
    const v = cleanValue(f.value);
    headers[key] = decode ? decodeWords(v) : v;
  };
  set('from', 'from', true);
  set('to', 'to', true);
  set('subject', 'subject', true);
  set('date', 'date', false);
  set('messageId', 'message-id', false);
  set('inReplyTo', 'in-reply-to', false);
  set('references', 'references', false);
  const s = get('subject');
  if (s) subjectLine = s.line + 1;
  return { headers, subjectLine };
}
