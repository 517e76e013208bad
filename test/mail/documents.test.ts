import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMailDocument } from '../../src/mail';
import type { Message } from '../../src/model';

/** Raw lines as an editor numbers them (LF-split, CR dropped). */
function docLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Positions never point outside the document; undecoded text is exactly the raw line from docColumn on. */
function assertPositions(text: string, messages: Message[]): void {
  const lines = docLines(text);
  for (const m of messages) {
    assert.ok(m.startLine >= 1 && m.endLine <= lines.length && m.startLine <= m.endLine, `message ${m.index} range ${m.startLine}-${m.endLine}`);
    for (const b of m.body) {
      assert.ok(b.docLine >= 1 && b.docLine <= lines.length, `docLine ${b.docLine}`);
      const raw = lines[b.docLine - 1];
      assert.ok(b.docColumn >= 1 && b.docColumn <= raw.length + 1, `docColumn ${b.docColumn} on line ${b.docLine}`);
      if (!b.decoded) assert.equal(raw.slice(b.docColumn - 1), b.text, `line ${b.docLine}`);
    }
    for (const a of m.attachments) assert.ok(a.line >= 1 && a.line <= lines.length);
    for (const w of m.warnings) if (w.line !== null) assert.ok(w.line >= 1 && w.line <= lines.length, `${w.code} at ${w.line}`);
  }
}

function bodyAt(m: Message, docLine: number) {
  return m.body.filter((b) => b.docLine === docLine);
}

const FORMAT_PATCH = [
  'From 7d1f2c3b4a5e6f708192a3b4c5d6e7f8091a2b3c Mon Sep 17 00:00:00 2001', // 1
  'From: Ada Lovelace <ada@example.org>', // 2
  'Date: Tue, 5 Nov 2024 10:00:00 +0100', // 3
  'Subject: [PATCH v3 2/7] mm/vma: take the write seqcount before', // 4
  ' changing vm_flags', // 5
  'Message-Id: <20241105-2-ada@example.org>', // 6
  'In-Reply-To: <20241105-0-ada@example.org>', // 7
  'References: <20241105-0-ada@example.org>', // 8
  '', // 9
  'Explain the change.', // 10
  '', // 11
  'Signed-off-by: Ada Lovelace <ada@example.org>', // 12
  '---', // 13
  ' mm/vma.c | 2 ++', // 14
  '', // 15
  'diff --git a/mm/vma.c b/mm/vma.c', // 16
  '--- a/mm/vma.c', // 17
  '+++ b/mm/vma.c', // 18
  '@@ -10,3 +10,5 @@ void vma_set(struct vm_area_struct *vma)', // 19
  ' {', // 20
  '+\tvma_start_write(vma);', // 21
  '+\t  smp_wmb();', // 22
  ' \tvma->vm_flags = 0;', // 23
  ' }', // 24
  '-- ', // 25
  '2.43.0', // 26
  '', // 27
].join('\n');

test('git format-patch output: one message, folded subject, headers, body lines verbatim', () => {
  const r = readMailDocument(FORMAT_PATCH, '0002-mm.patch');
  assert.deepEqual(r.errors, []);
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual(m.warnings, []);
  assert.equal(m.startLine, 1);
  assert.equal(m.endLine, 26);
  assert.equal(m.subjectLine, 4);
  assert.deepEqual(m.headers, {
    from: 'Ada Lovelace <ada@example.org>',
    date: 'Tue, 5 Nov 2024 10:00:00 +0100',
    subject: '[PATCH v3 2/7] mm/vma: take the write seqcount before changing vm_flags',
    messageId: '<20241105-2-ada@example.org>',
    inReplyTo: '<20241105-0-ada@example.org>',
    references: '<20241105-0-ada@example.org>',
  });
  assert.deepEqual([m.subject?.version, m.subject?.number, m.subject?.total, m.subject?.title], [3, 2, 7, 'mm/vma: take the write seqcount before changing vm_flags']);
  assert.equal(m.body[0].docLine, 10);
  assert.equal(m.body[m.body.length - 1].docLine, 26);
  assert.deepEqual(bodyAt(m, 22), [{ docLine: 22, docColumn: 1, text: '+\t  smp_wmb();', quoteDepth: 0 }]);
  assert.deepEqual(bodyAt(m, 23), [{ docLine: 23, docColumn: 1, text: ' \tvma->vm_flags = 0;', quoteDepth: 0 }]);
  assertPositions(FORMAT_PATCH, r.messages);
});

