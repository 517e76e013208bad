import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMailDocument } from '../../src/mail';
import type { Message, SourceLine } from '../../src/model';

const SEEDS = path.join(__dirname, '../../../shared/seeds');
const SKIP = `seeds not found at ${SEEDS}`;

function seed(prefix: string): { path: string; text: string; lines: string[] } | null {
  if (!fs.existsSync(SEEDS)) return null;
  const f = fs.readdirSync(SEEDS).find((n) => n.startsWith(prefix));
  if (!f) return null;
  const p = path.join(SEEDS, f);
  const text = fs.readFileSync(p, 'utf8');
  return { path: p, text, lines: text.split('\n') };
}

/** 1-based line of the first raw line equal to `raw` (after `from`). */
function lineOf(lines: string[], raw: string, from = 1): number {
  for (let i = from - 1; i < lines.length; i++) if (lines[i] === raw) return i + 1;
  throw new Error(`line ${JSON.stringify(raw)} not found`);
}

function at(m: Message, docLine: number): SourceLine {
  const l = m.body.find((b) => b.docLine === docLine);
  assert.ok(l, `no body line at doc line ${docLine}`);
  return l;
}

/** Every body line's text must be the raw line from its docColumn on. */
function assertPositions(lines: string[], messages: Message[]): void {
  for (const m of messages) {
    for (const b of m.body) {
      assert.ok(b.docLine >= m.startLine && b.docLine <= m.endLine, `line ${b.docLine} outside message ${m.index}`);
      assert.equal(lines[b.docLine - 1].slice(b.docColumn - 1), b.text, `text at ${b.docLine}:${b.docColumn}`);
    }
  }
}

test('seed 000 (lkml.iu.edu): one message, subject on line 1, two-level quotes', (t) => {
  const s = seed('000');
  if (!s) return t.skip(SKIP);
  const r = readMailDocument(s.text, s.path);
  assert.equal(r.errors.length, 0);
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.equal(m.subjectLine, 1);
  assert.equal(m.headers.from, 'Jerome Glisse');
  assert.equal(m.headers.date, 'Mon Apr 22 2019 - 11:51:57 EST');
  assert.deepEqual(m.subject, { tags: ['PATCH'], version: 12, number: 9, total: 31, title: 'mm: VMA sequence count', isReply: true, isPatch: true });
  // The body starts after the From:/Date: lines, with the attribution line.
  assert.equal(m.body[0].docLine, 4);
  assert.match(m.body[0].text, /^On Fri, Apr 19/);
  const seq = lineOf(s.lines, '> > vma->seqcount++;');
  assert.deepEqual(at(m, seq), { docLine: seq, docColumn: 5, text: 'vma->seqcount++;', quoteDepth: 2 });
  const wmb = lineOf(s.lines, '> smp_wmb();');
  assert.deepEqual(at(m, wmb), { docLine: wmb, docColumn: 3, text: 'smp_wmb();', quoteDepth: 1 });
  // `> > > From: Peter` is quoted text, not a new message; it is depth 3.
  const quotedFrom = s.lines.findIndex((l) => l.startsWith('> > > From: Peter')) + 1;
  assert.equal(at(m, quotedFrom).quoteDepth, 3);
  assert.equal(at(m, 6).quoteDepth, 1);
  assert.equal(at(m, 6).text, '');
  assertPositions(s.lines, r.messages);
});

test('seed 001 (marc-like page): subject line, navigation and archive index kept out of the body', (t) => {
  const s = seed('001');
  if (!s) return t.skip(SKIP);
  const r = readMailDocument(s.text, s.path);
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.equal(m.subjectLine, 1);
  assert.equal(m.subject?.version, 2);
  assert.equal(m.subject?.number, 12);
  assert.equal(m.subject?.total, 11);
  assert.equal(m.subject?.title, 'mm/hmm: Fix error flows in hmm_invalidate_range_start');
  assert.ok(!m.body.some((b) => b.text.includes('[Date Prev]')), 'navigation is not body');
  assert.ok(!m.body.some((b) => b.text.includes('Index of Archives')), 'archive index is not body');
  assert.equal(m.body[0].docLine, lineOf(s.lines, 'On Fri, Jun 07, 2019 at 04:52:58PM -0700, Ralph Campbell wrote:'));
  const hunk = lineOf(s.lines, '> > @@ -141,6 +142,23 @@ static void hmm_release(struct mmu_notifier *mn, struct mm_struct *mm)');
  assert.deepEqual(at(m, hunk), { docLine: hunk, docColumn: 5, text: '@@ -141,6 +142,23 @@ static void hmm_release(struct mmu_notifier *mn, struct mm_struct *mm)', quoteDepth: 2 });
  const lockdep = lineOf(s.lines, '> > +\tlockdep_assert_held(&hmm->ranges_lock);');
  assert.equal(at(m, lockdep).text, '+\tlockdep_assert_held(&hmm->ranges_lock);');
  assertPositions(s.lines, r.messages);
});

test('seed 002 (lkml.iu.edu): a ---8<--- diff quoted once', (t) => {
  const s = seed('002');
  if (!s) return t.skip(SKIP);
  const r = readMailDocument(s.text, s.path);
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.equal(m.headers.from, 'Alistair Popple');
  assert.equal(m.subject?.number, 7);
  assert.equal(m.subject?.total, 10);
  const split = lineOf(s.lines, '> + split_huge_pmd_address(vma, address, false, page);');
  assert.equal(split, 106);
  assert.deepEqual(at(m, split), { docLine: 106, docColumn: 3, text: '+ split_huge_pmd_address(vma, address, false, page);', quoteDepth: 1 });
  const diff = lineOf(s.lines, '> diff --git a/mm/rmap.c b/mm/rmap.c');
  assert.equal(at(m, diff).text, 'diff --git a/mm/rmap.c b/mm/rmap.c');
  // `>` alone at the end is an empty quoted line.
  const last = m.body[m.body.length - 1];
  assert.equal(last.text, '');
  assert.equal(last.quoteDepth, 1);
  assertPositions(s.lines, r.messages);
});

