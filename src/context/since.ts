/**
 * `mmlens check --since OLD NEW`: what a new version of a series introduces or
 * still has, compared with the old one. Findings match by the patch's subject
 * (the title without `[PATCH vN M/K]`), the function, the rule and the kind of
 * message — never by line, which moves between versions. When a patch was
 * retitled, a finding matches on function, rule, kind and file alone.
 */
import type { AnalysisResult, Finding } from '../model';

export type SinceStatus = 'new' | 'remaining';

export interface SinceReport {
  /** Per NEW result, per finding (same order): new or remaining. */
  status: Map<Finding, SinceStatus>;
  newCount: number;
  remaining: number;
  /** Findings of OLD that NEW no longer has. */
  gone: number;
}

const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

function titleOf(r: AnalysisResult, f: Finding): string {
  const m = f.messageIndex === undefined ? r.messages[0] : r.messages.find((x) => x.index === f.messageIndex);
  return norm(m?.subject?.title ?? m?.headers.subject);
}

function keys(r: AnalysisResult, f: Finding): { full: string; loose: string; title: string } {
  const title = titleOf(r, f);
  const loose = `${f.function ?? ''}|${f.rule}|${f.messageId}|${f.source?.file ?? ''}`;
  return { full: `${title}|${loose}`, loose, title };
}

export function compareSince(oldResults: AnalysisResult[], newResults: AnalysisResult[]): SinceReport {
  const gated = (f: Finding): boolean => f.severity !== 'info';
  const oldFull = new Map<string, number>();
  const oldLoose = new Map<string, number>();
  const oldTitles = new Set<string>();
  for (const r of oldResults)
    for (const f of r.findings.filter(gated)) {
      const k = keys(r, f);
      oldFull.set(k.full, (oldFull.get(k.full) ?? 0) + 1);
      oldLoose.set(k.loose, (oldLoose.get(k.loose) ?? 0) + 1);
      oldTitles.add(k.title);
    }
  const status = new Map<Finding, SinceStatus>();
  let remaining = 0;
  let newCount = 0;
  const used = new Map<string, number>();
  for (const r of newResults)
    for (const f of r.findings) {
      if (!gated(f)) continue;
      const k = keys(r, f);
      const byTitle = oldTitles.has(k.title);
      const key = byTitle ? `F${k.full}` : `L${k.loose}`;
      const have = byTitle ? oldFull.get(k.full) ?? 0 : oldLoose.get(k.loose) ?? 0;
      const n = used.get(key) ?? 0;
      if (n < have) {
        used.set(key, n + 1);
        status.set(f, 'remaining');
        remaining++;
      } else {
        status.set(f, 'new');
        newCount++;
      }
    }
  const oldTotal = oldResults.reduce((n, r) => n + r.findings.filter(gated).length, 0);
  return { status, newCount, remaining, gone: oldTotal - remaining };
}
