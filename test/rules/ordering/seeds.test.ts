/**
 * The ordering rules on the seed mails (through the whole pipeline) and on the
 * correct open-coded seqcount idiom (all rules of the group together).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, initParser } from '../../../src/engine';
import { rules } from '../../../src/rules/ordering';
import { readSeed, lineOf, SKIP_SEEDS } from '../../helpers/seeds';
import { runRule } from './helpers';

before(async () => {
  await initParser();
});

const ids = new Set(rules.map((r) => r.meta.id));
const ours = (path: string, text: string) => analyzeText(text, path).findings.filter((f) => ids.has(f.rule));

test('seed 000: the re-read in speculative_fault_commit() is flagged, raw_write_seqcount_begin() and speculative_fault_begin() are not', (t) => {
  const seed = readSeed('000');
  if (!seed) return t.skip(SKIP_SEEDS);
  const fs = ours(seed.path, seed.text);
  const commit = lineOf(seed.text, 'bool speculative_fault_commit');
  const reRead = lineOf(seed.text, 'seqcount = vma->seqcount;', commit);
  const reader = fs.filter((f) => f.rule === 'seqcount-reader-barrier');
  assert.deepEqual(reader.map((f) => [f.line, f.messageId]), [[reRead, 'recheckEntry']]);
  assert.match(reader[0].message, /speculative_fault_begin\(\)/);
  const begin = lineOf(seed.text, 'speculative_fault_begin(struct');
  const rawBegin = lineOf(seed.text, 'raw_write_seqcount_begin(seqcount_t');
  for (const f of fs) {
    assert.ok(!(f.line >= rawBegin && f.line <= rawBegin + 4), `nothing in raw_write_seqcount_begin(): ${f.rule} at ${f.line}`);
    assert.ok(!(f.line >= begin && f.line < commit), `nothing in speculative_fault_begin(): ${f.rule} at ${f.line}`);
  }
  assert.equal(fs.filter((f) => f.severity !== 'info').length, 1, fs.map((f) => `${f.line} ${f.rule}`).join('\n'));
});

test('seed 004: the comment in vma_end_write_all() should be ASSERT_EXCLUSIVE_WRITER(mm->mm_lock_seq)', (t) => {
  const seed = readSeed('004');
  if (!seed) return t.skip(SKIP_SEEDS);
  const fs = ours(seed.path, seed.text).filter((f) => f.rule === 'lockdep-comment-not-assert');
  const fn = lineOf(seed.text, '+static inline void vma_end_write_all');
  const comment = lineOf(seed.text, '+\t/*', fn);
  const hit = fs.find((f) => f.line === comment);
  assert.ok(hit, `expected a finding at line ${comment}, got ${fs.map((f) => f.line).join(', ')}`);
  assert.match(hit.message, /ASSERT_EXCLUSIVE_WRITER\(mm->mm_lock_seq\);/);
  assert.equal(hit.fix?.replacement, 'ASSERT_EXCLUSIVE_WRITER(mm->mm_lock_seq);');
  assert.deepEqual([hit.fix?.line, hit.fix?.endLine], [comment, comment + 3]);
  // The same comment quoted in the replies may be reported too (each copy is a place the reader looks),
  // but nothing else in this patch is a claim to turn into an assertion.
  const quoted = lineOf(seed.text, '> +static inline void vma_end_write_all');
  for (const f of fs) assert.ok(f.line === comment || f.line > quoted, `unexpected finding at ${f.line}: ${f.message}`);
});

test('the correct open-coded reader and writer (both barriers, comments naming partners) produce nothing', async () => {
  const code = [
    `static void stats_update(struct pool *pool, u64 b)
{
	WRITE_ONCE(pool->seq, pool->seq + 1);
	smp_wmb(); /* pairs with the first smp_rmb() in stats_read() */
	pool->bytes = b;
	smp_wmb(); /* pairs with the second smp_rmb() in stats_read() */
	WRITE_ONCE(pool->seq, pool->seq + 1);
}`,
    `static bool stats_read(struct pool *pool, u64 *out)
{
	unsigned int seq = READ_ONCE(pool->seq);
	u64 v;

	smp_rmb(); /* pairs with the first smp_wmb() in stats_update() */
	v = pool->bytes;
	smp_rmb(); /* pairs with the second smp_wmb() in stats_update() */
	if (READ_ONCE(pool->seq) != seq)
		return false;
	*out = v;
	return true;
}`,
    `static void publish(struct s *s, struct obj *o)
{
	o->ready = 1;
	smp_store_release(&s->obj, o); /* pairs with smp_load_acquire() in lookup() */
}`,
    `static struct obj *lookup(struct s *s)
{
	return smp_load_acquire(&s->obj); /* pairs with smp_store_release() in publish() */
}`,
  ];
  for (const rule of rules) {
    const fs = runRule(rule, code);
    assert.deepEqual(fs.map((f) => `${f.rule} ${f.line}: ${f.message}`), [], rule.meta.id);
  }
  // Also through the pipeline, as a .c file.
  const all = ours('ok.c', code.join('\n\n'));
  assert.deepEqual(all.map((f) => `${f.rule} ${f.line}`), []);
});
