import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';

before(ready);

test('seqcount API calls: roles, objects, functions and positions', () => {
  const code = [
    'static void stats_update(struct pool *pool)',
    '{',
    '\twrite_seqcount_begin(&pool->stats_seq);',
    '\tpool->bytes += 1;',
    '\twrite_seqcount_end(&pool->stats_seq);',
    '}',
    '',
    'static u64 stats_read(struct pool *pool)',
    '{',
    '\tunsigned int seq;',
    '\tu64 v;',
    '\tdo {',
    '\t\tseq = read_seqcount_begin(&pool->stats_seq);',
    '\t\tv = pool->bytes;',
    '\t} while (read_seqcount_retry(&pool->stats_seq, seq));',
    '\treturn v;',
    '}',
  ].join('\n');
  const f = factsOf(code, { firstLine: 20 });
  const seq = only(f, { kind: 'seqcount' });
  assert.deepEqual(seq.map((x) => [x.api, x.role, x.object, x.function, x.line, x.column]), [
    ['write_seqcount_begin', 'write-begin', 'pool->stats_seq', 'stats_update', 22, 2],
    ['write_seqcount_end', 'write-end', 'pool->stats_seq', 'stats_update', 24, 2],
    ['read_seqcount_begin', 'read-begin', 'pool->stats_seq', 'stats_read', 32, 9],
    ['read_seqcount_retry', 'read-retry', 'pool->stats_seq', 'stats_read', 34, 11],
  ]);
  assert.equal(seq[2].detail?.seqVar, 'seq');
  assert.equal(seq[3].detail?.seqVar, 'seq');
  assert.deepEqual(seq[3].args, ['&pool->stats_seq', 'seq']);
  assert.equal(seq[0].image, 'post');
});

test('raw_, do_raw_, _nested, barrier, invalidate, latch and seqlock_t variants', () => {
  const code = [
    'void w(struct s *s, unsigned long flags)',
    '{',
    '\traw_write_seqcount_begin(&s->a);',
    '\traw_write_seqcount_end(&s->a);',
    '\tdo_raw_write_seqcount_begin(&s->b);',
    '\tdo_raw_write_seqcount_end(&s->b);',
    '\twrite_seqcount_begin_nested(&s->c, SINGLE_DEPTH_NESTING);',
    '\twrite_seqcount_end(&s->c);',
    '\traw_write_seqcount_barrier(&s->d);',
    '\twrite_seqcount_invalidate(&s->d);',
    '\traw_write_seqcount_latch(&s->latch);',
    '\twrite_seqlock_irqsave(&s->lock, flags);',
    '\twrite_sequnlock_irqrestore(&s->lock, flags);',
    '\tseqcount_init(&s->e);',
    '}',
    'int r(struct s *s)',
    '{',
    '\tunsigned seq = raw_read_seqcount_latch(&s->latch);',
    '\tif (read_seqcount_latch_retry(&s->latch, seq))',
    '\t\treturn 1;',
    '\tseq = read_seqbegin(&s->lock);',
    '\treturn read_seqretry(&s->lock, seq) || __read_seqcount_retry(&s->e, raw_seqcount_begin(&s->e));',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { kind: 'seqcount' });
  const roles = Object.fromEntries(f.map((x) => [x.api, x.role]));
  assert.deepEqual(roles, {
    raw_write_seqcount_begin: 'write-begin',
    raw_write_seqcount_end: 'write-end',
    do_raw_write_seqcount_begin: 'write-begin',
    do_raw_write_seqcount_end: 'write-end',
    write_seqcount_begin_nested: 'write-begin',
    write_seqcount_end: 'write-end',
    raw_write_seqcount_barrier: 'write-barrier',
    write_seqcount_invalidate: 'write-barrier',
    raw_write_seqcount_latch: 'latch-write',
    write_seqlock_irqsave: 'write-begin',
    write_sequnlock_irqrestore: 'write-end',
    seqcount_init: 'init',
    raw_read_seqcount_latch: 'latch-read-begin',
    read_seqcount_latch_retry: 'latch-read-retry',
    read_seqbegin: 'read-begin',
    read_seqretry: 'read-retry',
    __read_seqcount_retry: 'read-retry',
    raw_seqcount_begin: 'read-begin',
  });
  const nested = only(f, { api: 'write_seqcount_begin_nested' })[0];
  assert.equal(nested.detail?.subclass, 'SINGLE_DEPTH_NESTING');
  const wl = only(f, { api: 'write_seqlock_irqsave' })[0];
  assert.equal(wl.detail?.family, 'seqlock');
  assert.equal(wl.detail?.flags, 'flags');
  assert.equal(only(f, { api: 'raw_read_seqcount_latch' })[0].detail?.seqVar, 'seq');
});

