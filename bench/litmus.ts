/**
 * The litmus suite in `npm run bench` (issue 17): per test, the explorer in
 * process (parse + enumerate + check, median of N passes after a warm-up),
 * and a whole `mmlens litmus FILE` process (median wall time of N spawns,
 * which includes Node's own start-up; the machine's load shows in it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLitmus } from '../src/litmus';

export interface LitmusBenchRow {
  test: string;
  threads: number;
  accesses: number;
  verdict: string;
  executions: number;
  inProcessMs: number;
  processMs: number | null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function litmusBench(root: string, runs: number, log: (s?: string) => void, processRuns = 3): { rows: LitmusBenchRow[]; nodeStartMs: number | null } {
  const dir = path.join(root, 'test', 'litmus', 'tests');
  if (!fs.existsSync(dir)) {
    log('  litmus: skipped, test/litmus/tests not found');
    return { rows: [], nodeStartMs: null };
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();
  const bin = path.join(root, 'bin', 'mmlens.js');
  const canSpawn = fs.existsSync(path.join(root, 'out', 'src', 'cli.js'));
  const spawnMs = (args: string[]): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return performance.now() - t0;
  };
  const nodeStartMs = canSpawn ? median(Array.from({ length: processRuns }, () => spawnMs(['-e', '0']))) : null;
  const rows: LitmusBenchRow[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const first = runLitmus(text, f); // warm-up
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      runLitmus(text, f);
      times.push(performance.now() - t0);
    }
    const threads = (text.match(/^P\d+\s*\(/gm) ?? []).length;
    const accesses = (text.match(/\b(READ_ONCE|WRITE_ONCE|smp_load_acquire|smp_store_release|rcu_dereference|rcu_assign_pointer|xchg\w*|cmpxchg\w*|atomic_\w+|spin_(un)?lock)\s*\(/g) ?? []).length;
    const processMs = canSpawn ? median(Array.from({ length: processRuns }, () => spawnMs([bin, 'litmus', path.join(dir, f)]))) : null;
    rows.push({ test: f.replace(/\.litmus$/, ''), threads, accesses, verdict: first.verdict, executions: first.executions, inProcessMs: median(times), processMs });
  }
  const w = Math.max(...rows.map((r) => r.test.length), 4);
  log(`litmus suite: ${rows.length} tests; in-process = median of ${runs} runs after a warm-up; process = median wall time of ${processRuns} \`node bin/mmlens.js litmus FILE\` (node -e 0 alone: ${nodeStartMs === null ? 'n/a' : `${nodeStartMs.toFixed(0)} ms`})`);
  log(`${'test'.padEnd(w)}  thr  acc  verdict    execs  in-process ms  process ms`);
  for (const r of rows) log(`${r.test.padEnd(w)}  ${String(r.threads).padStart(3)}  ${String(r.accesses).padStart(3)}  ${r.verdict.padEnd(9)}  ${String(r.executions).padStart(5)}  ${r.inProcessMs.toFixed(2).padStart(13)}  ${r.processMs === null ? 'n/a'.padStart(10) : r.processMs.toFixed(0).padStart(10)}`);
  const worst = rows.reduce((a, b) => (b.inProcessMs > a.inProcessMs ? b : a), rows[0]);
  const worstP = rows.filter((r) => r.processMs !== null).reduce<LitmusBenchRow | null>((a, b) => (!a || b.processMs! > a.processMs! ? b : a), null);
  if (worst) log(`  slowest in process: ${worst.test} ${worst.inProcessMs.toFixed(2)} ms; slowest process: ${worstP ? `${worstP.test} ${worstP.processMs!.toFixed(0)} ms` : 'n/a'}`);
  log();
  return { rows, nodeStartMs };
}
