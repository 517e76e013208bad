/**
 * MIME bodies: multipart (nested), quoted-printable, base64, charsets. Text
 * parts become body lines that still point at the document's lines; binary
 * parts are listed as attachments and never read as text.
 *
 * Decoding is done by libqp / libbase64 / TextDecoder (charset names through
 * libmime); this file only keeps the map from decoded lines to raw lines.
 */
import libmime from 'libmime';
import { decode as qpDecode } from 'libqp';
import { decode as b64Decode } from 'libbase64';
import { TextDecoder } from 'node:util';
import type { Attachment, InputError, SourceLine } from '../model';
import { type HeaderField, field, readHeaderBlock, cleanValue, decodeWords } from './headers';
import { decodedSourceLine, rawSourceLine } from './quote';

/** What a message's body is being read into. */
export interface BodySink {
  path: string;
  lines: string[];
  /** mboxrd: `>From ` (any number of `>`) in a body loses one `>`. */
  mboxrd: boolean;
  body: SourceLine[];
  attachments: Attachment[];
  warnings: InputError[];
}

const MAX_DEPTH = 16;

/** Body types whose content is text worth reading even when they are attachments. */
const TEXT_APPLICATION = new Set(['application/x-patch', 'application/x-diff', 'application/patch', 'application/diff']);

export function warn(sink: BodySink, line: number | null, code: string, message: string): void {
  sink.warnings.push({ path: sink.path, line, code, message: `${sink.path}${line !== null ? `:${line}` : ''}: ${message}` });
}

/** The raw text of line `i` with the mboxrd `>From ` escape undone, and how many characters were dropped. */
function rawLine(sink: BodySink, i: number): { text: string; offset: number } {
  const t = sink.lines[i];
  if (sink.mboxrd && t.charCodeAt(0) === 62 && isEscapedFrom(t)) return { text: t.slice(1), offset: 1 };
  return { text: t, offset: 0 };
}

export function isEscapedFrom(t: string): boolean {
  let k = 0;
  while (t.charCodeAt(k) === 62) k++;
  return k > 0 && t.startsWith('From ', k);
}

interface ContentInfo {
  type: string;
  params: Record<string, string>;
  encoding: string;
  disposition: string | null;
  filename: string | null;
}

const PLAIN_INFO: ContentInfo = Object.freeze({ type: 'text/plain', params: Object.freeze({}) as Record<string, string>, encoding: '7bit', disposition: null, filename: null });

function contentInfo(fields: HeaderField[], defaultType: string): ContentInfo {
  if (defaultType === 'text/plain' && !fields.some((f) => f.name.startsWith('content-'))) return PLAIN_INFO;
  let type = defaultType;
  let params: Record<string, string> = {};
  const ct = field(fields, 'content-type');
  if (ct) {
    try {
      const parsed = libmime.parseHeaderValue(cleanValue(ct.value));
      const v = String(parsed.value || '').trim().toLowerCase();
      if (v.includes('/')) type = v;
      params = {};
      for (const [k, val] of Object.entries(parsed.params ?? {})) params[k.toLowerCase()] = String(val);
    } catch {
      // Leave the default type.
    }
  }
  const cte = field(fields, 'content-transfer-encoding');
  const encoding = cte ? cleanValue(cte.value).toLowerCase() : '7bit';
  let disposition: string | null = null;
  let filename: string | null = null;
  const cd = field(fields, 'content-disposition');
  if (cd) {
    try {
      const parsed = libmime.parseHeaderValue(cleanValue(cd.value));
      disposition = String(parsed.value || '').trim().toLowerCase() || null;
      const p = parsed.params ?? {};
      if (p.filename) filename = decodeWords(String(p.filename));
    } catch {
      // No disposition.
    }
  }
  if (!filename && params.name) filename = decodeWords(params.name);
  return { type, params, encoding, disposition, filename };
}

/** Build a charset decoder; an unknown charset falls back to UTF-8 with a warning. */
function charsetDecoder(sink: BodySink, charset: string | undefined, line: number): (b: Buffer, start: number, end: number) => string {
  const name = (charset ?? '').trim().toLowerCase();
  const utf8 = (b: Buffer, s: number, e: number): string => b.toString('utf8', s, e);
  if (name === '' || name === 'utf-8' || name === 'utf8' || name === 'us-ascii' || name === 'ascii') return utf8;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(libmime.normalizeCharset(name));
  } catch {
    try {
      decoder = new TextDecoder(name);
    } catch {
      warn(sink, line, 'unknown-charset', `unknown charset "${charset}"; the part is read as UTF-8`);
      return utf8;
    }
  }
  return (b, s, e) => decoder.decode(b.subarray(s, e));
}

