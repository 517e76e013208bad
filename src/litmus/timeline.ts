/**
 * Timelines in mail: the two-column `CPU0 | CPU1` diagrams reviewers draw to
 * argue about orderings. Finds them in a message's body lines (or in the
 * comments of a C file), maps each step onto the memory model's primitives,
 * builds one thread per column (steps labelled [G2], [C1]... are gathered
 * from every timeline of the message that has the same columns, in label
 * order), and asks the explorer whether the reader can miss the writer:
 * whether some thread B can see (or overwrite) a later write of thread A and
 * still read a value older than an earlier write of A.
 *
 * It also sorts the allowed executions into the interleaving classes the
 * mail draws (rows of a timeline are time order; steps on one row race) and
 * lists the classes no timeline draws.
 */
import { parseStatements } from './parser';
import { explore } from './enumerate';
import { witnessOf, type Witness } from './index';
import { type Event, type Execution, LitmusError, type LitmusTest, type Stmt, type Thread } from './types';

/** A body line as the mail layer gives it (SourceLine-compatible). */
export interface TimelineLine {
  docLine: number;
  docColumn: number;
  text: string;
  quoteDepth: number;
}

export interface TimelineStep {
  /** "[G2]" label without brackets, or "CPU0#3" for unlabelled steps. */
  label: string;
  labelled: boolean;
  side: number;
  row: number;
  code: string;
  docLine: number;
  docColumn: number;
}

export interface TimelineBlock {
  /** "T1" when the mail names the timeline, else "timeline at line N". */
  name: string;
  headers: string[];
  /** Column of the divider in the (unquoted) text. */
  column: number;
  docLine: number;
  endLine: number;
  quoteDepth: number;
  steps: TimelineStep[];
}

export interface ClassReport {
  /** Names of the mail's timelines drawing this class ("T1"), empty when none does. */
  timelines: string[];
  /** The order of each racing pair, e.g. "[G4] before [C1]". */
  order: string[];
  executions: number;
  outcome: number;
}

export interface TimelineAnswer {
  /** The column names, e.g. ["GUP on CPU0", "page_mkclean() on CPU1"]. */
  threads: string[];
  /** Step labels per thread, in program order. */
  programs: string[][];
  question: string;
  verdict: 'Never' | 'Sometimes';
  executions: number;
  matching: number;
  witness?: Witness;
  /** Witness steps with their place in the document. */
  witnessTrace?: { line: number; column: number; message: string }[];
  blocks: TimelineBlock[];
  classes: ClassReport[];
  /** Timelines that draw racing steps on one row and order nothing, e.g. "T3: [G4] | [C1] on one row (either order)". */
  racing: string[];
  /** Assumptions made while mapping steps (plain accesses taken as marked...). */
  notes: string[];
}

export interface TimelineProblem {
  blocks: TimelineBlock[];
  message: string;
  line: number;
}

const HEADER_RE = /\bCPU\s*-?\s*\d+\b|\bCPU\s*[A-Z]\b|\bthread\s*\d+\b|\bP\d+\b|\btask\s*\d+\b|\bcore\s*\d+\b/i;
const LABEL_RE = /^\s*\[([A-Za-z]{1,4}\d{1,3}[a-z]?)\]\s*/;
const CODE_RE = /[A-Za-z_]\w*\s*\(|=/;

/** The column of the divider `|` in a line (a single `|`, not `||`), or -1. */
function dividerAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '|') continue;
    if (text[i + 1] === '|' || text[i - 1] === '|') {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

const isGap = (t: string) => /^\s*(\.{3,}|…|:)\s*$/.test(t);

/** Find two-column timelines in a run of lines. */
export function findTimelines(lines: TimelineLine[]): TimelineBlock[] {
  const blocks: TimelineBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const col = dividerAt(lines[i].text);
    if (col < 0) {
      i++;
      continue;
    }
    const depth = lines[i].quoteDepth;
    const rows: TimelineLine[] = [];
    let j = i;
    while (j < lines.length && lines[j].quoteDepth === depth) {
      const t = lines[j].text;
      const c = dividerAt(t);
      if (c >= 0 && Math.abs(c - col) <= 1) rows.push(lines[j]);
      else if (isGap(t)) rows.push({ ...lines[j], text: '' });
      else break;
      j++;
    }
    const prev = blocks[blocks.length - 1];
    const block = readBlock(rows, col, lines, i);
    if (block) blocks.push(block);
    else if (prev && prev.quoteDepth === depth && Math.abs(prev.column - col) <= 1 && lines[i].docLine - prev.endLine <= 40) {
      // The drawing goes on after a reply cut into it: rows without a header, same divider.
      readBlock(rows, col, lines, i, prev);
    }
    i = Math.max(j, i + 1);
  }
  return blocks;
}

