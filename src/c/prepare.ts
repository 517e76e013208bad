/**
 * Turn lines of C as they stand in a mail (a hunk's image, a quoted sketch)
 * into text tree-sitter can parse, without moving any character of the real
 * lines: kernel macros that confuse the grammar are blanked or renamed in
 * place (same length), reviewers' `...` lines are blanked, and synthetic lines
 * (a wrapper function for a hunk that starts inside a body, a missing return
 * type, closing braces) are added with docLine null.
 */
import type { Fragment, FragmentLine, Image, MacroRewrite } from '../model';

export interface InputLine {
  text: string;
  docLine: number;
  docColumn: number;
  sourceLine: number | null;
  image: Image;
}

export interface FragmentMeta {
  id: string;
  kind: Fragment['kind'];
  messageIndex: number;
  file: string | null;
  functionHint: string | null;
  quoteDepth: number;
}

/** Name given to the wrapper function; parseFragment renames it to the `@@` hint. */
export const WRAPPER_NAME = '__mmlens_hunk__';

/** Attribute-like macros blanked wherever they stand. */
const BLANK_WORDS = new Set([
  '__must_check', '__always_inline', '__init', '__exit', '__cold', '__hot', 'noinline', '__maybe_unused', '__rcu', '__user',
  '__iomem', '__percpu', '__force', 'notrace', '__weak', '__read_mostly', '__ref', '__meminit', '__initdata', '__latent_entropy',
  '__noreturn', '__pure', '__sched', '__visible', 'asmlinkage', '__nocfi', '__no_sanitize_address', '__kprobes', '__releases_shared',
]);
/** Annotation macros with arguments blanked with their argument list. */
const BLANK_CALLS = new Set(['__acquires', '__releases', '__must_hold', '__acquire', '__release', '__cond_acquires', '__guarded_by', '__pt_guarded_by', '__no_context_analysis']);


/** Replace, without changing lengths, the macros that break the C grammar. */
export function neutraliseLine(line: string, row: number, rewrites: MacroRewrite[]): string {
  const trimmed = line.trim();
  // Reviewers' elisions: "...", "[...]", "[ ... ]", "<snip>".
  if (/^(\.\.\.|\[\s*\.\.\.\s*\]|<snip>|\[snip\])$/.test(trimmed)) return ' '.repeat(line.length);
  if (!/[_a-z]/i.test(line)) return line;
  let out = line;
  const re = /\b([A-Za-z_]\w*)\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const word = m[1];
    const at = m.index;
    if (BLANK_WORDS.has(word)) {
      out = out.slice(0, at) + ' '.repeat(word.length) + out.slice(at + word.length);
    } else if (BLANK_CALLS.has(word)) {
      const end = matchParen(line, at + word.length);
      if (end > 0) {
        out = out.slice(0, at) + ' '.repeat(end - at) + out.slice(end);
        re.lastIndex = end;
      }
    } else if (/for_each/.test(word) && /^\s*\(/.test(line.slice(at + word.length))) {
      // list_for_each_entry(pos, head, member) { ... }  →  while          (pos, head, member) { ... }
      out = out.slice(0, at) + 'while' + ' '.repeat(word.length - 5 > 0 ? word.length - 5 : 0) + out.slice(at + word.length);
      if (word.length >= 5) rewrites.push({ row, column: at, name: word });
    } else if ((word === 'scoped_guard' || word === 'scoped_cond_guard') && /^\s*\(/.test(line.slice(at + word.length))) {
      out = out.slice(0, at) + 'if' + ' '.repeat(word.length - 2) + out.slice(at + word.length);
      rewrites.push({ row, column: at, name: word });
    }
  }
  return out;
}

/** Index just past the parenthesis group starting at or after `from` (skipping blanks), or -1. */
function matchParen(s: string, from: number): number {
  let i = from;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (s[i] !== '(') return -1;
  let d = 0;
  for (; i < s.length; i++) {
    if (s[i] === '(') d++;
    else if (s[i] === ')' && --d === 0) return i + 1;
  }
  return -1;
}

/** Brace depth profile over the lines, ignoring braces in comments, strings and char literals. */
export function braceProfile(lines: string[], startsInComment = false): { minDepth: number; finalDepth: number; depthBefore: number[] } {
  let depth = 0;
  let minDepth = 0;
  let inBlock = startsInComment;
  const depthBefore: number[] = [];
  for (const line of lines) {
    depthBefore.push(depth);
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inBlock) {
        if (c === '*' && line[i + 1] === '/') {
          inBlock = false;
          i++;
        }
        continue;
      }
      if (c === '/' && line[i + 1] === '*') {
        inBlock = true;
        i++;
      } else if (c === '/' && line[i + 1] === '/') break;
      else if (c === '"' || c === "'") {
        const q = c;
        for (i++; i < line.length && line[i] !== q; i++) if (line[i] === '\\') i++;
      } else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth < minDepth) minDepth = depth;
      }
    }
  }
  return { minDepth, finalDepth: depth, depthBefore };
}

/** Does the text start inside a block comment, and does it end inside one? */
function commentEdges(lines: string[]): { startsInside: boolean; endsInside: boolean } {
  let startsInside = false;
  let seenOpen = false;
  let open = false;
  for (const line of lines) {
    for (let i = 0; i < line.length - 1; i++) {
      if (line[i] === '/' && line[i + 1] === '/' && !open) break;
      if (line[i] === '/' && line[i + 1] === '*' && !open) {
        open = true;
        seenOpen = true;
        i++;
      } else if (line[i] === '*' && line[i + 1] === '/') {
        if (!open && !seenOpen) startsInside = true;
        open = false;
        i++;
      }
    }
  }
  return { startsInside, endsInside: open };
}

