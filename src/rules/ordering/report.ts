/** Small helpers the ordering rules share to turn a node into a report. */
import type { Node } from 'web-tree-sitter';
import { nodeLocation, nodeSource } from '../../c/ast';
import type { CFunction, DocumentContext } from '../framework';
import type { Location } from '../../model';

export function at(ctx: DocumentContext, fn: CFunction, node: Node): { loc: Location; source: { file: string; line: number } | null; function: string; messageIndex: number } {
  return { loc: nodeLocation(fn.fragment, ctx.path, node), source: nodeSource(fn.fragment, node), function: fn.name, messageIndex: fn.fragment.messageIndex };
}