function readBlock(rows: TimelineLine[], col: number, all: TimelineLine[], start: number, cont?: TimelineBlock): TimelineBlock | null {
  if (rows.length < (cont ? 1 : 2)) return null;
  const split = (l: TimelineLine): [string, string] => {
    const c = dividerAt(l.text);
    return c < 0 ? ['', ''] : [l.text.slice(0, c), l.text.slice(c + 1)];
  };
  const [h0, h1] = split(rows[0]).map((s) => s.trim());
  if (!cont && (!HEADER_RE.test(h0) || !HEADER_RE.test(h1))) return null;
  const steps: TimelineStep[] = cont ? cont.steps : [];
  const base = cont ? Math.max(0, ...cont.steps.map((s) => s.row)) + 1 : 0;
  const open: (TimelineStep | null)[] = [null, null];
  for (let r = cont ? 0 : 1; r < rows.length; r++) {
    const l = rows[r];
    if (!l.text.trim()) {
      open[0] = open[1] = null;
      continue;
    }
    const cells = split(l);
    cells.forEach((raw, side) => {
      const cell = raw.replace(/\s+$/, '');
      if (!cell.trim()) return;
      const startCol = raw.length - raw.trimStart().length;
      const lm = LABEL_RE.exec(cell);
      const prev = open[side];
      // A continuation: no label, and the step above it is not finished.
      if (!lm && prev && !/[;}]\s*$/.test(prev.code) && (/[=(,&|+-]\s*$/.test(prev.code) || depthOf(prev.code) > 0)) {
        prev.code += ' ' + cell.trim();
        return;
      }
      const code = (lm ? cell.slice(lm[0].length) : cell).trim();
      if (!lm && !CODE_RE.test(code)) return;
      if (cont && !lm) return;
      const st: TimelineStep = { label: lm ? lm[1] : `${side}#${steps.length}`, labelled: !!lm, side, row: base + r, code, docLine: l.docLine, docColumn: l.docColumn + (side === 0 ? startCol : dividerAt(l.text) + 1 + startCol) };
      steps.push(st);
      open[side] = st;
    });
  }
  if (cont) {
    cont.endLine = rows[rows.length - 1].docLine;
    return null;
  }
  if (!steps.some((s) => s.side === 0) || !steps.some((s) => s.side === 1)) {
    if (!steps.some((s) => s.labelled)) return null;
  }
  // A name just above: "[T1]:" or "T1:" or "Case 2:".
  let name = `timeline at line ${rows[0].docLine}`;
  for (let k = start - 1; k >= Math.max(0, start - 3); k--) {
    const t = all[k].text.trim();
    if (!t) continue;
    const m = /^\[?((?:T|Case\s*|Scenario\s*)\d+)\]?\s*:?\s*$/i.exec(t);
    if (m) name = m[1];
    break;
  }
  return { name, headers: [h0, h1], column: col, docLine: rows[0].docLine, endLine: rows[rows.length - 1].docLine, quoteDepth: rows[0].quoteDepth, steps };
}

function depthOf(s: string): number {
  let d = 0;
  for (const c of s) d += c === '(' ? 1 : c === ')' ? -1 : 0;
  return d;
}

// ---------------------------------------------------------------- steps → C

interface Mapped {
  stmts: Stmt[];
  notes: string[];
}

