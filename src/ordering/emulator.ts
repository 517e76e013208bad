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
import { emulate, type Emulation } from '../emulator';

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

/** The emulator for this document, or null when it fails on it. */
export function emulatorView(ctx: DocumentContext): EmulatorView | null {
  return ctx.memo('ordering/emulator', () => {
    let em: Emulation;
    try {
      em = emulate(ctx);
    } catch {
      return null;
    }
    return {
      lockStateAt(fn: CFunction, node: Node): LockState | null {
        try {
          return em.lockStateAt(fn, node);
        } catch {
          return null;
        }
      },
    };
  });
}

/** A lock key as sameLock() compares it: `&mm->mmap_lock`, `mm->mmap_lock`, `(mm)->mmap_lock` give `mm->mmap_lock`. */
export function normaliseLock(s: string): string {
  return s.replace(/\s+/g, '').replace(/^&/, '').replace(/^\((\w+)\)/, '$1').replace(/^[a-z]+\u0001/, '');
}

/** Lock keys compare after normalising: `&mm->mmap_lock`, `mm->mmap_lock`, `(mm)->mmap_lock` are one lock. */
export function sameLock(a: string, b: string): boolean {
  const x = normaliseLock(a);
  const y = normaliseLock(b);
  return x === y || x === `${y}->mmap_lock` || y === `${x}->mmap_lock`;
}
