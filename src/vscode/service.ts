/**
 * Runs analyses in worker threads, off the extension host's event loop. One
 * job per document key is kept: a newer request supersedes a queued one and
 * cancels a running one (shared flag first, then terminate). Small documents go
 * first, so typing in a patch is not stuck behind a 20 MB mbox; every job has a
 * hard deadline (the time budget plus a grace) after which its worker is killed.
 * No vscode here: unit tests drive it with a real worker.
 */
import { Worker } from 'node:worker_threads';
import type { MmlensConfig } from '../config';
import type { AnalysisResult } from '../model';

/** Running jobs on texts up to this size finish when superseded (cheaper than a new worker); bigger ones are cancelled. */
const LET_FINISH = 256 * 1024;
/** Documents above this many characters count as big for scheduling. */
const BIG_DOCUMENT = 1024 * 1024;

export interface AnalyzeJob {
  id: number;
  text: string;
  path: string;
  config: MmlensConfig;
  trace: boolean;
}

export type WorkerReply =
  | { type: 'ready'; ms: number }
  | { type: 'init-error'; error: string }
  | { type: 'result'; id: number; result: AnalysisResult; ms: number }
  | { type: 'error'; id: number; error: string };

export type AnalysisOutcome =
  | { status: 'done'; result: AnalysisResult; /** time inside the worker */ workerMs: number; /** request → result, including queueing */ totalMs: number }
  | { status: 'superseded' }
  | { status: 'failed'; error: string };

interface Pending {
  job: AnalyzeJob;
  key: string;
  requested: number;
  resolve(o: AnalysisOutcome): void;
}

interface Slot {
  worker: Worker;
  cancel: Int32Array;
  current: Pending | null;
  deadline: NodeJS.Timeout | null;
  killTimer: NodeJS.Timeout | null;
}

export interface ServiceOptions {
  workerFile: string;
  execArgv?: string[];
  maxWorkers?: number;
  /** Extra time after the configured budget before a worker is terminated. */
  graceMs?: number;
  /** How long a cancelled job may take to notice before its worker is terminated. */
  cancelGraceMs?: number;
  log?: (msg: string) => void;
}

export class AnalysisService {
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private disposed = false;

  constructor(private readonly opts: ServiceOptions) {}

  private get maxWorkers(): number {
    return this.opts.maxWorkers ?? 2;
  }

