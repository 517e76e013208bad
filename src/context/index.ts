/**
 * The kernel tree in the pipeline: for each patch of a document, locate its hunks
 * in the tree's files (at the mail's `base-commit:` when the tree is a git
 * repository that has it), replace the hunk fragments of each touched function
 * by whole-function views (post- and pre-image), and build the document's
 * context provider. A file whose hunks do not all locate is reported once and
 * checked from the mail alone: nothing is ever read from a mismatched file.
 * Messages are applied in order, so patch 3 of a series is located in the file
 * as patches 1 and 2 left it.
 */
import type { Fragment, Hunk, InputError, Message, Patch } from '../model';
import { patchesByMessage } from '../patch';
import { contentHash } from './cache';
import { locateHunks, type Located } from './locate';
import { functionViews } from './views';
import { TreeContext, type TreeFileState } from './provider';
import type { KernelTree, TreeFile } from './tree';

export { KernelTree, looksLikeKernelTree, buildIndex } from './tree';
export type { ContextProvider } from './provider';
export { TreeContext } from './provider';

const BASE_RE = /^base-commit:\s*([0-9a-f]{7,40})\b/i;

/** The `base-commit:` a message of the document names (b4 and `format-patch --base` add one, usually in the cover letter). */
export function baseCommitOf(messages: Message[]): string | null {
  for (const m of messages) for (const l of m.body) if (l.quoteDepth === 0) {
    const x = BASE_RE.exec(l.text.trim());
    if (x) return x[1];
  }
  return null;
}

export interface TreeApplied {
  fragments: Fragment[];
  context: TreeContext;
  notes: InputError[];
}

/** Apply located hunks to a file's lines (the post-image of the whole file). */
export function applyLocated(lines: string[], located: Located[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const l of located) {
    while (i < l.at) out.push(lines[i++]);
    // Context lines are taken from the file (the mail may have lost their blanks).
    for (const hl of l.hunk.lines) {
      if (hl.kind === '+') out.push(hl.text);
      else if (hl.kind === ' ') out.push(lines[i++] ?? hl.text);
      else i++;
    }
    i = l.at + l.preLength;
  }
  while (i < lines.length) out.push(lines[i++]);
  return out;
}

export function applyTree(tree: KernelTree, path: string, messages: Message[], patches: Patch[], fragments: Fragment[]): TreeApplied {
  const notes: InputError[] = [];
  const note = (code: string, message: string): void => {
    notes.push({ path, line: null, code, message: `${path}: ${message}` });
  };
  let commit: string | null = null;
  const base = baseCommitOf(messages);
  if (base) {
    commit = tree.resolveCommit(base);
    if (!commit) note('tree-base', `base-commit ${base} is not in ${tree.isGit ? 'the git repository at' : 'the tree (not a git repository)'} ${tree.dir}; hunks are located in the working tree`);
  }
  const where = commit ? `${tree.dir} at ${commit.slice(0, 12)}` : tree.dir;

  // Per file: its current text (after the messages applied so far); null once it mismatched.
  const current = new Map<string, { lines: string[]; file: TreeFile } | null>();
  const reported = new Set<string>();
  const views = new Map<string, Fragment[]>();
  const covered = new Set<Hunk>();
  const matched = new Map<string, TreeFileState>();
  const byMessage = patchesByMessage(patches);

  for (const msg of messages) {
    (byMessage.get(msg.index) ?? []).forEach((p, pi) => {
      if (p.quoteDepth !== 0) return;
      p.files.forEach((fp, fi) => {
        const oldPath = fp.oldPath;
        if (!oldPath || !/\.(c|h)$/.test(oldPath) || reported.has(oldPath)) return;
        let cur = current.get(oldPath);
        if (cur === undefined) {
          const f = tree.read(oldPath, commit);
          if (!f) {
            reported.add(oldPath);
            note('tree-mismatch', `${oldPath} is not in the tree ${where}; checked from the mail alone`);
            current.set(oldPath, null);
            return;
          }
          cur = { lines: f.text.split('\n'), file: f };
          current.set(oldPath, cur);
        }
        if (!cur) return;
        let state = cur;
        let loc = locateHunks(state.lines, fp.hunks);
        if (loc.failed) {
          // Another version of the same patch in the document: try the file as the tree has it.
          const orig = tree.read(oldPath, commit)!;
          const again = locateHunks(orig.text.split('\n'), fp.hunks);
          if (!again.failed) {
            state = { lines: orig.text.split('\n'), file: orig };
            loc = again;
          }
        }
        if (loc.failed) {
          reported.add(oldPath);
          note('tree-mismatch', `${oldPath}: the hunk at line ${loc.failed.headerLine} (${`@@ -${loc.failed.oldStart},${loc.failed.oldCount}`}) does not match the tree ${where}; the tree is not used for this file, checked from the mail alone`);
          current.set(oldPath, null);
          matched.delete(oldPath);
          return;
        }
        const text = state.lines.join('\n');
        const idx = tree.index({ ...state.file, text, hash: contentHash(text) });
        const vs = functionViews(state.lines, idx.functions, loc.located, { idBase: `m${msg.index}/p${pi}/f${fi}`, messageIndex: msg.index, oldPath, newPath: fp.newPath ?? oldPath });
        for (const h of vs.covered) covered.add(h);
        views.set(`m${msg.index}/p${pi}/f${fi}`, vs.fragments);
        // The file as this patch leaves it: what later patches apply to, and what callee lookups read.
        const after = applyLocated(state.lines, loc.located);
        const afterText = after.join('\n');
        const afterFile: TreeFile = { ...state.file, text: afterText, hash: contentHash(afterText) };
        current.set(oldPath, { lines: after, file: afterFile });
        matched.set(oldPath, { file: afterFile, index: tree.index(afterFile) });
      });
    });
  }

  // Hunk fragments of covered hunks give way to the views, which take the place of the file's first fragment.
  const coveredIds = new Set<string>();
  for (const msg of messages)
    (byMessage.get(msg.index) ?? []).forEach((p, pi) =>
      p.files.forEach((fp, fi) => {
        if (reported.has(fp.oldPath ?? '')) {
          views.delete(`m${msg.index}/p${pi}/f${fi}`);
          return;
        }
        for (const h of fp.hunks) if (covered.has(h)) coveredIds.add(`m${msg.index}/p${pi}/f${fi}/h${h.index}`);
      }),
    );
  const out: Fragment[] = [];
  const placed = new Set<string>();
  const fileKey = (id: string): string | null => /^(m\d+\/p\d+\/f\d+)\//.exec(id)?.[1] ?? null;
  for (const f of fragments) {
    const k = fileKey(f.id);
    if (k && views.has(k) && !placed.has(k)) {
      out.push(...views.get(k)!);
      placed.add(k);
    }
    const hk = /^(m\d+\/p\d+\/f\d+\/h\d+)\//.exec(f.id)?.[1];
    if (hk && coveredIds.has(hk)) continue;
    out.push(f);
  }
  for (const [k, v] of views) if (!placed.has(k)) out.push(...v);

  // Callee bodies and ops tables come only from files that matched.
  const ctx = new TreeContext(tree, commit, [...matched.values()].filter((s) => !reported.has(s.file.path)));
  return { fragments: out, context: ctx, notes };
}