test('mbox: several messages split at From_ lines, >From unescaped (mboxrd), quotes after unescaping', () => {
  const text = [
    'From mboxrd@z Thu Jan  1 00:00:00 1970', // 1
    'From: A <a@x>', // 2
    'Subject: [PATCH 0/2] cover', // 3
    '', // 4
    'cover text', // 5
    '>From the beginning, a line that mboxrd escaped', // 6
    '>>From a quoted line that was escaped', // 7
    '> From: quoted header-looking line', // 8
    '', // 9
    'From mboxrd@z Thu Jan  1 00:00:00 1970', // 10
    'From: B <b@x>', // 11
    'Subject: Re: [PATCH 0/2] cover', // 12
    'In-Reply-To: <c@x>', // 13
    '', // 14
    '> > +\tspin_lock(&l);', // 15
    'From the start of this line, not a separator (no blank line before)', // 16
    '', // 17
    'From someone@example.org Tue Oct  1 12:00:00 2024', // 18
    'From: C <c@x>', // 19
    'Subject: third', // 20
    '', // 21
    'last body', // 22
    '', // 23
  ].join('\n');
  const r = readMailDocument(text, 'thread.mbox');
  assert.deepEqual(r.errors, []);
  assert.equal(r.messages.length, 3);
  const [a, b, c] = r.messages;
  assert.deepEqual(r.messages.map((m) => [m.startLine, m.endLine, m.subjectLine]), [[1, 8, 3], [10, 16, 12], [18, 22, 20]]);
  assert.deepEqual(r.messages.map((m) => m.headers.from), ['A <a@x>', 'B <b@x>', 'C <c@x>']);
  assert.deepEqual(bodyAt(a, 6), [{ docLine: 6, docColumn: 2, text: 'From the beginning, a line that mboxrd escaped', quoteDepth: 0 }]);
  assert.deepEqual(bodyAt(a, 7), [{ docLine: 7, docColumn: 3, text: 'From a quoted line that was escaped', quoteDepth: 1 }]);
  assert.deepEqual(bodyAt(a, 8), [{ docLine: 8, docColumn: 3, text: 'From: quoted header-looking line', quoteDepth: 1 }]);
  assert.deepEqual(bodyAt(b, 15), [{ docLine: 15, docColumn: 5, text: '+\tspin_lock(&l);', quoteDepth: 2 }]);
  assert.equal(bodyAt(b, 16)[0].text, 'From the start of this line, not a separator (no blank line before)');
  assert.equal(b.subject?.isReply, true);
  assert.equal(b.headers.inReplyTo, '<c@x>');
  assert.deepEqual(c.body.map((l) => l.text), ['last body']);
  assertPositions(text, r.messages);
});

test('CRLF line ends: CR dropped, lines counted by LF, columns unchanged', () => {
  const text = FORMAT_PATCH.split('\n').join('\r\n');
  const r = readMailDocument(text, 'crlf.patch');
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.equal(m.subject?.title, 'mm/vma: take the write seqcount before changing vm_flags');
  assert.ok(m.body.every((b) => !b.text.includes('\r')));
  assert.deepEqual(bodyAt(m, 21), [{ docLine: 21, docColumn: 1, text: '+\tvma_start_write(vma);', quoteDepth: 0 }]);
  assert.equal(m.endLine, 26);
  // A quoted CRLF page: `>` alone is an empty depth-1 line.
  const page = 'Re: [PATCH] x\r\nFrom: Y\r\nDate: Mon Apr 22 2019\r\n\r\n> > a\r\n>\r\n> +\tb\r\n';
  const p = readMailDocument(page, 'page.txt').messages[0];
  assert.deepEqual(p.body.map((b) => [b.docLine, b.quoteDepth, b.text]), [[5, 2, 'a'], [6, 1, ''], [7, 1, '+\tb']]);
  assertPositions(text, r.messages);
});

