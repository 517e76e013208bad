import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';

before(ready);

const code = [
  'void publish(struct buf *b, int v)',
  '{',
  '\tb->data = v;',
  '\tsmp_wmb();',
  '\tb->ready = 1;',
  '\tsmp_mb();',
  '\tsmp_store_release(&b->flag, 1);',
  '\tmb();',
  '\twmb();',
  '\tbarrier();',
  '\tsmp_mb__before_atomic();',
  '\tatomic_inc(&b->cnt);',
  '\tsmp_mb__after_atomic();',
  '\tWRITE_ONCE(b->tail, v);',
  '}',
  'int consume(struct buf *b)',
  '{',
  '\tif (!smp_load_acquire(&b->flag))',
  '\t\treturn -1;',
  '\tif (!READ_ONCE(b->ready))',
  '\t\treturn 0;',
  '\tsmp_rmb();',
  '\treturn b->data;',
  '\trmb();',
  '}',
].join('\n');

test('every barrier API gets its role, in its function', () => {
  const f = factsOf(code);
  const got = f.filter((x) => x.kind === 'barrier').map((x) => [x.api, x.role, x.function]);
  assert.deepEqual(got, [
    ['smp_wmb', 'barrier-write', 'publish'],
    ['smp_mb', 'barrier-full', 'publish'],
    ['smp_store_release', 'release-store', 'publish'],
    ['mb', 'barrier-full', 'publish'],
    ['wmb', 'barrier-write', 'publish'],
    ['barrier', 'compiler-barrier', 'publish'],
    ['smp_mb__before_atomic', 'barrier-before-atomic', 'publish'],
    ['smp_mb__after_atomic', 'barrier-after-atomic', 'publish'],
    ['smp_load_acquire', 'acquire-load', 'consume'],
    ['smp_rmb', 'barrier-read', 'consume'],
    ['rmb', 'barrier-read', 'consume'],
  ]);
});

test('barriers record the accesses right before and after them', () => {
  const f = factsOf(code);
  const wmb = only(f, { api: 'smp_wmb' })[0];
  assert.equal(wmb.detail?.before, 'b->data');
  assert.equal(wmb.detail?.after, 'b->ready');
  const rmb = only(f, { api: 'smp_rmb' })[0];
  assert.equal(rmb.detail?.before, 'b->ready');
  assert.equal(rmb.detail?.after, 'b->data');
  assert.equal(only(f, { api: 'smp_mb__before_atomic' })[0].detail?.after, 'b->cnt');
});

test('release/acquire and READ_ONCE/WRITE_ONCE carry the accessed object', () => {
  const f = factsOf(code);
  const rel = only(f, { api: 'smp_store_release' })[0];
  assert.equal(rel.object, 'b->flag');
  assert.equal(rel.detail?.value, '1');
  assert.equal(only(f, { api: 'smp_load_acquire' })[0].object, 'b->flag');
  const ro = only(f, { api: 'READ_ONCE' })[0];
  assert.deepEqual([ro.kind, ro.role, ro.object], ['access', 'once-read', 'b->ready']);
  const wo = only(f, { api: 'WRITE_ONCE' })[0];
  assert.deepEqual([wo.kind, wo.role, wo.object, wo.detail?.value], ['access', 'once-write', 'b->tail', 'v']);
});

test('ordered atomics resolve through the API pattern table', () => {
  const f = factsOf('void g(atomic_t *v)\n{\n\tif (atomic_inc_return_acquire(v) == 1)\n\t\tatomic_set_release(v, 0);\n\tatomic_add_return_release(2, v);\n}');
  assert.deepEqual(f.filter((x) => x.kind === 'barrier').map((x) => [x.api, x.role, x.object]), [
    ['atomic_inc_return_acquire', 'acquire-rmw', 'v'],
    ['atomic_set_release', 'release-store', 'v'],
    ['atomic_add_return_release', 'release-rmw', 'v'],
  ]);
});

test('negative: functions that merely look like barriers are not facts', () => {
  const f = factsOf('void g(struct x *x)\n{\n\tmy_smp_wmb();\n\tx->ops->smp_mb(x);\n\tbarrier_init(x);\n}');
  assert.equal(f.length, 0);
});