  analyze(key: string, text: string, path: string, config: MmlensConfig, trace = false): Promise<AnalysisOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'failed', error: 'analysis service disposed' });
    this.cancel(key);
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, text, path, config, trace }, key, requested: performance.now(), resolve });
      this.pump();
      // Keep the pool warm: a second worker is ready for the next document (or the next edit).
      while (this.slots.length < this.maxWorkers) this.spawn();
    });
  }

  /** Supersede the queued and running jobs of a document. */
  cancel(key: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (this.queue[i].key === key) this.queue.splice(i, 1)[0].resolve({ status: 'superseded' });
    for (const s of this.slots) {
      const p = s.current;
      if (p?.key !== key) continue;
      if (p.job.text.length > LET_FINISH) this.abort(s, { status: 'superseded' });
      else {
        // A small job ends in milliseconds: let it, rather than kill a warm worker; nobody waits for its answer.
        p.resolve({ status: 'superseded' });
        p.resolve = () => undefined;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve({ status: 'superseded' });
    for (const s of [...this.slots]) this.kill(s, { status: 'superseded' });
  }

  private abort(s: Slot, outcome: AnalysisOutcome): void {
    const p = s.current;
    if (!p) return;
    Atomics.store(s.cancel, 0, p.job.id);
    p.resolve(outcome);
    s.current = null;
    if (s.deadline) clearTimeout(s.deadline);
    s.deadline = null;
    // The job now answers nobody; give it a moment to notice the flag, then take the worker down.
    s.killTimer ??= setTimeout(() => this.kill(s, null), this.opts.cancelGraceMs ?? 300);
  }

  private kill(s: Slot, outcome: AnalysisOutcome | null): void {
    if (s.deadline) clearTimeout(s.deadline);
    if (s.killTimer) clearTimeout(s.killTimer);
    const i = this.slots.indexOf(s);
    if (i >= 0) this.slots.splice(i, 1);
    if (s.current && outcome) s.current.resolve(outcome);
    s.current = null;
    void s.worker.terminate();
    this.pump();
  }

  private spawn(): Slot {
    const cancelBuf = new SharedArrayBuffer(4);
    const worker = new Worker(this.opts.workerFile, { workerData: { cancel: cancelBuf }, execArgv: this.opts.execArgv });
    worker.unref();
    const s: Slot = { worker, cancel: new Int32Array(cancelBuf), current: null, deadline: null, killTimer: null };
    worker.on('message', (m: WorkerReply) => this.onReply(s, m));
    worker.on('error', (e) => {
      this.opts.log?.(`worker failed: ${e.stack ?? e}`);
      this.kill(s, { status: 'failed', error: `analysis worker failed: ${e.message}` });
    });
    worker.on('exit', () => {
      if (this.slots.includes(s)) this.kill(s, { status: 'failed', error: 'analysis worker exited' });
    });
    this.slots.push(s);
    return s;
  }

  private onReply(s: Slot, m: WorkerReply): void {
    if (m.type === 'ready') return;
    if (m.type === 'init-error') {
      this.opts.log?.(`worker could not load the C parser: ${m.error}`);
      this.kill(s, { status: 'failed', error: `could not load the C parser: ${m.error.split('\n')[0]}` });
      return;
    }
    const p = s.current;
    if (!p || p.job.id !== m.id) {
      // A cancelled job finished after all: the worker is free again.
      if (s.killTimer) {
        clearTimeout(s.killTimer);
        s.killTimer = null;
        this.pump();
      }
      return;
    }
    if (s.deadline) clearTimeout(s.deadline);
    s.deadline = null;
    s.current = null;
    if (m.type === 'result') p.resolve({ status: 'done', result: m.result, workerMs: m.ms, totalMs: performance.now() - p.requested });
    else p.resolve({ status: 'failed', error: m.error });
    this.pump();
  }

  private pump(): void {
    if (this.disposed) return;
    while (this.queue.length > 0) {
      let s = this.slots.find((x) => !x.current && !x.killTimer);
      if (!s) {
        // Workers being cancelled are on their way out: they do not count against the pool size.
        if (this.slots.filter((x) => !x.killTimer).length >= this.maxWorkers) return;
        s = this.spawn();
      }
      // Smallest document first: an edit to a patch does not wait for a big mbox.
      let best = 0;
      for (let i = 1; i < this.queue.length; i++) if (this.queue[i].job.text.length < this.queue[best].job.text.length) best = i;
      // Big documents never take the last worker: one stays free for the patch being typed in.
      const bigRunning = this.slots.filter((x) => x.current && !x.killTimer && x.current.job.text.length > BIG_DOCUMENT).length;
      if (this.queue[best].job.text.length > BIG_DOCUMENT && this.maxWorkers > 1 && bigRunning >= this.maxWorkers - 1) return;
      const p = this.queue.splice(best, 1)[0];
      s.current = p;
      const slot = s;
      s.deadline = setTimeout(() => {
        this.opts.log?.(`${p.job.path}: over the time budget of ${p.job.config.limits.timeBudgetMs} ms; worker terminated`);
        this.kill(slot, { status: 'failed', error: `time budget of ${p.job.config.limits.timeBudgetMs} ms exceeded` });
      }, p.job.config.limits.timeBudgetMs + (this.opts.graceMs ?? Math.max(5000, p.job.config.limits.timeBudgetMs / 2)));
      s.worker.postMessage(p.job);
    }
  }
}
