import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { factsOf, only, ready } from './helpers';
import { OWNERLESS_INVALIDATORS } from '../../src/kernel/apis';

before(ready);

test('range init with owner (older vma form), its event and owner; the owner-less split before it', () => {
  const code = [
    '\tswp_entry_t entry;',
    '',
    '\tsplit_huge_pmd_address(vma, address, false, page);',
    '',
    '\tmmu_notifier_range_init_owner(&range, MMU_NOTIFY_EXCLUSIVE, 0, vma,',
    '\t\t\tvma->vm_mm, address, min(vma->vm_end,',
    '\t\t\taddress + page_size(page)), args->owner);',
    '\tmmu_notifier_invalidate_range_start(&range);',
  ].join('\n');
  const f = factsOf(code, { firstLine: 100, functionHint: 'make_exclusive_one', kind: 'post' });
  const split = only(f, { api: 'split_huge_pmd_address' })[0];
  assert.deepEqual([split.role, split.line, split.function, split.detail?.event, split.detail?.owner], ['owner-less-invalidation', 102, 'make_exclusive_one', 'MMU_NOTIFY_CLEAR', null]);
  const init = only(f, { api: 'mmu_notifier_range_init_owner' })[0];
  assert.equal(init.role, 'range-init-owner');
  assert.equal(init.line, 104);
  assert.equal(init.object, 'range');
  assert.equal(init.args.length, 8);
  assert.equal(init.args[init.args.length - 1], 'args->owner');
  assert.equal(init.args[6], 'min(vma->vm_end, address + page_size(page))');
  assert.deepEqual([init.detail?.event, init.detail?.owner, init.detail?.vma, init.detail?.mm, init.detail?.form], ['MMU_NOTIFY_EXCLUSIVE', 'args->owner', 'vma', 'vma->vm_mm', 'vma']);
  assert.equal(only(f, { api: 'mmu_notifier_invalidate_range_start' })[0].role, 'range-start');
});

test('range init without owner, nonblock start, end, interval notifier calls', () => {
  const code = [
    'int inv(struct mm_struct *mm, struct mmu_interval_notifier *sub, unsigned long s, unsigned long e)',
    '{',
    '\tstruct mmu_notifier_range range;',
    '\tunsigned long seq;',
    '\tmmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, s, e);',
    '\tif (mmu_notifier_invalidate_range_start_nonblock(&range))',
    '\t\treturn -EAGAIN;',
    '\tmmu_notifier_invalidate_range_end(&range);',
    '\tseq = mmu_interval_read_begin(sub);',
    '\tif (mmu_interval_check_retry(sub, seq))',
    '\t\treturn -EAGAIN;',
    '\tmmu_interval_set_seq(sub, cur_seq);',
    '\treturn mmu_interval_read_retry(sub, seq);',
    '}',
  ].join('\n');
  const f = only(factsOf(code), { kind: 'notifier' });
  assert.deepEqual(f.map((x) => [x.api, x.role, x.object]), [
    ['mmu_notifier_range_init', 'range-init', 'range'],
    ['mmu_notifier_invalidate_range_start_nonblock', 'range-start-nonblock', 'range'],
    ['mmu_notifier_invalidate_range_end', 'range-end', 'range'],
    ['mmu_interval_read_begin', 'interval-read-begin', 'sub'],
    ['mmu_interval_check_retry', 'interval-check-retry', 'sub'],
    ['mmu_interval_set_seq', 'interval-set-seq', 'sub'],
    ['mmu_interval_read_retry', 'interval-read-retry', 'sub'],
  ]);
  assert.deepEqual([f[0].detail?.event, f[0].detail?.owner, f[0].detail?.mm, f[0].detail?.start, f[0].detail?.end, f[0].detail?.form], ['MMU_NOTIFY_CLEAR', null, 'mm', 's', 'e', 'mm']);
  assert.deepEqual([f[1].detail?.returns, f[1].detail?.returnUse], ['started-if-zero', 'condition']);
  assert.equal(f[3].detail?.seqVar, 'seq');
  assert.equal(f[6].detail?.seqVar, 'seq');
  assert.equal(f[6].detail?.returnUse, 'returned');
});

test('every owner-less invalidator is a notifier fact carrying its event', () => {
  const names = Object.keys(OWNERLESS_INVALIDATORS);
  const code = 'void z(void)\n{\n' + names.map((n) => `\t${n}(vma, a, b);`).join('\n') + '\n}';
  const f = only(factsOf(code), { role: 'owner-less-invalidation' });
  assert.deepEqual(f.map((x) => x.api), names);
  for (const x of f) assert.equal(x.detail?.event, OWNERLESS_INVALIDATORS[x.api].event);
});

test('negative: notifier-looking driver functions are not facts', () => {
  assert.equal(factsOf('void d(void)\n{\n\tdrv_invalidate_range_start(&r);\n\tmy_range_init(&r);\n}').length, 0);
});