const PAGE_FLAG_RE = /\b(__)?(Set|Clear|TestSet|TestClear)Page([A-Z]\w*)\s*\(\s*([^()]*?)\s*\)/g;
const PAGE_TEST_RE = /\bPage([A-Z]\w*)\s*\(\s*([^()]*?)\s*\)/g;
const FIELD_RE = /&?\s*\*?\s*[A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*|\s*\[\s*\w+\s*\])+/g;

/** Shared names across the steps of one scenario: display name ↔ synthetic identifier. */
class Locations {
  byName = new Map<string, string>();
  display = new Map<string, string>();
  id(name: string): string {
    const key = name.replace(/\s+/g, '');
    let id = this.byName.get(key);
    if (!id) {
      id = `L${this.byName.size}`;
      this.byName.set(key, id);
      this.display.set(id, key);
    }
    return id;
  }
  /** A location name in model terms → as the mail writes it. */
  show(loc: string): string {
    const m = /^(L\d+)(?::bit0)?$/.exec(loc);
    return m ? (this.display.get(m[1]) ?? loc) : loc;
  }
}

/** Rewrite one step's C into the explorer's subset; throws LitmusError for what it cannot map. */
function mapStep(step: TimelineStep, locs: Locations, registers: Set<string>, path: string): Mapped {
  const notes: string[] = [];
  let code = step.code.trim();
  if (!code) return { stmts: [], notes };
  if (!/[;}]\s*$/.test(code)) code += ';';
  // Page flags are bit operations on one location per flag (atomic_bitops.txt ordering).
  code = code.replace(PAGE_FLAG_RE, (_m, nonatomic: string | undefined, op: string, flag: string, arg: string) => {
    const id = locs.id(`Page${flag}(${arg})`);
    const fn = { Set: 'set_bit', Clear: 'clear_bit', TestSet: 'test_and_set_bit', TestClear: 'test_and_clear_bit' }[op]!;
    if (nonatomic) {
      notes.push(`[${step.label}] __${op}Page${flag}() is a non-atomic update, modelled as WRITE_ONCE()`);
      return `WRITE_ONCE(${id}, ${op === 'Set' ? 1 : 0})`;
    }
    return `${fn}(0, &${id})`;
  });
  code = code.replace(PAGE_TEST_RE, (_m, flag: string, arg: string) => `test_bit(0, &${locs.id(`Page${flag}(${arg})`)})`);
  // Field and array expressions name shared locations.
  code = code.replace(FIELD_RE, (m) => {
    const amp = m.trimStart().startsWith('&');
    const name = m.replace(/^\s*&\s*/, '').trim();
    const id = locs.id(name.replace(/^\*/, ''));
    return amp ? `&${id}` : id;
  });
  // A bare &name is the location name.
  code = code.replace(/&\s*([A-Za-z_]\w*)\b(?!\s*\()/g, (_m, n: string) => (/^L\d+$/.test(n) ? `&${n}` : `&${locs.id(n)}`));
  let stmts: Stmt[];
  try {
    stmts = parseStatements(code, path, step.docLine);
  } catch (e) {
    if (e instanceof LitmusError) throw new LitmusError(`[${step.label}] "${step.code}": ${e.message.replace(/^.*?:\d+:\d+: /, '')}`);
    throw e;
  }
  // Plain accesses of shared locations become marked ones (noted): a mail's timeline is about ordering, not data races.
  const shared = (e: { k: string; name?: string }) => e.k === 'var' && /^L\d+$/.test(e.name!);
  const fixExpr = (e: import('./types').Expr): import('./types').Expr => {
    switch (e.k) {
      case 'var':
        if (shared(e)) {
          notes.push(`[${step.label}] the plain read of ${locs.show(e.name)} is modelled as READ_ONCE()`);
          return { k: 'call', name: 'READ_ONCE', args: [e], pos: e.pos };
        }
        return e;
      case 'deref':
        return e;
      case 'un':
        return { ...e, a: fixExpr(e.a) };
      case 'bin':
        return { ...e, a: fixExpr(e.a), b: fixExpr(e.b) };
      case 'cond':
        return { ...e, c: fixExpr(e.c), a: fixExpr(e.a), b: fixExpr(e.b) };
      case 'call': {
        // Location arguments stay as written: READ_ONCE(L0), atomic_read(&L0).
        const lvalueFirst = ['READ_ONCE', 'WRITE_ONCE', 'rcu_dereference', 'rcu_assign_pointer', 'smp_store_mb'].includes(e.name);
        return { ...e, args: e.args.map((a, i) => (i === 0 && lvalueFirst ? a : fixExpr(a))) };
      }
      default:
        return e;
    }
  };
  const fix = (s: Stmt): Stmt => {
    switch (s.k) {
      case 'assign':
        if (shared(s.lhs as { k: string; name?: string })) {
          notes.push(`[${step.label}] the plain store to ${locs.show((s.lhs as { name: string }).name)} is modelled as WRITE_ONCE()`);
          return { k: 'expr', e: { k: 'call', name: 'WRITE_ONCE', args: [s.lhs, fixExpr(s.rhs)], pos: s.pos }, pos: s.pos };
        }
        if (s.lhs.k === 'var') registers.add(s.lhs.name);
        return { ...s, rhs: fixExpr(s.rhs) };
      case 'decl':
        registers.add(s.name);
        return { ...s, init: s.init ? fixExpr(s.init) : null };
      case 'expr':
        return { ...s, e: fixExpr(s.e) };
      case 'if':
        return { ...s, c: fixExpr(s.c), then: s.then.map(fix), else: s.else ? s.else.map(fix) : null };
      case 'block':
        return { ...s, body: s.body.map(fix) };
    }
  };
  return { stmts: stmts.map(fix), notes };
}

