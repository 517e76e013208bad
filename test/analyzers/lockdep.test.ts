import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';
import { commentClaims } from '../../src/analyzers';

before(ready);

test('lockdep, mmap/vma assertions and KCSAN annotations', () => {
  const code = [
    'static void notifiers_dec(struct hmm *hmm)',
    '{',
    '\tlockdep_assert_held(&hmm->ranges_lock);',
    '\tlockdep_assert_held_write(&mm->mmap_lock);',
    '\tlockdep_assert_held_read(&sem);',
    '\tlockdep_assert_held_once(&l);',
    '\tmmap_assert_locked(mm);',
    '\tmmap_assert_write_locked(mm);',
    '\tvma_assert_locked(vma);',
    '\tvma_assert_write_locked(vma);',
    '\tlockdep_assert_irqs_disabled();',
    '\tASSERT_EXCLUSIVE_WRITER(s->seq);',
    '\tASSERT_EXCLUSIVE_WRITER_SCOPED(s->seq);',
    '\tASSERT_EXCLUSIVE_ACCESS(s->x);',
    '\tASSERT_EXCLUSIVE_BITS(s->flags, MASK);',
    '\tlockdep_off();',
    '\tlockdep_on();',
    '\tlist_for_each_entry(range, &hmm->ranges, list) {',
    '\t\trange->valid = true;',
    '\t}',
    '}',
  ].join('\n');
  const f = only(factsOf(code, { quoteDepth: 2 }), { kind: 'lockdep' });
  assert.deepEqual(f.map((x) => [x.api, x.role, x.object]), [
    ['lockdep_assert_held', 'assert-held', 'hmm->ranges_lock'],
    ['lockdep_assert_held_write', 'assert-held', 'mm->mmap_lock'],
    ['lockdep_assert_held_read', 'assert-held', 'sem'],
    ['lockdep_assert_held_once', 'assert-held', 'l'],
    ['mmap_assert_locked', 'assert-held', 'mm'],
    ['mmap_assert_write_locked', 'assert-held', 'mm'],
    ['vma_assert_locked', 'assert-held', 'vma'],
    ['vma_assert_write_locked', 'assert-held', 'vma'],
    ['lockdep_assert_irqs_disabled', 'assert-held', null],
    ['ASSERT_EXCLUSIVE_WRITER', 'assert-exclusive-writer', 's->seq'],
    ['ASSERT_EXCLUSIVE_WRITER_SCOPED', 'assert-exclusive-writer', 's->seq'],
    ['ASSERT_EXCLUSIVE_ACCESS', 'assert-exclusive-access', 's->x'],
    ['ASSERT_EXCLUSIVE_BITS', 'assert-exclusive-access', 's->flags'],
    ['lockdep_off', 'lockdep-off', null],
    ['lockdep_on', 'lockdep-on', null],
  ]);
  assert.ok(f.every((x) => x.function === 'notifiers_dec' && x.quoteDepth === 2));
  assert.equal(f[0].line, 3);
  assert.equal(f[1].detail?.mode, 'write');
  assert.equal(f[5].detail?.family, 'mmap-write');
});

test('a comment claiming exclusivity names the field, and the lock it relies on', () => {
  const code = [
    'static inline void end_all(struct mm_struct *mm)',
    '{',
    '\t/*',
    '\t * No one else can modify mm->lock_gen while the exclusive',
    '\t * mmap_lock is held.',
    '\t */',
    '\tsmp_store_release(&mm->lock_gen, mm->lock_gen + 1);',
    '}',
  ].join('\n');
  const f = only(factsOf(code, { firstLine: 50 }), { api: 'comment-claim' });
  const ex = only(f, { role: 'claims-exclusive' });
  assert.equal(ex.length, 1);
  assert.equal(ex[0].object, 'mm->lock_gen');
  assert.equal(ex[0].detail?.claim, 'mm->lock_gen');
  assert.equal(ex[0].detail?.lock, 'mmap_lock');
  assert.equal(ex[0].function, 'end_all');
  assert.equal(ex[0].line, 53);
  assert.equal(ex[0].column, 28);
  const held = only(f, { role: 'claims-held' });
  assert.deepEqual(held.map((x) => [x.object, x.line, x.detail?.mode]), [['mmap_lock', 54, 'write']]);
});

test('held claims in prose: "called with X held", "caller holds", "protected by"', () => {
  const c = (t: string) => commentClaims(t).map((x) => [x.role, x.claim, x.mode]);
  assert.deepEqual(c('/* Must be called with mm->mmap_lock held for write */'), [['claims-held', 'mm->mmap_lock', 'write']]);
  assert.deepEqual(c('/* caller holds the PTL */'), [['claims-held', 'PTL', null]]);
  assert.deepEqual(c('// protected by hmm->ranges_lock'), [['claims-held', 'hmm->ranges_lock', null]]);
  assert.deepEqual(c('/* Only the owner thread updates stats->seq, so no lock is needed. */'), [['claims-exclusive', 'stats->seq', null]]);
  assert.deepEqual(c("/* both vma->vm_gen and mm->gen can't be concurrently modified */").map((x) => x[1]), ['vma->vm_gen']);
});

test('negative: comments that claim nothing, or say a lock is NOT held, are not claims', () => {
  for (const t of [
    '/* Make sure the vma is marked invalid so speculative faults back off. */',
    '/* Drop all currently-held per-VMA locks. */',
    '/* called without holding the mmap_lock */',
    '/* mmap_lock is not held here */',
    '/* Pairs with the smp_wmb() in vma_kill(). */',
    '/* This is called right before releasing a write-locked mmap_lock. */',
  ]) assert.deepEqual(commentClaims(t), [], t);
  assert.equal(only(factsOf('void f(void)\n{\n\t/* bump the counter */\n\tx++;\n}'), { kind: 'lockdep' }).length, 0);
});

test('a claim in a comment right before a function records the function it describes', () => {
  const f = factsOf('/* Caller must hold mm->mmap_lock for write. */\nstatic void g(struct mm_struct *mm)\n{\n}');
  const c = only(f, { api: 'comment-claim' });
  assert.equal(c.length, 1);
  assert.equal(c[0].function, null);
  assert.equal(c[0].detail?.describes, 'g');
  assert.equal(c[0].detail?.mode, 'write');
});
