/**
 * C fragments to parse: the pre-image and post-image of every hunk, and C that
 * reviewers quote or sketch in replies without diff markers (at any quote depth,
 * also between `---8<---` scissors). Every fragment line keeps its place in the
 * opened document.
 */
import type { Fragment, Hunk, Message, Patch, SourceLine } from '../model';
import { buildFragment, type InputLine } from '../c/prepare';
import { patchesByMessage } from './index';

export function buildFragments(messages: Message[], patches: Patch[]): Fragment[] {
  const out: Fragment[] = [];
  const byMessage = patchesByMessage(patches);
  for (const msg of messages) {
    const mp = byMessage.get(msg.index) ?? [];
    const used = new Set<number>();
    mp.forEach((p, pi) =>
      p.files.forEach((f, fi) =>
        f.hunks.forEach((h) => {
          for (const l of h.lines) used.add(l.docLine);
          used.add(h.headerLine);
          const base = `m${msg.index}/p${pi}/f${fi}/h${h.index}`;
          const post = hunkImage(h, 'post');
          if (post.length) out.push(buildFragment({ id: `${base}/post`, kind: 'post', messageIndex: msg.index, file: f.newPath ?? f.oldPath, functionHint: h.functionName, quoteDepth: h.quoteDepth }, post));
          // The pre-image only adds something when lines were removed (context is in the post-image).
          if (h.lines.some((l) => l.kind === '-')) out.push(buildFragment({ id: `${base}/pre`, kind: 'pre', messageIndex: msg.index, file: f.oldPath ?? f.newPath, functionHint: h.functionName, quoteDepth: h.quoteDepth }, hunkImage(h, 'pre')));
        }),
      ),
    );
    quotedCodeBlocks(msg.body, used).forEach((block, qi) => {
      out.push(
        buildFragment(
          { id: `m${msg.index}/q${qi}`, kind: 'quoted-code', messageIndex: msg.index, file: null, functionHint: null, quoteDepth: block[0].quoteDepth },
          block.map((l) => ({ text: l.text, docLine: l.docLine, docColumn: l.docColumn, sourceLine: null, image: 'quoted-code' as const })),
        ),
      );
    });
  }
  return out;
}

function hunkImage(h: Hunk, which: 'pre' | 'post'): InputLine[] {
  const skip = which === 'post' ? '-' : '+';
  const out: InputLine[] = [];
  for (const l of h.lines) {
    if (l.kind === skip) continue;
    out.push({
      text: l.text,
      docLine: l.docLine,
      docColumn: l.docColumn,
      sourceLine: which === 'post' ? l.newLine : l.oldLine,
      image: l.kind === ' ' ? 'context' : which,
    });
  }
  return out;
}

// ---------------------------------------------------------------- C in prose

const KEYWORD_START = /^(static|struct|union|enum|int|void|bool|char|long|unsigned|signed|const|if|for|while|return|else|do|switch|case|default|goto|break|continue|#\s*(define|include|if|ifdef|ifndef|endif|else))\b/;
const SCISSORS = /^-{2,}\s*8<\s*-{2,}\s*$|^-+\s*>8\s*-+$/;

type LineClass = 'code' | 'comment' | 'neutral' | 'prose';

/** How a line of a mail reads: C, a C comment, neither (blank, `...`), or prose. */
export function classify(text: string): LineClass {
  const t = text.trim();
  if (!t || t === '...' || /^\[\s*\.\.\.\s*\]$/.test(t)) return 'neutral';
  if (t.startsWith('/*') || t.startsWith('*/') || t.startsWith('//') || (t.startsWith('*') && !t.startsWith('**'))) return 'comment';
  if (t === '{' || t === '}' || t === '};' || /^}\s*(else\b.*)?$/.test(t)) return 'code';
  if (/\|\s*$/.test(t) || /\s\|\s/.test(t)) return 'prose'; // CPU0 | CPU1 timeline columns
  const last = t[t.length - 1];
  if (last === ';' && /[(=)[\]]|\+\+|--|->/.test(t) && !/^[A-Z][a-z]+\s+[a-z]+\s+[a-z]+/.test(t)) return 'code';
  if (last === ';' && /^(return|break|continue|goto)\b/.test(t)) return 'code';
  if (last === '{' && /[()=]|^(struct|union|enum|else|do)\b/.test(t)) return 'code';
  if ((last === ')' || last === ',') && /^[A-Za-z_][\w\s*]*\(/.test(t) && !/\s(the|a|is|are|to|of|and|or|we|it)\s/i.test(t)) return 'code';
  if (KEYWORD_START.test(t) && /[;{}()]/.test(t)) return 'code';
  if (/^[A-Za-z_][\w>.\-[\]]*\s*(=|\+=|-=|\|=|&=)\s*[^=]/.test(t) && /[;,(]$/.test(t)) return 'code';
  return 'prose';
}

/**
 * Runs of C-looking lines at one quote depth outside any hunk. A run needs two
 * code lines and a statement or brace: one call quoted in prose is not a sketch.
 * Lines between scissors are taken whatever they look like.
 */
export function quotedCodeBlocks(body: SourceLine[], used: Set<number>): SourceLine[][] {
  const blocks: SourceLine[][] = [];
  let run: SourceLine[] = [];
  let codeLines = 0;
  let inScissors = false;
  let scissorsDepth = -1;
  const flush = (): void => {
    while (run.length && classify(run[run.length - 1].text) === 'neutral') run.pop();
    while (run.length && classify(run[0].text) === 'neutral') run.shift();
    if (run.length && codeLines >= 2) blocks.push(run);
    run = [];
    codeLines = 0;
  };
  for (const sl of body) {
    if (SCISSORS.test(sl.text.trim())) {
      flush();
      inScissors = !inScissors;
      scissorsDepth = sl.quoteDepth;
      continue;
    }
    if (used.has(sl.docLine)) {
      flush();
      continue;
    }
    if (run.length && sl.quoteDepth !== run[0].quoteDepth) {
      // A blank line at a shallower depth inside a quoted sketch (`>` alone) does not end it.
      if (!sl.text.trim()) continue;
      flush();
    }
    const cls = classify(sl.text);
    if (inScissors && sl.quoteDepth === scissorsDepth) {
      run.push(sl);
      if (cls === 'code') codeLines++;
      continue;
    }
    if (cls === 'prose') {
      flush();
      continue;
    }
    if (cls === 'comment' && run.length === 0 && !sl.text.trim().startsWith('/*') && !sl.text.trim().startsWith('//')) continue; // a `*` bullet in prose
    run.push(sl);
    if (cls === 'code') codeLines++;
  }
  flush();
  return blocks;
}
