/**
 * lockdep-comment-not-assert: a comment claims a lock is held, or that nobody
 * else writes a field, where an assertion (lockdep_assert_held,
 * mmap_assert_write_locked, ASSERT_EXCLUSIVE_WRITER) could say it and have
 * lockdep/KCSAN check it. The fix replaces the comment by the assertion (or adds
 * the assertion after it when the comment says more than the claim).
 */
import { callArgs, callName, declaredName, nodeLocation, nodeSource, normaliseObject, walk } from '../../c/ast';
import { createRule, documentLines, type CFunction } from '../framework';
import type { Fix } from '../../model';
import { claimsIn, commentText, type Claim } from '../../ordering/comments';
import { parameterDeclarations } from '../../ordering/events';

interface Suggestion {
  claim: Claim;
  assertion: string;
}

function params(fn: CFunction): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [];
  for (const p of parameterDeclarations(fn)) {
    const name = declaredName(p.childForFieldName('declarator'));
    if (name) out.push({ name, type: p.childForFieldName('type')?.text ?? '' });
  }
  return out;
}

/** The expression naming the mm in this function: an mm_struct parameter, or vma->vm_mm. */
function mmExpr(fn: CFunction): string | null {
  const ps = params(fn);
  const mm = ps.find((p) => /\bmm_struct\b/.test(p.type));
  if (mm) return mm.name;
  const vma = ps.find((p) => /\bvm_area_struct\b/.test(p.type));
  if (vma) return `${vma.name}->vm_mm`;
  return null;
}

/** Names (identifiers) visible in the function: parameters and every identifier in the body. */
function visibleNames(fn: CFunction): Set<string> {
  const s = new Set(params(fn).map((p) => p.name));
  walk(fn.body, (n) => {
    if (n.type === 'identifier') s.add(n.text);
  });
  return s;
}

function suggest(fn: CFunction, claim: Claim, names: Set<string>): string | null {
  if (claim.kind === 'exclusive') {
    const base = /^[A-Za-z_]\w*/.exec(claim.subject)?.[0];
    if (!base || !names.has(base)) return null;
    return `ASSERT_EXCLUSIVE_WRITER(${claim.subject});`;
  }
  const lock = claim.subject;
  if (/(^|->|\.)(mmap_lock|mmap_sem|mmap_write_lock|mmap_read_lock)$/.test(lock)) {
    const mm = /^(.*)->mmap_(lock|sem)$/.exec(lock)?.[1] ?? mmExpr(fn);
    if (!mm) return null;
    const write = claim.write || /mmap_write_lock/.test(lock);
    return `${write ? 'mmap_assert_write_locked' : 'mmap_assert_locked'}(${mm});`;
  }
  if (/->|\./.test(lock)) {
    const base = /^[A-Za-z_]\w*/.exec(lock)?.[0];
    if (!base || !names.has(base)) return null;
    const rw = /(rwsem|_sem)$/.test(lock) && claim.write ? 'lockdep_assert_held_write' : 'lockdep_assert_held';
    return `${rw}(&${lock});`;
  }
  if (names.has(lock) && /ptl|lock$/.test(lock)) return `lockdep_assert_held(${lock});`;
  return null;
}

/** Does the function already assert what the claim says? */
function alreadyAsserted(fn: CFunction, claim: Claim, assertion: string): boolean {
  let found = false;
  const wantName = assertion.slice(0, assertion.indexOf('('));
  const wantArg = normaliseObject(assertion.slice(assertion.indexOf('(') + 1, assertion.lastIndexOf(')')));
  walk(fn.body, (n) => {
    if (found || n.type !== 'call_expression') return;
    const name = callName(n);
    const first = callArgs(n)[0];
    const arg = first ? normaliseObject(first.text) : '';
    if (claim.kind === 'exclusive') {
      if (/^ASSERT_EXCLUSIVE_(WRITER|ACCESS)(_SCOPED)?$/.test(name) && arg === wantArg) found = true;
    } else if (wantName.startsWith('mmap_assert')) {
      if (name === 'mmap_assert_write_locked' || (name === wantName)) found = true;
    } else if (/^lockdep_assert_held|^assert_spin_locked$/.test(name) && arg === wantArg) found = true;
  });
  return found;
}

