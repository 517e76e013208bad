import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateMbox, encodeQuotedPrintable, parseSize, Rng } from '../../bench/generate';
import { checkHunks, decodeQuotedPrintable, splitMbox, MBOX_SEPARATOR } from './mailcheck';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('same seed and size give identical bytes; another seed gives other bytes', () => {
  const a = generateMbox(300_000, 42);
  const b = generateMbox(300_000, 42);
  assert.equal(sha(a), sha(b));
  assert.notEqual(sha(generateMbox(300_000, 43)), sha(a));
  // A larger target extends the same stream: the smaller corpus is a prefix of the larger one.
  assert.ok(generateMbox(600_000, 42).startsWith(a));
});

test('the PRNG is a fixed sequence (no clock, no Math.random)', () => {
  const r = new Rng(1);
  const xs = [r.next(), r.next(), r.next()];
  const s = new Rng(1);
  assert.deepEqual([s.next(), s.next(), s.next()], xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

for (const target of [10_000, 1_000_000]) {
  test(`a ${target}-byte target: ASCII, at least the target, less than one series over it`, () => {
    const text = generateMbox(target, 7);
    assert.equal(Buffer.byteLength(text), text.length, 'ASCII only');
    assert.ok(text.length >= target, `${text.length} < ${target}`);
    assert.ok(text.length < target + 64 * 1024, `${text.length} is far over ${target}`);
  });
}

test('a valid mbox: separators, headers, escaped bodies, exact hunk counts', () => {
  const text = generateMbox(1_000_000, 11);
  assert.ok(MBOX_SEPARATOR.test(text.split('\n')[0]), 'starts with a From_ line');
  assert.ok(text.endsWith('\n'));
  const msgs = splitMbox(text);
  assert.ok(msgs.length > 100, `${msgs.length} messages`);
  // Every line that starts with "From " is a separator after a blank line (bodies are >From-escaped).
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (l.startsWith('From ')) assert.ok(MBOX_SEPARATOR.test(l) && (i === 0 || lines[i - 1] === ''), `line ${i + 1}: unescaped "${l}"`);
  });
  let hunks = 0;
  let qp = 0;
  let replies = 0;
  let quoted = 0;
  let scissors = 0;
  const ids = new Set<string>();
  for (const m of msgs) {
    for (const h of ['from', 'date', 'subject', 'message-id']) assert.ok(m.headers.has(h), `message at line ${m.startLine} lacks ${h}`);
    assert.match(m.headers.get('date')!, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
    const id = m.headers.get('message-id')!;
    assert.ok(!ids.has(id), `duplicate Message-ID ${id}`);
    ids.add(id);
    if (m.decoded) qp++;
    if (/^Re: /.test(m.headers.get('subject')!)) {
      replies++;
      assert.ok(m.headers.has('in-reply-to'));
      if (m.body.some((l) => l.startsWith('> @@ ') || l.startsWith('> > @@ '))) quoted++;
      if (m.body.includes('---8<---')) scissors++;
    }
    for (const c of checkHunks(m.body, 0)) {
      hunks++;
      assert.deepEqual(c.problems, [], `message at line ${m.startLine}, ${c.header}`);
    }
  }
  assert.ok(hunks > 200, `${hunks} hunks`);
  assert.ok(qp > 5, `${qp} quoted-printable messages`);
  assert.ok(replies > 10 && quoted > 5 && scissors > 2, `${replies} replies, ${quoted} quoting hunks, ${scissors} with scissors`);
  // The C is varied: every template shows up.
  for (const api of ['write_seqcount_begin', 'read_seqcount_retry', 'seq.sequence', 'goto out_unlock', 'mmu_notifier_range_init', 'range->owner', 'pages[i]->mapping', 'mmap_write_lock_killable', 'smp_wmb', 'smp_rmb']) assert.ok(text.includes(api), api);
});

test('quoted-printable: round trip, 76-column lines, escapes intact', () => {
  const src = '\tif (a == b && c->d != e) {\n' + '\t\tx = ' + 'y'.repeat(150) + ' = 1;\ntrailing space \nend\t';
  const enc = encodeQuotedPrintable(src);
  for (const l of enc.split('\n')) assert.ok(l.length <= 76, `${l.length}: ${l}`);
  assert.ok(!/[ \t]$/m.test(enc), 'no trailing white space');
  assert.equal(decodeQuotedPrintable(enc), src);
});

test('sizes with units', () => {
  assert.equal(parseSize('1MB'), 1_000_000);
  assert.equal(parseSize('10MB'), 10_000_000);
  assert.equal(parseSize('500KB'), 500_000);
  assert.equal(parseSize('2MiB'), 2 * 1024 * 1024);
  assert.equal(parseSize('1234'), 1234);
  assert.throws(() => parseSize('big'));
});