test('encoded-word subjects and senders are decoded (Q and B, utf-8 and latin1)', () => {
  const text = [
    'From 1 Mon Sep 17 00:00:00 2001',
    'From: =?iso-8859-1?q?J=E9r=F4me?= Glisse <jglisse@example.org>',
    'To: =?utf-8?B?TMOpYQ==?= <lea@example.org>',
    'Subject: Re: =?utf-8?q?=5BPATCH_v2_3/5=5D_mm=3A_caf=C3=A9?=',
    ' =?utf-8?q?_seqcount?=',
    '',
    'body',
  ].join('\n');
  const m = readMailDocument(text, 'ew.mbox').messages[0];
  assert.equal(m.headers.from, 'Jérôme Glisse <jglisse@example.org>');
  assert.equal(m.headers.to, 'Léa <lea@example.org>');
  assert.equal(m.headers.subject, 'Re: [PATCH v2 3/5] mm: café seqcount');
  assert.deepEqual([m.subject?.isReply, m.subject?.version, m.subject?.number, m.subject?.total, m.subject?.title], [true, 2, 3, 5, 'mm: café seqcount']);
  assert.equal(m.subjectLine, 4);
});

test('quoted-printable: soft breaks join lines, =3D decodes, each line maps to the raw line it starts on', () => {
  const text = [
    'From: Q <q@x>', // 1
    'Subject: [PATCH] qp', // 2
    'MIME-Version: 1.0', // 3
    'Content-Type: text/plain; charset=utf-8', // 4
    'Content-Transfer-Encoding: quoted-printable', // 5
    '', // 6
    'plain line', // 7
    '+\tx =3D y;', // 8
    '+\tif (READ_ONCE(vma->vm_lock_seq) =3D=3D READ_ONCE(vma->vm_mm->mm_lock_seq.s=', // 9
    'equence))', // 10
    '> +\tsmp_wmb(); /* caf=C3=A9 */', // 11
    '> > a very long quoted line that the mailer broke with a soft=', // 12
    '  break and more=', // 13
    ' text', // 14
    'last', // 15
  ].join('\n');
  const r = readMailDocument(text, 'qp.eml');
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual(m.warnings, []);
  assert.equal(m.subject?.title, 'qp');
  assert.deepEqual(
    m.body.map((b) => [b.docLine, b.quoteDepth, b.text]),
    [
      [7, 0, 'plain line'],
      [8, 0, '+\tx = y;'],
      [9, 0, '+\tif (READ_ONCE(vma->vm_lock_seq) == READ_ONCE(vma->vm_mm->mm_lock_seq.sequence))'],
      [11, 1, '+\tsmp_wmb(); /* café */'],
      [12, 2, 'a very long quoted line that the mailer broke with a soft  break and more text'],
      [15, 0, 'last'],
    ],
  );
  assert.ok(m.body.every((b) => b.decoded === true));
  // The quote prefix is written as is in the raw line, so its column is exact.
  assert.equal(bodyAt(m, 11)[0].docColumn, 3);
  assert.equal(bodyAt(m, 12)[0].docColumn, 5);
  assertPositions(text, r.messages);
});

test('quoted-printable latin1 body and an unknown charset (warned, read as UTF-8)', () => {
  const latin = 'MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nJ=E9r=F4me: d=E9j=E0 vu\n';
  const m = readMailDocument(latin, 'l.eml').messages[0];
  assert.deepEqual(m.body.map((b) => b.text), ['Jérôme: déjà vu']);
  assert.deepEqual(m.warnings, []);
  const unk = 'MIME-Version: 1.0\nContent-Type: text/plain; charset=x-no-such-charset\nContent-Transfer-Encoding: quoted-printable\n\na=3Db\n';
  const u = readMailDocument(unk, 'u.eml').messages[0];
  assert.deepEqual(u.body.map((b) => b.text), ['a=b']);
  assert.equal(u.warnings.length, 1);
  assert.equal(u.warnings[0].code, 'unknown-charset');
  assert.equal(u.warnings[0].line, 1);
  assert.match(u.warnings[0].message, /x-no-such-charset/);
});

