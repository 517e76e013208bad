/** Small AST helpers shared by the device models (notifier owners, page provenance). */
import type { Node } from 'web-tree-sitter';
import type { Location, TraceStep } from '../model';
import { documentLines, type CFunction, type DocumentContext } from '../rules/framework';
import { callArgs, callName, declaredName, nodeLocation, walk } from '../c/ast';

export { callArgs, callName };

/** Every call_expression under `node`, in source order. */
export function callsIn(node: Node): Node[] {
  const out: Node[] = [];
  walk(node, (n) => {
    if (n.type === 'call_expression') out.push(n);
  });
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

export function loc(ctx: DocumentContext, fn: CFunction, node: Node): Location {
  return nodeLocation(fn.fragment, ctx.path, node);
}

export function step(ctx: DocumentContext, fn: CFunction, node: Node, message: string, state?: string): TraceStep {
  const l = loc(ctx, fn, node);
  return state === undefined ? { line: l.line, column: l.column, message } : { line: l.line, column: l.column, message, state };
}

/** Strip parentheses and casts around an expression. */
export function unwrap(n: Node): Node {
  let cur = n;
  for (;;) {
    if (cur.type === 'parenthesized_expression') {
      const inner = cur.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
      if (!inner) return cur;
      cur = inner;
    } else if (cur.type === 'cast_expression') {
      const v = cur.childForFieldName('value');
      if (!v) return cur;
      cur = v;
    } else return cur;
  }
}

/** Parameters of a function definition: name and type text, in order. */
export function parameters(fn: CFunction): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [];
  let d = fn.def.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const list = d?.childForFieldName('parameters');
  if (!list) return out;
  for (const p of list.namedChildren) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const name = declaredName(p.childForFieldName('declarator'));
    if (name) out.push({ name, type: p.text });
  }
  return out;
}

/** Text of a location in the opened document (quote prefixes of inner lines included). */
export function docSlice(ctx: DocumentContext, l: Location): string | null {
  const lines = documentLines(ctx);
  if (l.line < 1 || l.endLine > lines.length) return null;
  if (l.line === l.endLine) return lines[l.line - 1].slice(l.column - 1, l.endColumn - 1);
  const parts = [lines[l.line - 1].slice(l.column - 1)];
  for (let i = l.line + 1; i < l.endLine; i++) parts.push(lines[i - 1]);
  parts.push(lines[l.endLine - 1].slice(0, l.endColumn - 1));
  return parts.join('\n');
}

/** Function definitions of the document by name (a real definition is preferred over a hunk wrapper). */
export function functionsByName(ctx: DocumentContext): Map<string, CFunction> {
  return ctx.memo('device:functionsByName', () => {
    const m = new Map<string, CFunction>();
    for (const f of ctx.functions) {
      const prev = m.get(f.name);
      if (!prev || (prev.synthetic && !f.synthetic)) m.set(f.name, f);
    }
    return m;
  });
}
