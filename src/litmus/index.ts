/**
 * The concurrency explorer's entry points: run a C litmus test and describe
 * its verdict (herd7's words: Never / Sometimes), the executions the model
 * allows, how many match the condition, and one witness execution in a
 * readable form. Pure: no I/O, no vscode.
 */
import { parseLitmus } from './parser';
import { explore, type ExploreResult } from './enumerate';
import { type Event, type Execution, LitmusError, type LitmusTest, type Val } from './types';

export { parseLitmus } from './parser';
export { explore } from './enumerate';
export { LitmusError } from './types';

/** One step of a witness, in program order per thread. */
export interface WitnessStep {
  thread: number;
  line: number;
  api: string;
  /** e.g. "R flag=1", "W buf=1", "F smp_mb" */
  access: string;
  /** For reads: the write read from, e.g. "P0 line 12 (W buf=1)" or "init". */
  readsFrom?: string;
}

export interface Witness {
  steps: WitnessStep[];
  /** Coherence order per location, e.g. { flag: ["init=0", "P0:1"] }. */
  co: Record<string, string[]>;
  /** Final registers ("1:r0") and locations. */
  final: Record<string, Val>;
}

export interface LitmusTestResult {
  name: string;
  path: string;
  verdict: 'Never' | 'Sometimes';
  executions: number;
  matching: number;
  witness?: Witness;
  /** The condition as written (exists/~exists/forall ...). */
  condition: string;
  ms: number;
}

export interface LitmusRunError {
  path: string;
  line: number | null;
  message: string;
}

const show = (v: Val | null): string => (typeof v === 'string' ? `&${v}` : String(v));

export function describeEvent(e: Event): string {
  if (e.kind === 'F') return `F ${e.api}`;
  const ann = e.lock ? ` (${e.lock === 'LKR' ? 'lock read' : e.lock === 'LKW' ? 'lock taken' : 'unlock'})` : e.acquire ? ' (acquire)' : e.release ? ' (release)' : '';
  return `${e.kind} ${e.loc}=${show(e.val)}${ann}`;
}

function whereOf(e: Event): string {
  return e.tid < 0 ? 'init' : `P${e.tid} line ${e.pos.line} (${describeEvent(e)})`;
}

/** A readable form of one execution: each thread's accesses with what each read saw, coherence orders, final state. */
export function witnessOf(x: Execution, test: Pick<LitmusTest, 'threads'>): Witness {
  const steps: WitnessStep[] = [];
  for (const e of x.events) {
    if (e.tid < 0) continue;
    const step: WitnessStep = { thread: e.tid, line: e.pos.line, api: e.api, access: describeEvent(e) };
    const w = x.rf.get(e.id);
    if (w !== undefined) step.readsFrom = whereOf(x.events[w]);
    steps.push(step);
  }
  const co: Record<string, string[]> = {};
  for (const [loc, order] of x.co) {
    if (order.length < 2 && !steps.some((s) => s.access.includes(` ${loc}=`))) continue;
    co[loc] = order.map((id) => {
      const e = x.events[id];
      return e.tid < 0 ? `init=${show(e.val)}` : `P${e.tid}:${show(e.val)}`;
    });
  }
  const final: Record<string, Val> = {};
  for (const t of test.threads) for (const [k, v] of x.regs.get(t.id) ?? []) final[`${t.id}:${k}`] = v;
  for (const [loc, v] of x.final) final[loc] = v;
  return { steps, co, final };
}

export function renderWitness(w: Witness, indent = '  '): string[] {
  const out: string[] = [];
  for (const s of w.steps) out.push(`${indent}P${s.thread} ${`line ${s.line}`.padEnd(9)} ${s.api.padEnd(22)} ${s.access}${s.readsFrom ? `  <- ${s.readsFrom}` : ''}`);
  const co = Object.entries(w.co).map(([loc, order]) => `${loc}: ${order.join(' -> ')}`);
  if (co.length) out.push(`${indent}co: ${co.join('; ')}`);
  out.push(`${indent}final: ${Object.entries(w.final).map(([k, v]) => `${k}=${show(v)}`).join(' ')}`);
  return out;
}

/** Run one litmus file's text. Throws LitmusError for what the model does not cover. */
export function runLitmus(text: string, path: string): LitmusTestResult {
  const t0 = performance.now();
  const test = parseLitmus(text, path);
  const r: ExploreResult = explore(test);
  const result: LitmusTestResult = {
    name: test.name,
    path,
    verdict: r.matching > 0 ? 'Sometimes' : 'Never',
    executions: r.executions,
    matching: r.matching,
    condition: test.condition.text,
    ms: 0,
  };
  if (r.witness) result.witness = witnessOf(r.witness, test);
  result.ms = performance.now() - t0;
  return result;
}

/** Run, turning a LitmusError into an error entry (anything else is a bug and propagates). */
export function tryRunLitmus(text: string, path: string): { result: LitmusTestResult | null; error: LitmusRunError | null } {
  try {
    return { result: runLitmus(text, path), error: null };
  } catch (e) {
    if (e instanceof LitmusError) return { result: null, error: { path, line: e.pos?.line ?? null, message: e.message } };
    throw e;
  }
}

export function renderLitmusText(results: LitmusTestResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.name} (${r.path})`);
    out.push(`  ${r.condition}`);
    out.push(`  ${r.verdict}: ${r.matching} of ${r.executions} allowed executions match`);
    if (r.witness) {
      out.push('  witness:');
      out.push(...renderWitness(r.witness, '    '));
    }
    out.push('');
  }
  return out.join('\n');
}

/** The JSON the CLI prints: {"tests":[...],"errors":[...]}. */
export function litmusJson(results: LitmusTestResult[], errors: LitmusRunError[]): { tests: object[]; errors: LitmusRunError[] } {
  return {
    tests: results.map((r) => ({ name: r.name, path: r.path, verdict: r.verdict, executions: r.executions, matching: r.matching, ...(r.witness ? { witness: r.witness } : {}) })),
    errors,
  };
}
