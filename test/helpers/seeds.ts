/** Locate the seed mails (../shared/seeds beside the repo); tests skip clearly when they are absent. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SEEDS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'seeds');

export function seedPath(prefix: string): string | null {
  if (!fs.existsSync(SEEDS_DIR)) return null;
  const f = fs.readdirSync(SEEDS_DIR).find((n) => n.startsWith(prefix));
  return f ? path.join(SEEDS_DIR, f) : null;
}

export function readSeed(prefix: string): { path: string; text: string } | null {
  const p = seedPath(prefix);
  return p ? { path: p, text: fs.readFileSync(p, 'utf8') } : null;
}

export const SKIP_SEEDS = `seeds not found at ${SEEDS_DIR} (they live in ../shared/seeds beside the repo)`;

/** 1-based number of the first line of `text` containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}
