/**
 * The example mails in examples/ are valid patches: every `@@` header (also in
 * quoted replies) announces exactly the lines that follow, new-side starts
 * follow from the hunks before them, and diffstats agree with the diffs.
 * Plain line counting, independent of the project's patch parser.
 * examples/expected.json names every example, with known rule ids on real lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkHunks, splitMbox } from './bench/mailcheck';

const DIR = path.resolve(__dirname, '..', 'examples');
const MAILS = fs.readdirSync(DIR).filter((n) => /\.(patch|diff|mbox|mbx|eml)$/.test(n)).sort();

const RULES = new Set([
  'seqcount-unmatched-begin', 'seqcount-unmatched-end', 'seqcount-nested-begin', 'seqcount-read-unchecked',
  'lock-unmatched', 'lock-double', 'notifier-unmatched-start', 'notifier-retry-unchecked',
  'seqcount-reader-barrier', 'seqcount-writer-barrier', 'barrier-unpaired', 'barrier-no-comment',
  'barrier-atomic-misplaced', 'lockdep-comment-not-assert', 'lockdep-assert-unheld', 'seqcount-writer-unserialized',
  'notifier-missing-owner', 'notifier-unfiltered-invalidation', 'notifier-callback-ignores-owner', 'page-tail-mapping',
]);

test('there are 6 to 8 examples', () => {
  assert.ok(MAILS.length >= 6 && MAILS.length <= 8, MAILS.join(', '));
});

for (const name of MAILS) {
  test(`${name}: hunk counts, new-side starts and diffstat match the diff`, () => {
    const text = fs.readFileSync(path.join(DIR, name), 'utf8');
    assert.equal(Buffer.byteLength(text), text.length, 'ASCII only');
    let hunks = 0;
    for (const m of splitMbox(text)) {
      const checks = checkHunks(m.body, 2);
      for (const c of checks) assert.deepEqual(c.problems, [], `${name}: message at line ${m.startLine}, hunk ${c.header}`);
      hunks += checks.length;
      // New-side starts: old start + the net lines of the earlier hunks of the same file (unquoted diffs).
      const perFile = new Map<string, { added: number; removed: number }>();
      let file: string | null = null;
      let delta = 0;
      for (let i = 0; i < m.body.length; i++) {
        const l = m.body[i];
        const d = /^diff --git a\/\S+ b\/(\S+)$/.exec(l);
        if (d) {
          file = d[1];
          delta = 0;
          perFile.set(file, { added: 0, removed: 0 });
          continue;
        }
        const c = checks.find((x) => x.at === i && x.quoteDepth === 0);
        if (!c || !file) continue;
        const h = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(c.header)!;
        assert.equal(Number(h[2]), Number(h[1]) + delta, `${name}: ${c.header}: new start`);
        delta += c.newCount - c.oldCount;
        const s = perFile.get(file)!;
        for (const b of m.body.slice(i + 1, i + 1 + Math.max(c.seenOld, c.seenNew) + c.newCount)) {
          if (b.startsWith('@@ ') || b.startsWith('diff --git') || b.startsWith('-- ')) break;
          if (b.startsWith('+')) s.added++;
          else if (b.startsWith('-')) s.removed++;
        }
      }
      const stat = m.body.filter((l) => /^ \S+\s+\|\s+\d+ [+-]*$/.test(l));
      for (const l of stat) {
        const [, f, n, bar] = /^ (\S+)\s+\|\s+(\d+) ([+-]*)$/.exec(l)!;
        const s = perFile.get(f);
        if (!s) continue; // a cover letter's diffstat covers the whole series
        assert.equal(Number(n), s.added + s.removed, `${name}: diffstat of ${f}`);
        // git scales long bars to the terminal width; short ones are exact.
        if (s.added + s.removed <= 40) assert.equal(bar, '+'.repeat(s.added) + '-'.repeat(s.removed), `${name}: diffstat bar of ${f}`);
        else assert.match(bar, s.removed ? (s.added ? /^\++-+$/ : /^-+$/) : /^\++$/, `${name}: diffstat bar of ${f}`);
      }
      if (perFile.size && stat.length) {
        const added = [...perFile.values()].reduce((a, s) => a + s.added, 0);
        const removed = [...perFile.values()].reduce((a, s) => a + s.removed, 0);
        const summary = m.body.find((l) => /^ \d+ files? changed/.test(l));
        const want = [` ${perFile.size} file${perFile.size === 1 ? '' : 's'} changed`];
        if (added) want.push(`${added} insertion${added === 1 ? '' : 's'}(+)`);
        if (removed) want.push(`${removed} deletion${removed === 1 ? '' : 's'}(-)`);
        assert.equal(summary, want.join(', '), `${name}: message at line ${m.startLine}: diffstat summary`);
      }
    }
    assert.ok(hunks > 0, `${name} has no hunk`);
  });
}

test('expected.json: every example, known rule ids, lines that hold code', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { rule: string; line: number }[]>;
  assert.deepEqual(Object.keys(expected).sort(), MAILS);
  for (const [name, list] of Object.entries(expected)) {
    const lines = fs.readFileSync(path.join(DIR, name), 'utf8').split('\n');
    for (const e of list) {
      assert.deepEqual(Object.keys(e).sort(), ['line', 'rule']);
      assert.ok(RULES.has(e.rule), `${name}: unknown rule ${e.rule}`);
      assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length, `${name}: line ${e.line}`);
      assert.match(lines[e.line - 1], /^(> ?)*[+ ].*[;{(,)]$/, `${name}:${e.line} is not a hunk line of C`);
    }
  }
  const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8');
  for (const name of MAILS) assert.ok(readme.includes(name), `README.md does not mention ${name}`);
});
