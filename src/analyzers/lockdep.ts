/**
 * Lockdep and KCSAN annotations (lockdep_assert_held*, mmap/vma assertions,
 * ASSERT_EXCLUSIVE_*, lockdep_off/on), and comments that claim a lock is held
 * ("called with mm->mmap_lock held") or that a writer is exclusive ("Nobody can
 * concurrently modify mm->mm_lock_seq ..."): api "comment-claim", role
 * "claims-held" / "claims-exclusive", detail.claim naming the lock or field.
 */
import type { Node } from 'web-tree-sitter';
import type { ApiInfo } from '../kernel/apis';
import { functionName } from '../c/ast';
import { argTexts, emit, emitAt, objectOf, type Ctx } from './common';

export function lockdepCall(ctx: Ctx, call: Node, name: string, info: ApiInfo): void {
  const detail: Record<string, string | number | boolean | null> = {};
  if (info.family) detail.family = info.family;
  if (/_write$|write_locked$/.test(name)) detail.mode = 'write';
  else if (/_read$/.test(name)) detail.mode = 'read';
  if (/_SCOPED$/.test(name)) detail.scoped = true;
  emit(ctx, call, { kind: 'lockdep', api: name, role: info.role, args: argTexts(call), object: objectOf(call, info.objectArg), detail: Object.keys(detail).length ? detail : undefined });
}

// ---------------------------------------------------------------- comment claims

/** Quick filter: a comment can only claim something if one of these words is in it. */
const TRIGGER = /held|hold|lock|under|exclusive|nobody|no one|no-one|concurrent|seriali[sz]|single writer|only writer|sem\b|mutex|ptl|rcu/i;

/** A lock named in prose: identifier-like (`mm->mmap_lock`, `i_mmap_rwsem`, `ptl`) or a well-known phrase. */
const LOCK_TOKEN = /&?\b[A-Za-z_]\w*(?:(?:->|\.)\w+)*(?:->|\.)\w*(?:lock|mutex|sem|ptl)\b|&?\b(?:[A-Za-z_]\w*(?:->|\.))*[A-Za-z_]\w*(?:_lock|_sem|_rwsem|_mutex|_ptl|_seqlock|_spinlock)\b(?:\(\))?|\b(?:mmap[_ ]lock|mmap[_ ]sem|page[- ]table lock|page lock|folio lock|PTL|ptl|RCU(?: read(?:[- ]side)? lock)?|rcu_read_lock(?:\(\))?|i_mmap_rwsem|i_mmap_lock|anon_vma lock)\b/g;

/** Field-like tokens (`mm->mm_lock_seq`, `vma.vm_flags`). */
const FIELD_TOKEN = /\b[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+/g;

const HELD_BEFORE = /\b(?:with|under|holding|holds|hold|held|own(?:s|ing)?|taken|acquired|protected by|serialis(?:ed|es) by|serializ(?:ed|es) by|requires?|must hold|while)\b[^.;:!?]{0,40}$/i;
const HELD_AFTER = /^[^.;:!?]{0,30}?\b(?:held|(?:write|read)?-?locked|taken|being held|is held|must be held)\b/i;
/** Negations that turn "held" into "not held". */
const NEGATED = /\b(?:not|without|never|no longer|dropp?(?:ed|ing)?|releas(?:e|ed|ing)|unlock(?:ed|ing)?)\b[^.;:!?]{0,25}$/i;

const EXCLUSIVE = /\b(?:(?:nobody|no one|no-one|noone|nothing)\s+(?:else\s+)?(?:can|could|may|will|is able to)\s+(?:\w+\s+){0,2}(?:modify|modifies|change|write|update|touch|race)|(?:can(?:'|no)?t|cannot|can not|won't|will not|may not)\s+(?:be\s+)?(?:\w+\s+){0,2}(?:modified|changed|written|updated)|(?:only|single|sole|exclusive)\s+(?:writer|updater|modifier)|exclusive(?:ly)?\s+(?:access|owner|ownership)|no concurrent (?:writers?|updaters?|modifications?|updates?)|(?:is|are)\s+(?:\w+\s+)?only (?:modified|written|updated|changed)|only\s+(?:the\s+|one\s+|a\s+single\s+)?(?:\w+\s+){0,2}(?:updates|modifies|writes|changes|increments))\b/i;

/** Blank comment syntax in place so regex offsets stay offsets into the comment text. */
function blankSyntax(text: string): string {
  const chars = text.split('');
  const blank = (i: number, n: number): void => {
    for (let k = i; k < i + n && k < chars.length; k++) if (chars[k] !== '\n') chars[k] = ' ';
  };
  if (text.startsWith('/*')) blank(0, 2);
  if (text.startsWith('//')) blank(0, 2);
  if (text.endsWith('*/')) blank(text.length - 2, 2);
  // Leading " * " of continuation lines.
  let i = text.indexOf('\n');
  while (i >= 0) {
    let j = i + 1;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '*' && text[j + 1] !== '/') blank(j, 1);
    i = text.indexOf('\n', i + 1);
  }
  return chars.join('');
}

/** Row/column in the fragment text of an offset inside a node's text. */
function rowCol(node: Node, text: string, offset: number): { row: number; col: number } {
  let row = node.startPosition.row;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i;
  }
  return { row, col: lineStart < 0 ? node.startPosition.column + offset : offset - lineStart - 1 };
}

