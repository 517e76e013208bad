/**
 * Comments as the ordering rules read them: which comment documents a barrier
 * (checkpatch's ctx_has_comment, plus the line after), which function a
 * "pairs with" comment names, and which comments claim a lock is held or that
 * nobody else writes a field (claims an assertion could make checkable).
 */
import type { Node } from 'web-tree-sitter';
import { walk } from '../c/ast';
import type { Fragment } from '../model';
import type { DocumentContext, ParsedFragment } from '../rules/framework';

export interface CommentInfo {
  node: Node;
  startRow: number;
  endRow: number;
  /** The comment's words: markers (`/*`, `*`, `//`) removed, whitespace collapsed. */
  words: string;
}

export function commentText(raw: string): string {
  return raw
    .replace(/^\/\*+|\*+\/$/g, ' ')
    .replace(/^\/\/+/, ' ')
    .split('\n')
    .map((l) => l.replace(/^\s*\*+(?!\/)/, ' ').replace(/^\s*\/\/+/, ' '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function fragmentComments(pf: ParsedFragment): CommentInfo[] {
  const out: CommentInfo[] = [];
  walk(pf.tree.rootNode, (n) => {
    if (n.type === 'comment') {
      out.push({ node: n, startRow: n.startPosition.row, endRow: n.endPosition.row, words: commentText(n.text) });
      return false;
    }
  });
  return out;
}

/** fragmentComments() of a fragment, computed once per document whichever rule asks first. */
export function commentsOf(ctx: DocumentContext, pf: ParsedFragment): CommentInfo[] {
  const byFragment = ctx.memo('ordering/comments', () => new Map<Fragment, CommentInfo[]>());
  let comments = byFragment.get(pf.fragment);
  if (!comments) byFragment.set(pf.fragment, (comments = fragmentComments(pf)));
  return comments;
}

/**
 * The comment that documents a statement on `row`: one on the same line, one
 * ending on the line just above (it may start anywhere earlier in the hunk, as
 * checkpatch allows), or one starting on the line just below.
 */
export function documentingComment(comments: CommentInfo[], row: number): CommentInfo | null {
  return (
    comments.find((c) => c.startRow <= row && c.endRow >= row) ??
    comments.find((c) => c.endRow === row - 1) ??
    comments.find((c) => c.startRow === row + 1) ??
    null
  );
}

/**
 * Functions a barrier comment names as its partner: "pairs with smp_rmb() in
 * foo()", "paired with bar()", "matches the barrier in baz()". Barrier names
 * themselves are not partners.
 */
export function namedPartners(words: string): string[] | null {
  const m = /\b(?:pair(?:s|ed|ing)?\s+with|match(?:es|ing)?|partner(?:s)?\s+(?:is|with)|see)\b(.*)$/i.exec(words);
  if (!m) return null;
  const names: string[] = [];
  const re = /\b([A-Za-z_]\w*)\s*\(\)/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(m[1]))) {
    const n = x[1];
    if (/^(smp_|virt_)?(mb|rmb|wmb|load_acquire|store_release|store_mb|mb__\w+)$|^(READ_ONCE|WRITE_ONCE|smp_\w+|atomic_\w+|xchg|cmpxchg)$/.test(n)) continue;
    names.push(n);
  }
  // "pairs with the barrier in foo" (no parentheses).
  if (!names.length) {
    const y = /\bin\s+([a-z_]\w*_\w+)\b/.exec(m[1]);
    if (y) names.push(y[1]);
  }
  return names;
}

// ---------------------------------------------------------------- claims

export interface Claim {
  kind: 'held' | 'exclusive';
  /** The lock named (held) or the field expression (exclusive), as written. */
  subject: string;
  write: boolean;
  /** The matched text. */
  text: string;
}

const LVALUE = String.raw`[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+|[a-z_]\w*_\w+`;
const LOCK = String.raw`(?:[A-Za-z_]\w*(?:->|\.))*(?:mmap_lock|mmap_sem|mmap_write_lock|mmap_read_lock|page_table_lock|ptl|i_mmap_rwsem|i_mmap_lock|[a-z_]*lock|[a-z_]*_sem|[a-z_]*rwsem|[a-z_]*mutex)\b`;

const EXCLUSIVE: RegExp[] = [
  new RegExp(String.raw`\b(?:nobody|no\s+one|no-one|nothing|no\s+other\s+(?:thread|task|cpu|context)s?)\s+(?:else\s+)?(?:can|could|will|may|is\s+able\s+to)\s+(?:ever\s+)?(?:concurrently\s+)?(?:modify|write(?:\s+to)?|change|update)\s+(${LVALUE})`, 'i'),
  new RegExp(String.raw`(${LVALUE})(?:\s+and\s+(${LVALUE}))?\s+(?:can(?:not|'t)|cannot|won't|will\s+not|may\s+not|must\s+not)\s+(?:be\s+)?(?:concurrently\s+)?(?:modified|written|changed|updated)(?:\s+concurrently)?`, 'i'),
  new RegExp(String.raw`\b(?:only|exclusively)\s+(?:we|this\s+(?:thread|task|cpu|context|function))\s+(?:can\s+|may\s+)?(?:write|modify|update)s?\s+(${LVALUE})`, 'i'),
];

const HELD: RegExp[] = [
  new RegExp(String.raw`\b(?:caller|callers|we|the\s+caller)\s+(?:must\s+)?(?:hold|holds|has|have|own|owns)\s+(?:the\s+)?(?:exclusive\s+|write\s+)?(${LOCK})`, 'i'),
  new RegExp(String.raw`\b(?:called|invoked|runs?|must\s+be\s+called|is\s+called)\s+(?:with|under)\s+(?:the\s+)?(?:exclusive\s+|write\s+)?(${LOCK})(?:\s+(?:held|locked|taken))?`, 'i'),
  new RegExp(String.raw`\b(?:exclusive\s+|write\s+)?(${LOCK})\s+(?:is\s+|being\s+|must\s+be\s+)(?:held|locked|taken|write-locked)`, 'i'),
  new RegExp(String.raw`\bholding\s+(?:the\s+)?(?:exclusive\s+|write\s+)?(${LOCK})`, 'i'),
];

export function claimsIn(words: string): Claim[] {
  const out: Claim[] = [];
  for (const re of EXCLUSIVE) {
    const m = re.exec(words);
    if (!m) continue;
    for (const s of [m[1], m[2]]) if (s) out.push({ kind: 'exclusive', subject: s.replace(/\s+/g, ''), write: true, text: m[0] });
    break;
  }
  for (const re of HELD) {
    const m = re.exec(words);
    if (!m) continue;
    const write = /\b(exclusive|write|for\s+writ)/i.test(m[0]) || /mmap_write_lock/.test(m[1]) || /\b(for\s+writ(e|ing)|write\s+mode|exclusively)\b/i.test(words.slice(m.index + m[0].length, m.index + m[0].length + 20));
    out.push({ kind: 'held', subject: m[1].replace(/\s+/g, ''), write, text: m[0] });
    break;
  }
  return out;
}
