/**
 * barrier-unpaired: a write-side barrier (smp_wmb, smp_store_release) with no
 * read-side partner on the same fields anywhere in the document, or the reverse;
 * a barrier comment that names its partner function is checked against that
 * function when the document shows it.
 */
import type { Node } from 'web-tree-sitter';
import { nodeLocation, nodeSource } from '../../c/ast';
import { createRule, type CFunction, type DocumentContext, type ParsedFragment } from '../framework';
import { documentEvents, type FnEvents, type OrdEvent } from '../../ordering/events';
import { commentsOf, documentingComment, namedPartners, type CommentInfo } from '../../ordering/comments';
import { seqcountRole } from '../../ordering/primitives';

type Side = 'write' | 'read';

interface Occurrence {
  fe: FnEvents;
  event: OrdEvent;
  side: Side;
  barrier: string;
  fields: string[];
}

function occurrences(fe: FnEvents): Occurrence[] {
  const ev = fe.events;
  const out: Occurrence[] = [];
  const window = (i: number, want: (e: OrdEvent) => string | null): string[] => {
    const fields: string[] = [];
    const isStop = (e: OrdEvent) => e.t === 'barrier' || e.t === 'lock' || e.t === 'seq';
    for (let j = i - 1; j >= 0 && !isStop(ev[j]); j--) {
      const f = want(ev[j]);
      if (f && !fields.includes(f)) fields.push(f);
    }
    for (let j = i + 1; j < ev.length && !isStop(ev[j]); j++) {
      const f = want(ev[j]);
      if (f && !fields.includes(f)) fields.push(f);
    }
    return fields;
  };
  ev.forEach((e, i) => {
    if (e.t === 'barrier' && (e.strength === 'write' || e.strength === 'read') && !e.name.startsWith('dma_')) {
      const side: Side = e.strength;
      const fields = window(i, (x) => (side === 'write' ? ((x.t === 'store' || x.t === 'inc') && x.field !== '*' ? x.field : null) : x.t === 'load' ? x.field : null));
      if (fields.length) out.push({ fe, event: e, side, barrier: `${e.name}()`, fields });
    } else if (e.t === 'store' && e.via === 'release' && /smp_store_release/.test(e.node.text.slice(0, 20))) {
      out.push({ fe, event: e, side: 'write', barrier: 'smp_store_release()', fields: [e.field] });
    } else if (e.t === 'inc' && e.via === 'release') {
      out.push({ fe, event: e, side: 'write', barrier: 'smp_store_release()', fields: [e.field] });
    } else if (e.t === 'load' && e.via === 'acquire' && /smp_load_acquire/.test(e.node.text.slice(0, 20))) {
      out.push({ fe, event: e, side: 'read', barrier: 'smp_load_acquire()', fields: [e.field] });
    }
  });
  return out;
}

/**
 * For each side, the fields each function orders the way a partner of that side
 * must: field → the functions that do. Built once per run: checking every
 * barrier against every function made the rule quadratic in a big mbox.
 */
function partnerIndex(all: FnEvents[]): Record<Side, Map<string, Set<FnEvents>>> {
  const index: Record<Side, Map<string, Set<FnEvents>>> = { write: new Map(), read: new Map() };
  const add = (side: Side, field: string, g: FnEvents) => {
    const fns = index[side].get(field);
    if (fns) fns.add(g);
    else index[side].set(field, new Set([g]));
  };
  for (const g of all) {
    const ev = g.events;
    const readFence = ev.some((e) => e.t === 'barrier' && (e.strength === 'read' || e.strength === 'full'));
    const writeFence = ev.some((e) => e.t === 'barrier' && (e.strength === 'write' || e.strength === 'full'));
    for (const e of ev) {
      // A partner of a write barrier reads the fields in order; one of a read barrier writes them in order.
      if (e.t === 'load' && (e.via !== 'plain' || readFence)) add('write', e.field, g);
      if (e.t === 'seq' && /^read/.test(e.role)) add('write', e.field, g);
      if ((e.t === 'store' || e.t === 'inc') && (e.via === 'release' || writeFence)) add('read', e.field, g);
      if (e.t === 'seq' && /^write/.test(e.role)) add('read', e.field, g);
    }
  }
  return index;
}

/** Does a function other than `fe` order the accesses to one of `fields` the way a partner of `side` must? */
function hasPartner(index: Record<Side, Map<string, Set<FnEvents>>>, fe: FnEvents, side: Side, fields: string[]): boolean {
  return fields.some((f) => {
    const fns = index[side].get(f);
    return !!fns && (fns.size > 1 || !fns.has(fe));
  });
}

