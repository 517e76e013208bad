/**
 * The mail layer: turn the text of a document as the user opened it (an mbox,
 * a single .eml, git format-patch output, a page copied from a web archive,
 * or a bare diff / C file) into Messages whose body lines keep their place in
 * that document.
 *
 * Which kind of document it is, is read from the content:
 *   1. the first non-blank line is an mbox `From ` line   → mbox (one or more RFC 2822 messages, mboxrd unescaping)
 *   2. it starts with a header block ended by a blank line that carries
 *      transport/MIME fields (MIME-Version, Content-Type, Received...)  → one .eml message
 *   3. otherwise it is a page: messages begin at header blocks (`From:` plus
 *      `Date:`/`Subject:`/`To:`...), at patchew's "Posted by NAME N ago" lines
 *      or at an mbox `From ` line followed by headers; archive chrome (lore's
 *      thread overview, lkml.iu.edu / marc navigation) is kept out of bodies;
 *      without any of these the whole document is one message.
 *
 * Everything is linear in the size of the document: one split into lines,
 * one pass to find messages, one pass per MIME level over a message.
 */
import type { InputError, Message } from '../model';
import { type HeaderField, KNOWN_HEADERS, field, headerColon, isBlank, mailHeaders, readHeaderBlock } from './headers';
import { type BodySink, readBody, warn } from './mime';
import { looksLikeSubject, parseSubject } from './subject';

export { splitQuote } from './quote';
export { parseSubject } from './subject';

/** Split into lines by LF, dropping the CR of CRLF; a final LF does not open an empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  if (lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines;
}

const FROM_LINE_RE = /^From \S+ .*\d:\d\d/;

/** An mbox separator line: `From 1234abcd Mon Sep 17 00:00:00 2001`, `From user@host Tue Oct  1 12:00:00 2024`. */
export function isFromLine(t: string): boolean {
  if (t.charCodeAt(0) !== 70 || !t.startsWith('From ')) return false;
  return FROM_LINE_RE.test(t.length > 200 ? t.slice(0, 200) : t);
}

/** Fields that only a real (raw) mail carries; a web rendering shows none of them. */
const RAW_MAIL_FIELDS = ['mime-version', 'content-type', 'content-transfer-encoding', 'received', 'return-path', 'delivered-to', 'dkim-signature', 'x-mailer', 'x-received'];

export function readMailDocument(text: string, path: string): { messages: Message[]; errors: InputError[] } {
  const errors: InputError[] = [];
  let lines: string[] = [];
  try {
    lines = splitLines(typeof text === 'string' ? text : String(text ?? ''));
    let first = 0;
    while (first < lines.length && isBlank(lines[first])) first++;
    if (first >= lines.length) {
      errors.push({ path, line: null, code: 'no-message', message: `${path}: the document is empty; there is no mail in it` });
      return { messages: [], errors };
    }
    if (isFromLine(lines[first])) return { messages: readMbox(lines, first, path), errors };
    if (headerColon(lines[first]) > 0) {
      const block = readHeaderBlock(lines, first, lines.length);
      if (block.blankEnded && RAW_MAIL_FIELDS.some((n) => field(block.fields, n))) {
        return { messages: [rfcMessage(lines, path, 0, first, lines.length - 1, false)], errors };
      }
    }
    return { messages: readPage(lines, path), errors };
  } catch (e) {
    // A bug here must not cost the user the analysis: fall back to one message holding every line.
    errors.push({ path, line: null, code: 'mail-internal-error', message: `${path}: the mail reader failed (${(e as Error)?.message ?? e}); the document is read as plain text` });
    return { messages: [plainMessage(lines)], errors };
  }
}

function emptyMessage(index: number, startLine: number, endLine: number): Message {
  return { index, headers: {}, subject: null, startLine, endLine, subjectLine: null, body: [], attachments: [], warnings: [] };
}

function sinkFor(m: Message, lines: string[], path: string, mboxrd: boolean): BodySink {
  return { path, lines, mboxrd, body: m.body, attachments: m.attachments, warnings: m.warnings };
}

function plainMessage(lines: string[]): Message {
  const m = emptyMessage(0, 1, Math.max(1, lines.length));
  for (let i = 0; i < lines.length; i++) m.body.push({ docLine: i + 1, docColumn: 1, text: lines[i], quoteDepth: 0 });
  return m;
}

