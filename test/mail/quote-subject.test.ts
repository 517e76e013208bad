import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubject, postedBy, splitQuote } from '../../src/mail';

test('splitQuote: one `>` and at most one space per level', () => {
  const cases: [string, number, number][] = [
    // line, depth, prefixLength
    ['plain', 0, 0],
    ['> text', 1, 2],
    ['>text', 1, 1],
    ['>', 1, 1],
    ['> ', 1, 2],
    ['> > text', 2, 4],
    ['>> text', 2, 3],
    ['>>', 2, 2],
    ['>>>', 3, 3],
    ['> >> x', 3, 5],
    ['> +\tfoo', 1, 2],
    ['>  \tfoo', 1, 2], // a quoted diff context line keeps its own space
    ['>\tfoo', 1, 1], // a tab after `>` is content
    [' > not quoted', 0, 0],
    ['', 0, 0],
  ];
  for (const [line, depth, prefixLength] of cases) {
    assert.deepEqual(splitQuote(line), { depth, prefixLength }, JSON.stringify(line));
  }
  const q = splitQuote('>  \tfoo');
  assert.equal('>  \tfoo'.slice(q.prefixLength), ' \tfoo');
  const p = splitQuote('> +\tfoo');
  assert.equal('> +\tfoo'.slice(p.prefixLength), '+\tfoo');
});

test('parseSubject: version, tree tag, counter, reply', () => {
  assert.deepEqual(parseSubject('[PATCH v4 tip/perf/core 1/4] mm: Convert mm_lock_seq to a proper seqcount'), {
    tags: ['PATCH', 'tip/perf/core'],
    version: 4,
    number: 1,
    total: 4,
    title: 'mm: Convert mm_lock_seq to a proper seqcount',
    isReply: false,
    isPatch: true,
  });
  assert.deepEqual(parseSubject('Re: [PATCH v2 12/11] mm/hmm: Fix error flows'), {
    tags: ['PATCH'],
    version: 2,
    number: 12,
    total: 11,
    title: 'mm/hmm: Fix error flows',
    isReply: true,
    isPatch: true,
  });
});

test('parseSubject: RFC, bare PATCH, several brackets, no bracket, reply spellings', () => {
  const rfc = parseSubject('[RFC PATCH 0/3] mm: speculative faults');
  assert.deepEqual([rfc?.tags, rfc?.number, rfc?.total, rfc?.version, rfc?.isPatch], [['RFC', 'PATCH'], 0, 3, null, true]);
  const bare = parseSubject('[PATCH] mm: fix');
  assert.deepEqual([bare?.tags, bare?.number, bare?.total, bare?.title], [['PATCH'], null, null, 'mm: fix']);
  const two = parseSubject('[RFC][PATCH v3 2/5] x');
  assert.deepEqual([two?.tags, two?.version, two?.number, two?.total, two?.title], [['RFC', 'PATCH'], 3, 2, 5, 'x']);
  const glued = parseSubject('[PATCHv2 1/2] y');
  assert.deepEqual([glued?.tags, glued?.version], [['PATCH'], 2]);
  const none = parseSubject('mm: a plain subject');
  assert.deepEqual(none, { tags: [], version: null, number: null, total: null, title: 'mm: a plain subject', isReply: false, isPatch: false });
  for (const s of ['Re: x', 'RE: x', 'Aw: x', 'AW: x', 're: x', 'Re: Re: x', 'Re[2]: x']) {
    const p = parseSubject(s);
    assert.equal(p?.isReply, true, s);
    assert.equal(p?.title, 'x', s);
  }
  const fwd = parseSubject('Fwd: [PATCH] z');
  assert.deepEqual([fwd?.isReply, fwd?.isPatch, fwd?.title], [false, true, 'z']);
  const resend = parseSubject('Re: [PATCH RESEND v5 03/10] mm/gup: pin');
  assert.deepEqual([resend?.tags, resend?.version, resend?.number, resend?.total, resend?.isReply], [['PATCH', 'RESEND'], 5, 3, 10, true]);
  const notPatch = parseSubject('[GIT PULL] mm fixes');
  assert.equal(notPatch?.isPatch, false);
  assert.deepEqual(notPatch?.tags, ['GIT', 'PULL']);
  assert.equal(parseSubject(''), null);
  assert.equal(parseSubject('   '), null);
  // An unclosed bracket is title text, not a hang or a throw.
  assert.equal(parseSubject('[PATCH v2 1/2 unclosed')?.title, '[PATCH v2 1/2 unclosed');
  // Folded whitespace is collapsed.
  assert.equal(parseSubject('[PATCH]  mm:\tfoo\n bar')?.title, 'mm: foo bar');
});

test('patchew "Posted by" lines: the name is what precedes the time phrase', () => {
  assert.equal(postedBy('Posted by Peter Zijlstra 4\u00a0days ago'), 'Peter Zijlstra');
  assert.equal(postedBy('Posted by Suren Baghdasaryan 3\u00a0days, 21\u00a0hours ago'), 'Suren Baghdasaryan');
  assert.equal(postedBy('Posted by A Author 2 weeks ago'), 'A Author');
  assert.equal(postedBy('Posted by Jan Kara a day ago'), 'Jan Kara');
  assert.equal(postedBy('Posted by Jan Kara about an hour ago'), 'Jan Kara');
  assert.equal(postedBy('Posted by someone long ago'), null);
  assert.equal(postedBy('Posted by X'), null);
  assert.equal(postedBy('Andrii Nakryiko posted 4 patches 4 weeks ago'), null);
});