test('open-coded increment next to smp_wmb(): write-begin when the barrier follows, write-end when it precedes', () => {
  const code = [
    'static inline void my_write_begin(struct my_seq *s)',
    '{',
    '\ts->sequence++;',
    '\tsmp_wmb();',
    '}',
    'void vma_kill(struct vm_area_struct *vma)',
    '{',
    '\tvma->vm_flags = 0;',
    '\tsmp_wmb();',
    '\tvma->gen += 1;',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { api: 'open-coded-increment' });
  assert.deepEqual(f.map((x) => [x.role, x.object, x.function, x.line]), [
    ['write-begin', 's->sequence', 'my_write_begin', 3],
    ['write-end', 'vma->gen', 'vma_kill', 10],
  ]);
  assert.equal(f[0].detail?.barrierPosition, 'after');
  assert.equal(f[1].detail?.seqLikeName, false);
});

test('open-coded forms in an unindented sketch with a missing return type, ... lines and // comments', () => {
  const code = [
    'vma_delete(struct vm_area_struct *vma)',
    '{',
    '...',
    'vma->vm_flags = 0;',
    'smp_wmb();',
    'vma->seqcount++;',
    '...',
    '}',
    '',
    'spec_begin(struct vm_area_struct *vma,',
    'struct spec *sp)',
    '{',
    '...',
    'sp->seqcount = vma->seqcount;',
    'smp_rmb();',
    'sp->vm_flags = vma->vm_flags;',
    'if (!sp->vm_flags) {',
    '// give up, the vma is going away',
    '...',
    '}',
    '}',
    '',
    'bool spec_commit(struct vm_area_struct *vma, struct spec *sp)',
    '{',
    'smp_rmb();',
    'if (READ_ONCE(vma->seqcount) != sp->seqcount)',
    'return false;',
    'return true;',
    '}',
  ].join('\n');
  const f = factsOf(code, { kind: 'quoted-code', image: 'quoted-code', quoteDepth: 2 });
  const inc = only(f, { api: 'open-coded-increment' });
  assert.deepEqual(inc.map((x) => [x.role, x.object, x.function, x.line, x.image, x.quoteDepth]), [['write-end', 'vma->seqcount', 'vma_delete', 6, 'quoted-code', 2]]);
  const loads = only(f, { api: 'open-coded-load' });
  assert.deepEqual(loads.map((x) => [x.role, x.object, x.function, x.line]), [
    ['read-begin', 'vma->seqcount', 'spec_begin', 14],
    ['read-retry', 'vma->seqcount', 'spec_commit', 26],
  ]);
  assert.equal(loads[0].detail?.seqVar, 'sp->seqcount');
  assert.deepEqual(only(f, { api: 'smp_rmb' }).map((x) => x.function), ['spec_begin', 'spec_commit']);
});

test('release store of seq + 1 is an open-coded write-end; WRITE_ONCE(x, x + 1) next to a barrier counts', () => {
  const code = [
    'void end(struct mm_struct *mm)',
    '{',
    '\tsmp_store_release(&mm->lock_seq, mm->lock_seq + 1);',
    '\tsmp_wmb();',
    '\tWRITE_ONCE(mm->gen_seq, mm->gen_seq + 1);',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { api: 'open-coded-increment' });
  assert.deepEqual(f.map((x) => [x.role, x.object, x.detail?.barrier]), [
    ['write-end', 'mm->lock_seq', 'smp_store_release'],
    ['write-end', 'mm->gen_seq', 'smp_wmb'],
  ]);
});

test('negative: counters without an adjacent barrier and seq loads without smp_rmb are not seqcount facts', () => {
  const code = [
    'void count(struct s *s)',
    '{',
    '\tunsigned seq;',
    '\ts->cnt++;',
    '\tcnt++;',
    '\tseq = s->seq;',
    '\tdo_work(seq);',
    '\tsmp_wmb();',
    '\tfoo(s);',
    '\ts->hits += 2;',
    '}',
  ].join('\n');
  const f = factsOf(code);
  assert.equal(only(f, { kind: 'seqcount' }).length, 0);
  assert.equal(only(f, { api: 'smp_wmb' }).length, 1);
});