test('base64 body: decoded lines map to the raw base64 line holding their first byte', () => {
  const plain = ['first line', '> +\tquoted added line', 'a third line that is long enough to span several base64 lines of twenty characters', 'end'].join('\n') + '\n';
  const b64 = Buffer.from(plain, 'utf8').toString('base64');
  const rawLines = b64.match(/.{1,20}/g)!; // 20 characters = 15 bytes per raw line
  const head = ['From: B <b@x>', 'Subject: [PATCH] b64', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: base64', ''];
  const text = [...head, ...rawLines, ''].join('\n');
  const r = readMailDocument(text, 'b64.eml');
  const m = r.messages[0];
  assert.deepEqual(m.warnings, []);
  const first = head.length + 1; // doc line of the first base64 line
  const offsets = [0, 11, 11 + 23, 11 + 23 + 84];
  assert.deepEqual(m.body.map((b) => b.text), ['first line', '+\tquoted added line', 'a third line that is long enough to span several base64 lines of twenty characters', 'end']);
  assert.deepEqual(m.body.map((b) => b.docLine), offsets.map((o) => first + Math.floor(o / 15)));
  assert.deepEqual(m.body.map((b) => b.quoteDepth), [0, 1, 0, 0]);
  assert.ok(m.body.every((b) => b.decoded === true && b.docColumn === 1));
  assertPositions(text, r.messages);
});

test('multipart/mixed: text, a text/x-patch attachment (in the body, in order) and a binary attachment (listed only)', () => {
  const patch = ['diff --git a/mm/a.c b/mm/a.c', '--- a/mm/a.c', '+++ b/mm/a.c', '@@ -1,2 +1,3 @@ void f(void)', ' {', '+\tsmp_mb();', ' }', ''].join('\n');
  const patchB64 = Buffer.from(patch).toString('base64').match(/.{1,60}/g)!;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).toString('base64');
  const lines = [
    'From: M <m@x>', // 1
    'Subject: [PATCH] multipart', // 2
    'MIME-Version: 1.0', // 3
    'Content-Type: multipart/mixed; boundary="==b1=="', // 4
    '', // 5
    'This is a multi-part message in MIME format.', // 6 (preamble)
    '--==b1==', // 7
    'Content-Type: multipart/alternative; boundary=b2', // 8
    '', // 9
    '--b2', // 10
    'Content-Type: text/plain; charset=us-ascii', // 11
    '', // 12
    'Please see the attached fix.', // 13
    '> earlier quote', // 14
    '--b2', // 15
    'Content-Type: text/html', // 16
    '', // 17
    '<p>Please see the attached fix.</p>', // 18
    '--b2--', // 19
    '', // 20
    '--==b1==', // 21
    'Content-Type: text/x-patch; name="0001-fix.patch"', // 22
    'Content-Disposition: attachment; filename="0001-fix.patch"', // 23
    'Content-Transfer-Encoding: base64', // 24
    '', // 25
    ...patchB64, // 26..
  ];
  const pngLine = lines.length + 1;
  lines.push('--==b1==', 'Content-Type: image/png', 'Content-Disposition: attachment; filename="trace.png"', 'Content-Transfer-Encoding: base64', '', png, '--==b1==--', 'epilogue text', '');
  const text = lines.join('\n');
  const r = readMailDocument(text, 'mp.eml');
  const m = r.messages[0];
  assert.deepEqual(m.warnings, []);
  // Text of the plain alternative first (html alternative skipped), then the patch, in order.
  assert.deepEqual(m.body.map((b) => b.text), ['Please see the attached fix.', 'earlier quote', ...patch.split('\n').slice(0, -1)]);
  assert.deepEqual(m.body.slice(0, 2).map((b) => [b.docLine, b.docColumn, b.quoteDepth]), [[13, 1, 0], [14, 3, 1]]);
  assert.ok(m.body.slice(2).every((b) => b.decoded && b.docLine >= 26 && b.docLine < 26 + patchB64.length));
  const smp = m.body.find((b) => b.text === '+\tsmp_mb();')!;
  const offset = patch.indexOf('+\tsmp_mb();');
  assert.equal(smp.docLine, 26 + Math.floor(offset / 45));
  assert.ok(!m.body.some((b) => b.text.includes('<p>') || b.text.includes('PNG') || b.text.includes('multi-part message') || b.text.includes('epilogue')));
  assert.deepEqual(m.attachments, [
    { filename: '0001-fix.patch', contentType: 'text/x-patch', size: Buffer.byteLength(patch), binary: false, line: 22 },
    { filename: 'trace.png', contentType: 'image/png', size: 16, binary: true, line: pngLine + 1 },
  ]);
  assertPositions(text, r.messages);
});

