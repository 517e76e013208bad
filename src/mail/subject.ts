/**
 * Patch subjects: `Re: [PATCH v4 tip/perf/core 1/4] mm: Convert ...`.
 * Written as small loops over the string (no backtracking regexes), since a
 * subject comes from untrusted input and can be arbitrarily long.
 */
import type { PatchSubject } from '../model';
import { collapseBlanks } from './headers';

/** Reply prefixes (isReply) and forward prefixes (stripped, not a reply). */
const REPLY_WORDS = new Set(['re', 'aw', 'sv', 'antw', 'vs', 'odp', 'res']);
const FORWARD_WORDS = new Set(['fwd', 'fw']);

/** Length of a `Re:` / `Re[2]:` / `AW:` / `Fwd:` prefix at `at` (with the blanks after it), or 0; `reply` tells which. */
function prefixAt(s: string, at: number): { length: number; reply: boolean } {
  let i = at;
  while (i < s.length && i - at < 8) {
    const c = s.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    i++;
  }
  if (i === at) return { length: 0, reply: false };
  const word = s.slice(at, i).toLowerCase();
  const reply = REPLY_WORDS.has(word);
  if (!reply && !FORWARD_WORDS.has(word)) return { length: 0, reply: false };
  // Optional counter: Re[2]:
  if (s.charCodeAt(i) === 91 /* [ */) {
    let j = i + 1;
    while (j < s.length && j - i < 6 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j > i + 1 && s.charCodeAt(j) === 93 /* ] */) i = j + 1;
  }
  while (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) !== 58 /* : */) return { length: 0, reply: false };
  i++;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return { length: i - at, reply };
}

function skipBlanks(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Read one bracket word into the subject being built. */
function takeWord(word: string, out: PatchSubject): void {
  if (word === '') return;
  // v4 / V2
  if ((word[0] === 'v' || word[0] === 'V') && isDigits(word.slice(1))) {
    if (out.version === null) out.version = Number(word.slice(1));
    return;
  }
  // 1/4, 12/11, 01/31
  const slash = word.indexOf('/');
  if (slash > 0 && isDigits(word.slice(0, slash)) && isDigits(word.slice(slash + 1))) {
    if (out.number === null) {
      out.number = Number(word.slice(0, slash));
      out.total = Number(word.slice(slash + 1));
    }
    return;
  }
  // PATCHv2, RFCv3
  const v = word.length > 3 && word.length < 16 ? word.search(/[vV]\d+$/) : -1;
  if (v > 0 && /^(?:PATCH|RFC)$/i.test(word.slice(0, v))) {
    out.tags.push(word.slice(0, v));
    if (out.version === null) out.version = Number(word.slice(v + 1));
    return;
  }
  out.tags.push(word);
}

/**
 * Parse a mail subject. Returns null for an empty subject. A subject without
 * a bracket still parses (no tags, isPatch false).
 */
export function parseSubject(subject: string): PatchSubject | null {
  if (typeof subject !== 'string') return null;
  const s = collapseBlanks(subject);
  if (s === '') return null;
  const out: PatchSubject = { tags: [], version: null, number: null, total: null, title: '', isReply: false, isPatch: false };
  let i = 0;
  // Prefixes and bracket groups may alternate: `Re: [PATCH] Re: ...`, `[RFC][PATCH v2 1/3]`.
  for (let guard = 0; guard < 64; guard++) {
    const p = prefixAt(s, i);
    if (p.length > 0) {
      if (p.reply) out.isReply = true;
      i += p.length;
      continue;
    }
    if (s.charCodeAt(i) === 91 /* [ */) {
      const close = s.indexOf(']', i + 1);
      if (close < 0) break;
      const inner = s.slice(i + 1, close);
      for (const w of inner.indexOf(',') < 0 && inner.indexOf('\t') < 0 ? inner.split(' ') : inner.split(/[\s,]+/)) takeWord(w, out);
      i = skipBlanks(s, close + 1);
      continue;
    }
    break;
  }
  out.title = s.slice(i).trim();
  out.isPatch = out.tags.some((t) => /(?:^|[^a-z])(?:patch|rfc)(?:$|[^a-z])/i.test(t));
  return out;
}

/** Does a line read like a mail subject (`Re: ...`, `[PATCH ...] ...`)? Used for web-archive pages. */
export function looksLikeSubject(line: string): boolean {
  const s = line.trim();
  if (s.length < 4 || s.length > 1000) return false;
  let i = 0;
  let replied = false;
  for (let guard = 0; guard < 8; guard++) {
    const p = prefixAt(s, i);
    if (p.length === 0) break;
    replied = true;
    i += p.length;
  }
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i + 1);
    if (close > i && close - i < 200) {
      const inner = s.slice(i + 1, close);
      if (/patch|rfc/i.test(inner)) return true;
    }
  }
  return replied && i < s.length;
}