/**
 * Read the body of an entity whose header fields are known: the lines
 * [start, end) of the document. `headerLine` is the 1-based doc line where the
 * entity's headers start (used for warnings and attachments).
 */
export function readBody(sink: BodySink, fields: HeaderField[], start: number, end: number, headerLine: number, depth = 0, defaultType = 'text/plain'): void {
  const info = contentInfo(fields, defaultType);
  if (depth > MAX_DEPTH) {
    warn(sink, headerLine, 'mime-too-deep', `MIME parts nested deeper than ${MAX_DEPTH} levels; the inner part is not read`);
    return;
  }
  if (info.type.startsWith('multipart/')) {
    readMultipart(sink, info, start, end, headerLine, depth);
    return;
  }
  if ((info.type === 'message/rfc822' || info.type === 'message/global') && isIdentity(info.encoding)) {
    const block = readHeaderBlock(sink.lines, start, end);
    const bodyStart = block.blankEnded ? block.end + 1 : block.end;
    readBody(sink, block.fields, bodyStart, end, start + 1, depth + 1);
    return;
  }
  const isText = (info.type.startsWith('text/') && info.type !== 'text/html') || TEXT_APPLICATION.has(info.type);
  if (!isText) {
    // text/html is text but not read (its alternative text/plain is); everything else is binary.
    sink.attachments.push({ filename: info.filename, contentType: info.type, size: decodedSize(sink, info.encoding, start, end), binary: !info.type.startsWith('text/'), line: headerLine });
    return;
  }
  if (info.filename || info.disposition === 'attachment') {
    sink.attachments.push({ filename: info.filename, contentType: info.type, size: decodedSize(sink, info.encoding, start, end), binary: false, line: headerLine });
  }
  readTextLeaf(sink, info, start, end, headerLine);
}

function isIdentity(encoding: string): boolean {
  return encoding === '7bit' || encoding === '8bit' || encoding === 'binary' || encoding === '';
}

function readTextLeaf(sink: BodySink, info: ContentInfo, start: number, end: number, headerLine: number): void {
  switch (info.encoding) {
    case 'quoted-printable':
      readQuotedPrintable(sink, info.params.charset, start, end, headerLine);
      return;
    case 'base64':
      readBase64(sink, info.params.charset, start, end, headerLine);
      return;
    default:
      if (!isIdentity(info.encoding) && !info.encoding.startsWith('x-')) {
        warn(sink, headerLine, 'unknown-encoding', `unknown Content-Transfer-Encoding "${info.encoding}"; the part is read as written`);
      }
      readRaw(sink, start, end);
  }
}

/** Lines as written: one SourceLine per document line. This is the hot path for plain mail. */
export function readRaw(sink: BodySink, start: number, end: number): void {
  const { lines, body, mboxrd } = sink;
  for (let i = start; i < end; i++) {
    const t = lines[i];
    if (t.charCodeAt(0) !== 62) {
      body.push({ docLine: i + 1, docColumn: 1, text: t, quoteDepth: 0 });
    } else if (mboxrd && isEscapedFrom(t)) {
      body.push(rawSourceLine(t.slice(1), i + 1, 1));
    } else {
      body.push(rawSourceLine(t, i + 1, 0));
    }
  }
}

function isSoftBreak(t: string): boolean {
  let k = t.length - 1;
  while (k >= 0 && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9)) k--;
  return k >= 0 && t.charCodeAt(k) === 61; // '='
}

/**
 * Quoted-printable: raw lines joined by soft breaks (`=` at the end) form one
 * decoded line, which maps to the raw line it starts on.
 */
