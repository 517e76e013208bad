import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { initParser } from '../../src/engine';
import { parseC } from '../../src/c/parser';
import { walk } from '../../src/c/ast';

before(async () => {
  await initParser();
});

const code = `static int f(struct mm_struct *mm, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (READ_ONCE(mm->x))
			spin_lock(&mm->lock);
		else
			g(mm, i);
	}
	return 0;
}
int g(int a) { return a + 1; }
`;

/** The walk as the live tree gives it, child by child. */
function reference(n: Node, visit: (n: Node) => boolean | void, out: string[]): void {
  out.push(`${n.type}@${n.startIndex}`);
  if (visit(n) === false) return;
  for (let i = 0; i < n.childCount; i++) reference(n.child(i)!, visit, out);
}

test('walk visits the nodes of the live tree in the same order, from the root and from a subtree', () => {
  const tree = parseC(code);
  for (const start of [tree.rootNode, tree.rootNode.descendantsOfType('for_statement')[0]!, tree.rootNode.descendantsOfType('return_statement')[1]!]) {
    const want: string[] = [];
    reference(start, () => undefined, want);
    const got: string[] = [];
    walk(start, (n) => void got.push(`${n.type}@${n.startIndex}`));
    assert.deepEqual(got, want);
    assert.ok(got.length > 1);
  }
});

test('walk skips the children of a node when visit returns false', () => {
  const tree = parseC(code);
  const skip = (n: Node) => n.type !== 'if_statement';
  const want: string[] = [];
  reference(tree.rootNode, skip, want);
  const got: string[] = [];
  walk(tree.rootNode, (n) => {
    got.push(`${n.type}@${n.startIndex}`);
    return skip(n);
  });
  assert.deepEqual(got, want);
  assert.ok(got.includes(`if_statement@${code.indexOf('if (')}`));
  assert.ok(!got.some((x) => x.startsWith('else_clause')));
});
