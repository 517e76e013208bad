/**
 * A kernel source tree as context: reads files (from the working tree, or at a
 * commit through `git show BASE:path` when the tree is a git repository), and
 * indexes each file once — its function definitions with their line ranges,
 * struct field types, ops-table entries and includes — caching the index on disk
 * by content hash. The only module of mmlens that reads a tree; the emulator asks
 * the context provider (provider.ts), which asks this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Node } from 'web-tree-sitter';
import { fragmentFromC } from '../c/prepare';
import { parseFragment } from '../c/functions';
import { contentHash, defaultCacheDir, DiskCache } from './cache';

export interface IndexedFunction {
  name: string;
  /** 1-based first line (the definition's first line) and last line (closing brace). */
  start: number;
  end: number;
}

export interface FieldEntry {
  struct: string;
  field: string;
  /** The declared type, pointer stars included: `spinlock_t *`, `seqcount_t`. */
  type: string;
}

export interface OpsEntry {
  /** `struct mmu_notifier_ops` → mmu_notifier_ops, when the initializer names it. */
  struct: string | null;
  variable: string | null;
  field: string;
  fn: string;
  line: number;
}

export interface FileIndex {
  hash: string;
  lines: number;
  functions: IndexedFunction[];
  fields: FieldEntry[];
  ops: OpsEntry[];
  includes: string[];
}

export interface TreeFile {
  path: string;
  text: string;
  hash: string;
  /** Where the text came from: the working tree, or `git show <base>:<path>`. */
  origin: string;
}

export interface TreeOptions {
  /** Folder for the on-disk index cache; null for none; default defaultCacheDir(). */
  cacheDir?: string | null;
  /** Most files read to find callee bodies for one document (includes followed). */
  maxFilesPerLookup?: number;
}

export { looksLikeKernelTree } from './detect';

export class KernelTree {
  readonly dir: string;
  readonly cache: DiskCache;
  readonly maxFilesPerLookup: number;
  /** Index builds and reads, for the bench and the notes. */
  stats = { filesRead: 0, indexed: 0, cacheHits: 0 };
  private gitState: boolean | null = null;
  private readonly commits = new Map<string, string | null>();
  private readonly files = new Map<string, TreeFile | null>();
  private readonly indexes = new Map<string, FileIndex>();

  constructor(dir: string, opts: TreeOptions = {}) {
    this.dir = path.resolve(dir);
    this.cache = new DiskCache(opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir);
    this.maxFilesPerLookup = opts.maxFilesPerLookup ?? 24;
  }

  get isGit(): boolean {
    if (this.gitState === null) {
      try {
        execFileSync('git', ['-C', this.dir, 'rev-parse', '--git-dir'], { stdio: ['ignore', 'pipe', 'ignore'] });
        this.gitState = true;
      } catch {
        this.gitState = false;
      }
    }
    return this.gitState;
  }