// ------------------------------------------------------------------ RFC 2822 / mbox

/**
 * One RFC 2822 message whose headers start at line `headerStart` (0-based);
 * the message covers lines [startIdx, lastIdx].
 */
function rfcMessage(lines: string[], path: string, index: number, startIdx: number, lastIdx: number, mboxrd: boolean, headerStart = startIdx): Message {
  const m = emptyMessage(index, startIdx + 1, lastIdx + 1);
  const sink = sinkFor(m, lines, path, mboxrd);
  const end = lastIdx + 1;
  const block = readHeaderBlock(lines, headerStart, end);
  const { headers, subjectLine } = mailHeaders(block.fields);
  m.headers = headers;
  m.subjectLine = subjectLine;
  m.subject = headers.subject !== undefined ? parseSubject(headers.subject) : null;
  if (block.fields.length === 0 && headerStart < end) {
    warn(sink, headerStart + 1, 'no-headers', 'the message has no header block; it is read as plain text');
  }
  if (!block.blankEnded && block.end >= end && block.fields.length > 0) {
    warn(sink, lastIdx + 1, 'no-body', 'the message ends inside its headers (truncated mail?); it has no body');
    return m;
  }
  const bodyStart = block.blankEnded ? block.end + 1 : block.end;
  readBody(sink, block.fields, bodyStart, end, headerStart + 1);
  if (m.body.length === 0 && m.attachments.some((a) => a.contentType === 'text/html')) {
    warn(sink, headerStart + 1, 'html-only', 'the message has only an HTML part; mmlens reads plain-text parts, so nothing of it is checked');
  }
  return m;
}

function readMbox(lines: string[], first: number, path: string): Message[] {
  const n = lines.length;
  const seps: number[] = [first];
  for (let i = first + 1; i < n; i++) {
    const t = lines[i];
    if (t.charCodeAt(0) !== 70 || !isFromLine(t)) continue;
    // A separator follows a blank line; tolerate a missing blank when headers follow.
    if (isBlank(lines[i - 1]) || (i + 1 < n && headerColon(lines[i + 1]) > 0)) seps.push(i);
  }
  const messages: Message[] = [];
  for (let k = 0; k < seps.length; k++) {
    const s = seps[k];
    let last = (k + 1 < seps.length ? seps[k + 1] : n) - 1;
    // The blank line before the next `From ` belongs to the mbox, not to the message.
    if (last > s && isBlank(lines[last])) last--;
    messages.push(rfcMessage(lines, path, k, s, last, true, s + 1));
  }
  return messages;
}

// ------------------------------------------------------------------ web-archive pages

interface Marker {
  /** First line of the message (0-based). */
  start: number;
  /** Line holding the subject when the page shows it outside a header block. */
  subject: number | null;
  fields: HeaderField[];
  bodyStart: number;
  /** 1-based line the message's headers start on (for warnings). */
  headerLine: number;
  postedBy: string | null;
}

const MAIL_FIELDS = new Set(['from', 'subject', 'date', 'to', 'message-id']);

/** A header block worth starting a message: a `From:` and at least one other mail field. */
function beginsMessage(fields: HeaderField[]): boolean {
  let from = false;
  let other = false;
  for (const f of fields) {
    if (f.name === 'from') from = true;
    else if (f.name === 'date' || f.name === 'subject' || f.name === 'to' || f.name === 'cc' || f.name === 'message-id' || f.name === 'sent' || f.name === 'in-reply-to') other = true;
  }
  return from && other;
}

const TIME_UNIT = /^(?:second|sec|minute|min|hour|hr|day|week|month|year)s?,?$/i;
const QUALIFIER = /^(?:about|over|almost|less|more|than|just|nearly)$/i;

/** patchew: `Posted by Peter Zijlstra 4 days ago` → "Peter Zijlstra"; null when the line is not one. */
export function postedBy(t: string): string | null {
  if (t.charCodeAt(0) !== 80 || !t.startsWith('Posted by ') || t.length > 300) return null;
  const s = t.replace(/[\u00a0\u202f]/g, ' ').trimEnd();
  if (!s.endsWith(' ago')) return null;
  const words = s.slice('Posted by '.length, s.length - ' ago'.length).trim().split(/ +/);
  // Take the time phrase off the end ("3 days, 21 hours", "a day", "about an hour"); the rest is the name.
  let n = words.length;
  let unitSeen = false;
  let quantitySeen = false;
  while (n > 1) {
    const w = words[n - 1];
    if (TIME_UNIT.test(w)) unitSeen = true;
    else if (/^\d+,?$/.test(w) || (unitSeen && /^an?$/i.test(w))) quantitySeen = true;
    else if (quantitySeen && QUALIFIER.test(w)) {
      // "about", "over"... before a quantity
    } else break;
    n--;
  }
  if (!unitSeen && !quantitySeen) return null;
  const name = words.slice(0, n).join(' ');
  return name === '' ? null : name;
}

