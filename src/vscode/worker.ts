/**
 * The analysis worker (node worker_threads): initialises the parser once, then
 * runs analyzeText for each job off the extension host's event loop. A job is
 * cancelled cooperatively through a shared flag the engine polls; the service
 * terminates the worker when a job overruns.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeText, initParser } from '../engine';
import type { AnalyzeJob, WorkerReply } from './service';
import { KernelTree } from '../context/tree';

const port = parentPort;
if (!port) throw new Error('mmlens worker: not started as a worker thread');
const cancelFlag = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);

const t0 = performance.now();
const ready = initParser().then(() => performance.now() - t0);
ready.then(
  (ms) => port.postMessage({ type: 'ready', ms } satisfies WorkerReply),
  (e: Error) => port.postMessage({ type: 'init-error', error: String(e?.stack ?? e) } satisfies WorkerReply),
);

/** Documents this big are analysed at a lower CPU priority, so typing and small checks stay quick. */
const BACKGROUND_CHARS = 1024 * 1024;
let niced = false;
function lowerPriority(): void {
  if (niced) return;
  niced = true;
  try {
    // Linux: setpriority() on a thread id changes only that thread (this worker), not the extension host.
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) os.setPriority(tid, 10);
  } catch {
    /* not Linux, or not allowed: run at normal priority */
  }
}

/** One KernelTree per folder for the worker's life: its file indexes stay in memory between checks. */
const trees = new Map<string, KernelTree>();
function treeFor(dir: string | undefined): KernelTree | undefined {
  if (!dir || !fs.existsSync(dir)) return undefined;
  let t = trees.get(dir);
  if (!t) trees.set(dir, (t = new KernelTree(dir)));
  return t;
}

port.on('message', async (job: AnalyzeJob) => {
  try {
    await ready;
    if (job.text.length > BACKGROUND_CHARS) lowerPriority();
    const start = performance.now();
    const result = analyzeText(job.text, job.path, {
      config: job.config,
      trace: job.trace,
      tree: treeFor(job.config.tree),
      isCancelled: () => Atomics.load(cancelFlag, 0) === job.id,
    });
    port.postMessage({ type: 'result', id: job.id, result, ms: performance.now() - start } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ type: 'error', id: job.id, error: String((e as Error)?.stack ?? e) } satisfies WorkerReply);
  }
});
