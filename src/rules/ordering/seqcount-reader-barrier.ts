/**
 * seqcount-reader-barrier: an open-coded (or caller-ordered API) seqcount reader
 * whose re-check of the counter is not preceded by a read barrier after the data
 * loads, or whose saved count is not followed by one before them.
 */
import { createRule } from '../framework';
import { seqcountModel } from '../../ordering/seqcount';
import { at } from './report';

export const seqcountReaderBarrier = createRule({
  meta: {
    id: 'seqcount-reader-barrier',
    defaultSeverity: 'warning',
    category: 'seqcount',
    description: 'A sequence-count reader re-checks or saves the counter without the smp_rmb() that orders the data loads against it.',
    messages: {
      recheck:
        '{{counter}} is re-read here to validate the load of {{data}} (line {{dataLine}}), but no smp_rmb() stands between the two: the CPU may satisfy this re-read before the data load, so a reader racing with the writer on the other CPU sees the old count with half-updated data and accepts it. Put smp_rmb() right before this re-read of {{counter}} (or use read_seqcount_retry()). {{evidence}}',
      recheckEntry:
        '{{counter}} is re-read here to validate what was read since {{begin}}() saved it, but nothing in {{fn}}() orders those earlier loads before this re-read: they may be satisfied after it, so a write on the other CPU in between goes unnoticed and stale or torn data is accepted. Put smp_rmb() before this re-read of {{counter}} (the smp_rmb() after it only orders the loads that follow). {{evidence}}',
      begin:
        'The value of {{counter}} saved here is not followed by smp_rmb() before {{data}} is loaded (line {{dataLine}}): the data load may be satisfied before the counter load, so a reader can combine data from inside a write section on the other CPU with a count from before it and still pass the re-check. Put smp_rmb() right after this load (or load the count with smp_load_acquire()). {{evidence}}',
      apiRetry:
        '{{api}}() compares {{counter}} without a read barrier, and no smp_rmb() stands between the load of {{data}} (line {{dataLine}}) and this call: the load may be satisfied after the re-check, so a writer on the other CPU can change the data unnoticed. Use read_seqcount_retry(), or put smp_rmb() right before {{api}}().',
      apiCheck:
        '{{api}}() re-reads {{counter}} with acquire ordering, which orders only the loads after it: the load of {{data}} (line {{dataLine}}) before it may be satisfied after it, so a write on the other CPU between them goes unnoticed. Put smp_rmb() before this re-read, or end the section with read_seqcount_retry().',
    },
  },
  run(ctx, report) {
    const model = seqcountModel(ctx);
    for (const issue of model.reader) {
      const where = at(ctx, issue.fn, issue.at.node);
      const dataAt = issue.data ? at(ctx, issue.fn, issue.data.node).loc : null;
      const dataLine = dataAt ? dataAt.line : 0;
      const data = issue.data ? issue.data.key : '';
      const trace = [] as { line: number; column: number; message: string }[];
      if (issue.savedIn && issue.savedIn.event !== issue.at) {
        const s = at(ctx, issue.savedIn.fn, issue.savedIn.event.node);
        trace.push({ line: s.loc.line, column: s.loc.column, message: `${issue.savedIn.fn.name}() saves ${issue.savedIn.event.key}` });
      }
      if (dataAt) trace.push({ line: dataAt.line, column: dataAt.column, message: `loads ${data}` });
      trace.push({ line: where.loc.line, column: where.loc.column, message: issue.kind === 'begin' ? `saves ${issue.counter} with no smp_rmb() before the data load` : `re-reads ${issue.counter} with no smp_rmb() before it` });
      const ev = model.evidence.get(issue.counter);
      const evidence = ev ? `(${issue.counter} is taken for a sequence count because ${ev.text}.)` : '';
      if (ev) {
        const e = at(ctx, ev.fn ?? issue.fn, ev.node);
        trace.unshift({ line: e.loc.line, column: e.loc.column, message: `evidence: ${ev.text}` });
      }
      if (issue.kind === 'begin') {
        report({ ...where, messageId: 'begin', data: { counter: issue.counter, data, dataLine, evidence }, trace });
      } else if (issue.kind === 'recheck-entry') {
        report({ ...where, messageId: 'recheckEntry', data: { counter: issue.counter, begin: issue.savedIn?.fn.name ?? 'the section start', fn: issue.fn.name, evidence }, trace });
      } else if (issue.api && issue.at.t === 'seq' && issue.at.role === 'read-retry-unordered') {
        report({ ...where, messageId: 'apiRetry', data: { api: issue.api, counter: issue.counter, data, dataLine }, trace });
      } else if (issue.api) {
        report({ ...where, messageId: 'apiCheck', data: { api: issue.api, counter: issue.counter, data, dataLine }, trace });
      } else {
        report({ ...where, messageId: 'recheck', data: { counter: issue.counter, data, dataLine, evidence }, trace });
      }
    }
  },
});
