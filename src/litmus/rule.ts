/**
 * ordering-outcome-reachable: a CPU0 | CPU1 timeline in a mail (or in a C
 * comment) is explored under the Linux-kernel memory model. Warning when a
 * thread can miss the other's write in the way the timeline argues it cannot
 * (the witness execution is the trace); info with the verdict when the
 * outcome is forbidden; info naming the step when the timeline cannot be
 * modelled (never a guessed verdict).
 */
import { createRule, type DocumentContext } from '../rules/framework';
import { commentLines, exploreTimelines, type TimelineAnswer, type TimelineLine, type TimelineResult } from './timeline';

/** The timelines of a document, answered once per document (the rule and the editor share it). */
export function documentTimelines(ctx: Pick<DocumentContext, 'path' | 'text' | 'messages'> & { memo?: DocumentContext['memo'] }): { messageIndex: number; result: TimelineResult }[] {
  const compute = () => {
    if (/\.(c|h)$/i.test(ctx.path)) return [{ messageIndex: 0, result: exploreTimelines(commentLines(ctx.text), ctx.path) }];
    return ctx.messages.map((m) => ({ messageIndex: m.index, result: exploreTimelines(m.body as TimelineLine[], ctx.path) })).filter((r) => r.result.answers.length || r.result.problems.length);
  };
  return ctx.memo ? ctx.memo('litmus/timelines', compute) : compute();
}

const timelinesOf = (a: TimelineAnswer) => a.blocks.map((b) => `${b.name.startsWith('timeline at') ? 'line' : b.name} ${b.name.startsWith('timeline at') ? b.docLine : `(line ${b.docLine})`}`).join(', ');

function classesText(a: TimelineAnswer): string {
  const undrawn = a.classes.filter((c) => !c.timelines.length && c.executions > 0);
  const parts = a.classes.filter((c) => c.timelines.length).map((c) => `${c.timelines.join('/')}: ${c.executions}`);
  if (undrawn.length) parts.push(`${undrawn.length} class${undrawn.length === 1 ? '' : 'es'} no timeline draws (${undrawn.map((c) => c.order.join(', ')).join('; ')}): ${undrawn.reduce((n, c) => n + c.executions, 0)}`);
  return parts.join('; ');
}

function dataOf(a: TimelineAnswer) {
  return {
    timelines: timelinesOf(a),
    threads: `${a.threads[0]}: ${a.programs[0].map((l) => `[${l}]`).join(' ')}; ${a.threads[1]}: ${a.programs[1].map((l) => `[${l}]`).join(' ')}`,
    question: a.question.replace(/^can/, 'Can'),
    matching: a.matching,
    executions: a.executions,
    classes: classesText(a),
  };
}

export const orderingOutcomeReachable = createRule({
  meta: {
    id: 'ordering-outcome-reachable',
    defaultSeverity: 'warning',
    category: 'barrier',
    description: 'A CPU0 | CPU1 timeline in the mail: the Linux-kernel memory model allows the outcome it argues cannot happen (a reader missing the writer); the witness execution is the trace.',
    messages: {
      reachable:
        'Timeline {{timelines}} ({{threads}}): {{question}} Sometimes: {{matching}} of the {{executions}} executions the Linux-kernel memory model allows do (by interleaving: {{classes}}). The trace shows one; add the ordering that forbids it (a barrier pairing with the other CPU, release/acquire, or a fully ordered atomic) or explain in the mail why that outcome is harmless.',
    },
  },
  run(ctx, report) {
    for (const { messageIndex, result } of documentTimelines(ctx))
      for (const a of result.answers) {
        if (a.verdict !== 'Sometimes') continue;
        const first = a.blocks[0];
        report({ messageId: 'reachable', data: dataOf(a), loc: { path: ctx.path, line: first.docLine, column: 1, endLine: first.endLine, endColumn: 1 }, trace: a.witnessTrace ?? [], messageIndex });
      }
  },
});

export const orderingOutcomeVerdict = createRule({
  meta: {
    id: 'ordering-outcome-verdict',
    defaultSeverity: 'info',
    category: 'barrier',
    description: 'A CPU0 | CPU1 timeline in the mail whose feared outcome the Linux-kernel memory model forbids (Never, with the executions counted), or that could not be modelled (the step is named).',
    messages: {
      never:
        'Timeline {{timelines}} ({{threads}}): {{question}} Never: none of the {{executions}} executions the Linux-kernel memory model allows do (by interleaving: {{classes}}); the ordering in the steps as written forbids it, so keep every barrier in the steps.',
      unmodelled: 'Timeline {{timelines}} was not explored: {{reason}}. mmlens gives no verdict for it; write the step with kernel primitives (READ_ONCE, atomic_*, smp_*) to have it checked.',
    },
  },
  run(ctx, report) {
    for (const { messageIndex, result } of documentTimelines(ctx)) {
      for (const a of result.answers) {
        if (a.verdict !== 'Never') continue;
        const first = a.blocks[0];
        report({ messageId: 'never', data: dataOf(a), loc: { path: ctx.path, line: first.docLine, column: 1, endLine: first.endLine, endColumn: 1 }, messageIndex });
      }
      for (const p of result.problems) {
        const first = p.blocks[0];
        report({ messageId: 'unmodelled', data: { timelines: p.blocks.map((b) => (b.name.startsWith('timeline at') ? `at line ${b.docLine}` : `${b.name} (line ${b.docLine})`)).join(', '), reason: p.message }, loc: { path: ctx.path, line: first.docLine, column: 1, endLine: first.endLine, endColumn: 1 }, messageIndex });
      }
    }
  },
});

/** This module's rules (the engine runs them with the others). */
export const litmusRules = [orderingOutcomeReachable, orderingOutcomeVerdict];
