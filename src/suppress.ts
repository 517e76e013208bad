/**
 * Inline suppressions a reviewer (or the editor's "Ignore this rule here")
 * writes: `mmlens-ignore: rule-id[, rule-id]` in a comment on the finding's
 * line or on the line just above it. `mmlens-ignore` alone silences every rule there.
 */
import type { Finding } from './model';

const MARK = /mmlens-ignore(?::\s*([\w-]+(?:\s*,\s*[\w-]+)*))?/;

export function suppressionsByLine(text: string): Map<number, Set<string> | 'all'> {
  const out = new Map<number, Set<string> | 'all'>();
  if (!text.includes('mmlens-ignore')) return out;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = MARK.exec(lines[i]);
    if (!m) continue;
    const val: Set<string> | 'all' = m[1] ? new Set(m[1].split(',').map((s) => s.trim())) : 'all';
    for (const line of [i + 1, i + 2]) {
      const prev = out.get(line);
      if (prev === 'all' || val === 'all') out.set(line, 'all');
      else out.set(line, new Set([...(prev ?? []), ...val]));
    }
  }
  return out;
}

export function applySuppressions(findings: Finding[], text: string): Finding[] {
  const sup = suppressionsByLine(text);
  if (sup.size === 0) return findings;
  return findings.filter((f) => {
    const s = sup.get(f.line);
    return !(s === 'all' || (s && s.has(f.rule)));
  });
}

/** The comment text "Ignore this rule here" inserts above a line. */
export function suppressionComment(rule: string): string {
  return `/* mmlens-ignore: ${rule} */`;
}
