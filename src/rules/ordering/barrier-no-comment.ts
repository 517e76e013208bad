/**
 * barrier-no-comment: checkpatch.pl's MEMORY_BARRIER warning, on the same lines
 * checkpatch looks at (added lines of a patch, every line of a .c file), so the
 * warning can be retired from a checkpatch-based flow.
 */
import { callName, nodeLocation, nodeSource, walk } from '../../c/ast';
import { createRule } from '../framework';
import { commentsOf, documentingComment } from '../../ordering/comments';
import { isCheckpatchBarrier } from '../../ordering/primitives';

export const barrierNoComment = createRule({
  meta: {
    id: 'barrier-no-comment',
    defaultSeverity: 'info',
    category: 'barrier',
    description: 'A memory barrier on an added line has no comment saying what it orders and what it pairs with (checkpatch MEMORY_BARRIER).',
    // On in the CLI (checkpatch parity), off by default in the editor where it would be noise.
    enabledByDefault: true,
    enabledInEditorByDefault: false,
    messages: {
      noComment:
        '{{name}}() has no comment (checkpatch: MEMORY_BARRIER): a barrier only works together with its partner on the other CPU, and without a comment naming what it orders and which barrier it pairs with, neither a reviewer nor a later change can check that the partner exists. Add a comment on or just above this line, e.g. /* Order the store to X before Y; pairs with smp_rmb() in foo(). */',
    },
  },
  run(ctx, report) {
    const seen = new Set<string>();
    const frags = [...ctx.fragments].sort((a, b) => a.fragment.quoteDepth - b.fragment.quoteDepth);
    for (const pf of frags) {
      const f = pf.fragment;
      if (f.kind === 'pre' || f.kind === 'quoted-code') continue;
      const comments = commentsOf(ctx, pf);
      walk(pf.tree.rootNode, (n) => {
        if (n.type !== 'call_expression') return;
        const name = callName(n);
        if (!isCheckpatchBarrier(name)) return;
        const row = n.startPosition.row;
        if (f.lines[row]?.image !== 'post') return; // only added lines, as checkpatch
        if (documentingComment(comments, row)) return;
        const source = nodeSource(f, n);
        // A quoted copy of a hunk already reported at depth 0 is the same line of the same patch.
        const key = source ? `${source.file}:${source.line}:${name}` : null;
        if (key && seen.has(key)) return;
        if (key) seen.add(key);
        report({ messageId: 'noComment', data: { name }, loc: nodeLocation(f, ctx.path, n), source, messageIndex: f.messageIndex });
      });
    }
  },
});