/** Navigation lines of list archives: `[Date Prev][Date Next][Thread Prev]...`, `[prev in list] [next in list]`. */
function isNavLine(t: string): boolean {
  const s = t.trimStart();
  if (s.charCodeAt(0) !== 91) return false;
  return /^\[(?:date|thread|prev|next|download)\b[^\]]{0,40}\]/i.test(s);
}

/** First body line after blank and navigation lines (bounded: a page shows a few of them at most). */
function skipNav(lines: string[], from: number, end: number): number {
  let i = from;
  while (i < end && i - from < 12 && (isBlank(lines[i]) || isNavLine(lines[i]))) i++;
  return i < end && (isBlank(lines[i]) || isNavLine(lines[i])) ? from : i;
}

/** Archive chrome that ends a message's body: lore's thread overview and permalinks, lkml.iu.edu's index. */
function isTrailer(t: string): boolean {
  let k = 0;
  while (k < t.length && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9 || t.charCodeAt(k) === 0xa0)) k++;
  const c = t.charCodeAt(k);
  if (c !== 91 && c !== 84 && c !== 94 && c !== 112 && c !== 114) return false; // [ T ^ p(arent reply) r(eply)
  const s = k === 0 ? t : t.slice(k); // pages often carry non-breaking spaces; \s below matches them too
  if (c === 91) return /^\[Index\sof\sArchives\]/.test(s);
  if (c === 84) return /^Thread\soverview:/.test(s);
  if (c === 94) return /^\^\spermalink\sraw\sreply/.test(s);
  return s.length < 300 && s.includes('other threads:[~');
}

/** End (exclusive) of a body that starts at `from`: the first trailer line, else `end`. */
function trailerCut(lines: string[], from: number, end: number): number {
  for (let i = from; i < end; i++) if (isTrailer(lines[i])) return i;
  return end;
}

function findMarkers(lines: string[]): Marker[] {
  const n = lines.length;
  const markers: Marker[] = [];
  let lastBodyStart = 0;
  let firstLine = 0;
  while (firstLine < n && isBlank(lines[firstLine])) firstLine++;
  /** The nearest subject-like line above `i` (over at most 2 blank lines) that no earlier message body owns. */
  const subjectAbove = (i: number): number | null => {
    let j = i - 1;
    let blanks = 0;
    while (j >= lastBodyStart && isBlank(lines[j]) && blanks < 2) {
      j--;
      blanks++;
    }
    return j >= lastBodyStart && j >= 0 && looksLikeSubject(lines[j]) ? j : null;
  };
  let i = 0;
  while (i < n) {
    const t = lines[i];
    const c = t.charCodeAt(0);
    if (c === 62 || t.length === 0) {
      i++;
      continue;
    }
    if (c === 80) {
      const name = postedBy(t);
      if (name !== null) {
        // The subject is the line above "Posted by".
        let j = i - 1;
        while (j >= lastBodyStart && isBlank(lines[j])) j--;
        const subject = j >= lastBodyStart && j >= 0 ? j : null;
        markers.push({ start: subject ?? i, subject, fields: [], bodyStart: i + 1, headerLine: i + 1, postedBy: name });
        lastBodyStart = i + 1;
        i++;
        continue;
      }
    }
    if (c === 70 && i + 1 < n && isFromLine(t) && headerColon(lines[i + 1]) > 0) {
      const block = readHeaderBlock(lines, i + 1, n, 500);
      const bodyStart = block.blankEnded ? block.end + 1 : block.end;
      markers.push({ start: i, subject: null, fields: block.fields, bodyStart, headerLine: i + 2, postedBy: null });
      lastBodyStart = bodyStart;
      i = Math.max(i + 1, block.end);
      continue;
    }
    const colon = headerColon(t);
    if (colon > 0 && KNOWN_HEADERS.has(t.slice(0, colon).toLowerCase())) {
      const block = readHeaderBlock(lines, i, n, 500);
      // A header block on the very first line of a mail's body is that mail's in-body header (git's
      // `From:`/`Date:` for the author), not a new mail.
      const inBody = markers.length > 0 && i === lastBodyStart;
      // At the top of the document, a blank-ended block with any mail field is the mail's header.
      const top = i === firstLine && block.blankEnded;
      if (!inBody && (beginsMessage(block.fields) || (top && block.fields.some((f) => MAIL_FIELDS.has(f.name))))) {
        const subject = field(block.fields, 'subject') ? null : subjectAbove(i);
        const bodyStart = block.blankEnded ? block.end + 1 : block.end;
        markers.push({ start: subject ?? i, subject, fields: block.fields, bodyStart, headerLine: i + 1, postedBy: null });
        lastBodyStart = bodyStart;
      }
      i = Math.max(i + 1, block.end);
      continue;
    }
    i++;
  }
  return markers;
}

