/**
 * Locate a hunk in a file the way `patch` and `git apply` do: its pre-image
 * (context and `-` lines) is looked for at the line the header names, then at
 * growing offsets either side; with fuzz, up to two context lines at either end
 * may differ. Lines compare with trailing blanks ignored, then (a second pass,
 * like `git apply --ignore-whitespace`) with runs of blanks collapsed, because
 * mail and web archives eat tabs and trailing spaces.
 */
import type { Hunk } from '../model';

export interface Located {
  hunk: Hunk;
  /** 0-based index in the file of the hunk's first pre-image line (after fuzz, of the line it would be). */
  at: number;
  /** Number of pre-image lines (context and `-`). */
  preLength: number;
  offset: number;
  fuzz: number;
}

const exact = (s: string): string => s.replace(/[\s\r]+$/, '');
const loose = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function preImage(h: Hunk): string[] {
  return h.lines.filter((l) => l.kind !== '+').map((l) => l.text);
}

function matchesAt(file: string[], pre: string[], at: number, norm: (s: string) => string, skipTop: number, skipBottom: number): boolean {
  if (at < 0 || at + pre.length > file.length) return false;
  for (let i = skipTop; i < pre.length - skipBottom; i++) if (norm(file[at + i]) !== norm(pre[i])) return false;
  return true;
}

/**
 * Locate every hunk of one file patch, in order (each after the previous one, the
 * offset carried on as `patch` does). Returns null for the file when a hunk cannot be
 * found: the tree does not match the mail.
 */
export function locateHunks(file: string[], hunks: Hunk[], maxFuzz = 2): { located: Located[]; failed: Hunk | null } {
  const out: Located[] = [];
  let carried = 0;
  let floor = 0;
  for (const h of hunks) {
    const pre = preImage(h);
    if (!pre.length) {
      // A pure addition: `@@ -N,0` inserts after line N.
      const at = Math.min(Math.max(h.oldStart + carried, floor), file.length);
      out.push({ hunk: h, at, preLength: 0, offset: carried, fuzz: 0 });
      floor = at;
      continue;
    }
    const want = h.oldStart - 1 + carried;
    let found: Located | null = null;
    // Fuzz only drops context lines, never `-` lines.
    const topContext = h.lines.findIndex((l) => l.kind !== ' ');
    const lastChange = h.lines.length - 1 - [...h.lines].reverse().findIndex((l) => l.kind !== ' ');
    const bottomContext = h.lines.slice(lastChange + 1).filter((l) => l.kind === ' ').length;
    search: for (let fuzz = 0; fuzz <= maxFuzz; fuzz++) {
      const top = Math.min(fuzz, topContext < 0 ? 0 : topContext);
      const bottom = Math.min(fuzz, bottomContext);
      if (fuzz > 0 && top + bottom === 0) break;
      for (const norm of [exact, loose]) {
        for (let d = 0; d <= file.length; d++) {
          for (const at of d === 0 ? [want] : [want - d, want + d]) {
            if (at < floor) continue;
            if (matchesAt(file, pre, at, norm, top, bottom)) {
              found = { hunk: h, at, preLength: pre.length, offset: at - (h.oldStart - 1), fuzz };
              break search;
            }
          }
          if (want - d < floor && want + d + pre.length > file.length) break;
        }
      }
    }
    if (!found) return { located: out, failed: h };
    out.push(found);
    carried = found.offset;
    floor = found.at + found.preLength;
  }
  return { located: out, failed: null };
}