test('application/octet-stream is listed as binary and never read as text', () => {
  const text = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=zz',
    '',
    '--zz',
    'Content-Type: text/plain',
    '',
    'hello',
    '--zz',
    'Content-Type: application/octet-stream; name=blob.bin',
    '',
    'not base64 but still binary: diff --git a/x b/x',
    '--zz--',
  ].join('\n');
  const m = readMailDocument(text, 'o.eml').messages[0];
  assert.deepEqual(m.body.map((b) => b.text), ['hello']);
  assert.equal(m.attachments.length, 1);
  assert.deepEqual([m.attachments[0].filename, m.attachments[0].binary, m.attachments[0].contentType, m.attachments[0].line], ['blob.bin', true, 'application/octet-stream', 9]);
});

test('truncated input: headers without a body, multipart without its closing boundary, base64 cut mid-way', () => {
  const noBody = readMailDocument('From x@y Tue Oct  1 12:00:00 2024\nFrom: a <a@b>\nSubject: [PATCH] cut', 'cut.mbox');
  assert.equal(noBody.messages.length, 1);
  assert.deepEqual(noBody.messages[0].body, []);
  assert.equal(noBody.messages[0].headers.subject, '[PATCH] cut');
  assert.deepEqual(noBody.messages[0].warnings.map((w) => [w.code, w.line]), [['no-body', 3]]);

  const cut = [
    'MIME-Version: 1.0', // 1
    'Subject: t', // 2
    'Content-Type: multipart/mixed; boundary=q', // 3
    '', // 4
    '--q', // 5
    'Content-Type: text/plain', // 6
    'Content-Transfer-Encoding: base64', // 7
    '', // 8
    'aGVsbG8gd29y', // 9
    'bGQKc2Vjb25', // 10  (cut: 23 characters in all)
  ].join('\n');
  const r = readMailDocument(cut, 'cut.eml');
  const m = r.messages[0];
  assert.deepEqual(m.body.map((b) => [b.docLine, b.text]), [[9, 'hello world'], [10, 'secon']]);
  const codes = m.warnings.map((w) => w.code).sort();
  assert.deepEqual(codes, ['bad-base64', 'truncated-multipart']);
  assert.ok(m.warnings.every((w) => w.path === 'cut.eml' && w.line !== null && w.message.length > 20));
  assertPositions(cut, r.messages);

  const garbage = 'MIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVs!!bG8K\n';
  const g = readMailDocument(garbage, 'g.eml').messages[0];
  assert.deepEqual(g.body.map((b) => b.text), ['hello']);
  assert.deepEqual(g.warnings.map((w) => [w.code, w.line]), [['bad-base64', 5]]);

  const noBoundary = readMailDocument('MIME-Version: 1.0\nContent-Type: multipart/mixed\n\nsome text\n', 'nb.eml').messages[0];
  assert.deepEqual(noBoundary.body.map((b) => b.text), ['some text']);
  assert.deepEqual(noBoundary.warnings.map((w) => w.code), ['missing-boundary']);
});

test('empty and blank documents: no message and a no-message error', () => {
  for (const text of ['', '\n', '  \n\t\n', '\r\n\r\n']) {
    const r = readMailDocument(text, 'e.txt');
    assert.deepEqual(r.messages, []);
    assert.deepEqual(r.errors.map((e) => [e.code, e.path, e.line]), [['no-message', 'e.txt', null]]);
  }
});

test('a bare diff or C file is one message with every line in the body', () => {
  const diff = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a;\n+b;\n';
  const r = readMailDocument(diff, 'x.diff');
  assert.deepEqual(r.errors, []);
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual([m.startLine, m.endLine, m.subject, m.subjectLine], [1, 6, null, null]);
  assert.deepEqual(m.body.map((b) => [b.docLine, b.text]), diff.trimEnd().split('\n').map((t, i) => [i + 1, t]));
  const c = '#include <linux/mm.h>\n\nstatic void f(void)\n{\n\tsmp_wmb();\n}';
  const cm = readMailDocument(c, 'f.txt').messages[0];
  assert.equal(cm.body.length, 6);
  assert.equal(cm.body[4].text, '\tsmp_wmb();');
});

