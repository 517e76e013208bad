/** Shared plumbing of the pairing rules: report the emulator's issues of one rule id. */
import type { DocumentContext, ReportDescriptor } from '../framework';
import { nodeLocation, nodeSource } from '../../c/ast';
import { emulate } from '../../emulator';
import type { PairingRuleId } from '../../emulator/issues';

export function reportIssues<M extends string>(ruleId: PairingRuleId, ctx: DocumentContext, report: (d: ReportDescriptor<M>) => void): void {
  const em = emulate(ctx);
  for (const i of em.issues) {
    if (i.rule !== ruleId) continue;
    report({
      messageId: i.messageId as M,
      data: i.data,
      loc: nodeLocation(i.fn.fragment, ctx.path, i.node),
      source: nodeSource(i.fn.fragment, i.node),
      trace: i.trace,
      function: i.fn.name,
      messageIndex: i.fn.fragment.messageIndex,
    });
  }
}
