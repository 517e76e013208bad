/** The emulator's shared API (emulate(ctx)), its budgets, its function reports, and the seeds. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { analyzeText, initParser } from '../../src/engine';
import { defaultConfig } from '../../src/config';
import { fragmentFromC } from '../../src/c/prepare';
import { parseFragment } from '../../src/c/functions';
import { walk, callName } from '../../src/c/ast';
import type { DocumentContext } from '../../src/rules/framework';
import { emulate } from '../../src/emulator';
import { stressSource } from '../../bench/generate';
import { readSeed, SKIP_SEEDS } from '../helpers/seeds';

before(async () => {
  await initParser();
});

function ctxOf(code: string, trace = false): DocumentContext {
  const parsed = parseFragment(fragmentFromC(code, { id: 'c0', kind: 'file', file: 'x.c' }));
  const memo = new Map<string, unknown>();
  const ctx: DocumentContext & { trace?: boolean } = {
    path: 'x.c', text: code, messages: [], patches: [], fragments: [parsed], functions: parsed.functions, facts: [], config: defaultConfig(), functionReports: [],
    memo<T>(k: string, f: () => T): T {
      if (!memo.has(k)) memo.set(k, f());
      return memo.get(k) as T;
    },
  };
  ctx.trace = trace;
  return ctx;
}

function callNamed(root: Node, name: string, nth = 1): Node {
  let seen = 0;
  let hit: Node | null = null;
  walk(root, (n) => {
    if (hit) return false;
    if (n.type === 'call_expression' && callName(n) === name && ++seen === nth) hit = n;
  });
  assert.ok(hit, `no call ${name}`);
  return hit;
}

const CODE = `static inline void dev_lock(struct dev *d)
{
	mutex_lock(&d->lock);
}

int dev_set(struct dev *d, int v)
{
	dev_lock(d);
	lockdep_assert_held(&d->lock);
	if (v)
		mutex_unlock(&d->lock);
	lockdep_assert_held(&d->lock);
	if (!v)
		mutex_unlock(&d->lock);
	write_seqcount_begin(&d->seq);
	lockdep_assert_held(&d->lock);
	write_seqcount_end(&d->seq);
	return 0;
}
`;

test('emulate(ctx) is memoised and answers lockStateAt, seqcountOpenAt and summaryOf', () => {
  const ctx = ctxOf(CODE);
  const em = emulate(ctx);
  assert.equal(emulate(ctx), em);
  const fn = ctx.functions.find((f) => f.name === 'dev_set')!;
  const first = em.lockStateAt(fn, callNamed(fn.body, 'lockdep_assert_held', 1));
  assert.deepEqual(first.heldOnAllPaths, ['d->lock']);
  assert.deepEqual(first.notHeldOnSomePath, []);
  const second = em.lockStateAt(fn, callNamed(fn.body, 'lockdep_assert_held', 2));
  assert.deepEqual(second.heldOnAllPaths, []);
  assert.equal(second.notHeldOnSomePath[0].lock, 'd->lock');
  assert.ok(second.notHeldOnSomePath[0].trace.some((s) => /releases d->lock/.test(s.message)), 'the trace shows the release');
  const third = em.lockStateAt(fn, callNamed(fn.body, 'lockdep_assert_held', 3));
  assert.equal(third.notHeldOnSomePath[0]?.lock, 'd->lock');
  assert.deepEqual(em.seqcountOpenAt(fn, callNamed(fn.body, 'lockdep_assert_held', 3)).openOnAllPaths, ['d->seq']);
  const s = em.summaryOf('dev_lock')!;
  assert.equal(s.conditional, null);
  assert.deepEqual(s.outcomes[0].effects.map((e) => [e.kind, e.obj, e.delta]), [['lock', '$0->lock', 1]]);
  assert.equal(em.summaryOf('no_such_function'), null);
});

test('summaries conditional on the return value (mmap_write_lock_killable)', () => {
  const ctx = ctxOf(`static inline void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	do_raw_write_seqcount_begin(&mm->mm_lock_seq);
}
static inline int mmap_write_lock_killable(struct mm_struct *mm)
{
	int ret;

	ret = down_write_killable(&mm->mmap_lock);
	if (!ret)
		mm_lock_seqcount_begin(mm);
	return ret;
}
`);
  const s = emulate(ctx).summaryOf('mmap_write_lock_killable')!;
  assert.equal(s.conditional, 'held-if-zero');
  const zero = s.outcomes.find((o) => o.ret === 'zero')!;
  assert.deepEqual(zero.effects.map((e) => `${e.kind}:${e.obj}:${e.delta}`).sort(), ['lock:$0->mmap_lock:1', 'seq:$0->mm_lock_seq:1']);
});

test('function reports: summary lines, path counts, traces when asked', () => {
  const code = `int f(struct pool *p, int a, int b)
{
	write_seqcount_begin(&p->seq);
	if (a)
		p->x = 1;
	if (b) {
		write_seqcount_end(&p->seq);
		return -EINVAL;
	}
	write_seqcount_end(&p->seq);
	return 0;
}
`;
  const r = analyzeText(code, 'x.c', { trace: true });
  const fr = r.functions.find((f) => f.name === 'f')!;
  assert.equal(fr.paths, 2);
  assert.ok(fr.summary.includes('write section on p->seq: 1 begin, 2 ends on all 2 paths'), fr.summary.join('\n'));
  assert.equal(fr.pathTraces?.length, 2);
  assert.equal(analyzeText(code, 'x.c').functions[0].pathTraces, undefined);
});

// How fast is `npm run bench`'s business (workload stress.c); here, that the work stays linear:
// path merging keeps the 5,000-line function to one path and no bound is hit.
test('budget: a 5,000-line function and a 100-way switch are explored without hitting a bound', () => {
  const { big, sw } = stressSource();
  const e1 = emulate(ctxOf(big));
  const e2 = emulate(ctxOf(sw));
  assert.deepEqual(e1.issues.map((i) => i.rule), []);
  assert.deepEqual(e2.issues.map((i) => i.rule), []);
  assert.equal(e1.functions[0].bounded, false);
  assert.equal(e2.functions[0].bounded, false);
  assert.equal(e1.functions[0].paths.length, 1);
  assert.equal(e2.functions[0].paths.length, 1);
});

test('bounds are reported: a path cap hit says so in the report', () => {
  const lines: string[] = ['int many(struct dev *d)', '{'];
  for (let i = 0; i < 12; i++) lines.push(`\tif (d->a${i})`, `\t\tspin_lock(&d->l${i});`);
  lines.push('\treturn 0;', '}');
  const r = analyzeText(lines.join('\n'), 'm.c', { config: { ...defaultConfig(), limits: { ...defaultConfig().limits, maxPathsPerFunction: 16 } } });
  const fr = r.functions.find((f) => f.name === 'many')!;
  assert.equal(fr.bounded, true);
  assert.ok(fr.summary.some((l) => /bounded: .*maxPathsPerFunction/.test(l)), fr.summary.join('\n'));
});

test('seed 004: no seqcount or lock finding of warning or error severity; the wrappers are recognised', (t) => {
  const seed = readSeed('004');
  if (!seed) return t.skip(SKIP_SEEDS);
  const r = analyzeText(seed.text, seed.path);
  const bad = r.findings.filter((f) => /^(seqcount|lock)-/.test(f.rule) && f.severity !== 'info');
  assert.deepEqual(bad.map((f) => `${f.line} ${f.rule}: ${f.message}`), []);
  const lines = (name: string): string[] => r.functions.filter((f) => f.name === name && f.image === 'post').flatMap((f) => f.summary);
  assert.ok(lines('mmap_write_lock').some((l) => /mm->mmap_lock.*wrapper, leaves it held/.test(l)), lines('mmap_write_lock').join('\n'));
  assert.ok(lines('mmap_write_lock').some((l) => /write section on mm->mm_lock_seq: wrapper, leaves it open/.test(l)));
  assert.ok(lines('mm_lock_seqcount_begin').some((l) => /wrapper, leaves it open/.test(l)));
  assert.ok(lines('mm_lock_seqcount_end').some((l) => /releases the caller's section/.test(l)));
  assert.ok(lines('vma_end_write_all').some((l) => /releases the caller's section/.test(l)));
});

test('seed 001: the quoted notifiers_decrement() is analysed without findings', (t) => {
  const seed = readSeed('001');
  if (!seed) return t.skip(SKIP_SEEDS);
  const r = analyzeText(seed.text, seed.path);
  assert.deepEqual(r.findings.filter((f) => /^(seqcount|lock|notifier)-/.test(f.rule)).map((f) => f.message), []);
  assert.ok(r.functions.some((f) => f.name === 'notifiers_decrement'));
});

test('a quoted copy of a function is analysed on its own lines', () => {
  const code = `void a(struct d *d)
{
	spin_lock(&d->l);
	if (d->x)
		return;
	spin_unlock(&d->l);
}
void a2(struct d *d)
{
	spin_lock(&d->l);
	if (d->x)
		return;
	spin_unlock(&d->l);
}
`;
  const r = analyzeText(code, 'x.c');
  assert.deepEqual(r.findings.filter((f) => f.rule === 'lock-unmatched').map((f) => f.line), [3, 10]);
});
