import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, SourceLine } from '../../src/model';
import { findPatches, functionFromContext } from '../../src/patch';
import { buildFragments, classify, quotedCodeBlocks } from '../../src/patch/fragments';

/** A message from raw lines, with `>` quoting split off the way the mail layer does. */
function msg(text: string): Message {
  const body: SourceLine[] = text.split('\n').map((raw, i) => {
    let depth = 0;
    let at = 0;
    while (raw[at] === '>') {
      depth++;
      at++;
      if (raw[at] === ' ') at++;
    }
    return { docLine: i + 1, docColumn: at + 1, text: raw.slice(at), quoteDepth: depth };
  });
  return { index: 0, headers: {}, subject: null, startLine: 1, endLine: body.length, subjectLine: null, body, attachments: [], warnings: [] };
}

const PATCH = [
  'Subject: [PATCH] mm: fix',
  '',
  'diff --git a/mm/foo.c b/mm/foo.c',
  'index 111..222 100644',
  '--- a/mm/foo.c',
  '+++ b/mm/foo.c',
  '@@ -10,5 +10,6 @@ static int foo_update(struct foo *f)',
  ' \tint ret;',
  '-\twrite_seqcount_begin(&f->seq);',
  '+\tspin_lock(&f->lock);',
  '+\twrite_seqcount_begin(&f->seq);',
  ' \tf->x = 1;',
  '',
  ' \treturn ret;',
  '-- ',
  '2.43.0',
].join('\n');

test('a format-patch hunk: counts, images, line numbers, function context', () => {
  const errors: never[] = [];
  const [p] = findPatches(msg(PATCH), 'x.patch', errors);
  assert.equal(errors.length, 0);
  assert.equal(p.files.length, 1);
  const f = p.files[0];
  assert.equal(f.oldPath, 'mm/foo.c');
  assert.equal(f.newPath, 'mm/foo.c');
  assert.equal(f.headerLine, 3);
  const h = f.hunks[0];
  assert.equal(h.functionName, 'foo_update');
  assert.equal(h.headerLine, 7);
  assert.equal(h.truncated, false);
  assert.deepEqual(h.lines.map((l) => l.kind).join(''), ' -++ ' + '  ');
  // The empty line inside the hunk is a context line that lost its space; `-- ` after the counts is not a removed line.
  assert.equal(h.lines.length, 7);
  const added = h.lines.filter((l) => l.kind === '+');
  assert.deepEqual(added.map((l) => [l.docLine, l.newLine, l.docColumn]), [[10, 11, 2], [11, 12, 2]]);
  const removed = h.lines.find((l) => l.kind === '-')!;
  assert.equal(removed.oldLine, 11);
});

test('pre and post images become fragments with per-line images and source lines', () => {
  const m = msg(PATCH);
  const patches = findPatches(m, 'x.patch', []);
  const frags = buildFragments([m], patches);
  const post = frags.find((f) => f.kind === 'post')!;
  const pre = frags.find((f) => f.kind === 'pre')!;
  assert.equal(post.functionHint, 'foo_update');
  assert.equal(post.file, 'mm/foo.c');
  const postReal = post.lines.filter((l) => l.docLine !== null);
  assert.deepEqual(postReal.map((l) => l.image), ['context', 'post', 'post', 'context', 'context', 'context']);
  assert.ok(post.text.includes('spin_lock(&f->lock);'));
  assert.ok(!pre.text.includes('spin_lock'), 'the pre-image has no added line');
  const preReal = pre.lines.filter((l) => l.docLine !== null);
  assert.deepEqual(preReal.map((l) => l.image), ['context', 'pre', 'context', 'context', 'context']);
  assert.equal(preReal[1].sourceLine, 11);
  // Statements at body level are wrapped in a function named after the @@ context.
  assert.ok(post.partial);
});

