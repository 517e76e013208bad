/**
 * Fact extraction: one tree-cursor walk per parsed fragment feeds every concern
 * (seqcount, barriers/accesses, lockdep + comment claims, locks, notifiers,
 * pages). Only the node types a concern needs are materialised; calls are
 * dispatched through the API table by name.
 *
 * Images: a 'pre' fragment yields facts only on removed lines; 'post' fragments
 * yield facts on added and context lines (context lines are in both fragments).
 */
import type { Node } from 'web-tree-sitter';
import type { Fact } from '../model';
import type { CFunction, ParsedFragment } from '../rules/framework';
import { lookupApi } from '../kernel/apis';
import { functionName } from '../c/ast';
import { WRAPPER_NAME } from '../c/prepare';
import { newFunctionState, type Ctx, type FunctionState } from './common';
import { seqcountCall } from './seqcount';
import { accessCall, barrierCall } from './barriers';
import { commentNode, lockdepCall } from './lockdep';
import { lockCall } from './locks';
import { notifierCall } from './notifiers';
import { assignment, declaration, fieldExpression, pageCall } from './pages';

export { commentClaims } from './lockdep';

export function extractFacts(fragments: ParsedFragment[], path: string): Fact[] {
  const facts: Fact[] = [];
  for (const pf of fragments) extractFragment(pf, path, facts);
  return facts;
}

/** Facts of one parsed fragment, appended to `out` (returned). */
export function extractFragment(pf: ParsedFragment, path: string, out: Fact[] = []): Fact[] {
  const byStart = new Map<number, CFunction>();
  for (const f of pf.functions) byStart.set(f.def.startIndex, f);
  const top = newFunctionState(null);
  const ctx: Ctx = { pf, fragment: pf.fragment, path, facts: out, fn: top, seen: new Set() };
  /** Enclosing function states, each with the id of the node whose exit restores it. */
  const fnStack: { saved: FunctionState; exitId: number }[] = [];

  const enterFunction = (def: Node): void => {
    fnStack.push({ saved: ctx.fn, exitId: def.id });
    const known = byStart.get(def.startIndex);
    let name: string | null;
    if (known) name = known.name;
    else {
      const raw = functionName(def);
      name = raw === WRAPPER_NAME ? pf.fragment.functionHint ?? null : raw;
    }
    ctx.fn = newFunctionState(name);
  };

  const cursor = pf.tree.walk();
  try {
    outer: for (;;) {
      const type = cursor.nodeType;
      let descend = true;
      switch (type) {
        case 'function_definition':
          enterFunction(cursor.currentNode);
          break;
        case 'compound_statement':
          // A body the parser could not attach to its declarator (sketches with prose or odd
          // macros around them): name it from the function_declarator just before it.
          if (ctx.fn === top) {
            const body = cursor.currentNode;
            const name = strandedBodyName(body);
            if (name) {
              fnStack.push({ saved: ctx.fn, exitId: body.id });
              ctx.fn = newFunctionState(name);
            }
          }
          break;
        case 'call_expression':
          onCall(ctx, cursor.currentNode);
          break;
        case 'comment':
          commentNode(ctx, cursor.currentNode);
          descend = false;
          break;
        case 'field_expression':
          fieldExpression(ctx, cursor.currentNode);
          break;
        case 'assignment_expression':
          assignment(ctx, cursor.currentNode);
          break;
        case 'declaration':
        case 'parameter_declaration':
          declaration(ctx, cursor.currentNode);
          break;
        case 'string_literal':
        case 'char_literal':
        case 'number_literal':
        case 'primitive_type':
        case 'preproc_include':
          descend = false;
          break;
      }
      if (descend && cursor.gotoFirstChild()) continue;
      // Leave the node (and its ancestors while they have no next sibling).
      for (;;) {
        if (fnStack.length && fnStack[fnStack.length - 1].exitId === cursor.nodeId) ctx.fn = fnStack.pop()!.saved;
        if (cursor.gotoNextSibling()) continue outer;
        if (!cursor.gotoParent()) break outer;
      }
    }
  } finally {
    cursor.delete();
  }
  return out;
}

/** Name of the function_declarator right before a body left outside any function_definition. */
function strandedBodyName(body: Node): string | null {
  const prev = body.previousNamedSibling;
  if (!prev) return null;
  let decl: Node | null = null;
  if (prev.type === 'function_declarator') decl = prev;
  else if (prev.type === 'ERROR' || prev.type === 'declaration') {
    for (let i = prev.namedChildCount - 1; i >= 0 && !decl; i--) {
      const c = prev.namedChild(i);
      if (c && c.type === 'function_declarator') decl = c;
      else if (c && c.type === 'pointer_declarator' && c.namedChild(c.namedChildCount - 1)?.type === 'function_declarator') decl = c.namedChild(c.namedChildCount - 1);
    }
  }
  const id = decl?.childForFieldName('declarator');
  return id && id.type === 'identifier' ? id.text : null;
}

function onCall(ctx: Ctx, call: Node): void {
  const fn = call.childForFieldName('function');
  if (!fn || fn.type !== 'identifier') return;
  const name = fn.text;
  const info = lookupApi(name);
  if (!info) return;
  switch (info.kind) {
    case 'seqcount':
      seqcountCall(ctx, call, name, info);
      break;
    case 'barrier':
      barrierCall(ctx, call, name, info);
      break;
    case 'access':
      accessCall(ctx, call, name, info);
      break;
    case 'lockdep':
      lockdepCall(ctx, call, name, info);
      break;
    case 'lock':
      lockCall(ctx, call, name, info);
      break;
    case 'notifier':
      notifierCall(ctx, call, name, info);
      break;
    case 'page':
      pageCall(ctx, call, name, info);
      break;
  }
}
