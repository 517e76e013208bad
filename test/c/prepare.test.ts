import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../src/c/parser';
import { fragmentFromC, neutraliseLine, braceProfile } from '../../src/c/prepare';
import { parseFragment } from '../../src/c/functions';
import { docPosition, normaliseObject } from '../../src/c/ast';

before(async () => {
  await initParser();
});

test('macro neutralising keeps every column in place', () => {
  const lines = [
    '\tlist_for_each_entry(range, &hmm->ranges, list) {',
    'static inline __must_check int f(void) __acquires(x)',
    '\tscoped_guard(spinlock, &l) {',
    '...',
  ];
  for (const l of lines) assert.equal(neutraliseLine(l, 0, []).length, l.length);
  assert.match(neutraliseLine(lines[0], 0, []), /^\twhile\s+\(range, &hmm->ranges, list\) \{$/);
  assert.doesNotMatch(neutraliseLine(lines[1], 0, []), /__must_check|__acquires/);
  assert.equal(neutraliseLine('...', 0, []).trim(), '');
});

test('brace profile ignores braces in comments and strings', () => {
  const p = braceProfile(['}', 'x = "{"; /* { */', '{', '// }']);
  assert.equal(p.minDepth, -1);
  assert.equal(p.finalDepth, 0);
});

test('a hunk that starts mid-body is wrapped and named from the @@ header', () => {
  const f = fragmentFromC('\tif (x)\n\t\tgoto out;\n\twrite_seqcount_end(&s->seq);\nout:\n\treturn 0;\n}\n\nstatic int g(void)\n{\n\treturn 1;\n}', { functionHint: 'update' });
  const p = parseFragment(f);
  assert.deepEqual(p.functions.map((fn) => [fn.name, fn.synthetic, fn.partial]), [['update', true, true], ['g', false, false]]);
  assert.equal(p.tree.rootNode.hasError, false);
  // Positions map back to the document, skipping the synthetic wrapper line.
  const call = p.tree.rootNode.descendantForIndex(f.text.indexOf('write_seqcount_end'))!;
  assert.deepEqual(docPosition(f, call.startPosition.row, call.startPosition.column), { line: 3, column: 2 });
});

test('a sketch without a return type, with elisions and // comments, parses as a function', () => {
  const f = fragmentFromC('vma_delete(struct vm_area_struct *vma)\n{\n...\nvma->vm_flags = 0;\nsmp_wmb();\n// bump it\nvma->seqcount++;\n...\n}');
  const p = parseFragment(f);
  assert.deepEqual(p.functions.map((fn) => fn.name), ['vma_delete']);
  assert.equal(p.tree.rootNode.hasError, false);
  const call = p.tree.rootNode.descendantForIndex(f.text.indexOf('smp_wmb'))!;
  assert.deepEqual(docPosition(f, call.startPosition.row, call.startPosition.column), { line: 5, column: 1 });
});

test('a hunk starting with the body brace and one starting inside a comment', () => {
  const a = parseFragment(fragmentFromC('{\n\tdown_write(&mm->mmap_lock);\n}', { functionHint: 'mmap_write_lock' }));
  assert.deepEqual(a.functions.map((fn) => fn.name), ['mmap_write_lock']);
  const b = parseFragment(fragmentFromC('\t * the rest of a comment\n\t */\n\tsmp_wmb();\n', { functionHint: 'h' }));
  assert.deepEqual(b.functions.map((fn) => fn.name), ['h']);
  assert.equal(b.tree.rootNode.hasError, false);
});

test('normaliseObject gives one key per object', () => {
  assert.equal(normaliseObject('&pool->stats_seq'), 'pool->stats_seq');
  assert.equal(normaliseObject('( &pool -> stats_seq )'), 'pool->stats_seq');
  assert.equal(normaliseObject('&(mm->mmap_lock)'), 'mm->mmap_lock');
  assert.notEqual(normaliseObject('&a'), normaliseObject('&b'));
});
