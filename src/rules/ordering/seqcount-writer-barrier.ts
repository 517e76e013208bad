/**
 * seqcount-writer-barrier: an open-coded sequence-count writer whose data stores
 * are not fenced (smp_wmb) from the counter increments that open and close the
 * write section.
 */
import { createRule } from '../framework';
import { seqcountModel } from '../../ordering/seqcount';
import { at } from './report';

export const seqcountWriterBarrier = createRule({
  meta: {
    id: 'seqcount-writer-barrier',
    defaultSeverity: 'warning',
    category: 'seqcount',
    description: 'An open-coded sequence-count writer does not fence its data stores from the counter increments with smp_wmb().',
    messages: {
      beginNotFenced:
        '{{counter}} is incremented here to open the write section, but the store to {{data}} (line {{dataLine}}) is not fenced from it by smp_wmb(): a reader on the other CPU may see the new data before the odd count, take it with the old count and pass its re-check with a torn value. Put smp_wmb() between this increment and the data stores (or use write_seqcount_begin()). {{evidence}}',
      endNotFenced:
        '{{counter}} is incremented here to close the write section, but the store to {{data}} (line {{dataLine}}) before it is not fenced by smp_wmb(): a reader on the other CPU may see the closing count before the data, pass its re-check and keep the old value. Put smp_wmb() right before this increment (or use write_seqcount_end(), or smp_store_release() for the increment). {{evidence}}',
    },
  },
  run(ctx, report) {
    const model = seqcountModel(ctx);
    for (const issue of model.writer) {
      const where = at(ctx, issue.fn, issue.inc.node);
      const s = at(ctx, issue.fn, issue.store.node);
      const trace = issue.kind === 'begin'
        ? [
            { line: where.loc.line, column: where.loc.column, message: `increments ${issue.counter} (section opens)` },
            { line: s.loc.line, column: s.loc.column, message: `stores ${issue.store.key} with no smp_wmb() in between` },
          ]
        : [
            { line: s.loc.line, column: s.loc.column, message: `stores ${issue.store.key}` },
            { line: where.loc.line, column: where.loc.column, message: `increments ${issue.counter} (section closes) with no smp_wmb() in between` },
          ];
      const ev = model.evidence.get(issue.counter);
      const evidence = ev ? `(${issue.counter} is taken for a sequence count because ${ev.text}.)` : '';
      if (ev) {
        const e = at(ctx, ev.fn ?? issue.fn, ev.node);
        trace.unshift({ line: e.loc.line, column: e.loc.column, message: `evidence: ${ev.text}` });
      }
      report({ ...where, messageId: issue.kind === 'begin' ? 'beginNotFenced' : 'endNotFenced', data: { counter: issue.counter, data: issue.store.key, dataLine: s.loc.line, evidence }, trace });
    }
  },
});
