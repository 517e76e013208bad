/**
 * Whole-function views from a kernel tree: for the functions the hunks of one
 * file patch touch, the function's text from the tree with every hunk applied
 * (post-image) and as it stood (pre-image). Mail lines keep their document
 * positions; lines read from the tree carry `tree` (their line in the tree file)
 * and no document line, so nothing is ever reported on them.
 */
import type { Fragment, Hunk, HunkLine } from '../model';
import { buildFragment, type InputLine } from '../c/prepare';
import type { IndexedFunction } from './tree';
import type { Located } from './locate';

export interface ViewSet {
  fragments: Fragment[];
  /** Hunks whose every line lies in one viewed function: their own fragments are replaced by the views. */
  covered: Set<Hunk>;
}

interface Piece {
  /** 0-based line of the pre-image file the piece stands at (for `+` lines: the pre line before which it comes). */
  preAt: number;
  line: HunkLine | null;
  /** For tree lines: the text. */
  text: string;
}

/**
 * The functions of `functions` (from the tree file's index) that some located hunk
 * touches, each as a post-image and (when a hunk removes lines in it) a pre-image fragment.
 */
export function functionViews(fileLines: string[], functions: IndexedFunction[], located: Located[], meta: { idBase: string; messageIndex: number; oldPath: string; newPath: string }): ViewSet {
  const fragments: Fragment[] = [];
  const covered = new Set<Hunk>();
  for (const F of functions) {
    const s = F.start - 1;
    const e = F.end - 1;
    const touching = located.filter((l) => l.at <= e && l.at + Math.max(l.preLength, 1) - 1 >= s);
    if (!touching.length) continue;
    // Only hunks that change something inside the function make a view.
    const changesInside = touching.some((l) => changedPreLines(l).some((p) => p >= s && p <= e));
    if (!changesInside) continue;
    for (const l of touching) if (l.at >= s && l.at + l.preLength - 1 <= e) covered.add(l.hunk);

    // Pieces of the pre-image walk: tree lines outside hunks, hunk lines inside.
    const byAt = new Map<number, Located>(touching.map((l) => [l.at, l]));
    const post: InputLine[] = [];
    const pre: InputLine[] = [];
    let removes = false;
    const postOf = (i: number): number => i + 1 + offsetBefore(located, i);
    for (let i = s; i <= e; ) {
      const l = byAt.get(i) ?? (i === s ? touching.find((t) => t.at < s && t.at + t.preLength > s) : undefined);
      if (!l) {
        post.push(treeLine(fileLines[i], i + 1, postOf(i)));
        pre.push(treeLine(fileLines[i], i + 1, i + 1));
        i++;
        continue;
      }
      // Walk the hunk's lines, keeping those whose pre position is inside [s, e].
      let p = l.at;
      for (const hl of l.hunk.lines) {
        if (hl.kind === '+') {
          // An added line belongs to the function when the pre line before it does, short of the closing brace.
          if (p - 1 >= s && p - 1 < e) post.push(mailLine(hl, hl.newLine));
          continue;
        }
        if (p >= s && p <= e) {
          if (hl.kind === ' ') post.push(mailLine(hl, hl.newLine));
          else removes = true;
          pre.push(mailLine(hl, hl.oldLine));
        }
        p++;
      }
      i = l.at + l.preLength;
      if (l.preLength === 0 && i <= e) {
        // A pure insertion before line `at`: that tree line still follows.
        post.push(treeLine(fileLines[i], i + 1, postOf(i)));
        pre.push(treeLine(fileLines[i], i + 1, i + 1));
        i++;
      }
    }
    const base = `${meta.idBase}/fn${F.start}`;
    fragments.push(fix(buildFragment({ id: `${base}/post`, kind: 'post', messageIndex: meta.messageIndex, file: meta.newPath, functionHint: F.name, quoteDepth: 0 }, post)));
    if (removes) fragments.push(fix(buildFragment({ id: `${base}/pre`, kind: 'pre', messageIndex: meta.messageIndex, file: meta.oldPath, functionHint: F.name, quoteDepth: 0 }, pre)));
  }
  return { fragments, covered };
}

function changedPreLines(l: Located): number[] {
  const out: number[] = [];
  let p = l.at;
  for (const hl of l.hunk.lines) {
    if (hl.kind === '+') out.push(p);
    else {
      if (hl.kind === '-') out.push(p);
      p++;
    }
  }
  return out;
}

/** Lines added minus lines removed by the hunks located before pre line `i`. */
function offsetBefore(located: Located[], i: number): number {
  let d = 0;
  for (const l of located) {
    if (l.at + l.preLength > i) break;
    d += l.hunk.lines.filter((x) => x.kind === '+').length - l.hunk.lines.filter((x) => x.kind === '-').length;
  }
  return d;
}

// Tree lines travel through buildFragment with a negative document line (minus the tree line), fixed after.
function treeLine(text: string, treeLine: number, sourceLine: number): InputLine {
  return { text: text ?? '', docLine: -treeLine, docColumn: 1, sourceLine, image: 'context' };
}

function mailLine(hl: HunkLine, source: number | null): InputLine {
  return { text: hl.text, docLine: hl.docLine, docColumn: hl.docColumn, sourceLine: source, image: hl.kind === ' ' ? 'context' : hl.kind === '+' ? 'post' : 'pre' };
}

function fix(f: Fragment): Fragment {
  for (const l of f.lines) {
    if (l.docLine !== null && l.docLine < 0) {
      l.tree = -l.docLine;
      l.docLine = null;
    }
  }
  return f;
}