test('seed 003 (lore): header block after the banner, folded Cc, thread overview is not a message', (t) => {
  const s = seed('003');
  if (!s) return t.skip(SKIP);
  const r = readMailDocument(s.text, s.path);
  assert.equal(r.messages.length, 1, 'the thread overview must not create messages');
  const m = r.messages[0];
  assert.equal(m.headers.from, 'John Hubbard <jhubbard@nvidia.com>');
  assert.equal(m.headers.to, 'Jerome Glisse <jglisse@redhat.com>');
  assert.equal(m.headers.date, 'Fri, 11 Jan 2019 18:38:44 -0800');
  assert.equal(m.headers.messageId, '<294bdcfa-5bf9-9c09-9d43-875e8375e264@nvidia.com>');
  assert.equal(m.headers.inReplyTo, '<20190112020228.GA5059@redhat.com>');
  assert.equal(m.subjectLine, lineOf(s.lines, 'Subject: Re: [PATCH 1/2] mm: introduce put_user_page*(), placeholder versions'));
  assert.equal(m.subject?.title, 'mm: introduce put_user_page*(), placeholder versions');
  assert.equal(m.subject?.number, 1);
  assert.equal(m.body[0].docLine, lineOf(s.lines, 'On 1/11/19 6:02 PM, Jerome Glisse wrote:'));
  const overview = s.lines.findIndex((l) => l.startsWith('Thread overview:')) + 1;
  assert.ok(overview > 0);
  assert.ok(m.endLine < overview, 'the message ends before the thread overview');
  assert.ok(!m.body.some((b) => b.docLine >= overview), 'no thread overview line in the body');
  assert.ok(!m.body.some((b) => b.text.includes('git send-email')), 'no reply instructions in the body');
  const deep = lineOf(s.lines, '>>>>>>>>> On Tue, Dec 18, 2018 at 03:29:34PM -0800, John Hubbard wrote:');
  assert.equal(at(m, deep).quoteDepth, 9);
  const timeline = lineOf(s.lines, '> [G2] atomic_inc(&page->mapcount) |');
  assert.deepEqual(at(m, timeline), { docLine: timeline, docColumn: 3, text: '[G2] atomic_inc(&page->mapcount) |', quoteDepth: 1 });
  const wide = s.lines.findIndex((l) => l.startsWith('>                                  | [C2] smp_mb();')) + 1;
  assert.equal(at(m, wide).text, '                                 | [C2] smp_mb();');
  assertPositions(s.lines, r.messages);
});

test('seed 004 (patchew): four mails on one page, each at its own lines', (t) => {
  const s = seed('004');
  if (!s) return t.skip(SKIP);
  const r = readMailDocument(s.text, s.path);
  assert.equal(r.errors.length, 0);
  assert.equal(r.messages.length, 4);
  const [m0, m1, m2, m3] = r.messages;
  assert.deepEqual(r.messages.map((m) => m.index), [0, 1, 2, 3]);
  assert.deepEqual(r.messages.map((m) => [m.startLine, m.endLine]), [[1, 301], [302, 328], [329, 362], [363, lineOf(s.lines, 'Acked-by: Vlastimil Babka <vbabka@suse.cz>')]]);
  assert.deepEqual(r.messages.map((m) => m.headers.from), ['Andrii Nakryiko', 'Peter Zijlstra', 'Suren Baghdasaryan', 'Vlastimil Babka']);
  assert.equal(m0.subjectLine, 4);
  assert.deepEqual(m0.subject, { tags: ['PATCH', 'tip/perf/core'], version: 4, number: 1, total: 4, title: 'mm: Convert mm_lock_seq to a proper seqcount', isReply: false, isPatch: true });
  assert.equal(m1.subjectLine, 302);
  assert.equal(m1.subject?.isReply, true);
  // Bodies start after "Posted by"; the in-body From: of the patch stays in the body.
  assert.equal(m0.body[0].docLine, 6);
  assert.equal(m0.body[0].text, 'From: Suren Baghdasaryan <surenb@google.com>');
  assert.equal(m1.body[0].docLine, 304);
  assert.equal(m2.body[0].docLine, 331);
  assert.equal(m3.body[0].docLine, 365);
  // Diff lines keep their tabs.
  const ctx = lineOf(s.lines, ' \tinit_rwsem(&mm->mmap_lock);');
  assert.deepEqual(at(m0, ctx), { docLine: ctx, docColumn: 1, text: ' \tinit_rwsem(&mm->mmap_lock);', quoteDepth: 0 });
  assert.deepEqual(at(m1, 315), { docLine: 315, docColumn: 3, text: '+\tmmap_assert_write_locked(mm);', quoteDepth: 1 });
  assert.equal(s.lines[314], '> +\tmmap_assert_write_locked(mm);');
  const suren = lineOf(s.lines, '> > +     mmap_assert_write_locked(mm);');
  assert.deepEqual(at(m2, suren), { docLine: suren, docColumn: 5, text: '+     mmap_assert_write_locked(mm);', quoteDepth: 2 });
  // No body line belongs to two messages, and none is a "Posted by" line.
  const seen = new Set<number>();
  for (const m of r.messages) for (const b of m.body) {
    assert.ok(!seen.has(b.docLine));
    seen.add(b.docLine);
    assert.ok(!b.text.startsWith('Posted by '));
  }
  assertPositions(s.lines, r.messages);
});
