/**
 * Parse a fragment and list the functions it shows. A hunk that starts inside a
 * body is wrapped by prepare.ts; its wrapper takes the name from the `@@` header.
 */
import type { Node } from 'web-tree-sitter';
import type { Fragment } from '../model';
import type { CFunction, ParsedFragment } from '../rules/framework';
import { parseC } from './parser';
import { functionName } from './ast';
import { WRAPPER_NAME } from './prepare';

export function parseFragment(fragment: Fragment): ParsedFragment {
  const tree = parseC(fragment.text);
  const functions: CFunction[] = [];
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'function_definition') {
        const body = c.childForFieldName('body');
        if (!body) continue;
        const raw = functionName(c) ?? '(anonymous)';
        const synthetic = raw === WRAPPER_NAME;
        const name = synthetic ? fragment.functionHint ?? (fragment.kind === 'quoted-code' ? '(quoted code)' : '(hunk)') : raw;
        functions.push({ name, def: c, body, fragment, synthetic, partial: synthetic || cutOff(fragment, c, body) });
      } else if (c.type === 'preproc_if' || c.type === 'preproc_ifdef' || c.type === 'preproc_else' || c.type === 'preproc_elif' || c.type === 'linkage_specification' || c.type === 'declaration_list' || c.type === 'ERROR') {
        visit(c);
      }
    }
  };
  visit(tree.rootNode);
  return { fragment, tree, functions };
}

/** A real function definition is partial when its closing brace (or its start) is a synthetic line the preparer added. */
function cutOff(fragment: Fragment, def: Node, body: Node): boolean {
  const end = fragment.lines[body.endPosition.row];
  const start = fragment.lines[def.startPosition.row];
  return !end || end.docLine === null && end.image === null || !start;
}
