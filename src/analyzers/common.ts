/**
 * Shared state and helpers of the fact extractors. One traversal per fragment
 * (index.ts) hands interesting nodes to the concern modules; they build facts
 * through `emit`, which maps positions to the opened document and drops facts
 * on lines that belong to the other image.
 */
import type { Node } from 'web-tree-sitter';
import type { Fact, FactKind, Fragment, Image, Location } from '../model';
import type { ParsedFragment } from '../rules/framework';
import { callArgs, docPosition, nodeImage, nodeLocation, nodeSource, normaliseObject } from '../c/ast';

/** What the extractors remember about the function being walked. */
export interface FunctionState {
  name: string | null;
  /** Last value assigned to each plain identifier (`x = v`, `T *x = v`), in walk order. */
  assigns: Map<string, Node>;
  /** Declared type of identifiers: "page", "folio" or another word; `*` counted. */
  types: Map<string, string>;
  /** Arrays filled by get_user_pages()/pin_user_pages() in this function (normalised). */
  gupArrays: Set<string>;
}

export interface Ctx {
  pf: ParsedFragment;
  fragment: Fragment;
  path: string;
  facts: Fact[];
  fn: FunctionState;
  /** Dedupe keys for facts several triggers can produce (open-coded increments). */
  seen: Set<string>;
}

export function newFunctionState(name: string | null): FunctionState {
  return { name, assigns: new Map(), types: new Map(), gupArrays: new Set() };
}

/** Is a fact on this image kept for this fragment? Pre fragments only keep '-' lines. */
function imageAllowed(fragment: Fragment, image: Image): boolean {
  return fragment.kind === 'pre' ? image === 'pre' : image !== 'pre';
}

/** Argument texts, whitespace runs across lines collapsed. */
export function argTexts(call: Node): string[] {
  return callArgs(call).map((a) => oneLine(a.text));
}

export function oneLine(text: string): string {
  return text.indexOf('\n') < 0 ? text : text.replace(/\s*\n\s*/g, ' ');
}

export function objectOf(call: Node, index: number | undefined): string | null {
  if (index === undefined) return null;
  const a = callArgs(call)[index];
  return a ? normaliseObject(a.text) : null;
}

export interface FactInit {
  kind: FactKind;
  api: string;
  role: string;
  args?: string[];
  object?: string | null;
  detail?: Fact['detail'];
}

/** Build and record a fact located at `node`; returns it, or null when the line belongs to the other image. */
export function emit(ctx: Ctx, node: Node, init: FactInit): Fact | null {
  const image = nodeImage(ctx.fragment, node);
  if (!imageAllowed(ctx.fragment, image)) return null;
  return record(ctx, nodeLocation(ctx.fragment, ctx.path, node), image, nodeSource(ctx.fragment, node), init);
}

/**
 * Build and record a fact at a (row, column)–(row, column) span of the fragment text:
 * emit() for a span that is not a node (nodeImage/nodeLocation/nodeSource by rows).
 */
export function emitAt(ctx: Ctx, row: number, col: number, endRow: number, endCol: number, init: FactInit): Fact | null {
  const fl = ctx.fragment.lines[row];
  const image: Image = fl && fl.image ? fl.image : ctx.fragment.kind === 'pre' ? 'pre' : ctx.fragment.kind === 'post' ? 'post' : 'quoted-code';
  if (!imageAllowed(ctx.fragment, image)) return null;
  const s = docPosition(ctx.fragment, row, col);
  const e = docPosition(ctx.fragment, endRow, endCol);
  const loc: Location = {
    path: ctx.path,
    line: s.line,
    column: s.column,
    endLine: Math.max(s.line, e.line),
    endColumn: e.line === s.line ? Math.max(e.column, s.column + 1) : e.column,
  };
  const source = ctx.fragment.file && fl && fl.sourceLine !== null ? { file: ctx.fragment.file, line: fl.sourceLine } : null;
  return record(ctx, loc, image, source, init);
}

/** The one place a Fact is assembled and recorded. */
function record(ctx: Ctx, loc: Location, image: Image, source: Fact['source'], init: FactInit): Fact {
  const fact: Fact = {
    ...loc,
    kind: init.kind,
    api: init.api,
    role: init.role,
    args: init.args ?? [],
    object: init.object ?? null,
    function: ctx.fn.name,
    image,
    quoteDepth: ctx.fragment.quoteDepth,
    source,
    fragmentId: ctx.fragment.id,
  };
  if (init.detail) fact.detail = init.detail;
  ctx.facts.push(fact);
  return fact;
}

/** Document line of a node (for provenance pointers). */
export function docLineOf(ctx: Ctx, node: Node): number {
  return docPosition(ctx.fragment, node.startPosition.row, node.startPosition.column).line;
}

// ---------------------------------------------------------------- expression shapes

/** Strip parentheses and casts: `((unsigned long)x)` → x. */
export function unwrap(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 8; i++) {
    if (cur.type === 'parenthesized_expression') {
      const inner = cur.namedChildren.find((c) => c && c.type !== 'comment');
      if (!inner) break;
      cur = inner;
    } else if (cur.type === 'cast_expression') {
      const v = cur.childForFieldName('value');
      if (!v) break;
      cur = v;
    } else break;
  }
  return cur;
}

