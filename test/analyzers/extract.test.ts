import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, factsOfImages, only, ready } from './helpers';
import { API_TABLE, PAGE_FIELDS_HEAD_ONLY, lookupApi } from '../../src/kernel/apis';

before(ready);

const hunk: [import('../../src/model').Image, string][] = [
  ['context', '\tmmap_assert_write_locked(mm);'],
  ['pre', '\tsmp_store_release(&mm->mm_lock_seq, mm->mm_lock_seq + 1);'],
  ['post', '\tdo_raw_write_seqcount_end(&mm->mm_lock_seq);'],
  ['context', '}'],
];

test('pre fragments keep only removed lines; post fragments keep added and context lines', () => {
  const pre = factsOfImages('pre', hunk.filter(([i]) => i !== 'post'), 'vma_end_write_all');
  const post = factsOfImages('post', hunk.filter(([i]) => i !== 'pre'), 'vma_end_write_all');
  assert.deepEqual(pre.map((f) => [f.api, f.image]), [
    ['smp_store_release', 'pre'],
    ['open-coded-increment', 'pre'],
  ]);
  assert.deepEqual(post.map((f) => [f.api, f.image, f.function]), [
    ['mmap_assert_write_locked', 'context', 'vma_end_write_all'],
    ['do_raw_write_seqcount_end', 'post', 'vma_end_write_all'],
  ]);
  // Doc positions and source lines come from the fragment lines, not the wrapped text.
  assert.equal(pre[0].line, 11);
  assert.equal(pre[0].column, 3);
  assert.deepEqual(pre[0].source, { file: 'mm/x.c', line: 101 });
  assert.equal(post[1].line, 11);
  assert.equal(post[1].fragmentId, 't/post');
});

test('functions: real definitions by name, hunk wrappers by the @@ hint, nothing outside functions', () => {
  const f = factsOf('\tsmp_wmb();\n}\n\nstatic void g(void)\n{\n\tsmp_rmb();\n}', { functionHint: 'from_header' });
  assert.deepEqual(f.map((x) => [x.api, x.function]), [['smp_wmb', 'from_header'], ['smp_rmb', 'g']]);
});

test('API table: every entry is complete and roles are from the agreed vocabulary', () => {
  const roles = new Set(['write-begin', 'write-end', 'read-begin', 'read-retry', 'write-barrier', 'latch-write', 'latch-read-begin', 'latch-read-retry', 'init', 'read-begin-or-lock', 'need-retry', 'done-retry',
    'lock', 'unlock', 'trylock', 'downgrade', 'assert-held', 'assert-not-held', 'assert', 'predicate-held', 'assert-exclusive-writer', 'assert-exclusive-access', 'lockdep-off', 'lockdep-on',
    'barrier-full', 'barrier-read', 'barrier-write', 'release-store', 'acquire-load', 'barrier-before-atomic', 'barrier-after-atomic', 'compiler-barrier', 'full-rmw', 'store-mb',
    'once-read', 'once-write', 'data-race', 'dependency-load', 'range-init', 'range-init-owner', 'range-start', 'range-start-nonblock', 'range-end', 'range-invalidate', 'interval-read-begin',
    'interval-read-retry', 'interval-check-retry', 'interval-set-seq', 'interval-insert', 'interval-remove', 'owner-less-invalidation', 'page-may-be-tail', 'page-head']);
  for (const [name, info] of Object.entries(API_TABLE)) {
    assert.equal(info.name, name);
    assert.ok(roles.has(info.role), `${name}: role ${info.role}`);
    assert.ok(info.summary.length > 20 && /\.$/.test(info.summary), `${name}: summary`);
    if (info.kind === 'lock') assert.ok(info.family, `${name}: lock without family`);
  }
  assert.equal(lookupApi('mmap_read_lock_killable')?.returns, 'held-if-zero');
  assert.equal(lookupApi('lock_vma_under_rcu')?.returns, 'held-if-nonnull');
  assert.equal(lookupApi('mmu_notifier_invalidate_range_start_nonblock')?.returns, 'started-if-zero');
  assert.equal(lookupApi('write_seqlock_bh')?.family, 'seqlock');
  assert.equal(lookupApi('toString'), undefined);
  assert.ok(PAGE_FIELDS_HEAD_ONLY.includes('mapping') && PAGE_FIELDS_HEAD_ONLY.includes('index'));
});

test('a larger document: facts stay cheap (one walk per fragment)', () => {
  const fn = (i: number) => `static void f${i}(struct s *s)\n{\n\t/* caller holds s->lock */\n\twrite_seqcount_begin(&s->seq);\n\ts->v = ${i};\n\tsmp_wmb();\n\ts->gen++;\n\twrite_seqcount_end(&s->seq);\n\tuse(s->page->mapping);\n}\n`;
  const code = Array.from({ length: 2000 }, (_, i) => fn(i)).join('\n');
  const t0 = performance.now();
  const f = factsOf(code);
  const ms = performance.now() - t0;
  assert.equal(only(f, { api: 'write_seqcount_begin' }).length, 2000);
  assert.equal(only(f, { api: 'open-coded-increment' }).length, 2000);
  assert.equal(only(f, { role: 'claims-held' }).length, 2000);
  assert.ok(ms < 10000, `took ${ms} ms`);
});