// ---------------------------------------------------------------- scenarios

interface Scenario {
  blocks: TimelineBlock[];
  threads: TimelineStep[][];
}

const labelKey = (l: string): [string, number] => {
  const m = /^([A-Za-z]+)(\d+)/.exec(l);
  return m ? [m[1], Number(m[2])] : [l, 0];
};

/** Group a message's timelines by their columns; labelled steps of one group form one program per column. */
export function scenarios(blocks: TimelineBlock[]): Scenario[] {
  const groups = new Map<string, TimelineBlock[]>();
  for (const b of blocks) {
    const labelled = b.steps.some((s) => s.labelled);
    const key = labelled ? `${b.quoteDepth}|${b.headers.map((h) => h.toLowerCase()).join('|')}` : `#${b.docLine}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const out: Scenario[] = [];
  for (const bs of groups.values()) {
    const threads: TimelineStep[][] = [[], []];
    const seen = new Set<string>();
    // The fullest drawing first: its rows give the order of unlabelled steps.
    const ordered = [...bs].sort((a, b) => b.steps.length - a.steps.length);
    for (const b of ordered)
      for (const s of b.steps) {
        if (seen.has(s.label)) continue;
        seen.add(s.label);
        threads[s.side].push(s);
      }
    for (const t of threads)
      t.sort((a, b) => {
        if (a.labelled && b.labelled) {
          const [pa, na] = labelKey(a.label);
          const [pb, nb] = labelKey(b.label);
          return pa === pb ? na - nb : 0;
        }
        return 0;
      });
    out.push({ blocks: bs, threads });
  }
  return out;
}

/** Whether event e (an access of a step) is after write w in coherence as seen from e. */
function sees(x: Execution, e: Event, w: Event): boolean {
  const order = x.co.get(w.loc!)!;
  const wi = order.indexOf(w.id);
  if (e.kind === 'W') return order.indexOf(e.id) > wi;
  const src = x.rf.get(e.id)!;
  return order.indexOf(src) >= wi;
}

interface StepEvents {
  label: string;
  tid: number;
  events: Event[];
}

function stepEventsOf(x: Execution, steps: TimelineStep[][]): StepEvents[] {
  const out: StepEvents[] = [];
  steps.forEach((ts, tid) =>
    ts.forEach((s) => {
      out.push({ label: s.label, tid, events: x.events.filter((e) => e.tid === tid && e.kind !== 'F' && e.pos.line === s.docLine && (e.api as string) !== 'init') });
    }),
  );
  return out;
}

/** The write of a step's access on a location, or its read when it only reads. */
const accessOn = (se: StepEvents, loc: string): Event | null => se.events.find((e) => e.loc === loc && e.kind === 'W') ?? se.events.find((e) => e.loc === loc) ?? null;

/** Explore one scenario: build threads, ask whether a reader can miss the writer, sort executions into the mail's classes. */
export function answerScenario(sc: Scenario, path: string): TimelineAnswer {
  const locs = new Locations();
  const registers = new Set<string>();
  const notes: string[] = [];
  const threads: Thread[] = sc.threads.map((steps, id) => {
    const body: Stmt[] = [];
    for (const s of steps) {
      const m = mapStep(s, locs, registers, path);
      body.push(...m.stmts);
      notes.push(...m.notes);
    }
    return { id, params: [], body, pos: { line: steps[0]?.docLine ?? 0, column: 1 }, name: sc.blocks[0].headers[id] };
  });
  for (const r of registers) if (locs.byName.has(r)) throw new LitmusError(`"${r}" is used both as a register and as a shared location`);
  const init = new Map<string, number>();
  for (const id of locs.display.keys()) init.set(id, 0);
  const test: LitmusTest = { name: sc.blocks[0].name, path, init, regInit: new Map(), threads, filter: null, condition: { kind: 'exists', prop: { k: 'true' }, text: '' } };

  // First pass: every allowed execution, to find the write/read shapes and the classes.
  let all: Execution[];
  try {
    all = explore(test, { keepAll: true, outcome: () => false }).all!;
  } catch (e) {
    // Name the step, not the synthetic program's line.
    if (e instanceof LitmusError && e.pos) {
      const st = sc.threads.flat().find((s) => s.docLine === e.pos!.line);
      if (st) throw new LitmusError(`[${st.label}] "${st.code}": ${e.message.replace(/^.*?:\d+:\d+: (P\d+: )?/, '')}`, { line: st.docLine, column: st.docColumn });
    }
    throw e;
  }
  if (!all.length) throw new LitmusError('no execution of these steps is allowed (a lock never released?)');
  const probe = all[0];
  const stepEvs = stepEventsOf(probe, sc.threads);
  const label = (l: string) => `[${l}]`;
  const stepByLabel = new Map(stepEvs.map((s) => [s.label, s]));

  // Reader-misses-writer shapes: A writes L1 then L2; B accesses L2 then reads L1.
  type Shape = { a: number; w1: string; w2: string; b: number; e2: string; r1: string; l1: string; l2: string };
  const shapes: Shape[] = [];
  for (const A of [0, 1]) {
    const B = 1 - A;
    const aSteps = stepEvs.filter((s) => s.tid === A);
    const bSteps = stepEvs.filter((s) => s.tid === B);
    aSteps.forEach((s1, i) =>
      aSteps.slice(i + 1).forEach((s2) => {
        for (const w1 of s1.events.filter((e) => e.kind === 'W'))
          for (const w2 of s2.events.filter((e) => e.kind === 'W')) {
            if (w1.loc === w2.loc) continue;
            bSteps.forEach((t2, k) =>
              bSteps.slice(k + 1).forEach((t1) => {
                if (!t2.events.some((e) => e.loc === w2.loc)) return;
                if (!t1.events.some((e) => e.loc === w1.loc && e.kind === 'R')) return;
                shapes.push({ a: A, w1: s1.label, w2: s2.label, b: B, e2: t2.label, r1: t1.label, l1: w1.loc!, l2: w2.loc! });
              }),
            );
          }
      }),
    );
  }
  if (!shapes.length) throw new LitmusError('no step of one CPU both follows a write of the other and reads what it wrote before: there is no "reader misses writer" question to ask');
  const names = sc.blocks[0].headers;
  const question = shapes
    .map((s) => {
      const e2 = stepByLabel.get(s.e2)!;
      const seesWord = e2.events.some((e) => e.kind === 'W' && e.loc === s.l2) ? 'overwrite' : 'see';
      return `can ${names[s.b]} ${seesWord} ${label(s.w2)} (${locs.show(s.l2)}) at ${label(s.e2)} and still miss ${label(s.w1)} (${locs.show(s.l1)}) at ${label(s.r1)}?`;
    })
    .join(' / ');

  const outcome = (x: Execution): boolean => {
    const se = new Map(stepEventsOf(x, sc.threads).map((s) => [s.label, s]));
    return shapes.some((s) => {
      const w1 = accessOn(se.get(s.w1)!, s.l1)!;
      const w2 = accessOn(se.get(s.w2)!, s.l2)!;
      const e2 = accessOn(se.get(s.e2)!, s.l2)!;
      const r1 = se.get(s.r1)!.events.find((e) => e.loc === s.l1 && e.kind === 'R')!;
      return sees(x, e2, w2) && !sees(x, r1, w1);
    });
  };

  // Racing pairs: steps of different CPUs on one location, one of them writing.
  const pairs: { a: string; b: string; loc: string }[] = [];
  for (const s of stepEvs.filter((x) => x.tid === 0))
    for (const t of stepEvs.filter((x) => x.tid === 1))
      for (const e of s.events)
        for (const f of t.events)
          if (e.loc === f.loc && (e.kind === 'W' || f.kind === 'W') && !pairs.some((p) => p.a === s.label && p.b === t.label && p.loc === e.loc)) pairs.push({ a: s.label, b: t.label, loc: e.loc! });
  /** +1: a's access first, -1: b's first. */
  const orderOf = (x: Execution, p: { a: string; b: string; loc: string }): number => {
    const se = new Map(stepEventsOf(x, sc.threads).map((s) => [s.label, s]));
    const a = accessOn(se.get(p.a)!, p.loc)!;
    const b = accessOn(se.get(p.b)!, p.loc)!;
    if (a.kind === 'W') return sees(x, b, a) ? 1 : -1;
    return sees(x, a, b) ? -1 : 1;
  };
  const drawn = sc.blocks.map((blk) => {
    const rowOf = new Map(blk.steps.map((s) => [s.label, s.row]));
    const req = pairs.map((p) => {
      const ra = rowOf.get(p.a);
      const rb = rowOf.get(p.b);
      return ra === undefined || rb === undefined || ra === rb ? 0 : ra < rb ? 1 : -1;
    });
    return { name: blk.name, req };
  });
  const classes = new Map<string, ClassReport>();
  const sigText = (sig: number[]) => sig.map((o, i) => (o > 0 ? `${label(pairs[i].a)} before ${label(pairs[i].b)}` : `${label(pairs[i].b)} before ${label(pairs[i].a)}`));
  const classOf = (sig: number[]): ClassReport => {
    const key = sig.join(',');
    let c = classes.get(key);
    if (!c) {
      c = { timelines: drawn.filter((d) => d.req.some((r) => r !== 0) && d.req.every((r, i) => r === 0 || r === sig[i])).map((d) => d.name), order: sigText(sig), executions: 0, outcome: 0 };
      classes.set(key, c);
    }
    return c;
  };
  // Every combination of pair orders, so that classes the model forbids show with 0 executions.
  if (pairs.length <= 6) for (let m = 0; m < 1 << pairs.length; m++) classOf(pairs.map((_, i) => (m & (1 << i) ? -1 : 1)));
  let matching = 0;
  let witness: Execution | null = null;
  for (const x of all) {
    const c = classOf(pairs.map((p) => orderOf(x, p)));
    c.executions++;
    if (outcome(x)) {
      c.outcome++;
      matching++;
      witness ??= x;
    }
  }
  const answer: TimelineAnswer = {
    threads: names,
    programs: sc.threads.map((t) => t.map((s) => s.label)),
    question,
    verdict: matching ? 'Sometimes' : 'Never',
    executions: all.length,
    matching,
    blocks: sc.blocks,
    classes: [...classes.values()],
    racing: drawn
      .filter((d) => d.req.every((r) => r === 0))
      .map((d) => {
        const blk = sc.blocks.find((b) => b.name === d.name)!;
        const rows = new Map<number, string[]>();
        for (const s of blk.steps) rows.set(s.row, [...(rows.get(s.row) ?? []), label(s.label)]);
        const same = [...rows.values()].filter((r) => r.length > 1).map((r) => r.join(' | '));
        return `${d.name}: ${same.length ? `${same.join(', ')} on one row (either order)` : 'orders none of the racing steps'}`;
      }),
    notes: [...new Set(notes)],
  };
  if (witness) {
    const w = witnessOf(witness, test);
    const rename = (s: string) => s.replace(/\bL\d+(?::bit0)?\b/g, (m) => locs.show(m));
    w.steps = w.steps.map((s) => ({ ...s, access: rename(s.access), readsFrom: s.readsFrom ? rename(s.readsFrom) : undefined }));
    w.co = Object.fromEntries(Object.entries(w.co).map(([k, v]) => [locs.show(k), v]));
    w.final = Object.fromEntries(Object.entries(w.final).map(([k, v]) => [/^\d+:/.test(k) ? `${names[Number(k.split(':')[0])]}:${k.split(':')[1]}` : locs.show(k), v]));
    answer.witness = w;
    const stepAt = new Map(sc.threads.flat().map((s) => [s.docLine, s]));
    answer.witnessTrace = w.steps.map((s) => {
      const st = stepAt.get(s.line);
      return { line: s.line, column: st?.docColumn ?? 1, message: `${names[s.thread]} ${st ? label(st.label) : ''} ${s.api}: ${s.access}${s.readsFrom ? ` (reads from ${s.readsFrom.replace(/^P(\d+) line \d+ /, (_m, t: string) => `${names[Number(t)]} `)})` : ''}`.replace(/\s+/g, ' ') };
    });
  }
  return answer;
}

/** Lines of a C file's comments (timelines drawn in kernel comments), as TimelineLines. */
export function commentLines(text: string): TimelineLine[] {
  return text.split('\n').map((raw, i) => {
    const m = /^(\s*(?:\/\*+|\*+(?!\/)|\/\/)\s?)/.exec(raw);
    const lead = m ? m[1].length : 0;
    return { docLine: i + 1, docColumn: lead + 1, text: m ? raw.slice(lead) : '', quoteDepth: 0 };
  });
}

export interface TimelineResult {
  answers: TimelineAnswer[];
  problems: TimelineProblem[];
}

/** Every timeline of a run of lines, answered (or a problem naming what could not be modelled). */
export function exploreTimelines(lines: TimelineLine[], path: string): TimelineResult {
  const result: TimelineResult = { answers: [], problems: [] };
  const blocks = findTimelines(lines);
  for (const sc of scenarios(blocks)) {
    try {
      result.answers.push(answerScenario(sc, path));
    } catch (e) {
      if (!(e instanceof LitmusError)) throw e;
      result.problems.push({ blocks: sc.blocks, message: e.message, line: sc.blocks[0].docLine });
    }
  }
  return result;
}

/** Text rendering of one answer (CLI --trace style and the editor's "Show executions"). */
export function renderAnswer(a: TimelineAnswer): string[] {
  const out: string[] = [];
  out.push(`${a.threads[0]} | ${a.threads[1]}: ${a.programs.map((p, i) => `${a.threads[i]}: ${p.map((l) => `[${l}]`).join(' ')}`).join('; ')}`);
  out.push(`question: ${a.question}`);
  out.push(`${a.verdict}: ${a.matching} of ${a.executions} allowed executions`);
  for (const c of a.classes) out.push(`  ${(c.timelines.length ? c.timelines.join(', ') : 'not drawn').padEnd(10)} ${c.order.join(', ')}: ${c.executions} execution${c.executions === 1 ? '' : 's'}${c.executions === 0 ? ' (forbidden by the model)' : ''}${c.outcome ? `, ${c.outcome} with the outcome` : ''}`);
  for (const r of a.racing) out.push(`  ${r}`);
  if (a.witnessTrace) {
    out.push('witness:');
    for (const s of a.witnessTrace) out.push(`  line ${s.line}: ${s.message}`);
  }
  for (const n of a.notes) out.push(`note: ${n}`);
  return out;
}
