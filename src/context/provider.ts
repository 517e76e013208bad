/**
 * The context provider: one interface for what the code around a patch says —
 * what a callee does (its body, for a summary), what type a struct field has,
 * which ops table names a function. Sources answer in order: the kernel API
 * table (src/kernel/apis.ts: a primitive is modelled, never looked up), the
 * document itself (the emulator's own functions: every message of a series in
 * the document, patch 1's definitions known to patch 3), then the kernel tree
 * (the patched files, then the headers they include, up to a budget of files).
 * The emulator asks this and never reads files itself.
 */
import type { CFunction, ParsedFragment } from '../rules/framework';
import { lookupApi } from '../kernel/apis';
import { fragmentFromC } from '../c/prepare';
import { parseFragment } from '../c/functions';
import type { FileIndex, KernelTree, OpsEntry, TreeFile } from './tree';

export type { OpsEntry } from './tree';

export interface ContextProvider {
  /** A complete definition of `name` from outside the document (parsed; lines carry `tree`), or null. */
  callee(name: string): CFunction | null;
  /** The declared type of `field` (in `struct`, when given), e.g. `seqcount_t`, `spinlock_t *`. */
  fieldType(field: string, struct?: string | null): string | null;
  /** The ops-table entries that name `fn` (`.invalidate_range_start = fn`). */
  opsNaming(fn: string): (OpsEntry & { file: string })[];
  /** Free parse trees made for callees. */
  dispose(): void;
}

export interface TreeFileState {
  file: TreeFile;
  index: FileIndex;
}

/** Context from a kernel tree for one document. */
export class TreeContext implements ContextProvider {
  /** Callee lookups answered from the tree (for the notes and --trace). */
  readonly used: string[] = [];
  private readonly parsed: ParsedFragment[] = [];
  private readonly callees = new Map<string, CFunction | null>();
  private searchOrder: TreeFileState[] | null = null;
  private filesLeft: number;

  constructor(
    readonly tree: KernelTree,
    readonly commit: string | null,
    /** The patched files that matched (their post-image state), first in every search. */
    readonly files: TreeFileState[],
  ) {
    this.filesLeft = tree.maxFilesPerLookup;
  }

  /** Patched files, then files they include (breadth first), within the file budget. */
  private order(): TreeFileState[] {
    if (this.searchOrder) return this.searchOrder;
    const out: TreeFileState[] = [...this.files];
    const seen = new Set(out.map((s) => s.file.path));
    for (let i = 0; i < out.length && this.filesLeft > 0; i++) {
      for (const inc of out[i].index.includes) {
        if (this.filesLeft <= 0) break;
        const p = this.tree.resolveInclude(out[i].file.path, inc, this.commit);
        if (!p || seen.has(p)) continue;
        seen.add(p);
        const f = this.tree.read(p, this.commit);
        if (!f) continue;
        this.filesLeft--;
        out.push({ file: f, index: this.tree.index(f) });
      }
    }
    this.searchOrder = out;
    return out;
  }

  callee(name: string): CFunction | null {
    if (this.callees.has(name)) return this.callees.get(name)!;
    let found: CFunction | null = null;
    if (!lookupApi(name)) {
      for (const s of this.order()) {
        const def = s.index.functions.find((f) => f.name === name);
        if (!def) continue;
        const lines = s.file.text.split('\n').slice(def.start - 1, def.end);
        const frag = fragmentFromC(lines.join('\n'), { id: `tree:${s.file.path}:${def.start}`, kind: 'file', file: s.file.path, firstLine: def.start, image: 'context' });
        for (const l of frag.lines) {
          if (l.docLine !== null) {
            l.tree = l.docLine;
            l.sourceLine = l.docLine;
            l.docLine = null;
          }
        }
        const p = parseFragment(frag);
        this.parsed.push(p);
        found = p.functions.find((f) => f.name === name && !f.synthetic) ?? null;
        if (found) {
          this.used.push(`${name} (${s.file.path}:${def.start})`);
          break;
        }
      }
    }
    this.callees.set(name, found);
    return found;
  }

  fieldType(field: string, struct: string | null = null): string | null {
    for (const s of this.order()) {
      const e = s.index.fields.find((f) => f.field === field && (!struct || f.struct === struct));
      if (e) return e.type;
    }
    return null;
  }

  opsNaming(fn: string): (OpsEntry & { file: string })[] {
    const out: (OpsEntry & { file: string })[] = [];
    for (const s of this.files) for (const o of s.index.ops) if (o.fn === fn) out.push({ ...o, file: s.file.path });
    return out;
  }

  dispose(): void {
    for (const p of this.parsed) p.tree.delete();
    this.parsed.length = 0;
  }
}