function readQuotedPrintable(sink: BodySink, charset: string | undefined, start: number, end: number, headerLine: number): void {
  const decode = charsetDecoder(sink, charset, headerLine);
  if (end <= start) return;
  // Fast path: decode the whole part in one call, then hand out one decoded line per logical line
  // (raw lines joined by soft breaks). This holds unless the data encodes line breaks itself (=0A),
  // which the per-line path below handles.
  const raw: string[] = new Array(end - start);
  let logical = 0;
  for (let i = start; i < end; i++) {
    const t = rawLine(sink, i).text;
    raw[i - start] = t;
    if (!isSoftBreak(t)) logical++;
  }
  if (isSoftBreak(raw[raw.length - 1])) logical++;
  const joined = raw.join('\n');
  if (!ENCODED_BREAK.test(joined)) {
    const bytes = qpDecode(Buffer.from(joined, 'utf8'));
    const starts: number[] = [];
    for (let s = 0; ; ) {
      starts.push(s);
      const nl = bytes.indexOf(10, s);
      if (nl < 0) break;
      s = nl + 1;
    }
    if (starts.length === logical) {
      let i = start;
      for (let k = 0; k < starts.length; k++) {
        const s = starts[k];
        let e = k + 1 < starts.length ? starts[k + 1] - 1 : bytes.length;
        if (e > s && bytes[e - 1] === 13) e--;
        const first = rawLine(sink, i);
        sink.body.push(decodedSourceLine(decode(bytes, s, e), i + 1, first.text, first.offset));
        // Move to the raw line after this logical line.
        while (i < end && isSoftBreak(raw[i - start])) i++;
        i++;
      }
      return;
    }
  }
  readQuotedPrintableByLine(sink, decode, start, end);
}

/** `=0A` / `=0D`: a line break written inside quoted-printable data. */
const ENCODED_BREAK = /=0[aAdD]/;

function readQuotedPrintableByLine(sink: BodySink, decode: (b: Buffer, s: number, e: number) => string, start: number, end: number): void {
  let i = start;
  while (i < end) {
    const first = rawLine(sink, i);
    const firstIndex = i;
    i++;
    let joined = first.text;
    if (isSoftBreak(first.text)) {
      const parts = [first.text];
      while (i < end) {
        const r = rawLine(sink, i).text;
        parts.push(r);
        i++;
        if (!isSoftBreak(r)) break;
      }
      joined = parts.join('\n');
    }
    if (joined.indexOf('=') < 0) {
      // Nothing encoded on this line: the text is the raw text.
      sink.body.push(decodedSourceLine(joined, firstIndex + 1, first.text, first.offset));
      continue;
    }
    const bytes = qpDecode(Buffer.from(joined, 'utf8'));
    // An encoded line break (=0A) splits the decoded text; every piece maps to the line it started on.
    let s = 0;
    for (;;) {
      const nl = bytes.indexOf(10, s);
      let e = nl < 0 ? bytes.length : nl;
      if (e > s && bytes[e - 1] === 13) e--;
      if (nl >= 0 || e > s || s === 0) sink.body.push(decodedSourceLine(decode(bytes, s, e), firstIndex + 1, s === 0 ? first.text : null, first.offset));
      if (nl < 0) break;
      s = nl + 1;
      if (s >= bytes.length) break;
    }
  }
}

const BASE64_LINE = /^[A-Za-z0-9+/=_-]*$/;

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61 || c === 45 || c === 95;
}

/**
 * Base64: the decoded bytes are split into lines; a decoded line maps to the
 * raw base64 line holding its first byte.
 */
function readBase64(sink: BodySink, charset: string | undefined, start: number, end: number, headerLine: number): void {
  const chunks: string[] = [];
  /** Base64 characters before each raw line (cumulative), for the byte → raw line map. */
  const before: number[] = [];
  let count = 0;
  let badLine = -1;
  for (let i = start; i < end; i++) {
    const t = sink.lines[i];
    before.push(count);
    let clean = t;
    if (!BASE64_LINE.test(t)) {
      const kept: string[] = [];
      for (let k = 0; k < t.length; k++) {
        const c = t.charCodeAt(k);
        if (isBase64Char(c)) kept.push(t[k]);
        else if (c !== 32 && c !== 9 && badLine < 0) badLine = i;
      }
      clean = kept.join('');
    }
    chunks.push(clean);
    count += clean.length;
  }
  const all = chunks.join('');
  if (badLine >= 0) warn(sink, badLine + 1, 'bad-base64', 'characters that are not base64 in a base64 part; they are skipped');
  if (all.length % 4 !== 0) {
    warn(sink, Math.max(start, end - 1) + 1, 'bad-base64', 'the base64 part is cut short (its length is not a multiple of 4); the last bytes may be lost');
  }
  let bytes: Buffer;
  try {
    bytes = b64Decode(all);
  } catch {
    warn(sink, headerLine, 'bad-base64', 'the base64 part cannot be decoded');
    return;
  }
  const decode = charsetDecoder(sink, charset, headerLine);
  let rawIndex = 0; // index into `before` (relative to start)
  const lastRaw = end - start - 1;
  let s = 0;
  while (s < bytes.length) {
    const nl = bytes.indexOf(10, s);
    let e = nl < 0 ? bytes.length : nl;
    if (e > s && bytes[e - 1] === 13) e--;
    // Base64 character holding the first bits of byte s.
    const ch = Math.floor(s / 3) * 4 + (s % 3);
    while (rawIndex < lastRaw && before[rawIndex + 1] <= ch) rawIndex++;
    const docLine = start + Math.max(0, rawIndex) + 1;
    sink.body.push(decodedSourceLine(decode(bytes, s, e), docLine, null, 0));
    if (nl < 0) break;
    s = nl + 1;
  }
}

