/** Hover on kernel primitives: what the call does and implies, from the table the emulator uses. */
import { lookupApi, type ApiInfo } from '../kernel/apis';
import { rng, type DocLike, type Pos, type Rng } from './types';

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

export function wordAt(text: string, character: number): { word: string; start: number; end: number } | null {
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    if (character >= m.index && character <= m.index + m[0].length) return { word: m[0], start: m.index, end: m.index + m[0].length };
    if (m.index > character) break;
  }
  return null;
}

const RETURNS: Record<NonNullable<ApiInfo['returns']>, string> = {
  'held-if-true': 'taken when it returns true',
  'held-if-zero': 'taken when it returns 0',
  'held-if-nonnull': 'taken when it returns non-NULL',
  'started-if-zero': 'started when it returns 0',
};

export function hoverMarkdown(info: ApiInfo): string {
  const facts: string[] = [`kind: \`${info.kind}\``, `role: \`${info.role}\``];
  if (info.family) facts.push(`family: \`${info.family}\``);
  if (info.objectArg !== undefined) facts.push(`object: argument ${info.objectArg + 1}`);
  if (info.returns) facts.push(RETURNS[info.returns]);
  return `**${info.name}** (mmlens)\n\n${info.summary}\n\n${facts.join(' · ')}`;
}

export function hoverAt(doc: DocLike, p: Pos, lookup: (name: string) => ApiInfo | undefined = lookupApi): { range: Rng; markdown: string } | null {
  const text = doc.lineAt(p.line);
  const w = wordAt(text, p.character);
  if (!w) return null;
  const info = lookup(w.word);
  if (!info) return null;
  return { range: rng(p.line, w.start, p.line, w.end), markdown: hoverMarkdown(info) };
}