/** Lines above the first message that are page chrome (a title, a banner, "X posted 4 patches") rather than content. */
function isPageTop(lines: string[], end: number): boolean {
  let content = 0;
  for (let i = 0; i < end; i++) {
    const t = lines[i];
    if (isBlank(t)) continue;
    if (t.charCodeAt(0) === 62) return false;
    if (++content > 6) return false;
  }
  return true;
}

function readPage(lines: string[], path: string): Message[] {
  const n = lines.length;
  const markers = findMarkers(lines);
  const messages: Message[] = [];

  if (markers.length === 0) {
    // One message: an optional subject line, navigation, then the text; or a bare diff / C file.
    let f = 0;
    while (f < n && isBlank(lines[f])) f++;
    const m = emptyMessage(0, 1, n);
    let bodyStart = 0;
    if (f < n && looksLikeSubject(lines[f])) {
      m.headers.subject = lines[f].trim();
      m.subject = parseSubject(m.headers.subject);
      m.subjectLine = f + 1;
      bodyStart = f + 1;
      while (bodyStart < n && isBlank(lines[bodyStart])) bodyStart++;
      bodyStart = skipNav(lines, bodyStart, n);
    }
    const end = trailerCut(lines, bodyStart, n);
    m.endLine = Math.max(m.startLine, end);
    readBody(sinkFor(m, lines, path, false), [], bodyStart, end, 1);
    return [m];
  }

  let pageSubject: number | null = null;
  if (markers[0].start > 0) {
    if (isPageTop(lines, markers[0].start)) {
      // Page chrome above the first mail belongs to it; its first line may be the subject.
      let f = 0;
      while (f < markers[0].start && isBlank(lines[f])) f++;
      if (f < markers[0].start && looksLikeSubject(lines[f])) pageSubject = f;
      markers[0].start = 0;
    } else {
      // Text of its own before the first mail: a message without headers.
      const m = emptyMessage(0, 1, markers[0].start);
      const end = trailerCut(lines, 0, markers[0].start);
      readBody(sinkFor(m, lines, path, false), [], 0, end, 1);
      messages.push(m);
    }
  }

  for (let k = 0; k < markers.length; k++) {
    const mk = markers[k];
    const next = k + 1 < markers.length ? markers[k + 1].start : n;
    const m = emptyMessage(messages.length, mk.start + 1, Math.max(mk.start + 1, next));
    const { headers, subjectLine } = mailHeaders(mk.fields);
    m.headers = headers;
    m.subjectLine = subjectLine;
    const subjectIdx = mk.subject ?? (k === 0 ? pageSubject : null);
    if (headers.subject === undefined && subjectIdx !== null) {
      headers.subject = lines[subjectIdx].replace(/\s+/g, ' ').trim();
      m.subjectLine = subjectIdx + 1;
    }
    if (mk.postedBy !== null && headers.from === undefined) headers.from = mk.postedBy;
    m.subject = headers.subject !== undefined ? parseSubject(headers.subject) : null;
    const bodyStart = mk.fields.length > 0 ? skipNav(lines, Math.min(mk.bodyStart, next), next) : Math.min(mk.bodyStart, next);
    const end = trailerCut(lines, bodyStart, next);
    m.endLine = Math.max(m.startLine, end);
    readBody(sinkFor(m, lines, path, false), mk.fields, bodyStart, end, mk.headerLine);
    messages.push(m);
  }
  return messages;
}
