/** Small helpers over tree-sitter C nodes, shared by the extractors and the emulator. */
import type { Node } from 'web-tree-sitter';
import type { Fragment, Image, Location } from '../model';

/** Depth-first walk; return false from `visit` to skip a node's children. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c) stack.push(c);
    }
  }
}

/** The callee's name of a call_expression (`foo(...)` → "foo"; `ops->fn(...)` → "ops->fn"). */
export function callName(call: Node): string {
  const fn = call.childForFieldName('function');
  return fn ? fn.text : '';
}

/** Argument nodes of a call_expression (comments skipped). */
export function callArgs(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/**
 * Normalise an object expression to a key: whitespace removed, one leading `&`
 * dropped, redundant outer parentheses removed, `(*p).f` kept as written.
 * `&pool->stats_seq` and `pool->stats_seq` give the same key.
 */
export function normaliseObject(text: string): string {
  let t = text.replace(/\s+/g, '');
  let changed = true;
  while (changed) {
    changed = false;
    if (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) {
      t = t.slice(1, -1);
      changed = true;
    }
    if (t.startsWith('&') && !t.startsWith('&&')) {
      t = t.slice(1);
      changed = true;
    }
  }
  return t;
}

/** True when the parentheses of `s` pair up. */
export function balanced(s: string): boolean {
  let d = 0;
  for (const ch of s) {
    if (ch === '(') d++;
    else if (ch === ')' && --d < 0) return false;
  }
  return d === 0;
}

const DECLARATOR = /declarator$|^identifier$/;

/** The declarators of a declaration (`int a, *b = x;` → `a`, `*b = x`), without its type and attributes. */
export function declarators(decl: Node): Node[] {
  return decl.namedChildren.filter((d): d is Node => !!d && DECLARATOR.test(d.type));
}

/** The identifier a declarator declares (`*p`, `a[3]`, `(*fn)(void)`, `x = 1` → p, a, fn, x). */
export function declaredName(d: Node | null): string | null {
  while (d) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c): c is Node => !!c && DECLARATOR.test(c.type)) ?? null;
  }
  return null;
}

/** Map a (0-based row, 0-based column) of fragment text to a 1-based document position. */
export function docPosition(fragment: Fragment, row: number, column: number): { line: number; column: number } {
  const fl = fragment.lines[Math.min(Math.max(row, 0), fragment.lines.length - 1)];
  if (!fl || fl.docLine === null) {
    // Synthetic line: attribute to the nearest real line before it, else after it.
    for (let r = row; r >= 0; r--) {
      const l = fragment.lines[r];
      if (l && l.docLine !== null) return { line: l.docLine, column: l.docColumn };
    }
    for (let r = row; r < fragment.lines.length; r++) {
      const l = fragment.lines[r];
      if (l && l.docLine !== null) return { line: l.docLine, column: l.docColumn };
    }
    return { line: 1, column: 1 };
  }
  return { line: fl.docLine, column: fl.docColumn + column };
}

/** Document location of a node. */
export function nodeLocation(fragment: Fragment, path: string, node: Node): Location {
  const s = docPosition(fragment, node.startPosition.row, node.startPosition.column);
  // End: clamp multi-line nodes to real lines.
  const e = docPosition(fragment, node.endPosition.row, node.endPosition.column);
  // A node on a line read from a kernel tree has no place in the document: marked, so the engine drops what lands there.
  if (fragment.lines[node.startPosition.row]?.tree !== undefined) return { path, line: s.line, column: s.column, endLine: Math.max(e.line, s.line), endColumn: s.column + 1, inTree: true } as Location;
  return { path, line: s.line, column: s.column, endLine: Math.max(e.line, s.line), endColumn: e.line === s.line ? Math.max(e.column, s.column + 1) : e.column };
}

/** The image (pre/post/context/quoted-code) of the line a node starts on. */
export function nodeImage(fragment: Fragment, node: Node): Image {
  const fl = fragment.lines[node.startPosition.row];
  if (fl && fl.image) return fl.image;
  return fragment.kind === 'pre' ? 'pre' : fragment.kind === 'post' ? 'post' : 'quoted-code';
}

/** Source file line of a node, when the hunk header gives one. */
export function nodeSource(fragment: Fragment, node: Node): { file: string; line: number } | null {
  const fl = fragment.lines[node.startPosition.row];
  if (!fragment.file || !fl || fl.sourceLine === null) return null;
  return { file: fragment.file, line: fl.sourceLine };
}

/** Name of the function a node stands in (its function_definition's declarator name). */
export function enclosingFunctionNode(node: Node): Node | null {
  let n: Node | null = node;
  while (n) {
    if (n.type === 'function_definition') return n;
    n = n.parent;
  }
  return null;
}

export function functionName(def: Node): string | null {
  let d = def.childForFieldName('declarator');
  while (d) {
    if (d.type === 'function_declarator') {
      const inner = d.childForFieldName('declarator');
      if (!inner) return null;
      if (inner.type === 'identifier' || inner.type === 'field_identifier') return inner.text;
      d = inner;
      continue;
    }
    if (d.type === 'identifier') return d.text;
    d = d.childForFieldName('declarator');
  }
  return null;
}