/** Name of the identifier a declarator declares (through pointers, arrays, init). */
export function declaratorName(d: Node | null): { name: string | null; pointer: number } {
  let pointer = 0;
  let cur = d;
  for (let i = 0; cur && i < 10; i++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return { name: cur.text, pointer };
    if (cur.type === 'pointer_declarator') pointer++;
    cur = cur.childForFieldName('declarator');
  }
  return { name: null, pointer };
}

/** The statement a call stands as (`foo();`), or null when the call is inside a larger expression. */
export function statementOf(call: Node): Node | null {
  const p = call.parent;
  return p && p.type === 'expression_statement' ? p : null;
}

function isSkippable(n: Node): boolean {
  return n.type === 'comment' || n.type === ';' || n.type === 'preproc_call';
}

export function prevStatement(stmt: Node): Node | null {
  let s = stmt.previousNamedSibling;
  while (s && isSkippable(s)) s = s.previousNamedSibling;
  return s && s.type !== '{' ? s : null;
}

export function nextStatement(stmt: Node): Node | null {
  let s = stmt.nextNamedSibling;
  while (s && isSkippable(s)) s = s.nextNamedSibling;
  return s;
}

/** How the value a call returns is used. */
export function returnUse(call: Node): { use: string; negated: boolean; assignedTo: string | null } {
  let n: Node = call;
  let negated = false;
  for (let i = 0; i < 8; i++) {
    const p = n.parent;
    if (!p) break;
    switch (p.type) {
      case 'expression_statement':
        return { use: 'ignored', negated, assignedTo: null };
      case 'unary_expression':
        if (p.child(0)?.type === '!') negated = !negated;
        n = p;
        continue;
      case 'parenthesized_expression':
      case 'call_expression': // unlikely(x), likely(x), WARN_ON(x)
      case 'argument_list': {
        if (p.type === 'argument_list') {
          const callee = p.parent?.childForFieldName('function')?.text ?? '';
          if (!/^(unlikely|likely|WARN_ON|WARN_ON_ONCE|VM_WARN_ON|VM_WARN_ON_ONCE|VM_BUG_ON|BUG_ON)$/.test(callee)) return { use: 'argument', negated, assignedTo: null };
        }
        n = p;
        continue;
      }
      case 'binary_expression': {
        const op = p.childForFieldName('operator')?.text ?? '';
        const other = p.childForFieldName('left')?.id === n.id ? p.childForFieldName('right') : p.childForFieldName('left');
        if ((op === '==' || op === '!=') && other && /^(0|NULL|false)$/.test(other.text)) {
          if (op === '==') negated = !negated;
          n = p;
          continue;
        }
        return { use: 'expression', negated, assignedTo: null };
      }
      case 'if_statement':
      case 'while_statement':
      case 'do_statement':
      case 'for_statement':
      case 'conditional_expression':
        return { use: 'condition', negated, assignedTo: null };
      case 'assignment_expression':
        return { use: 'assigned', negated, assignedTo: normaliseObject(p.childForFieldName('left')?.text ?? '') || null };
      case 'init_declarator':
        return { use: 'assigned', negated, assignedTo: declaratorName(p.childForFieldName('declarator')).name };
      case 'return_statement':
        return { use: 'returned', negated, assignedTo: null };
      default:
        return { use: 'expression', negated, assignedTo: null };
    }
  }
  return { use: 'expression', negated, assignedTo: null };
}

/** Short list of the fields/objects a statement accesses (outermost field, subscript and deref expressions). */
export function accessesOf(stmt: Node | null, max = 6): string {
  if (!stmt) return '';
  const out: string[] = [];
  const stack: Node[] = [stmt];
  while (stack.length && out.length < max) {
    const n = stack.pop()!;
    if (n.type === 'field_expression' || n.type === 'subscript_expression' || (n.type === 'pointer_expression' && n.child(0)?.type === '*')) {
      const k = normaliseObject(n.text);
      if (!out.includes(k)) out.push(k);
      continue;
    }
    if (n.type === 'call_expression') {
      // Calls: look at their arguments only (the callee is not an access).
      const args = n.childForFieldName('arguments');
      if (args) for (let i = args.namedChildCount - 1; i >= 0; i--) { const c = args.namedChild(i); if (c) stack.push(c); }
      continue;
    }
    if (n.type === 'comment' || n.type === 'compound_statement' && n.id !== stmt.id) continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  return out.join(',');
}

/** Last name of an access path: `vma->vm_mm->mm_lock_seq` → "mm_lock_seq", `x.sequence` → "sequence". */
export function lastName(n: Node): string {
  if (n.type === 'field_expression') return n.childForFieldName('field')?.text ?? '';
  if (n.type === 'identifier') return n.text;
  return '';
}

export function isSeqLikeName(name: string): boolean {
  return /seq/i.test(name);
}