  /** The full commit id when the repository has `rev`, else null. */
  resolveCommit(rev: string): string | null {
    if (!this.isGit || !/^[0-9a-f]{7,40}$/i.test(rev)) return null;
    if (!this.commits.has(rev)) {
      let full: string | null = null;
      try {
        full = execFileSync('git', ['-C', this.dir, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
      } catch {
        full = null;
      }
      this.commits.set(rev, full);
    }
    return this.commits.get(rev)!;
  }

  /** A file of the tree, at `commit` (a resolved id) or in the working tree; null when absent. */
  read(file: string, commit: string | null = null): TreeFile | null {
    const rel = file.replace(/^\.?\/+/, '');
    if (rel.split('/').includes('..')) return null;
    const key = `${commit ?? ''}:${rel}`;
    if (this.files.has(key)) return this.files.get(key)!;
    let text: string | null = null;
    if (commit) {
      try {
        text = execFileSync('git', ['-C', this.dir, 'show', `${commit}:${rel}`], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
      } catch {
        text = null;
      }
    } else {
      try {
        text = fs.readFileSync(path.join(this.dir, rel), 'utf8');
      } catch {
        text = null;
      }
    }
    const out = text === null ? null : { path: rel, text, hash: contentHash(text), origin: commit ? `git show ${commit.slice(0, 12)}:${rel}` : path.join(this.dir, rel) };
    if (out) this.stats.filesRead++;
    this.files.set(key, out);
    return out;
  }

  /** The file's index: from memory, from the disk cache (same content hash), or built by parsing it. */
  index(f: TreeFile): FileIndex {
    const mem = this.indexes.get(f.hash);
    if (mem) return mem;
    let idx = this.cache.get<FileIndex>(f.hash);
    if (idx && idx.hash === f.hash) this.stats.cacheHits++;
    else {
      idx = buildIndex(f.text, f.path, f.hash);
      this.stats.indexed++;
      this.cache.put(f.hash, idx);
    }
    this.indexes.set(f.hash, idx);
    return idx;
  }

  /** `#include <linux/mm.h>` seen from `from` → include/linux/mm.h (or arch-less relative paths), when the tree has it. */
  resolveInclude(from: string, inc: string, commit: string | null): string | null {
    const cands = [path.posix.join(path.posix.dirname(from), inc), `include/${inc}`, `include/uapi/${inc}`];
    for (const c of cands) if (this.read(c, commit)) return c;
    return null;
  }
}

/** Index a file: tree-sitter for functions and struct fields, a scan for ops tables and includes. */
export function buildIndex(text: string, file: string, hash = contentHash(text)): FileIndex {
  const lines = text.split('\n');
  const frag = fragmentFromC(text, { id: `tree:${file}`, kind: 'file', file });
  const parsed = parseFragment(frag);
  const lineOf = (row: number): number => frag.lines[row]?.docLine ?? row + 1;
  const functions: IndexedFunction[] = [];
  const fields: FieldEntry[] = [];
  try {
    for (const fn of parsed.functions) {
      if (fn.synthetic) continue;
      functions.push({ name: fn.name, start: lineOf(fn.def.startPosition.row), end: lineOf(fn.def.endPosition.row) });
    }
    for (const s of parsed.tree.rootNode.descendantsOfType('struct_specifier')) {
      if (!s) continue;
      const name = s.childForFieldName('name')?.text;
      const body = s.childForFieldName('body');
      if (!name || !body) continue;
      for (const fd of body.namedChildren) {
        if (!fd || fd.type !== 'field_declaration') continue;
        const type = fd.childForFieldName('type')?.text.replace(/\s+/g, ' ');
        if (!type) continue;
        for (const d of fd.namedChildren) {
          if (!d || !/declarator$/.test(d.type) || d === fd.childForFieldName('type')) continue;
          const { id, stars } = fieldName(d);
          if (id) fields.push({ struct: name, field: id, type: `${type}${stars ? ' ' + '*'.repeat(stars) : ''}` });
        }
      }
    }
  } finally {
    parsed.tree.delete();
  }
  const ops: OpsEntry[] = [];
  const includes: string[] = [];
  let table: { struct: string | null; variable: string | null } | null = null;
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i];
    const inc = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/.exec(t);
    if (inc) {
      includes.push(inc[1]);
      continue;
    }
    if (!table) {
      const m = /^\s*(?:static\s+)?(?:const\s+)?struct\s+(\w+)\s+(?:const\s+)?(\w+)(?:\[\w*\])?\s*=\s*\{/.exec(t);
      if (m) {
        table = { struct: m[1], variable: m[2] };
        depth = 0;
      } else continue;
    }
    for (const c of t) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    const re = /\.(\w+)\s*=\s*&?\s*([A-Za-z_]\w*)\s*(?:,|$|\})/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) if (!/^(NULL|true|false)$/.test(m[2]) && !/^[A-Z_0-9]+$/.test(m[2])) ops.push({ ...table, field: m[1], fn: m[2], line: i + 1 });
    if (depth <= 0) table = null;
  }
  return { hash, lines: lines.length, functions, fields, ops, includes };
}

function fieldName(d: Node): { id: string | null; stars: number } {
  let stars = 0;
  let n: Node | null = d;
  while (n) {
    if (n.type === 'field_identifier' || n.type === 'identifier') return { id: n.text, stars };
    if (n.type === 'pointer_declarator') stars++;
    n = n.childForFieldName('declarator') ?? null;
  }
  return { id: null, stars };
}
