/**
 * On-disk cache of tree-file indexes, keyed by a hash of the file's content (so a
 * file read from the working tree and the same blob read through `git show`
 * share an entry, and an edited file never reads a stale one). One JSON file per
 * entry under `<dir>/<2 hex>/<hash>.json`; a corrupt or unreadable entry is a miss.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

/** Bump when the shape or the meaning of a cached value changes. */
export const CACHE_VERSION = 1;

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Default cache folder: $MMLENS_CACHE_DIR, else $XDG_CACHE_HOME/mmlens, else ~/.cache/mmlens. */
export function defaultCacheDir(): string {
  if (process.env.MMLENS_CACHE_DIR) return process.env.MMLENS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'mmlens');
}

export class DiskCache {
  hits = 0;
  misses = 0;
  private readonly dir: string | null;

  /** `dir` null: memory only (nothing is written). */
  constructor(dir: string | null) {
    this.dir = dir ? path.join(dir, `tree-v${CACHE_VERSION}`) : null;
  }

  private file(hash: string): string {
    return path.join(this.dir!, hash.slice(0, 2), `${hash}.json`);
  }

  get<T>(hash: string): T | null {
    if (!this.dir) return null;
    try {
      const v = JSON.parse(fs.readFileSync(this.file(hash), 'utf8')) as T;
      this.hits++;
      return v;
    } catch {
      this.misses++;
      return null;
    }
  }

  put(hash: string, value: unknown): void {
    if (!this.dir) return;
    const f = this.file(hash);
    try {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      // Write then rename: a reader never sees half an entry, and two writers race harmlessly.
      const tmp = `${f}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, f);
    } catch {
      // A read-only or full disk makes the cache a memory-only one; the analysis does not depend on it.
    }
  }
}