/** Size in bytes of a part once decoded (base64 by counting, QP by decoding). */
function decodedSize(sink: BodySink, encoding: string, start: number, end: number): number {
  if (encoding === 'base64') {
    let n = 0;
    let pad = 0;
    for (let i = start; i < end; i++) {
      const t = sink.lines[i];
      for (let k = 0; k < t.length; k++) {
        const c = t.charCodeAt(k);
        if (c === 61) pad++;
        else if (isBase64Char(c)) n++;
      }
    }
    return Math.floor(((n + pad) * 3) / 4) - Math.min(pad, 2);
  }
  if (encoding === 'quoted-printable') {
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(sink.lines[i]);
    return qpDecode(Buffer.from(parts.join('\n'), 'utf8')).length;
  }
  let n = 0;
  for (let i = start; i < end; i++) n += Buffer.byteLength(sink.lines[i], 'utf8') + 1;
  return Math.max(0, n - 1);
}

/** Does line `t` delimit a part of `boundary`? 1: a part starts, 2: the closing delimiter, 0: no. */
function delimiter(t: string, boundary: string): 0 | 1 | 2 {
  if (t.charCodeAt(0) !== 45 || t.charCodeAt(1) !== 45 || !t.startsWith(boundary, 2)) return 0;
  let k = 2 + boundary.length;
  let close = false;
  if (t.charCodeAt(k) === 45 && t.charCodeAt(k + 1) === 45) {
    close = true;
    k += 2;
  }
  for (; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c !== 32 && c !== 9) return 0;
  }
  return close ? 2 : 1;
}

interface Part {
  fields: HeaderField[];
  headerStart: number;
  bodyStart: number;
  end: number;
  info: ContentInfo;
}

function readMultipart(sink: BodySink, info: ContentInfo, start: number, end: number, headerLine: number, depth: number): void {
  const boundary = info.params.boundary;
  if (!boundary) {
    warn(sink, headerLine, 'missing-boundary', `${info.type} without a boundary parameter; the body is read as plain text`);
    readRaw(sink, start, end);
    return;
  }
  const starts: number[] = [];
  let closeAt = -1;
  for (let i = start; i < end; i++) {
    const t = sink.lines[i];
    if (t.charCodeAt(0) !== 45) continue;
    const d = delimiter(t, boundary);
    if (d === 1) starts.push(i);
    else if (d === 2) {
      closeAt = i;
      break;
    }
  }
  if (starts.length === 0) {
    warn(sink, headerLine, 'truncated-multipart', `${info.type} has no part delimited by "--${boundary}"; the body is read as plain text`);
    readRaw(sink, start, end);
    return;
  }
  if (closeAt < 0) {
    warn(sink, end > start ? end : headerLine, 'truncated-multipart', `${info.type} is not closed by "--${boundary}--" (truncated mail?); the last part runs to the end of the message`);
  }
  const partsEnd = closeAt < 0 ? end : closeAt;
  const defaultType = info.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const parts: Part[] = [];
  for (let k = 0; k < starts.length; k++) {
    const headerStart = starts[k] + 1;
    const pEnd = k + 1 < starts.length ? starts[k + 1] : partsEnd;
    const block = readHeaderBlock(sink.lines, headerStart, pEnd);
    const bodyStart = block.blankEnded ? block.end + 1 : block.end;
    parts.push({ fields: block.fields, headerStart, bodyStart: Math.min(bodyStart, pEnd), end: pEnd, info: contentInfo(block.fields, defaultType) });
  }
  let chosen = parts;
  if (info.type === 'multipart/alternative' && parts.length > 1) {
    // Read one rendering: the plain-text one when there is one (else the first), never all.
    const plain = parts.find((p) => p.info.type === 'text/plain') ?? parts.find((p) => p.info.type.startsWith('multipart/')) ?? parts[0];
    chosen = [plain];
  }
  for (const p of chosen) {
    readBody(sink, p.fields, p.bodyStart, p.end, p.headerStart + 1, depth + 1, defaultType);
  }
}
