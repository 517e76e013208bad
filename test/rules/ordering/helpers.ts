/**
 * Table tests for the ordering rules: each case is C (or a diff-like snippet)
 * turned into fragments, parsed, and run through one rule in a DocumentContext.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../../src/c/parser';
import { buildFragment, fragmentFromC, type InputLine } from '../../../src/c/prepare';
import { parseFragment } from '../../../src/c/functions';
import { defaultConfig } from '../../../src/config';
import { toFinding, type DocumentContext, type ParsedFragment, type Rule } from '../../../src/rules/framework';
import type { Finding, Fragment, Image } from '../../../src/model';
import type { Node } from 'web-tree-sitter';
import { callArgs, callName, normaliseObject, walk } from '../../../src/c/ast';
import type { CFunction } from '../../../src/rules/framework';
import type { EmulatorView } from '../../../src/ordering/emulator';
import { isLockOp } from '../../../src/ordering/primitives';

/**
 * A piece of a test document. A string is plain C (a .c file). With `diff: true`
 * every line starts with '+', '-' or ' ' and the post image (context + added
 * lines) becomes the fragment, like a hunk of a patch mail.
 */
export type Piece = string | { code: string; diff?: boolean; kind?: Fragment['kind']; quoteDepth?: number; functionHint?: string };

export interface InvalidCase {
  name?: string;
  setup?: (ctx: DocumentContext) => void;
  code: Piece | Piece[];
  errors: { messageId: string; line: number; message?: RegExp }[];
  /** Extra check on the findings. */
  check?: (findings: Finding[]) => void;
}
export type ValidCase = Piece | Piece[] | { name?: string; code: Piece | Piece[]; setup?: (ctx: DocumentContext) => void };

function toFragments(pieces: Piece[]): Fragment[] {
  let line = 1;
  return pieces.map((p, i) => {
    const piece = typeof p === 'string' ? { code: p } : p;
    const lines = piece.code.split('\n');
    const first = line;
    line += lines.length + 1;
    const kind = piece.kind ?? (piece.diff ? 'post' : 'file');
    if (!piece.diff) {
      const image: Image = kind === 'quoted-code' ? 'quoted-code' : 'post';
      return fragmentFromC(piece.code, { id: `t${i}`, kind, firstLine: first, image, quoteDepth: piece.quoteDepth ?? 0, functionHint: piece.functionHint ?? null });
    }
    const input: InputLine[] = [];
    lines.forEach((l, j) => {
      const mark = l[0];
      if (mark === '-') return;
      input.push({ text: l.slice(1), docLine: first + j, docColumn: 2, sourceLine: 100 + j, image: mark === '+' ? 'post' : 'context' });
    });
    return buildFragment({ id: `t${i}/post`, kind: 'post', messageIndex: 0, file: 'mm/test.c', functionHint: piece.functionHint ?? null, quoteDepth: piece.quoteDepth ?? 0 }, input);
  });
}

/** The text of the document the pieces stand for (pieces separated by one blank line), so fixes can be checked. */
export function documentText(pieces: Piece[]): string {
  return pieces.map((p) => (typeof p === 'string' ? p : p.code)).join('\n\n');
}

export function contextFor(pieces: Piece | Piece[]): DocumentContext {
  const list = Array.isArray(pieces) ? pieces : [pieces];
  const parsed: ParsedFragment[] = toFragments(list).map((f) => parseFragment(f));
  const memo = new Map<string, unknown>();
  return {
    path: 'test.c',
    text: documentText(list),
    messages: [],
    patches: [],
    fragments: parsed,
    functions: parsed.flatMap((p) => p.functions),
    facts: [],
    config: defaultConfig(),
    functionReports: [],
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}

export function runRule(rule: Rule, pieces: Piece | Piece[], setup?: (ctx: DocumentContext) => void): Finding[] {
  const ctx = contextFor(pieces);
  setup?.(ctx);
  const out: Finding[] = [];
  rule.run(ctx, (d) => out.push(toFinding(rule, rule.meta.defaultSeverity, d)));
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function show(fs: Finding[]): string {
  return fs.map((f) => `  ${f.line}:${f.column} ${f.messageId}: ${f.message}`).join('\n') || '  (none)';
}

/** typescript-eslint style table: every valid case yields nothing, every invalid case exactly its errors. */
export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    before(async () => {
      await initParser();
    });
    cases.valid.forEach((v, i) => {
      const c = typeof v === 'object' && !Array.isArray(v) && 'code' in v && !('diff' in v) && !('kind' in v) ? (v as { name?: string; code: Piece | Piece[]; setup?: (ctx: DocumentContext) => void }) : { code: v as Piece | Piece[], name: undefined, setup: undefined };
      test(`valid ${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const fs = runRule(rule, c.code, c.setup);
        assert.equal(fs.length, 0, `expected no findings, got:\n${show(fs)}`);
      });
    });
    cases.invalid.forEach((inv, i) => {
      test(`invalid ${i + 1}${inv.name ? `: ${inv.name}` : ''}`, () => {
        const fs = runRule(rule, inv.code, inv.setup);
        const got = fs.map((f) => ({ messageId: f.messageId, line: f.line }));
        const want = inv.errors.map((e) => ({ messageId: e.messageId, line: e.line }));
        assert.deepEqual(got, want, `findings:\n${show(fs)}`);
        inv.errors.forEach((e, j) => {
          if (e.message) assert.match(fs[j].message, e.message);
        });
        inv.check?.(fs);
      });
    });
  });
}

/**
 * A stand-in for the emulator's lockStateAt() (issue 4) so the rules that need
 * it can be table-tested on their own: straight-line lock tracking where a lock
 * taken under an `if` that does not contain the node is held on some paths only.
 */
export function useFakeEmulator(ctx: DocumentContext): void {
  const view: EmulatorView = {
    lockStateAt(fn: CFunction, node: Node) {
      const state = new Map<string, 'held' | 'cond' | 'released'>();
      const later = new Set<string>();
      walk(fn.body, (n) => {
        if (n.type !== 'call_expression') return;
        const name = callName(n);
        if (!isLockOp(name) || /assert/.test(name)) return;
        const arg = callArgs(n)[0];
        if (!arg) return;
        let obj = normaliseObject(arg.text);
        if (/^mmap_/.test(name)) obj = `${obj}->mmap_lock`;
        const unlock = /unlock|^up_/.test(name);
        if (n.startIndex >= node.startIndex) {
          if (!unlock) later.add(obj);
          return;
        }
        let conditional = false;
        for (let p = n.parent; p && p.id !== fn.body.id; p = p.parent) {
          if ((p.type === 'if_statement' || p.type === 'else_clause') && !(p.startIndex <= node.startIndex && node.endIndex <= p.endIndex)) conditional = true;
        }
        state.set(obj, unlock ? 'released' : conditional ? 'cond' : 'held');
      });
      const held = [...state].filter(([, v]) => v === 'held').map(([k]) => k);
      const not = [...state].filter(([, v]) => v !== 'held').map(([k, v]) => ({ lock: k, trace: [{ line: 1, column: 1, message: v === 'cond' ? `${k} taken on some paths only` : `${k} released` }] }));
      for (const l of later) if (!state.has(l)) not.push({ lock: l, trace: [{ line: 1, column: 1, message: `${l} taken only later` }] });
      return { heldOnAllPaths: held, notHeldOnSomePath: not };
    },
  };
  ctx.memo('ordering/emulator', () => view);
}
