/** Issue 3 acceptance: the facts `mmlens facts` must report on the five seed mails, each at the seed line where it stands. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, initParser } from '../../src/engine';
import type { Fact } from '../../src/model';
import { lineOf, readSeed, SKIP_SEEDS } from '../helpers/seeds';

before(async () => {
  await initParser();
});

function factsOf(prefix: string): { facts: Fact[]; text: string } | null {
  const seed = readSeed(prefix);
  if (!seed) return null;
  const r = analyzeText(seed.text, seed.path);
  return { facts: r.facts, text: seed.text };
}

function expectFact(facts: Fact[], want: Partial<Fact>, what: string): Fact {
  const hit = facts.find((f) => Object.entries(want).every(([k, v]) => (f as unknown as Record<string, unknown>)[k] === v));
  assert.ok(hit, `${what}: no fact ${JSON.stringify(want)}; facts near: ${JSON.stringify(facts.filter((f) => f.line === want.line).map((f) => [f.api, f.function, f.line, f.image]))}`);
  return hit;
}

test('seed 000: smp_wmb() in raw_write_seqcount_begin() and the smp_rmb() calls of the speculative fault sketch', (t) => {
  const s = factsOf('000');
  if (!s) return t.skip(SKIP_SEEDS);
  const wmb = lineOf(s.text, '> smp_wmb();');
  expectFact(s.facts, { api: 'smp_wmb', function: 'raw_write_seqcount_begin', line: wmb, image: 'quoted-code', quoteDepth: 1 }, 'Laurent\'s quoted raw_write_seqcount_begin');
  const begin = lineOf(s.text, 'speculative_fault_begin(');
  const commit = lineOf(s.text, 'bool speculative_fault_commit(');
  const rmbBegin = lineOf(s.text, '> > smp_rmb();', begin);
  const rmbCommit = lineOf(s.text, '> > smp_rmb();', commit);
  expectFact(s.facts, { api: 'smp_rmb', function: 'speculative_fault_begin', line: rmbBegin, image: 'quoted-code', quoteDepth: 2 }, 'speculative_fault_begin');
  expectFact(s.facts, { api: 'smp_rmb', function: 'speculative_fault_commit', line: rmbCommit, image: 'quoted-code', quoteDepth: 2 }, 'speculative_fault_commit');
});

test('seed 001: lockdep_assert_held(&hmm->ranges_lock) in notifiers_decrement()', (t) => {
  const s = factsOf('001');
  if (!s) return t.skip(SKIP_SEEDS);
  const f = expectFact(s.facts, { api: 'lockdep_assert_held', function: 'notifiers_decrement', line: lineOf(s.text, 'lockdep_assert_held(&hmm->ranges_lock)') }, 'lockdep assertion');
  assert.equal(f.object, 'hmm->ranges_lock');
  assert.equal(f.image, 'post');
  assert.equal(f.quoteDepth, 2);
});

test('seed 002: range init with owner, the split call, both ->mapping reads', (t) => {
  const s = factsOf('002');
  if (!s) return t.skip(SKIP_SEEDS);
  const init = expectFact(s.facts, { api: 'mmu_notifier_range_init_owner', line: lineOf(s.text, 'mmu_notifier_range_init_owner(') }, 'range init');
  assert.ok(init.args.includes('MMU_NOTIFY_EXCLUSIVE'));
  assert.equal(init.args[init.args.length - 1], 'args->owner');
  expectFact(s.facts, { api: 'split_huge_pmd_address', line: lineOf(s.text, 'split_huge_pmd_address(vma, address, false, page);'), image: 'post' }, 'split call');
  const maps = s.facts.filter((f) => f.kind === 'page' && f.api.includes('mapping'));
  assert.ok(maps.some((f) => f.line === lineOf(s.text, 'READ_ONCE(page->mapping)')), 'READ_ONCE(page->mapping) read');
  assert.ok(maps.some((f) => f.line === lineOf(s.text, 'mapping = (unsigned long)page->mapping;')), 'page_anon_vma read');
});

test('seed 004: seqcount wrappers, the assertion, and the pre-image release/acquire', (t) => {
  const s = factsOf('004');
  if (!s) return t.skip(SKIP_SEEDS);
  expectFact(s.facts, { api: 'do_raw_write_seqcount_begin', function: 'mm_lock_seqcount_begin', line: lineOf(s.text, '+\tdo_raw_write_seqcount_begin(&mm->mm_lock_seq);'), image: 'post' }, 'seqcount begin');
  expectFact(s.facts, { api: 'mmap_assert_write_locked', function: 'vma_end_write_all', line: lineOf(s.text, '+\tmmap_assert_write_locked(mm);'), image: 'post' }, 'mmap assertion');
  expectFact(s.facts, { api: 'smp_store_release', line: lineOf(s.text, '-\tsmp_store_release(&mm->mm_lock_seq'), image: 'pre' }, 'pre-image release');
  expectFact(s.facts, { api: 'smp_load_acquire', line: lineOf(s.text, 'smp_load_acquire(&vma->vm_mm->mm_lock_seq)'), image: 'pre' }, 'pre-image acquire');
});

test('seed 003: the lore page with a thread index is read without inventing facts from the index', (t) => {
  const s = factsOf('003');
  if (!s) return t.skip(SKIP_SEEDS);
  const indexStart = lineOf(s.text, 'Thread overview:');
  assert.equal(s.facts.filter((f) => f.line > indexStart).length, 0);
});
