/**
 * The emulator as the ordering rules use it (issue 4's `emulate(ctx)`):
 * lockStateAt(fn, node) tells which locks are held on every path reaching a
 * node and which are not held on some path (with the path's trace). When the
 * emulator fails on a document the rules needing it stay quiet instead of
 * guessing.
 */
import type { Node } from 'web-tree-sitter';
import type { TraceStep } from '../model';
import type { CFunction, DocumentContext } from '../rules/framework';
import { emulate } from '../emulator';

export interface NotHeld {
  lock: string;
  trace: TraceStep[];
}
export interface LockState {
  heldOnAllPaths: string[];
  notHeldOnSomePath: NotHeld[];
}
export interface EmulatorView {
  lockStateAt(fn: CFunction, node: Node): LockState | null;
}

type EmulateFn = (ctx: DocumentContext) => { lockStateAt(fn: CFunction, node: Node): unknown };

function loadEmulate(): EmulateFn | null {
  return typeof emulate === 'function' ? emulate : null;
}

function lockName(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k of ['obj', 'lock', 'object', 'name', 'key']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return String(x);
}

/** The emulator for this document, or null when it is not available. */
export function emulatorView(ctx: DocumentContext, override?: EmulateFn): EmulatorView | null {
  return ctx.memo('ordering/emulator', () => {
    const emulate = override ?? loadEmulate();
    if (!emulate) return null;
    let em: { lockStateAt(fn: CFunction, node: Node): unknown };
    try {
      em = emulate(ctx);
    } catch {
      return null;
    }
    return {
      lockStateAt(fn: CFunction, node: Node): LockState | null {
        try {
          const r = em.lockStateAt(fn, node) as { heldOnAllPaths?: unknown[]; notHeldOnSomePath?: { lock: unknown; trace?: TraceStep[] }[] } | null;
          if (!r) return null;
          return {
            heldOnAllPaths: (r.heldOnAllPaths ?? []).map(lockName),
            notHeldOnSomePath: (r.notHeldOnSomePath ?? []).map((n) => ({ lock: lockName(n.lock), trace: n.trace ?? [] })),
          };
        } catch {
          return null;
        }
      },
    };
  });
}

/** Lock keys compare after normalising: `&mm->mmap_lock`, `mm->mmap_lock`, `(mm)->mmap_lock` are one lock. */
export function sameLock(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/\s+/g, '').replace(/^&/, '').replace(/^\((\w+)\)/, '$1').replace(/^[a-z]+\u0001/, '');
  const x = n(a);
  const y = n(b);
  return x === y || x === `${y}->mmap_lock` || y === `${x}->mmap_lock`;
}