test('quoted diff at depth 2 with context lines that lost their leading space', () => {
  const text = [
    'On Mon, someone wrote:',
    '> > @@ -2042,4 +2042,6 @@ static bool make_one(struct page *page,',
    '> > swp_entry_t entry;',
    '> > pte_t swp_pte;',
    '> >',
    '> > + split_huge_pmd_address(vma, address, false, page);',
    '> > +',
    '> > mmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0,',
    '> ',
    '> I disagree.',
  ].join('\n');
  const [p] = findPatches(msg(text), 'r.txt', []);
  assert.equal(p.quoteDepth, 2);
  const h = p.files[0].hunks[0];
  assert.equal(h.functionName, 'make_one');
  assert.equal(h.truncated, false);
  assert.deepEqual(h.lines.map((l) => l.kind).join(''), '   ++ ');
  const add = h.lines[3];
  assert.equal(add.docLine, 6);
  assert.equal(add.text.trim(), 'split_huge_pmd_address(vma, address, false, page);');
  assert.equal(add.docColumn, 6);
});

test('a hunk cut short by the replier is kept and reported as truncated', () => {
  const text = ['> @@ -1,6 +1,7 @@ void f(void)', '>  a();', '> +b();', '', 'reply text'].join('\n');
  const errors: { code: string }[] = [];
  const [p] = findPatches(msg(text), 'r.txt', errors as never);
  assert.equal(p.files[0].hunks[0].truncated, true);
  assert.equal(p.files[0].hunks[0].lines.length, 2);
  assert.equal(errors[0].code, 'truncated-hunk');
});

test('a malformed @@ header is not a hunk and does not throw', () => {
  const text = ['@@ -x,2 +1 @@', '+a;', '@@ -1,2', 'garbage'].join('\n');
  assert.deepEqual(findPatches(msg(text), 'g.txt', []), []);
});

test('functionFromContext reads the function name of a hunk header', () => {
  assert.equal(functionFromContext('static void hmm_release(struct mmu_notifier *mn, struct mm_struct *mm)'), 'hmm_release');
  assert.equal(functionFromContext('struct vm_area_struct {'), null);
  assert.equal(functionFromContext('static inline int mmap_write_lock_killable(struct mm_struct *mm)'), 'mmap_write_lock_killable');
  assert.equal(functionFromContext(''), null);
});

test('classify tells C from prose', () => {
  assert.equal(classify('s->sequence++;'), 'code');
  assert.equal(classify('smp_wmb();'), 'code');
  assert.equal(classify('static inline void raw_write_seqcount_begin(seqcount_t *s)'), 'code');
  assert.equal(classify('{'), 'code');
  assert.equal(classify(' * Make sure the vma is mark as invalid'), 'comment');
  assert.equal(classify('I can\'t see why this is too complex here, would you elaborate on this ?'), 'prose');
  assert.equal(classify('Yes, changes are still made under the protection of the mmap_sem.'), 'prose');
  assert.equal(classify('[G3] smp_wmb();                  |'), 'prose');
  assert.equal(classify('...'), 'neutral');
});

test('quoted C sketches are found at their depth; one quoted call in prose is not', () => {
  const text = [
    '> The implementation is quite simple:',
    '>',
    '> static inline void begin(seqcount_t *s)',
    '> {',
    '> s->sequence++;',
    '> smp_wmb();',
    '> }',
    '>',
    '> Really.',
    '> > Then:',
    '> > foo_commit(struct vma *vma)',
    '> > {',
    '> > ...',
    '> > seq = vma->seq;',
    '> > }',
    'You could call smp_wmb(); there.',
  ].join('\n');
  const blocks = quotedCodeBlocks(msg(text).body, new Set());
  assert.equal(blocks.length, 2);
  assert.deepEqual([blocks[0][0].docLine, blocks[0].at(-1)!.docLine, blocks[0][0].quoteDepth], [3, 7, 1]);
  assert.deepEqual([blocks[1][0].docLine, blocks[1].at(-1)!.docLine, blocks[1][0].quoteDepth], [11, 15, 2]);
});

test('scissors snippets are taken as code whatever their shape', () => {
  const text = ['> ---8<---', '> lock_page(page)', '> do_things(page)', '> ---8<---'].join('\n');
  const blocks = quotedCodeBlocks(msg(text).body, new Set());
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].length, 2);
});