test('a page with two mails in lore header style, and a preamble of real text kept as its own message', () => {
  const text = [
    'Some notes I wrote before pasting the thread.', // 1
    'They are not part of any mail.', // 2
    '> but they quote something', // 3
    'line four', // 4
    'line five', // 5
    'line six', // 6
    'line seven', // 7
    '', // 8
    'From: One <one@x>', // 9
    'Subject: [PATCH 1/1] mm: a', // 10
    'Date: Mon, 1 Jan 2024 00:00:00 +0000', // 11
    '', // 12
    'first body', // 13
    '', // 14
    '^ permalink raw reply\t[flat|nested] 2+ messages in thread', // 15
    'From: Two <two@x>', // 16
    'Subject: Re: [PATCH 1/1] mm: a', // 17
    'Date: Mon, 1 Jan 2024 01:00:00 +0000', // 18
    '', // 19
    '> first body', // 20
  ].join('\n');
  const r = readMailDocument(text, 'page.txt');
  assert.equal(r.messages.length, 3);
  const [pre, one, two] = r.messages;
  assert.deepEqual([pre.startLine, pre.endLine, pre.subject], [1, 8, null]);
  assert.equal(pre.body[2].quoteDepth, 1);
  assert.deepEqual([one.startLine, one.subjectLine, one.headers.from], [9, 10, 'One <one@x>']);
  assert.deepEqual(one.body.map((b) => b.text), ['first body', '']);
  assert.deepEqual([two.startLine, two.subjectLine, two.subject?.isReply], [16, 17, true]);
  assert.deepEqual(two.body.map((b) => [b.docLine, b.quoteDepth, b.text]), [[20, 1, 'first body']]);
  assertPositions(text, r.messages);
});

