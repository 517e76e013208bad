// End-to-end checks of the packaged mmlens extension in a real VS Code (code-server),
// through the UI a reviewer uses. Run by e2e/run.sh:
//   node e2e/spec.js URL WORKSPACE REFERENCE_JSON SHOTS_DIR RUN_DIR
// Every check is listed at the end with PASS / FAIL / PENDING; the exit status is 1 when one failed.
'use strict';

// ---------------------------------------------------------------------------------------------
// EXPECTED diagnostics: (file, rule id, line). `near` is the tolerance in lines (the rule's owner
// gave an approximate line). A row whose rule is registered in the engine must show in the
// Problems panel, or the suite fails; a row whose rule has not landed yet is reported PENDING
// (set E2E_STRICT=1 to fail on those too). Independently of this table, every finding the engine
// reports for an opened document (e2e/reference.ts) must show in the Problems panel.
const EXPECTED = [
  { file: '004_887ea6e14ae07fb4.txt', rule: 'lockdep-comment-not-assert', line: 210, near: 4 },
  { file: '002_00c7ef2d00851f1b.txt', rule: 'notifier-unfiltered-invalidation', line: null },
  { file: '05-tail-page-mapping.patch', rule: 'page-tail-mapping', line: 59, near: 2 },
  { file: '01-seqcount-goto-leak.patch', rule: 'seqcount-unmatched-begin', line: 38, near: 2 },
];
// Documents opened, in order: [file name, path under the workspace, expected language name].
const DOCS = [
  ['004_887ea6e14ae07fb4.txt', 'seeds/004_887ea6e14ae07fb4.txt', 'Patch Mail'],
  ['002_00c7ef2d00851f1b.txt', 'seeds/002_00c7ef2d00851f1b.txt', 'Patch Mail'],
  ['series.mbx', 'examples/series.mbx', 'Patch Mail'],
  ['01-seqcount-goto-leak.patch', 'examples/01-seqcount-goto-leak.patch', 'Diff'],
  ['05-tail-page-mapping.patch', 'examples/05-tail-page-mapping.patch', 'Diff'],
];
const EDIT_LATENCY_MS = 500; // editing a patch updates diagnostics within this
const TYPE_LATENCY_MS = 500; // a key typed into the 20 MB mbox shows within this while it is analysed
// ---------------------------------------------------------------------------------------------

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [baseUrl, wsDir, refFile, shotsDir, runDir] = process.argv.slice(2);
const ref = JSON.parse(fs.readFileSync(refFile, 'utf8'));
const strict = process.env.E2E_STRICT === '1';
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const results = [];
const record = (name, status, detail = '') => {
  results.push({ name, status, detail });
  log(`${status.padEnd(7)} ${name}${detail ? ` — ${detail}` : ''}`);
};
let shotN = 0;

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => log('pageerror:', e.message));
  const shot = async (name) => {
    const file = path.join(shotsDir, `${String(++shotN).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file }).catch((e) => log('screenshot failed', e.message));
    return file;
  };
  const qi = page.locator('.quick-input-widget input.input[type="text"]');

  /** Run a check; an exception fails it (with a screenshot) and the suite goes on. */
  async function check(name, fn) {
    try {
      const detail = await fn();
      if (detail && typeof detail === 'object' && detail.pending) record(name, strict ? 'FAIL' : 'PENDING', detail.pending);
      else record(name, 'PASS', detail || '');
    } catch (e) {
      record(name, 'FAIL', String(e.message || e).split('\n')[0]);
      await shot(`fail-${name.replace(/\W+/g, '-').slice(0, 40)}`);
    }
  }

  async function command(title) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await qi.waitFor({ state: 'visible', timeout: 15000 });
    await qi.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
  }

  async function openFile(rel) {
    const name = path.basename(rel);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await qi.waitFor({ state: 'visible', timeout: 15000 });
    await qi.fill(rel);
    // The focused (first) row must be the file: the list is re-filtered as the text arrives.
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 20000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active:has-text("${name}")`).first().waitFor({ timeout: 30000 });
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
  }

  async function gotoLine(line, col = 1) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+G');
    await qi.waitFor({ state: 'visible', timeout: 15000 });
    await qi.fill(`:${line}:${col}`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(150);
  }

  const statusSel = '.statusbar [aria-label^="mmlens:"]';
  const statusLabel = async () => (await page.locator(statusSel).first().getAttribute('aria-label', { timeout: 2000 }).catch(() => null)) || '';
  /** Wait until the mmlens status item reports a finished check (optionally of a newer version than `after`). */
  async function waitChecked(after = -1, timeout = 30000) {
    const handle = await page.waitForFunction(
      ([sel, after]) => {
        for (const el of document.querySelectorAll(sel)) {
          const l = el.getAttribute('aria-label') || '';
          const m = /version (\d+)(, checking)?$/.exec(l);
          if (m && Number(m[1]) > after && !m[2]) return l;
        }
        return null;
      },
      [statusSel, after],
      { timeout, polling: 20 },
    );
    return handle.jsonValue();
  }
  const versionOf = (label) => Number((/version (\d+)/.exec(label) || [])[1] || -1);

  async function lensTexts() {
    return page.locator('.editor-group-container.active .codelens-decoration').allInnerTexts();
  }

  async function problemRows(filter) {
    await command('Problems: Focus on Problems View');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ timeout: 15000 });
    const input = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await input.fill(filter);
    await page.waitForTimeout(400);
    const rows = (await panel.locator('.monaco-list-row').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
    const text = (await panel.innerText()).replace(/\u00a0/g, ' ');
    await input.fill('');
    return { text, rows };
  }
  const rowFor = (rows, rule, line, col) => rows.find((r) => r.includes(rule) && r.includes(`[Ln ${line}, Col ${col}]`));

  function webviewFrame(needle) {
    return page.waitForFunction(() => true).then(async () => {
      const deadline = Date.now() + 20000;
      while (Date.now() < deadline) {
        for (const f of page.frames()) {
          try {
            if ((await f.locator('#title').count()) > 0) {
              const text = await f.locator('body').innerText();
              if (!needle || text.includes(needle)) return { frame: f, text };
            }
          } catch {
            /* detached frame */
          }
        }
        await page.waitForTimeout(200);
      }
      throw new Error(`no report webview${needle ? ` containing "${needle}"` : ''}`);
    });
  }

  let ok = true;
  try {
    await page.goto(`${baseUrl}/?folder=${encodeURIComponent(wsDir)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
    log('workbench visible; rules registered in the engine:', ref.rules.length ? ref.rules.join(', ') : '(none yet)');

    for (const [name, rel, language] of DOCS) {
      const expect = ref.files[name];
      await check(`${name}: opens as ${language} and is checked`, async () => {
        await openFile(rel);
        const lang = page.locator('[id="status.editor.mode"]');
        await page.waitForFunction((l) => (document.getElementById('status.editor.mode')?.innerText || '').includes(l), language, { timeout: 20000 });
        const label = await waitChecked(-1, 30000);
        return `language "${(await lang.innerText()).trim()}", status "${label}"`;
      });
      await check(`${name}: code lens on the patch`, async () => {
        await page.waitForFunction(() => [...document.querySelectorAll('.editor-group-container.active .codelens-decoration')].some((e) => /mmlens: /.test(e.textContent || '')), null, { timeout: 15000 });
        const texts = await lensTexts();
        const all = texts.join(' | ');
        if (!/Show report/.test(all)) throw new Error(`no "Show report" lens: ${all}`);
        const n = expect.findings.length;
        if (n === 0 && !/mmlens: no findings/.test(all)) throw new Error(`expected "mmlens: no findings": ${all}`);
        const fn = expect.functions.find((x) => x.summary.length > 0);
        let fnLens = '';
        if (fn) {
          // Lenses render only near the viewport: go to the function first.
          await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
          await gotoLine(fn.line);
          const want = `${fn.name}: ${fn.summary[0]}`;
          await page.waitForFunction((w) => [...document.querySelectorAll('.editor-group-container.active .codelens-decoration')].some((e) => (e.textContent || '').replace(/\u00a0/g, ' ').includes(w)), want, { timeout: 10000 });
          fnLens = `; function lens "${want}"`;
          await gotoLine(1);
        }
        return `${texts[0]}${fnLens}`.replace(/\s+/g, ' ').slice(0, 240);
      });
      await shot(`${name}-editor`);
      await check(`${name}: Problems panel matches the engine (${expect.findings.length} finding(s))`, async () => {
        const { text, rows } = await problemRows(name);
        const missing = expect.findings.filter((f) => !rowFor(rows, f.rule, f.line, f.column)).map((f) => `${f.rule}@${f.line}:${f.column}`);
        const ours = rows.filter((r) => /mmlens/.test(r) && /\[Ln \d+/.test(r));
        if (ours.length < expect.findings.length) missing.push(`(${ours.length} mmlens rows for ${expect.findings.length} findings)`);
        if (missing.length) throw new Error(`not in the Problems panel: ${missing.join(', ')}; panel: ${text.slice(0, 400)}`);
        await shot(`${name}-problems`);
        return expect.findings.map((f) => `${f.rule}@${f.line}`).join(', ') || 'none reported, none shown';
      });
      for (const row of EXPECTED.filter((e) => e.file === name)) {
        await check(`${name}: expected ${row.rule}${row.line ? ` at line ${row.line}` : ''}`, async () => {
          const hit = expect.findings.find((f) => f.rule === row.rule && (row.line === null || Math.abs(f.line - row.line) <= (row.near || 0)));
          if (!ref.rules.includes(row.rule)) return { pending: `rule ${row.rule} is not registered in the engine yet` };
          if (!hit) throw new Error(`the engine does not report ${row.rule} here (it reports: ${expect.findings.map((f) => `${f.rule}@${f.line}`).join(', ') || 'nothing'})`);
          const { rows } = await problemRows(row.rule);
          if (!rowFor(rows, row.rule, hit.line, hit.column)) throw new Error(`${row.rule}@${hit.line} not in the Problems panel`);
          return `${row.rule}@${hit.line}`;
        });
      }
      if (expect.hover) {
        await check(`${name}: hover on ${expect.hover.word}`, async () => {
          await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
          await gotoLine(expect.hover.line, expect.hover.column + 1);
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect.hover.word }).first();
          await hover.waitFor({ timeout: 10000 });
          const text = await hover.innerText();
          if (!text.includes(expect.hover.summary.slice(0, 40))) throw new Error(`hover lacks the summary: ${text.slice(0, 200)}`);
          await shot(`${name}-hover`);
          await page.keyboard.press('Escape');
          return text.replace(/\s+/g, ' ').slice(0, 120);
        });
      }
    }

    // ---- report webview for seed 004 (the command, from the palette) and the export
    await check('report webview for seed 004', async () => {
      await openFile(DOCS[0][1]);
      await command('mmlens: Report for This Document');
      const { text } = await webviewFrame('004_887ea6e14ae07fb4.txt');
      const f = ref.files['004_887ea6e14ae07fb4.txt'];
      for (const x of f.findings) if (!text.includes(x.rule)) throw new Error(`report lacks ${x.rule}`);
      if (f.findings.length === 0 && !text.includes('No findings.')) throw new Error(`report lacks "No findings.": ${text.slice(0, 200)}`);
      if (!/Export Markdown/.test(text) || !/Export JSON/.test(text)) throw new Error('export buttons missing');
      await shot('report-004');
      return text.replace(/\s+/g, ' ').slice(0, 160);
    });
    await check('report export to Markdown', async () => {
      const { frame } = await webviewFrame('004_887ea6e14ae07fb4.txt');
      await frame.locator('#export-md').click();
      await qi.waitFor({ state: 'visible', timeout: 15000 });
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      const file = path.join(wsDir, 'mmlens-report.md');
      const deadline = Date.now() + 15000;
      while (!fs.existsSync(file) && Date.now() < deadline) await page.waitForTimeout(200);
      if (!fs.existsSync(file)) throw new Error(`${file} not written`);
      const md = fs.readFileSync(file, 'utf8');
      if (!md.startsWith('# mmlens report') || !md.includes('887ea6e14ae07fb4')) throw new Error(`unexpected Markdown: ${md.slice(0, 200)}`);
      await command('View: Close All Editor Groups');
      return `${md.length} bytes`;
    });

    // ---- quick fixes: the first finding with a safe fix, else "Ignore this rule here" on the first finding
    const withFindings = DOCS.map(([n, rel]) => [n, rel, ref.files[n].findings]).find(([, , fs_]) => fs_.length > 0);
    await check('quick fix applied', async () => {
      if (!withFindings) return { pending: 'the engine reports no finding on the e2e documents yet, so there is nothing to fix' };
      const [name, rel, findings] = withFindings;
      const f = findings.find((x) => x.fix === 'safe') || findings[0];
      await openFile(rel);
      const before = versionOf(await waitChecked(-1));
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await gotoLine(f.line, f.column);
      await page.keyboard.press('Control+.');
      const title = f.fix === 'safe' ? 'mmlens: ' : `mmlens: Ignore ${f.rule} here`;
      const item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
      await item.waitFor({ timeout: 10000 });
      const label = (await item.innerText()).trim();
      await shot('quickfix-menu');
      // Pick the item with the keyboard, as a user does (the menu's first item is focused).
      for (let i = 0; i < 10; i++) {
        const focused = (await page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '')).trim();
        if (focused.includes(title)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await waitChecked(before, 10000);
      await page.waitForTimeout(300);
      const view = (await page.locator('.editor-group-container.active .view-lines').first().textContent()).replace(/\u00a0/g, ' ');
      if (f.fix !== 'safe' && !view.includes(`mmlens-ignore: ${f.rule}`)) throw new Error('suppression comment not in the editor');
      await shot('quickfix-applied');
      await page.keyboard.press('Control+Z');
      return `${name}: "${label}"`;
    });

    // ---- typing: diagnostics follow edits within EDIT_LATENCY_MS
    const measureEdit = async () => {
      await openFile('examples/edit.patch');
      const v0 = versionOf(await waitChecked(-1));
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      const times = [];
      let v = v0;
      for (const ch of ['+', '\t', 'x', '(', ')']) {
        const t = Date.now();
        await page.keyboard.type(ch);
        const label = await waitChecked(v, 5000);
        times.push(Date.now() - t);
        v = versionOf(label);
      }
      return times;
    };
    await check(`editing a patch updates diagnostics within ${EDIT_LATENCY_MS} ms`, async () => {
      const times = await measureEdit();
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
      // The median must meet the bound; one slow keystroke on a loaded 2-core machine is tolerated up to twice it.
      if (median > EDIT_LATENCY_MS || Math.max(...times) > 2 * EDIT_LATENCY_MS) throw new Error(`update times ${times.join(', ')} ms`);
      return `keystroke → diagnostics: ${times.join(', ')} ms`;
    });

    // ---- a 20 MB mbox: open it, type into it while it is analysed, and edit a patch meanwhile
    await check('20 MB mbox: the editor stays responsive while it is analysed', async () => {
      await openFile('big.mbox');
      await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((e) => /checking/.test(e.getAttribute('aria-label') || '')), statusSel, { timeout: 30000 });
      await shot('big-mbox-checking');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      // Per keystroke: the time from the key to the character on screen.
      const times = [];
      let typed = 'X-Typed: ';
      await page.keyboard.type(typed);
      for (const ch of 'responsive') {
        typed += ch;
        const t = Date.now();
        await page.keyboard.type(ch);
        await page.waitForFunction((w) => (document.querySelector('.editor-group-container.active .view-lines')?.textContent || '').replace(/\u00a0/g, ' ').includes(w), typed, { timeout: 10000, polling: 10 });
        times.push(Date.now() - t);
      }
      const stillChecking = /checking/.test(await statusLabel());
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
      if (median > TYPE_LATENCY_MS || Math.max(...times) > 3 * TYPE_LATENCY_MS) throw new Error(`keystroke → screen: ${times.join(', ')} ms`);
      return `keystroke → screen: ${times.join(', ')} ms${stillChecking ? ', while the analysis ran' : ''}`;
    });
    await check(`while the 20 MB mbox is analysed, editing a patch updates (median within ${EDIT_LATENCY_MS} ms)`, async () => {
      const times = await measureEdit();
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
      // Two workers and the browser share the machine's cores here: the median must meet the bound, no keystroke may take 2 s.
      if (median > EDIT_LATENCY_MS || Math.max(...times) > 2000) throw new Error(`update times ${times.join(', ')} ms`);
      return `keystroke → diagnostics: ${times.join(', ')} ms`;
    });
    await check('20 MB mbox: the check finishes', async () => {
      await openFile('big.mbox');
      const label = await waitChecked(-1, 60000);
      await shot('big-mbox-checked');
      return label;
    });
    await check('output channel logs activation and check times', async () => {
      await command('mmlens: Show Log');
      // The Output view shares its filter box with the Problems view: clear what the Problems checks typed.
      for (const input of await page.locator('.panel input[placeholder*="Filter"]').all()) if (await input.isVisible()) await input.fill('');
      await page.waitForFunction(() => /checked \S+ .* in \d+ ms/.test((document.querySelector('.panel')?.textContent || '').replace(/\u00a0/g, ' ')), null, { timeout: 15000 });
      await shot('output-log');
      // The channel's file has every line (the panel shows only its end).
      const logs = path.join(runDir, 'data', 'logs');
      const file = fs.readdirSync(logs).map((d) => path.join(logs, d, 'exthost1', 'mmlens.mmlens', 'mmlens.log')).find((f) => fs.existsSync(f));
      if (!file) throw new Error('mmlens.log not found');
      const text = fs.readFileSync(file, 'utf8');
      const act = /activated in ([\d.]+) ms/.exec(text);
      if (!act) throw new Error('no activation line in the log');
      const checks = [...text.matchAll(/checked (\S+) \(v\d+, ([\d.]+) KiB.*? in (\d+) ms \(analysis (\d+) ms/g)].map((m) => `${path.basename(m[1])} ${m[2]} KiB: ${m[3]} ms (analysis ${m[4]} ms)`);
      const uniq = [...new Map(checks.map((c) => [c.split(' ')[0], c])).values()];
      return `activated in ${act[1]} ms; last check per document: ${uniq.join('; ')}`;
    });
    await check('an invalid setting is shown to the user', async () => {
      // A workspace setting out of range (the settings file is watched through the workspace's file watcher).
      fs.mkdirSync(path.join(wsDir, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(wsDir, '.vscode', 'settings.json'), JSON.stringify({ 'mmlens.limits': { timeBudgetMs: 5 } }, null, 2));
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'mmlens: invalid settings' }).first();
      await toast.waitFor({ timeout: 20000 });
      const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
      if (!/timeBudgetMs/.test(text) || !/Open Settings/.test(text)) throw new Error(`toast: ${text}`);
      await shot('invalid-setting');
      return text.slice(0, 200);
    });
  } catch (e) {
    ok = false;
    log('ABORTED:', e.stack || e.message);
    await shot('aborted');
  } finally {
    await shot('final');
    await browser.close();
  }
  const failed = results.filter((r) => r.status === 'FAIL');
  const pending = results.filter((r) => r.status === 'PENDING');
  console.log('\n==== e2e summary ====');
  for (const r of results) console.log(`${r.status.padEnd(7)} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  console.log(`${results.length - failed.length - pending.length} passed, ${failed.length} failed, ${pending.length} pending${ok ? '' : ', ABORTED'}`);
  process.exit(ok && failed.length === 0 ? 0 : 1);
})();
