/**
 * A deterministic generator of large mbox files that look like linux-mm
 * traffic: `git format-patch` series (cover letters, diffstats, `diff --git`
 * hunks with correct `@@` counts and function context), replies quoting hunks
 * with `> `, `---8<---` snippets and some quoted-printable bodies.
 *
 * The C in the hunks is kernel-like and varied: seqcount writers and readers
 * (helper and open-coded), locks with goto cleanup, mmu notifier ranges, GUP
 * loops reading page->mapping, mmap_lock killable sections, barriers.
 *
 * Same (targetBytes, seed) → same bytes, always: the only source of variety is
 * a seeded PRNG (mulberry32); no clock, no Math.random, no environment. The
 * output is ASCII, so its length in characters is its length in bytes.
 *
 * CLI: node out/bench/generate.js <size> [--seed N] [--out FILE]
 *      size: bytes, or with a unit: 500KB, 1MB, 10MB (1 MB = 1,000,000 bytes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// ---------------------------------------------------------------- PRNG

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
}

// ---------------------------------------------------------------- vocabulary

const PEOPLE = [
  ['Ada Kovacs', 'ada.kovacs@example.org'],
  ['Bruno Teixeira', 'bruno@teixeira.example'],
  ['Chen Wei', 'chenwei@example.com'],
  ['Dagny Lund', 'dagny.lund@example.net'],
  ['Emeka Obi', 'emeka@obi.example'],
  ['Fiona Marsh', 'fmarsh@example.org'],
  ['Goran Ilic', 'goran.ilic@example.com'],
  ['Hana Sato', 'hsato@example.jp'],
  ['Ivo Brandt', 'ivo@brandt.example'],
  ['Jules Perrin', 'jules.perrin@example.fr'],
] as const;

const SUBSYS = ['mm', 'mm/gup', 'mm/hmm', 'mm/mmap', 'mm/memory', 'mm/migrate', 'mm/khugepaged', 'mm/vmscan', 'mm/zswap', 'mm/damon', 'mm/userfaultfd', 'mm/rmap'];
const FILES = ['mm/gup.c', 'mm/hmm.c', 'mm/mmap.c', 'mm/memory.c', 'mm/migrate.c', 'mm/khugepaged.c', 'mm/vmscan.c', 'mm/zswap.c', 'mm/damon/core.c', 'mm/userfaultfd.c', 'mm/rmap.c', 'mm/mmu_notifier.c', 'mm/page_alloc.c', 'mm/swapfile.c', 'drivers/gpu/drm/nouveau/nouveau_svm.c', 'drivers/infiniband/core/umem_odp.c', 'include/linux/mm_types.h', 'include/linux/mmap_lock.h'];
const STRUCTS = ['pool', 'cache', 'zone_stat', 'dev_ctx', 'range_tracker', 'svm_bo', 'odp_map', 'swap_slot', 'lru_batch', 'pcp_area'];
const FIELDS = ['nr_pages', 'start', 'end', 'flags', 'gen', 'count', 'pfn', 'order', 'dirty', 'owner_id', 'refs', 'shift'];
const VERBS = ['update', 'refresh', 'commit', 'publish', 'reset', 'account', 'adjust', 'resize', 'shrink', 'attach', 'detach', 'collapse'];
const LOCKS: [string, string][] = [
  ['spin_lock', 'spin_unlock'],
  ['mutex_lock', 'mutex_unlock'],
  ['spin_lock_irq', 'spin_unlock_irq'],
  ['raw_spin_lock', 'raw_spin_unlock'],
  ['down_write', 'up_write'],
];
const LOCK_FIELD: Record<string, string> = { spin_lock: 'lock', mutex_lock: 'mutex', spin_lock_irq: 'lock', raw_spin_lock: 'raw_lock', down_write: 'rwsem' };
const EVENTS = ['MMU_NOTIFY_CLEAR', 'MMU_NOTIFY_PROTECTION_VMA', 'MMU_NOTIFY_UNMAP', 'MMU_NOTIFY_SOFT_DIRTY', 'MMU_NOTIFY_MIGRATE'];
const TITLES = [
  'close the write section on the error path',
  'avoid reading a torn %F under the seqcount',
  'drop the lock before returning -EAGAIN',
  'pass the owner to the notifier range',
  'use folio_mapping() on pinned pages',
  'make the mmap_lock wait killable',
  'add a barrier between %F and the sequence update',
  'retry the lockless %F lookup',
  'document the pairing of the %F barrier',
  'convert %S to a proper seqcount',
  'skip invalidations we started ourselves',
  'batch the %F accounting',
];
const PROSE = [
  'The reader can observe the new %F together with the old sequence count, so it may return a value that never existed.',
  'On the error path the function returned with the write section still open, which makes every later reader spin.',
  'Nothing serialises the writers here except the caller holding the lock, which is not true for the reclaim path.',
  'Readers on other CPUs need the barrier to order the load of %F after the load of the sequence.',
  'This was found by inspection while looking at the %S teardown path; no reproducer.',
  'The invalidation callback cannot tell our own range from a foreign one unless the owner is passed along.',
  'pin_user_pages() may hand back tail pages, and page->mapping of a tail page is not what the code expects.',
  'Taking the lock killable lets an OOM-killed task leave without waiting for the writer.',
  'No functional change intended for the fast path.',
  'The retry loop is bounded in practice because writers are rare and short.',
  'Measured on a 2-socket machine, the extra barrier costs nothing visible in the benchmark.',
  'This keeps %S consistent with the other users of the same pattern in mm/.',
];
const REVIEW = [
  'I think this misses the unlock on the early return above.',
  'Do we need the smp_rmb() here, or is the read_seqcount_retry() enough?',
  'Looks good to me.',
  'Why not use the helper instead of open-coding the sequence check?',
  'This path can be reached without the lock held, see the caller in %S.',
  'Please add a comment saying which barrier this one pairs with.',
  'Would something like this be simpler?',
  'Nit: the label name does not match what it undoes.',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// ---------------------------------------------------------------- hunk templates

interface Names {
  s: string;
  f1: string;
  f2: string;
  verb: string;
  lock: [string, string];
}

function names(r: Rng): Names {
  const f1 = r.pick(FIELDS);
  let f2 = r.pick(FIELDS);
  if (f2 === f1) f2 = f1 + '_hi';
  return { s: r.pick(STRUCTS), f1, f2, verb: r.pick(VERBS), lock: r.pick(LOCKS) };
}

/**
 * Each template is one whole function as diff lines: the first character is
 * ' ', '+' or '-'. The first line (the signature) is always context.
 */