export const lockdepCommentNotAssert = createRule({
  meta: {
    id: 'lockdep-comment-not-assert',
    defaultSeverity: 'info',
    category: 'lockdep',
    fixable: 'needs-review',
    description: 'A comment claims a lock is held or that nobody else writes a field, where an assertion would let lockdep/KCSAN check it.',
    messages: {
      exclusive:
        'This comment claims nobody else writes {{subject}}, but nothing checks it: if some other CPU ever writes {{subject}} concurrently, the data race goes unnoticed and the reasoning built on the claim breaks silently. Write {{assertion}} instead of the comment: KCSAN will then validate the claim on every run.',
      held:
        'This comment says {{subject}} is held here, but nothing checks it: a caller that reaches this code without the lock lets another CPU change what the lock protects, and nobody finds out. Write {{assertion}} instead of the comment: lockdep will check it for every caller.',
    },
  },
  run(ctx, report) {
    for (const fn of ctx.functions) {
      const f = fn.fragment;
      if (f.kind === 'pre') continue;
      // Only a comment that makes a claim needs the names (a walk of the whole body).
      let names: Set<string> | undefined;
      walk(fn.body, (n) => {
        if (n.type !== 'comment') return;
        // Only comments the patch adds (or quoted sketches / plain files), not unchanged context.
        // A comment cut by the hunk's edge (its opener or closer synthetic) is not shown whole: leave it.
        let added = false;
        for (let r = n.startPosition.row; r <= n.endPosition.row; r++) {
          const fl = f.lines[r];
          if (!fl || fl.docLine === null) return false;
          if (fl.image !== 'context') added = true;
        }
        if (!added) return false;
        const words = commentText(n.text);
        const sugg: Suggestion[] = [];
        const claims = claimsIn(words);
        for (const claim of claims) {
          const assertion = suggest(fn, claim, (names ??= visibleNames(fn)));
          if (!assertion || alreadyAsserted(fn, claim, assertion)) continue;
          if (!sugg.some((s) => s.assertion === assertion)) sugg.push({ claim, assertion });
        }
        if (!sugg.length) return false;
        const loc = nodeLocation(f, ctx.path, n);
        const lines = documentLines(ctx);
        const startLine = lines[loc.line - 1] ?? '';
        // What stands before the comment on its line (diff marker, quote markers, indentation) starts every new line.
        const before = startLine.slice(0, loc.column - 1);
        const prefix = /^[\s>+ -]*$/.test(before) ? before : before.replace(/\S.*$/, '');
        const body = sugg.map((s) => s.assertion);
        // Replace the comment when it says nothing but the claim; otherwise keep it and add the assertion after it.
        const residue = claims.reduce((w, c) => w.replace(c.text, ''), words).replace(/[\s.,;:()-]+/g, ' ').trim();
        const onlyClaim = residue.split(' ').filter((w) => w.length > 2).length <= 4;
        const fix: Fix = onlyClaim
          ? { description: `Replace the comment by ${body.join(' ')}`, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn, replacement: body.join(`\n${prefix}`), safety: 'needs-review' }
          : { description: `Add ${body.join(' ')} after the comment`, line: loc.endLine, column: loc.endColumn, endLine: loc.endLine, endColumn: loc.endColumn, replacement: body.map((b) => `\n${prefix}${b}`).join(''), safety: 'needs-review' };
        const first = sugg[0];
        report({
          messageId: first.claim.kind === 'exclusive' ? 'exclusive' : 'held',
          data: { subject: first.claim.subject, assertion: body.join(' ') },
          loc,
          source: nodeSource(f, n),
          function: fn.name,
          messageIndex: f.messageIndex,
          fix,
        });
        return false;
      });
    }
  },
});
