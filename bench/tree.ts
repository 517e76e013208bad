/**
 * Bench section for the kernel tree (issue 14): one check of patches written
 * against ../shared/linux-corpus, without the tree, with the tree and an empty
 * summary cache (cold: every file read and indexed), and with the tree again on
 * the cache the cold run wrote (warm: a new KernelTree, indexes read from disk).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../src/engine';
import { KernelTree } from '../src/context/tree';
import type { MmlensConfig } from '../src/config';

const FILES = ['mm/mlock.c', 'mm/madvise.c', 'mm/migrate.c', 'mm/filemap.c', 'mm/memory-failure.c', 'mm/userfaultfd.c'];

/** A format-patch mail adding one statement in two places of each file (hunks built by hand, 3 lines of context). */
function benchPatch(tree: string): string {
  const parts: string[] = [];
  for (const f of FILES) {
    const lines = fs.readFileSync(path.join(tree, f), 'utf8').split('\n');
    const hunks: string[] = [];
    let added = 0;
    for (const frac of [0.35, 0.7]) {
      let i = Math.floor(lines.length * frac);
      while (i < lines.length - 4 && !/^\t[a-z_].*;$/.test(lines[i])) i++;
      const ctxBefore = lines.slice(i - 2, i + 1);
      const ctxAfter = lines.slice(i + 1, i + 4);
      hunks.push(`@@ -${i - 1},6 +${i - 1 + added},7 @@\n${ctxBefore.map((l) => ` ${l}`).join('\n')}\n+\tcond_resched();\n${ctxAfter.map((l) => ` ${l}`).join('\n')}`);
      added++;
    }
    parts.push(`diff --git a/${f} b/${f}\n--- a/${f}\n+++ b/${f}\n${hunks.join('\n')}`);
  }
  return `From: Bench <bench@example.org>\nSubject: [PATCH] mm: reschedule points\n\n---\n${parts.join('\n')}\n`;
}

export function treeBench(root: string, config: MmlensConfig, runs: number, log: (s?: string) => void): Record<string, unknown> | null {
  const tree = path.resolve(root, '..', 'shared', 'linux-corpus');
  if (!FILES.every((f) => fs.existsSync(path.join(tree, f)))) {
    log(`  tree: skipped, ${tree} not found`);
    return null;
  }
  const text = benchPatch(tree);
  const time = (f: () => void): number => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const none: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  let views = 0;
  let indexed = 0;
  let hits = 0;
  for (let i = 0; i <= runs; i++) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmlens-bench-cache-'));
    try {
      const a = time(() => analyzeText(text, 'bench-tree.patch', { config }));
      const t1 = new KernelTree(tree, { cacheDir });
      let r = analyzeText(text, 'bench-tree.patch', { config }); // keep the three in the same order every pass
      const b = time(() => (r = analyzeText(text, 'bench-tree.patch', { config, tree: t1 })));
      const t2 = new KernelTree(tree, { cacheDir });
      const c = time(() => analyzeText(text, 'bench-tree.patch', { config, tree: t2 }));
      if (i === 0) continue; // warm-up
      none.push(a);
      cold.push(b);
      warm.push(c);
      views = r.functions.filter((f) => /\/fn\d+\//.test(f.fragmentId)).length;
      indexed = t1.stats.indexed;
      hits = t2.stats.cacheHits;
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  log(`  tree: ${FILES.length} files of linux-corpus, ${FILES.length * 2} hunks, ${views} whole-function views; medians of ${runs}`);
  log(`  tree: no tree ${med(none).toFixed(1)} ms | --tree cold (empty cache, ${indexed} files indexed) ${med(cold).toFixed(1)} ms | --tree warm (new process state, ${hits} indexes from the disk cache) ${med(warm).toFixed(1)} ms | warm/cold ${(med(warm) / med(cold)).toFixed(2)}x`);
  return { files: FILES, runs, noTreeMs: med(none), coldMs: med(cold), warmMs: med(warm), indexedCold: indexed, cacheHitsWarm: hits, views };
}
