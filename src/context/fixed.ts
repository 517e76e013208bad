/**
 * Fix patches: the rules run a second time on the pre-images (the `-` side of each
 * hunk, or the whole pre-image function with a tree), read as if they were new
 * code. A finding there that the post-image no longer has (same rule, message,
 * function and message of the document) is reported as an info "fixed by this
 * patch", on the pre-image's line; a finding in both images is reported once, on
 * the post-image (the normal pass).
 */
import type { Finding, Fragment } from '../model';

/** The pre-image fragments of the document's own patches, re-labelled as code to check. */
export function preImageFragments(fragments: Fragment[]): Fragment[] {
  return fragments
    .filter((f) => f.kind === 'pre' && f.quoteDepth === 0)
    .map((f) => ({ ...f, id: `${f.id}/as-post`, kind: 'post' as const, lines: f.lines.map((l) => (l.image === 'pre' ? { ...l, image: 'post' as const } : l)) }));
}

const keyOf = (f: Finding): string => `${f.rule}|${f.messageIndex ?? ''}|${f.function ?? ''}|${f.messageId}`;

export function fixedByPatch(pre: Finding[], post: Finding[]): Finding[] {
  const still = new Set(post.map(keyOf));
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of pre) {
    if (f.severity === 'info') continue;
    const k = keyOf(f);
    if (still.has(k) || seen.has(k)) continue;
    seen.add(k);
    out.push({ ...f, severity: 'info', messageId: 'fixedByPatch', message: `fixed by this patch: the pre-image had this ${f.severity}, the post-image no longer does: ${f.message}`, fix: undefined });
  }
  return out.map((f) => {
    const { fix, ...rest } = f;
    void fix;
    return rest;
  });
}
