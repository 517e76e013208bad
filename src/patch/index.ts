/**
 * Unified diffs wherever they stand in a message: at the top level of a
 * format-patch mail, inside `> ` quoting at any depth, after `---8<---`.
 * The `@@` counts are trusted first; quoted diffs whose context lines lost
 * their leading space are read by shape while the counts say lines remain.
 */
import type { FilePatch, Hunk, HunkLine, InputError, Message, Patch, SourceLine } from '../model';

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const DIFF_GIT_RE = /^diff --git (?:"?a\/)?(\S+?)"? (?:"?b\/)?(\S+?)"?\s*$/;
const OLD_FILE_RE = /^--- (?:a\/)?(\S+)/;
const NEW_FILE_RE = /^\+\+\+ (?:b\/)?(\S+)/;

/** The function a hunk header's context names: `static void hmm_release(struct mmu_notifier *mn, ...)` → hmm_release. */
export function functionFromContext(context: string): string | null {
  const paren = context.indexOf('(');
  if (paren <= 0) return null;
  const m = /([A-Za-z_]\w*)\s*$/.exec(context.slice(0, paren));
  if (!m) return null;
  if (/^(if|for|while|switch|return|sizeof)$/.test(m[1])) return null;
  return m[1];
}

function stripPath(p: string): string | null {
  if (p === '/dev/null') return null;
  return p.replace(/^[ab]\//, '');
}

/** Find every patch in a message; hunks are grouped into file patches by the headers before them. */
/** Patches grouped by the message they stand in, in document order. */
export function patchesByMessage(patches: Patch[]): Map<number, Patch[]> {
  const out = new Map<number, Patch[]>();
  for (const p of patches) {
    const list = out.get(p.messageIndex);
    if (list) list.push(p);
    else out.set(p.messageIndex, [p]);
  }
  return out;
}

export function findPatches(message: Message, path: string, errors: InputError[]): Patch[] {
  const body = message.body;
  const patches: Patch[] = [];
  let current: Patch | null = null;
  let file: FilePatch | null = null;
  let pendingOld: { path: string | null; line: number } | null = null;

  const ensurePatch = (depth: number): Patch => {
    if (!current || current.quoteDepth !== depth) {
      current = { messageIndex: message.index, files: [], quoteDepth: depth };
      patches.push(current);
      file = null;
    }
    return current;
  };

  for (let i = 0; i < body.length; i++) {
    const sl = body[i];
    const t = sl.text;
    if (t.length < 3) continue;
    const c0 = t.charCodeAt(0);
    // Fast reject: diff structure lines start with 'd', '-', '+' or '@'.
    if (c0 !== 100 && c0 !== 45 && c0 !== 43 && c0 !== 64) continue;
    let m: RegExpExecArray | null;
    if (c0 === 100 && (m = DIFF_GIT_RE.exec(t))) {
      const p = ensurePatch(sl.quoteDepth);
      file = { oldPath: stripPath(m[1]), newPath: stripPath(m[2]), headerLine: sl.docLine, hunks: [] };
      p.files.push(file);
      pendingOld = null;
      continue;
    }
    if (c0 === 45 && t.startsWith('--- ') && (m = OLD_FILE_RE.exec(t)) && body[i + 1] && NEW_FILE_RE.test(body[i + 1].text)) {
      pendingOld = { path: stripPath(m[1]), line: sl.docLine };
      continue;
    }
    if (c0 === 43 && t.startsWith('+++ ') && pendingOld && (m = NEW_FILE_RE.exec(t))) {
      const p = ensurePatch(sl.quoteDepth);
      const newPath = stripPath(m[1]);
      if (!file || file.hunks.length > 0 || (file.newPath !== newPath && file.oldPath !== pendingOld.path)) {
        file = { oldPath: pendingOld.path, newPath, headerLine: pendingOld.line, hunks: [] };
        p.files.push(file);
      } else {
        file.oldPath = pendingOld.path ?? file.oldPath;
        file.newPath = newPath ?? file.newPath;
      }
      pendingOld = null;
      continue;
    }
    if (c0 === 64 && (m = HUNK_RE.exec(t))) {
      const p = ensurePatch(sl.quoteDepth);
      if (!file) {
        file = { oldPath: null, newPath: null, headerLine: sl.docLine, hunks: [] };
        p.files.push(file);
      }
      const { hunk, next } = readHunk(body, i, m, file.hunks.length);
      if (hunk.truncated) {
        errors.push({ path, line: sl.docLine, code: 'truncated-hunk', message: `${path}:${sl.docLine}: hunk ${t.slice(0, 40)} has fewer lines than its header announces; analysing the ${hunk.lines.length} lines shown` });
      }
      file.hunks.push(hunk);
      i = next - 1;
    }
  }
  // Drop file patches that never got a hunk (a diffstat-only mail, a quoted `diff --git` line).
  for (const p of patches) p.files = p.files.filter((f) => f.hunks.length > 0);
  return patches.filter((p) => p.files.length > 0);
}

function readHunk(body: SourceLine[], at: number, m: RegExpExecArray, index: number): { hunk: Hunk; next: number } {
  const header = body[at];
  const depth = header.quoteDepth;
  const oldStart = Number(m[1]);
  const oldCount = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newCount = m[4] === undefined ? 1 : Number(m[4]);
  const context = m[5].trim();
  let oldLeft = oldCount;
  let newLeft = newCount;
  let oldLine = oldStart;
  let newLine = newStart;
  const lines: HunkLine[] = [];
  let i = at + 1;
  for (; i < body.length && (oldLeft > 0 || newLeft > 0); i++) {
    const sl = body[i];
    if (sl.quoteDepth !== depth) break;
    const t = sl.text;
    if (t.startsWith('@@ ') && HUNK_RE.test(t)) break;
    if (t.startsWith('diff --git ')) break;
    const ch = t[0];
    if (ch === '\\') continue; // "\ No newline at end of file"
    if (ch === '+' && newLeft > 0) {
      lines.push({ kind: '+', text: t.slice(1), docLine: sl.docLine, docColumn: sl.docColumn + 1, oldLine: null, newLine: newLine++ });
      newLeft--;
    } else if (ch === '-' && oldLeft > 0) {
      lines.push({ kind: '-', text: t.slice(1), docLine: sl.docLine, docColumn: sl.docColumn + 1, oldLine: oldLine++, newLine: null });
      oldLeft--;
    } else if (oldLeft > 0 && newLeft > 0 && (ch === ' ' || t.length === 0 || depth > 0)) {
      // A context line; quoting and web renderings may have eaten its leading space
      // (at depth 0, only an empty line is taken without its space).
      const marked = ch === ' ';
      lines.push({ kind: ' ', text: marked ? t.slice(1) : t, docLine: sl.docLine, docColumn: sl.docColumn + (marked ? 1 : 0), oldLine: oldLine++, newLine: newLine++ });
      oldLeft--;
      newLeft--;
    } else {
      break; // counts say this line cannot belong to the hunk
    }
  }
  const hunk: Hunk = {
    index,
    oldStart,
    oldCount,
    newStart,
    newCount,
    header: context,
    functionName: functionFromContext(context),
    headerLine: header.docLine,
    quoteDepth: depth,
    lines,
    truncated: oldLeft > 0 || newLeft > 0,
  };
  return { hunk, next: i };
}