/** Any ordering of the complementary kind in `g` or the functions of the document it calls (two levels); null: cannot tell. */
function hasComplement(ctx: DocumentContext, byName: Map<string, FnEvents[]>, g: FnEvents, side: Side, depth = 0): boolean | null {
  let unknown = false;
  for (const e of g.events) {
    if (e.t === 'barrier' && (e.strength === 'full' || e.strength === (side === 'write' ? 'read' : 'write'))) return true;
    if (side === 'write' && e.t === 'load' && (e.via === 'acquire' || e.via === 'dep')) return true;
    if (side === 'read' && (e.t === 'store' || e.t === 'inc') && e.via === 'release') return true;
    if (e.t === 'seq' && (side === 'write' ? /^read/ : /^write/).test(e.role)) return true;
    if (e.t === 'lock') unknown = true;
    if (e.t === 'call') {
      const callees = byName.get(e.name);
      if (callees && depth < 2) {
        for (const c of callees) {
          const r = hasComplement(ctx, byName, c, side, depth + 1);
          if (r) return true;
          if (r === null) unknown = true;
        }
      } else unknown = true;
    }
  }
  return unknown ? null : false;
}

const LOOKED: Record<Side, string> = {
  write: 'smp_rmb()/smp_mb() next to a load, smp_load_acquire(), READ_ONCE() with a dependency, or a seqcount read',
  read: 'smp_wmb()/smp_mb() next to a store, smp_store_release(), or a seqcount write',
};

export const barrierUnpaired = createRule({
  meta: {
    id: 'barrier-unpaired',
    defaultSeverity: 'info',
    category: 'barrier',
    description: 'A write barrier with no read-side partner on the same fields in the document (or the reverse), or a "pairs with" comment the named function does not honour.',
    messages: {
      noPartnerWrite:
        '{{barrier}} orders the stores to {{fields}} here, but nothing in this mail or series reads {{fields}} in order (looked for {{looked}}): a write barrier only helps when the reader on the other CPU orders its loads too, otherwise it can still see the new {{last}} with the old data. Point to the reader that pairs with it in a comment ("pairs with smp_rmb() in foo()"), or add the read-side barrier there.',
      noPartnerRead:
        '{{barrier}} orders the loads of {{fields}} here, but nothing in this mail or series writes {{fields}} in order (looked for {{looked}}): a read barrier only helps when the writer on the other CPU orders its stores too, otherwise the loads can still see the stores out of order. Point to the writer that pairs with it in a comment ("pairs with smp_wmb() in foo()"), or add the write-side barrier there.',
      partnerMismatch:
        'The comment says this {{barrier}} pairs with {{partner}}(), but {{partner}}() in this document has no {{wanted}}: the pairing the comment promises is not there, so the other CPU can see these accesses out of order. Add the barrier to {{partner}}() or correct the comment to name the real partner.',
    },
  },
  run(ctx, report) {
    const all = [...documentEvents(ctx).values()].filter((fe) => fe.fn.fragment.kind !== 'pre');
    const byName = new Map<string, FnEvents[]>();
    for (const fe of all) {
      const same = byName.get(fe.fn.name);
      if (same) same.push(fe);
      else byName.set(fe.fn.name, [fe]);
    }
    const parsed = new Map<CFunction['fragment'], ParsedFragment>();
    for (const pf of ctx.fragments) if (!parsed.has(pf.fragment)) parsed.set(pf.fragment, pf);
    const fnComments = (fn: CFunction): CommentInfo[] => {
      const pf = parsed.get(fn.fragment);
      return pf ? commentsOf(ctx, pf) : [];
    };
    let index: ReturnType<typeof partnerIndex> | undefined;
    for (const fe of all) {
      // The implementation of a seqcount or barrier primitive pairs with its API's other side.
      if (seqcountRole(fe.fn.name) || /^(smp_|__smp_|virt_)/.test(fe.fn.name)) continue;
      for (const occ of occurrences(fe)) {
        const node: Node = occ.event.node;
        const f = fe.fn.fragment;
        const image = f.lines[node.startPosition.row]?.image;
        if (image === 'context' || image === 'pre') continue;
        const where = { loc: nodeLocation(f, ctx.path, node), source: nodeSource(f, node), function: fe.fn.name, messageIndex: f.messageIndex };
        const comment = documentingComment(fnComments(fe.fn), node.startPosition.row);
        const named = comment ? namedPartners(comment.words) : null;
        if (named) {
          for (const p of named) {
            const gs = byName.get(p);
            if (!gs) continue; // the partner is elsewhere: trust the comment
            const verdicts = gs.map((g) => hasComplement(ctx, byName, g, occ.side));
            if (verdicts.some((v) => v !== false)) continue;
            report({ ...where, messageId: 'partnerMismatch', data: { barrier: occ.barrier, partner: p, wanted: occ.side === 'write' ? 'read barrier, acquire load or seqcount read' : 'write barrier, release store or seqcount write' } });
          }
          continue;
        }
        if (hasPartner((index ??= partnerIndex(all)), fe, occ.side, occ.fields)) continue;
        const list = occ.fields.map((x) => `->${x}`.replace(/^->\*/, '*'));
        report({
          ...where,
          messageId: occ.side === 'write' ? 'noPartnerWrite' : 'noPartnerRead',
          data: { barrier: occ.barrier, fields: list.join(', '), last: list[list.length - 1], looked: LOOKED[occ.side] },
        });
      }
    }
  },
});