function sentenceAround(text: string, at: number, end: number): string {
  let s = at;
  while (s > 0 && !/[.;!?]/.test(text[s - 1]) && at - s < 200) s--;
  let e = end;
  while (e < text.length && !/[.;!?]/.test(text[e]) && e - end < 200) e++;
  return text.slice(s, e).replace(/\s+/g, ' ').trim();
}

function lockName(token: string): string {
  return token.replace(/^&/, '').replace(/\(\)$/, '').replace(/\s+/g, ' ');
}

export interface CommentClaim {
  role: 'claims-held' | 'claims-exclusive';
  claim: string;
  offset: number;
  length: number;
  lock: string | null;
  mode: 'read' | 'write' | null;
  sentence: string;
  fields: string[];
}

/** The claims a comment's text makes (exported for tests and the hover). */
export function commentClaims(raw: string): CommentClaim[] {
  if (!TRIGGER.test(raw)) return [];
  const text = blankSyntax(raw);
  const out: CommentClaim[] = [];

  // Exclusive-writer claims, naming the first field of the sentence.
  const ex = EXCLUSIVE.exec(text);
  let heldLockFromExclusive: string | null = null;
  if (ex) {
    const sentenceStart = (() => {
      let s = ex.index;
      while (s > 0 && !/[.;!?]/.test(text[s - 1])) s--;
      return s;
    })();
    let sentenceEnd = ex.index + ex[0].length;
    while (sentenceEnd < text.length && !/[.;!?]/.test(text[sentenceEnd]) || (text[sentenceEnd] === '.' && /[\w>]/.test(text[sentenceEnd + 1] ?? ''))) sentenceEnd++;
    const sentence = text.slice(sentenceStart, sentenceEnd);
    const fields: { t: string; at: number }[] = [];
    FIELD_TOKEN.lastIndex = 0;
    for (let m = FIELD_TOKEN.exec(sentence); m; m = FIELD_TOKEN.exec(sentence)) fields.push({ t: m[0], at: sentenceStart + m.index });
    const lockM = new RegExp(LOCK_TOKEN.source, 'g').exec(sentence);
    heldLockFromExclusive = lockM ? lockName(lockM[0]) : null;
    const nonLock = fields.filter((f) => !heldLockFromExclusive || f.t !== heldLockFromExclusive);
    const first = nonLock[0] ?? null;
    out.push({
      role: 'claims-exclusive',
      claim: first ? first.t : ex[0].replace(/\s+/g, ' '),
      offset: first ? first.at : ex.index,
      length: first ? first.t.length : ex[0].length,
      lock: heldLockFromExclusive,
      mode: heldLockFromExclusive ? 'write' : null,
      sentence: sentenceAround(text, ex.index, ex.index + ex[0].length),
      fields: nonLock.map((f) => f.t),
    });
  }

  // Held claims: a lock named with "with/under/holding ..." before it or "held/locked" after it.
  const re = new RegExp(LOCK_TOKEN.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const b = HELD_BEFORE.exec(before);
    const a = HELD_AFTER.exec(after);
    if (!b && !a) continue;
    if (NEGATED.test(before)) continue;
    if (a && !b && /\b(?:not|never|no longer)\b|n't|\bun(?:locked|held)/i.test(a[0])) continue;
    const lock = lockName(m[0]);
    if (out.some((c) => c.role === 'claims-held' && c.claim === lock)) continue;
    const near = (b ? b[0] : '') + ' ' + after.slice(0, 30).split(/[.;:!?]/)[0] + ' ' + text.slice(Math.max(0, m.index - 20), m.index);
    const mode = /\b(?:write|exclusive|writer)/i.test(near) ? 'write' : /\bread/i.test(near) ? 'read' : null;
    out.push({ role: 'claims-held', claim: lock, offset: m.index, length: m[0].length, lock, mode, sentence: sentenceAround(text, m.index, m.index + m[0].length), fields: [] });
  }
  return out;
}

export function commentNode(ctx: Ctx, comment: Node): void {
  const raw = comment.text;
  if (raw.length < 8) return;
  const claims = commentClaims(raw);
  if (!claims.length) return;
  // A comment standing right before a function (outside any) describes that function.
  let describes: string | null = null;
  if (ctx.fn.name === null) {
    let n = comment.nextNamedSibling;
    while (n && n.type === 'comment') n = n.nextNamedSibling;
    if (n && n.type === 'function_definition') describes = functionName(n);
  }
  for (const c of claims) {
    const s = rowCol(comment, raw, c.offset);
    const e = rowCol(comment, raw, c.offset + c.length);
    emitAt(ctx, s.row, s.col, e.row, e.col, {
      kind: 'lockdep',
      api: 'comment-claim',
      role: c.role,
      args: [c.sentence],
      object: c.claim.replace(/\s+/g, ''),
      detail: { claim: c.claim, lock: c.lock, mode: c.mode, fields: c.fields.length ? c.fields.join(',') : null, text: c.sentence, describes },
    });
  }
}