test('random text and hostile shapes never throw and keep positions inside the document', () => {
  let x = 12345;
  const rnd = (k: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % k;
  };
  const words = ['From ', 'From: a', 'Subject: [PATCH', 'Date: x', 'Content-Type: multipart/mixed; boundary=b', '--b', '--b--', '>', '> ', '>>From ', '=', '=3D', '\r', '\n', '\n\n', 'Posted by X 1 day ago', ' ', '\t', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable', 'QUJD', ':', '[', ']', 'Mon Sep 17 00:00:00 2001\n', 'Thread overview:', '\u00a0', 'é'];
  for (let round = 0; round < 40; round++) {
    const parts: string[] = [];
    const n = 50 + rnd(400);
    for (let i = 0; i < n; i++) parts.push(words[rnd(words.length)]);
    const text = parts.join('');
    const r = readMailDocument(text, 'fuzz.txt');
    assert.ok(Array.isArray(r.messages));
    assertPositions(text, r.messages);
    assert.ok(!r.errors.some((e) => e.code === 'mail-internal-error'), `internal error on round ${round}`);
  }
  // Long lines of quote markers and header-like junk stay linear and do not throw.
  const long = '>'.repeat(200000) + '\n' + 'From: ' + 'x'.repeat(100000) + '\n' + '=?utf-8?q?' + 'a'.repeat(50000);
  const r = readMailDocument(long, 'long.txt');
  assert.equal(r.messages.length, 1);
  assert.equal(r.messages[0].body[0].quoteDepth, 200000);
  // Deeply nested multiparts stop at a depth limit with a warning.
  const nest: string[] = ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b0', ''];
  for (let d = 1; d <= 40; d++) nest.push(`--b${d - 1}`, `Content-Type: multipart/mixed; boundary=b${d}`, '');
  nest.push('--b40', '', 'deep text');
  const deep = readMailDocument(nest.join('\n'), 'deep.eml').messages[0];
  assert.ok(deep.warnings.some((w) => w.code === 'mime-too-deep'));
});

test('a generated 20 MB mbox is read whole', () => {
  const parts: string[] = [];
  let size = 0;
  let count = 0;
  while (size < 20 * 1024 * 1024) {
    const msg = [
      `From ${count.toString(16)} Mon Sep 17 00:00:00 2001`,
      `From: Dev ${count} <dev${count}@example.org>`,
      `Subject: [PATCH v2 ${(count % 9) + 1}/9] mm: change ${count}`,
      '',
      'Text of the change.',
      '>From here, an escaped line.',
      '> quoted',
      'diff --git a/mm/x.c b/mm/x.c',
      '@@ -1,2 +1,3 @@ void f(void)',
      ' \tint a;',
      '+\tsmp_wmb();',
      '-- ',
      '2.43.0',
      '',
      '',
    ].join('\n');
    parts.push(msg);
    size += msg.length;
    count++;
  }
  const r = readMailDocument(parts.join(''), 'big.mbox');
  assert.equal(r.messages.length, count);
});

test('quoted-printable with an encoded line break (=0A): both pieces map to the raw line they came from', () => {
  const text = 'MIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nfirst\nleft=0Aright =3D 1\nlast=\n\n';
  const m = readMailDocument(text, 'nl.eml').messages[0];
  assert.deepEqual(m.body.map((b) => [b.docLine, b.text]), [[5, 'first'], [6, 'left'], [6, 'right = 1'], [7, 'last']]);
  assertPositions(text, [m]);
});

test('marc-like page: header block after a list line, [Download ...] line kept out of the body', () => {
  const text = [
    '[prev in list] [next in list] [prev in thread] [next in thread]', // 1
    '', // 2
    'List:       linux-mm', // 3
    'Subject:    Re: [PATCH v3 3/4] mm: seqcount', // 4
    'From:       Some One <someone () example ! org>', // 5
    'Date:       2024-11-21 12:00:00', // 6
    'Message-ID: <abc () example ! org>', // 7
    '[Download RAW message or body]', // 8
    '', // 9
    '> +\twrite_seqcount_begin(&s);', // 10
    'Looks fine.', // 11
  ].join('\n');
  const r = readMailDocument(text, 'marc.txt');
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual([m.startLine, m.subjectLine, m.subject?.number, m.subject?.total, m.headers.date], [1, 4, 3, 4, '2024-11-21 12:00:00']);
  assert.deepEqual(m.body.map((b) => [b.docLine, b.quoteDepth, b.text]), [[10, 1, '+\twrite_seqcount_begin(&s);'], [11, 0, 'Looks fine.']]);
  assertPositions(text, r.messages);
});

test('patchew page: in-body From:/Date: at the start of a mail do not start another mail', () => {
  const text = [
    '[PATCH 1/2] mm: a', // 1
    'Posted by A Author 2 days ago', // 2
    'From: B Author <b@x>', // 3
    'Date: Mon, 1 Jan 2024 00:00:00 +0000', // 4
    '', // 5
    'text', // 6
    'Re: [PATCH 1/2] mm: a', // 7
    'Posted by C Reviewer 1 day ago', // 8
    '> text', // 9
  ].join('\n');
  const r = readMailDocument(text, 'patchew.txt');
  assert.equal(r.messages.length, 2);
  assert.deepEqual(r.messages.map((m) => [m.startLine, m.endLine, m.subjectLine, m.headers.from]), [[1, 6, 1, 'A Author'], [7, 9, 7, 'C Reviewer']]);
  assert.deepEqual(r.messages[0].body.map((b) => b.docLine), [3, 4, 5, 6]);
});

test('a page holding an mbox From_ line followed by headers starts a mail there', () => {
  const text = ['Here is the fixup I mentioned:', '', 'From 1a2b3c Mon Sep 17 00:00:00 2001', 'From: X <x@y>', 'Subject: [PATCH] fixup', '', '+\tsmp_rmb();'].join('\n');
  const r = readMailDocument(text, 'reply.txt');
  // The two lines above are short page text: they belong to the mail's page top, not the body.
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual([m.subjectLine, m.headers.from, m.subject?.title], [5, 'X <x@y>', 'fixup']);
  assert.deepEqual(m.body.map((b) => [b.docLine, b.text]), [[7, '+\tsmp_rmb();']]);
});

test('a minimal mail: a Subject-only header block at the top, then the body', () => {
  const text = 'Subject: [PATCH] mm: x\n\n---\ndiff --git a/a b/a\n';
  const r = readMailDocument(text, 'min.patch');
  assert.equal(r.messages.length, 1);
  const m = r.messages[0];
  assert.deepEqual([m.subjectLine, m.subject?.title, m.body.map((b) => b.docLine)], [1, 'mm: x', [3, 4]]);
  // Not at the top: an ordinary line that happens to look like a field stays body text.
  const later = readMailDocument('int x;\nNote: this is text\n\nmore\n', 'n.txt').messages[0];
  assert.equal(later.body.length, 4);
});

test('an HTML-only mail: the part is listed (as text, not binary), the body is empty, and a warning says why', () => {
  const text = 'From: H <h@x>\nSubject: [PATCH] html\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<p>+\tsmp_wmb();</p>\n';
  const m = readMailDocument(text, 'h.eml').messages[0];
  assert.deepEqual(m.body, []);
  assert.deepEqual(m.attachments.map((a) => [a.contentType, a.binary, a.line]), [['text/html', false, 1]]);
  assert.deepEqual(m.warnings.map((w) => [w.code, w.line]), [['html-only', 1]]);
});