const STATEMENT_START = /^(if|for|while|do|switch|return|goto|break|continue|else)\b/;

/**
 * Does the text hold statements at depth 0 (a hunk or sketch of a function body,
 * not whole functions)? Kernel style puts top-level items at column 0, but web
 * archives drop indentation, so this looks at shape, not indentation.
 */
function hasTopLevelStatements(lines: string[], depthBefore: number[]): boolean {
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (inComment) {
      if (t.includes('*/')) inComment = false;
      continue;
    }
    if (t.startsWith('/*') && !t.includes('*/')) {
      inComment = true;
      continue;
    }
    if (depthBefore[i] !== 0 || !t || t.startsWith('#') || t.startsWith('//') || t.startsWith('/*') || t.startsWith('*')) continue;
    if (STATEMENT_START.test(t)) return true;
    if (/^[\w>.\-[\]*()]+\s*(=|\+=|-=|\|=|&=|\+\+|--)/.test(t) && t.endsWith(';') && !/^(static|extern|const|struct|union|enum|typedef|unsigned|signed|int|long|char|bool|void)\b/.test(t)) return true;
    if (/^[A-Za-z_]\w*\s*\(.*\)\s*;$/.test(t) && !/^[A-Z_0-9]+\s*\(/.test(t)) return true; // a bare call, not EXPORT_SYMBOL()-like
    if (/^(\+\+|--)/.test(t)) return true;
  }
  return false;
}

/** A depth-0 line that starts a function definition without a return type: `vma_delete(struct vm_area_struct *vma)`. */
function missingReturnType(line: string, nextLine: string | undefined): boolean {
  const t = line.trim();
  if (!/^[A-Za-z_]\w*\s*\((.*)$/.test(t)) return false;
  if (STATEMENT_START.test(t) || /^[A-Z_0-9]+\s*\(/.test(t)) return false;
  if (/;\s*$/.test(t)) return false;
  // The definition's body must open right after (same line or the next non-empty line).
  return /\{\s*$/.test(t) || /^\s*\{/.test(nextLine ?? '') || /,\s*$/.test(t);
}

export function buildFragment(meta: FragmentMeta, input: InputLine[]): Fragment {
  const rewrites: MacroRewrite[] = [];
  const texts = input.map((l) => l.text.replace(/\r$/, ''));
  const commentState = commentEdges(texts);
  const { minDepth, finalDepth, depthBefore } = braceProfile(texts, commentState.startsInside);
  const needWrap = minDepth < 0 || hasTopLevelStatements(texts, depthBefore);
  const opens = needWrap ? Math.max(1, -minDepth) : 0;
  const closes = finalDepth + opens;

  // A hunk may start inside a block comment (its first `*/` comes before any `/*`)
  // or end inside one: the missing opener/closer are added as synthetic lines.
  // A hunk whose header line is in the `@@` context starts with the body's `{`.
  const firstCode = texts.findIndex((t) => t.trim() !== '');
  const bareBody = opens === 0 && firstCode >= 0 && /^\{/.test(texts[firstCode].trim()) && !commentState.startsInside;

  const outText: string[] = [];
  const outLines: FragmentLine[] = [];
  const synthetic = (text: string, image: Image | null): void => {
    outText.push(text);
    outLines.push({ docLine: null, docColumn: 1, sourceLine: null, image });
  };
  if (opens > 0) synthetic(`void ${WRAPPER_NAME}(void) ${'{'.repeat(opens)}`, null);
  if (commentState.startsInside) synthetic('/*', null);
  for (let i = 0; i < input.length; i++) {
    const l = input[i];
    if (bareBody && i === firstCode) synthetic(`void ${WRAPPER_NAME}(void)`, null);
    if (depthBefore[i] + opens === 0 && missingReturnType(texts[i], texts[i + 1])) synthetic('int', l.image);
    outText.push(neutraliseLine(texts[i], outText.length, rewrites));
    outLines.push({ docLine: l.docLine, docColumn: l.docColumn, sourceLine: l.sourceLine, image: l.image });
  }
  if (commentState.endsInside) synthetic('*/', null);
  if (closes > 0) synthetic('}'.repeat(closes), null);
  return {
    ...meta,
    text: outText.join('\n'),
    lines: outLines,
    partial: needWrap || bareBody || finalDepth !== 0,
    macros: rewrites,
  };
}

/** A fragment for plain C text (a .c file, a test snippet): line i of the text is doc line firstLine + i. */
export function fragmentFromC(text: string, opts: Partial<FragmentMeta> & { firstLine?: number; image?: Image } = {}): Fragment {
  const first = opts.firstLine ?? 1;
  const image = opts.image ?? 'post';
  const lines = text.split(/\r?\n/).map((t, i) => ({ text: t, docLine: first + i, docColumn: 1, sourceLine: null, image }));
  return buildFragment(
    {
      id: opts.id ?? 'c0',
      kind: opts.kind ?? 'file',
      messageIndex: opts.messageIndex ?? 0,
      file: opts.file ?? null,
      functionHint: opts.functionHint ?? null,
      quoteDepth: opts.quoteDepth ?? 0,
    },
    lines,
  );
}