type Template = (r: Rng, n: Names) => string[];

const seqWriter: Template = (r, n) => {
  const [lk, ulk] = n.lock;
  const lf = LOCK_FIELD[lk];
  const fixed = r.chance(0.5);
  return [
    ` static int ${n.s}_${n.verb}(struct ${n.s} *${n.s[0]}, unsigned long val)`,
    ' {',
    '\tint err = 0;',
    '',
    `\t${lk}(&${n.s[0]}->${lf});`,
    `\twrite_seqcount_begin(&${n.s[0]}->seq);`,
    `\tif (val > ${n.s[0]}->${n.f2}) {`,
    '\t\terr = -EINVAL;',
    fixed ? '-\t\tgoto out_unlock;' : '+\t\tgoto out_unlock;',
    fixed ? '+\t\tgoto out_end;' : null,
    '\t}',
    `\t${n.s[0]}->${n.f1} = val;`,
    r.chance(0.5) ? `+\t${n.s[0]}->${n.f2} -= val;` : `\t${n.s[0]}->${n.f2} -= val;`,
    fixed ? '+out_end:' : null,
    `\twrite_seqcount_end(&${n.s[0]}->seq);`,
    ' out_unlock:',
    `\t${ulk}(&${n.s[0]}->${lf});`,
    '\treturn err;',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const seqReader: Template = (r, n) => {
  const v = n.s[0];
  if (r.chance(0.5)) {
    return [
      ` static unsigned long ${n.s}_read_${n.f1}(const struct ${n.s} *${v})`,
      ' {',
      '\tunsigned int seq;',
      '\tunsigned long ret;',
      '',
      '\tdo {',
      `\t\tseq = read_seqcount_begin(&${v}->seq);`,
      `-\t\tret = ${v}->${n.f1};`,
      `+\t\tret = READ_ONCE(${v}->${n.f1});`,
      `\t} while (read_seqcount_retry(&${v}->seq, seq));`,
      '',
      '\treturn ret;',
      ' }',
    ].map(ctx);
  }
  const barrier = r.chance(0.6);
  return [
    ` static bool ${n.s}_snapshot(struct ${n.s} *${v}, struct ${n.s}_snap *snap)`,
    ' {',
    '\tunsigned int seq;',
    '',
    `\tseq = READ_ONCE(${v}->seq.sequence);`,
    '\tif (seq & 1)',
    '\t\treturn false;',
    '\tsmp_rmb();',
    `\tsnap->${n.f1} = ${v}->${n.f1};`,
    `\tsnap->${n.f2} = ${v}->${n.f2};`,
    barrier ? '+\tsmp_rmb();' : null,
    `-\treturn seq == ${v}->seq.sequence;`,
    `+\treturn seq == READ_ONCE(${v}->seq.sequence);`,
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const lockGoto: Template = (r, n) => {
  const [lk, ulk] = n.lock;
  const lf = LOCK_FIELD[lk];
  const v = n.s[0];
  return [
    ` static int ${n.s}_${n.verb}_range(struct ${n.s} *${v}, unsigned long start, unsigned long end)`,
    ' {',
    '\tstruct page *page;',
    '\tint ret = 0;',
    '',
    `\t${lk}(&${v}->${lf});`,
    `\tif (!${v}->${n.f1}) {`,
    '\t\tret = -ENOENT;',
    '\t\tgoto out_unlock;',
    '\t}',
    `\tpage = ${n.s}_lookup(${v}, start);`,
    r.chance(0.5) ? '-\tif (!page)' : null,
    r.chance(0.5) ? '-\t\treturn -ENOMEM;' : null,
    '+\tif (!page) {',
    '+\t\tret = -ENOMEM;',
    '+\t\tgoto out_unlock;',
    '+\t}',
    `\t${v}->${n.f2} += end - start;`,
    '\tget_page(page);',
    ' out_unlock:',
    `\t${ulk}(&${v}->${lf});`,
    '\treturn ret;',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const notifierRange: Template = (r, n) => {
  const ev = r.pick(EVENTS);
  const owner = r.chance(0.5);
  return [
    ` static void ${n.s}_${n.verb}_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)`,
    ' {',
    '\tstruct mmu_notifier_range range;',
    '',
    owner
      ? `-\tmmu_notifier_range_init(&range, ${ev}, 0, vma->vm_mm, start, end);`
      : `\tmmu_notifier_range_init(&range, ${ev}, 0, vma->vm_mm, start, end);`,
    owner ? `+\tmmu_notifier_range_init_owner(&range, ${ev}, 0, vma->vm_mm, start, end, ${n.s}_owner);` : null,
    '\tmmu_notifier_invalidate_range_start(&range);',
    `\t${n.s}_clear_ptes(vma, start, end);`,
    r.chance(0.5) ? '+\tflush_tlb_range(vma, start, end);' : '\tflush_tlb_range(vma, start, end);',
    '\tmmu_notifier_invalidate_range_end(&range);',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const invalidateCb: Template = (r, n) => {
  const filter = r.chance(0.5);
  return [
    ` static bool ${n.s}_invalidate(struct mmu_interval_notifier *mni,`,
    '\t\t\t\tconst struct mmu_notifier_range *range,',
    '\t\t\t\tunsigned long cur_seq)',
    ' {',
    `\tstruct ${n.s} *${n.s[0]} = container_of(mni, struct ${n.s}, notifier);`,
    '',
    filter ? `+\tif (range->event == MMU_NOTIFY_MIGRATE && range->owner == ${n.s}_owner)` : null,
    filter ? '+\t\treturn true;' : null,
    filter ? '+' : null,
    '\tif (mmu_notifier_range_blockable(range))',
    `\t\tmutex_lock(&${n.s[0]}->mutex);`,
    `\telse if (!mutex_trylock(&${n.s[0]}->mutex))`,
    '\t\treturn false;',
    '\tmmu_interval_set_seq(mni, cur_seq);',
    `\t${n.s}_unmap(${n.s[0]}, range->start, range->end);`,
    `\tmutex_unlock(&${n.s[0]}->mutex);`,
    '\treturn true;',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const gupLoop: Template = (r, n) => {
  const pin = r.chance(0.6);
  const fixed = r.chance(0.5);
  return [
    ` static int ${n.s}_pin_and_mark(unsigned long start, int nr_pages, struct page **pages)`,
    ' {',
    '\tint i, ret;',
    '',
    pin ? '\tret = pin_user_pages_fast(start, nr_pages, FOLL_WRITE | FOLL_LONGTERM, pages);' : '\tret = get_user_pages_fast(start, nr_pages, FOLL_WRITE, pages);',
    '\tif (ret <= 0)',
    '\t\treturn ret;',
    '\tfor (i = 0; i < ret; i++) {',
    fixed ? '-\t\tstruct address_space *mapping = pages[i]->mapping;' : '+\t\tstruct address_space *mapping = pages[i]->mapping;',
    fixed ? '+\t\tstruct address_space *mapping = folio_mapping(page_folio(pages[i]));' : null,
    '',
    '\t\tif (mapping && mapping_can_writeback(mapping))',
    '\t\t\tset_page_dirty_lock(pages[i]);',
    '\t}',
    pin ? '\tunpin_user_pages(pages, ret);' : '\trelease_pages(pages, ret);',
    '\treturn 0;',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const killable: Template = (r, n) => {
  return [
    ` static long ${n.s}_${n.verb}_mm(struct mm_struct *mm, unsigned long addr)`,
    ' {',
    '\tstruct vm_area_struct *vma;',
    '\tlong ret = 0;',
    '',
    '-\tmmap_write_lock(mm);',
    '+\tif (mmap_write_lock_killable(mm))',
    '+\t\treturn -EINTR;',
    '\tvma = vma_lookup(mm, addr);',
    '\tif (!vma) {',
    '\t\tret = -EFAULT;',
    '\t\tgoto out;',
    '\t}',
    r.chance(0.5) ? '+\tvma_start_write(vma);' : null,
    `\tvm_flags_set(vma, VM_${n.f1.toUpperCase()});`,
    ' out:',
    '\tmmap_write_unlock(mm);',
    '\treturn ret;',
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const barrierPublish: Template = (r, n) => {
  const v = n.s[0];
  const comment = r.chance(0.5);
  return [
    ` static void ${n.s}_publish(struct ${n.s} *${v}, unsigned long ${n.f1})`,
    ' {',
    `\t${v}->${n.f1} = ${n.f1};`,
    comment ? '+\t/* Pairs with smp_rmb() in ' + n.s + '_snapshot(). */' : null,
    '+\tsmp_wmb();',
    `-\t${v}->seq.sequence++;`,
    `+\tWRITE_ONCE(${v}->seq.sequence, ${v}->seq.sequence + 2);`,
    ' }',
  ]
    .filter((x): x is string => x !== null)
    .map(ctx);
};

const TEMPLATES: Template[] = [seqWriter, seqReader, lockGoto, notifierRange, invalidateCb, gupLoop, killable, barrierPublish];

/** Lines without a marker are context lines. Blank context lines get their space, as git writes them. */
function ctx(l: string): string {
  if (l === '') return ' ';
  if (l[0] === ' ' || l[0] === '+' || l[0] === '-') return l;
  return ' ' + l;
}

// ---------------------------------------------------------------- diffs

function countLines(lines: string[]): { oldCount: number; newCount: number; added: number; removed: number } {
  let oldCount = 0;
  let newCount = 0;
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l[0] === '+') {
      newCount++;
      added++;
    } else if (l[0] === '-') {
      oldCount++;
      removed++;
    } else {
      oldCount++;
      newCount++;
    }
  }
  return { oldCount, newCount, added, removed };
}

function fmtRange(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

interface FileDiff {
  file: string;
  text: string[];
  added: number;
  removed: number;
}

function fileDiff(r: Rng, file: string): FileDiff {
  const nh = r.int(1, 3);
  let oldLine = r.int(20, 400);
  let delta = 0;
  let added = 0;
  let removed = 0;
  const out = [`diff --git a/${file} b/${file}`, `index ${r.hex(12)}..${r.hex(12)} 100644`, `--- a/${file}`, `+++ b/${file}`];
  let prevSig = '';
  for (let i = 0; i < nh; i++) {
    const fn = r.pick(TEMPLATES)(r, names(r));
    const sig = fn[0].slice(1);
    let body = fn;
    let header = prevSig;
    // Most hunks start inside the function, with its signature in the header (git's function context).
    if (r.chance(0.7)) {
      let skip = 1;
      const max = r.int(1, 4);
      while (skip < max && skip < body.length && body[skip][0] === ' ' && body[skip + 1]?.[0] === ' ') skip++;
      body = body.slice(skip);
      header = sig.replace(/,\s*$/, ',');
      oldLine += skip;
    }
    const c = countLines(body);
    const newStart = oldLine + delta;
    out.push(`@@ -${fmtRange(oldLine, c.oldCount)} +${fmtRange(newStart, c.newCount)} @@${header ? ' ' + header : ''}`);
    out.push(...body);
    delta += c.newCount - c.oldCount;
    added += c.added;
    removed += c.removed;
    oldLine += c.oldCount + r.int(8, 120);
    prevSig = sig;
  }
  return { file, text: out, added, removed };
}

function diffstat(files: FileDiff[]): string[] {
  const w = Math.max(...files.map((f) => f.file.length));
  const out = files.map((f) => {
    const n = f.added + f.removed;
    return ` ${f.file.padEnd(w)} | ${String(n).padStart(3)} ${'+'.repeat(f.added)}${'-'.repeat(f.removed)}`;
  });
  const a = files.reduce((s, f) => s + f.added, 0);
  const d = files.reduce((s, f) => s + f.removed, 0);
  const parts = [` ${files.length} file${files.length === 1 ? '' : 's'} changed`];
  if (a) parts.push(`${a} insertion${a === 1 ? '' : 's'}(+)`);
  if (d) parts.push(`${d} deletion${d === 1 ? '' : 's'}(-)`);
  out.push(parts.join(', '));
  return out;
}

// ---------------------------------------------------------------- mail

interface Stamp {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/** Day of week (0 = Sunday), Sakamoto's method. */
function weekday(y: number, m: number, d: number): number {
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  if (m < 3) y -= 1;
  return (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + t[m - 1] + d) % 7;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function rfc2822(t: Stamp, tz: string): string {
  return `${DAYS[weekday(t.y, t.mo, t.d)]}, ${t.d} ${MONTHS[t.mo - 1]} ${t.y} ${pad2(t.h)}:${pad2(t.mi)}:${pad2(t.s)} ${tz}`;
}

function advance(t: Stamp, r: Rng): Stamp {
  const n = { ...t };
  n.s += r.int(1, 59);
  n.mi += r.int(0, 50) + Math.floor(n.s / 60);
  n.s %= 60;
  n.h += Math.floor(n.mi / 60);
  n.mi %= 60;
  n.d += Math.floor(n.h / 24);
  n.h %= 24;
  if (n.d > 28) {
    n.d = 1;
    n.mo += 1;
    if (n.mo > 12) {
      n.mo = 1;
      n.y += 1;
    }
  }
  return n;
}

function fill(r: Rng, s: string): string {
  return s.replace(/%F/g, () => r.pick(FIELDS)).replace(/%S/g, () => r.pick(STRUCTS));
}

/** Wrap prose at 72 columns. */
function wrap(text: string, width = 72): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

function paragraph(r: Rng, pool: readonly string[], n: number): string[] {
  const sentences: string[] = [];
  for (let i = 0; i < n; i++) sentences.push(fill(r, r.pick(pool)));
  return wrap(sentences.join(' '));
}

/** Quoted-printable (RFC 2045) of LF-separated text: `=XX` escapes, soft breaks at 76 columns. */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let enc = '';
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        const c = line.charCodeAt(i);
        const last = i === line.length - 1;
        if (ch === '=' || c > 126 || (c < 32 && c !== 9) || ((ch === ' ' || ch === '\t') && last)) enc += '=' + c.toString(16).toUpperCase().padStart(2, '0');
        else enc += ch;
      }
      const parts: string[] = [];
      while (enc.length > 76) {
        let cut = 75;
        // Never split an escape sequence.
        if (enc[cut - 1] === '=') cut -= 1;
        else if (enc[cut - 2] === '=') cut -= 2;
        parts.push(enc.slice(0, cut) + '=');
        enc = enc.slice(cut);
      }
      parts.push(enc);
      return parts.join('\n');
    })
    .join('\n');
}

interface Msg {
  fromLine: string;
  headers: string[];
  body: string[];
  qp: boolean;
}

function render(m: Msg): string {
  const headers = [...m.headers];
  if (m.qp) headers.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable');
  let body = m.body.join('\n');
  if (m.qp) body = encodeQuotedPrintable(body);
  // mboxrd-style escaping: a body line that reads like a separator gets a '>'.
  body = body.replace(/^(>*From )/gm, '>$1');
  return `${m.fromLine}\n${headers.join('\n')}\n\n${body}\n\n`;
}

function person(r: Rng): { name: string; email: string; addr: string } {
  const [name, email] = r.pick(PEOPLE);
  return { name, email, addr: `${name} <${email}>` };
}

interface SeriesState {
  r: Rng;
  t: Stamp;
}

/** One series: optional cover letter, 1-6 patches, 0-3 replies. Returns rendered messages. */
function series(st: SeriesState): string[] {
  const r = st.r;
  const author = person(r);
  const total = r.int(1, 6);
  const version = r.chance(0.5) ? r.int(2, 9) : 1;
  const vtag = version > 1 ? ` v${version}` : '';
  const subsys = r.pick(SUBSYS);
  const idBase = `${st.t.y}${pad2(st.t.mo)}${pad2(st.t.d)}${pad2(st.t.h)}${pad2(st.t.mi)}${pad2(st.t.s)}.${r.int(1000, 99999)}`;
  const host = author.email.split('@')[1];
  const msgId = (i: number) => `<${idBase}-${i}-${author.email.split('@')[0]}@${host}>`;
  const sha = r.hex(40);
  const out: string[] = [];
  const sent: { id: string; subject: string; body: string[]; author: string; date: string }[] = [];
  const counter = (i: number) => (total > 1 || i === 0 ? ` ${String(i).padStart(String(total).length, '0')}/${total}` : '');
  const first = total > 1 && r.chance(0.6) ? 0 : 1;
  for (let i = first; i <= total; i++) {
    st.t = advance(st.t, r);
    const date = rfc2822(st.t, r.pick(['+0000', '+0100', '-0700', '+0800', '+0200']));
    const title = fill(r, r.pick(TITLES));
    const subject = `[PATCH${vtag}${counter(i)}] ${subsys}: ${title}`;
    const headers = [`From: ${author.addr}`, `Date: ${date}`, `Subject: ${subject}`, `Message-ID: ${msgId(i)}`];
    if (i > first) headers.push(`In-Reply-To: ${msgId(first)}`, `References: ${msgId(first)}`);
    headers.push(`To: linux-mm@kvack.org`, `Cc: linux-kernel@vger.kernel.org`);
    const body: string[] = [];
    if (i === 0) {
      body.push(...paragraph(r, PROSE, r.int(3, 6)), '', ...paragraph(r, PROSE, r.int(2, 4)), '');
      body.push(`${author.name} (${total}):`);
      for (let k = 1; k <= total; k++) body.push(`  ${subsys}: ${fill(r, r.pick(TITLES))}`);
      body.push('', ` ${total * 2} files changed, ${r.int(20, 200)} insertions(+), ${r.int(5, 80)} deletions(-)`, '', `base-commit: ${r.hex(40)}`, '-- ', '2.43.0');
    } else {
      body.push(...paragraph(r, PROSE, r.int(2, 5)), '');
      if (r.chance(0.5)) body.push(...paragraph(r, PROSE, r.int(1, 3)), '');
      if (r.chance(0.3)) body.push(`Fixes: ${r.hex(12)} ("${subsys}: ${fill(r, r.pick(TITLES))}")`);
      if (r.chance(0.3)) body.push(`Reviewed-by: ${person(r).addr}`);
      body.push(`Signed-off-by: ${author.addr}`, '---');
      if (version > 1 && r.chance(0.5)) body.push(`v${version}: ${fill(r, r.pick(PROSE)).toLowerCase()}`, '');
      const nf = r.int(1, 3);
      const used = new Set<string>();
      const files: FileDiff[] = [];
      for (let k = 0; k < nf; k++) {
        const f = r.pick(FILES);
        if (used.has(f)) continue;
        used.add(f);
        files.push(fileDiff(r, f));
      }
      body.push(...diffstat(files), '');
      for (const f of files) body.push(...f.text);
      body.push('-- ', '2.43.0');
    }
    const qp = r.chance(0.12);
    out.push(render({ fromLine: `From ${sha} Mon Sep 17 00:00:00 2001`, headers, body, qp }));
    sent.push({ id: msgId(i), subject, body, author: author.name, date });
  }
  // Replies: quote part of a patch (commit message and a trimmed hunk), answer inline, maybe a scissors snippet.
  const nr = r.int(0, 3);
  for (let k = 0; k < nr; k++) {
    const target = r.pick(sent);
    const reviewer = person(r);
    st.t = advance(st.t, r);
    const date = rfc2822(st.t, r.pick(['+0000', '+0100', '-0400']));
    const headers = [`From: ${reviewer.addr}`, `Date: ${date}`, `Subject: Re: ${target.subject}`, `Message-ID: <${r.hex(16)}@${reviewer.email.split('@')[1]}>`, `In-Reply-To: ${target.id}`, `References: ${target.id}`];
    const body: string[] = [`On ${date.slice(5, 16)}, ${target.author} wrote:`];
    const hunkAt = target.body.findIndex((l) => l.startsWith('@@ '));
    body.push(...target.body.slice(0, Math.min(4, target.body.length)).map((l) => (l ? `> ${l}` : '>')));
    body.push('>', '> [...]', '>');
    if (hunkAt >= 0) {
      const end = Math.min(target.body.length, hunkAt + r.int(6, 14));
      const deep = r.chance(0.2);
      for (const l of target.body.slice(hunkAt, end)) body.push((deep ? '> > ' : '> ') + l);
      body.push('');
    }
    body.push(...wrap(fill(r, r.pick(REVIEW))), '');
    if (r.chance(0.4)) {
      const fn = r.pick(TEMPLATES)(r, names(r));
      body.push('---8<---', ...fn.filter((l) => l[0] !== '-').map((l) => l.slice(1)), '---8<---', '');
    }
    if (r.chance(0.5)) body.push(...wrap(fill(r, r.pick(REVIEW))), '');
    body.push('Thanks,', reviewer.name.split(' ')[0]);
    out.push(render({ fromLine: `From ${reviewer.email} ${DAYS[weekday(st.t.y, st.t.mo, st.t.d)]} ${MONTHS[st.t.mo - 1]} ${String(st.t.d).padStart(2)} ${pad2(st.t.h)}:${pad2(st.t.mi)}:${pad2(st.t.s)} ${st.t.y}`, headers, body, qp: r.chance(0.1) }));
  }
  return out;
}

/**
 * An mbox of at least `targetBytes` bytes (whole messages only, so it ends a
 * little past the target: less than one series more). Deterministic in
 * (targetBytes, seed); ASCII only.
 */
export function generateMbox(targetBytes: number, seed: number): string {
  const st: SeriesState = { r: new Rng(seed ^ 0x6d6d6c65), t: { y: 2024, mo: 1 + (seed >>> 0) % 12, d: 1 + (seed >>> 0) % 27, h: 9, mi: 0, s: 0 } };
  const parts: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    for (const m of series(st)) {
      parts.push(m);
      size += m.length;
    }
  }
  return parts.join('');
}

/**
 * The emulator's worst cases as one C file: a 5,000-line function of
 * independent branches (path merging must keep it linear) and a 100-way
 * switch with fall-throughs under a lock. Deterministic; `npm run bench` times it.
 */
export function stressSource(): { big: string; sw: string; text: string } {
  const lines: string[] = ['int big(struct dev *d, int x)', '{', '\tint ret = 0;'];
  for (let i = 0; i < 1250; i++) lines.push(`\tif (d->f${i} & x) {`, `\t\td->g${i} = x;`, `\t\tfoo${i}(d);`, '\t}');
  lines.push('\tspin_lock(&d->lock);', '\tspin_unlock(&d->lock);', '\treturn ret;', '}');
  const sw: string[] = ['int sw(struct dev *d, int x)', '{', '\tspin_lock(&d->lock);', '\tswitch (x) {'];
  for (let i = 0; i < 100; i++) sw.push(`\tcase ${i}:`, `\t\td->v = ${i};`, i % 3 ? '\t\tbreak;' : '\t\tfallthrough;');
  sw.push('\t}', '\tspin_unlock(&d->lock);', '\treturn 0;', '}');
  const big = lines.join('\n');
  const swText = sw.join('\n');
  return { big, sw: swText, text: `${big}\n\n${swText}\n` };
}

// ---------------------------------------------------------------- CLI

/** "10MB", "500KB", "1048576", "2MiB" → bytes (MB = 1e6, MiB = 2^20). */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}" (expected e.g. 1MB, 500KB, 1048576)`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
  return Math.round(parseFloat(m[1]) * mult[unit]);
}

function cli(argv: string[]): number {
  let size: number | null = null;
  let seed = 1;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--out' || a === '-o') out = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: generate <size> [--seed N] [--out FILE]   (size: 1MB, 10MB, 500KB or bytes; default out: bench/corpus/corpus-<size>-s<seed>.mbox)\n');
      return 0;
    } else size = parseSize(a);
  }
  if (size === null || !Number.isInteger(seed)) {
    process.stderr.write('generate: a size is required, e.g. `generate 10MB --seed 1`\n');
    return 2;
  }
  const file = out ?? path.join('bench', 'corpus', `corpus-${size}-s${seed}.mbox`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = generateMbox(size, seed);
  fs.writeFileSync(file, text);
  process.stdout.write(`${file}: ${text.length} bytes, ${(text.match(/^From /gm) ?? []).length} messages (seed ${seed})\n`);
  return 0;
}

if (require.main === module) process.exitCode = cli(process.argv.slice(2));
