import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConfig, configurationSchema } from '../../src/vscode/settings';
import { commandContributions, commandSpecs, CMD } from '../../src/vscode/commands';
import { matchesAny, globToRegExp, combineGlobs } from '../../src/vscode/glob';
import { looksLikePatchMail } from '../../src/vscode/detect';
import { DEFAULT_LIMITS } from '../../src/config';
import { allRules } from '../../src/rules';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('settings are read through the config module, invalid values reported and defaults kept', () => {
  const values: Record<string, unknown> = { rules: { 'barrier-unpaired': 'error', 'x-rule': 'loud' }, limits: { timeBudgetMs: 5, loopUnroll: 3 }, include: undefined };
  const { config, errors } = readConfig((k) => values[k]);
  assert.equal(config.surface, 'editor');
  assert.equal(config.rules['barrier-unpaired'], 'error');
  assert.equal(config.rules['x-rule'], undefined);
  assert.equal(config.limits.loopUnroll, 3);
  assert.equal(config.limits.timeBudgetMs, DEFAULT_LIMITS.timeBudgetMs);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e.startsWith('mmlens.')), errors.join('; '));
  assert.ok(errors.some((e) => e.includes('x-rule')));
  assert.ok(errors.some((e) => e.includes('timeBudgetMs')));
  const bad = readConfig((k) => (k === 'include' ? 'nope' : undefined));
  assert.match(bad.errors[0], /mmlens\.include/);
});

test('package.json declares the settings, commands and menus the code tables generate', () => {
  const schema = configurationSchema(allRules.map((r) => r.meta)) as { properties: Record<string, { properties?: Record<string, unknown>; default?: unknown }> };
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), ['mmlens.include', 'mmlens.limits', 'mmlens.rules', 'mmlens.tree']);
  assert.deepEqual(props['mmlens.limits'].default, DEFAULT_LIMITS);
  // Rules added since the last `npm run package` are still accepted (additionalProperties); declared ones must exist.
  for (const id of Object.keys(props['mmlens.rules'].properties)) assert.ok(allRules.some((r) => r.meta.id === id), `setting for unknown rule ${id}`);
  assert.deepEqual(props['mmlens.rules'].additionalProperties.enum, ['off', 'info', 'warning', 'error', 'default']);
  assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(props).sort());
  const { commands, menus } = commandContributions();
  assert.deepEqual(pkg.contributes.commands, commands);
  assert.deepEqual(pkg.contributes.menus, menus);
  for (const id of Object.values(CMD)) assert.ok(commandSpecs.some((c) => c.id === id));
  assert.ok(menus['editor/title'].some((m) => (m as { command: string }).command === CMD.showReport));
});

test('package.json: languages, activation and capabilities', () => {
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'mmlens-mail');
  assert.deepEqual(lang.extensions, ['.mbox', '.mbx', '.eml']);
  assert.ok(new RegExp(lang.firstLine).test('Re: [PATCH v10 07/10] mm: Device exclusive memory access'));
  assert.ok(new RegExp(lang.firstLine).test('From 1234abcd Mon Sep 17 00:00:00 2001'));
  assert.ok(fs.existsSync(path.join(root, pkg.contributes.grammars[0].path)));
  assert.ok(pkg.activationEvents.includes('onLanguage:diff'));
  assert.ok(!pkg.activationEvents.includes('*') && !pkg.activationEvents.includes('onStartupFinished'));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(pkg.capabilities.virtualWorkspaces, true);
  assert.equal(pkg.main, './dist/extension.js');
});

test('include globs', () => {
  assert.ok(matchesAny('/home/u/ws/x/0001-mm.patch', ['**/*.patch']));
  assert.ok(matchesAny('/ws/a.mbx', ['**/*.{mbox,mbx}']));
  assert.ok(!matchesAny('/ws/a.rej', ['**/*.patch', '**/*.diff']));
  assert.ok(matchesAny('/ws/series/v2/a.eml', ['series/**/*.eml']));
  assert.ok(globToRegExp('*.patch').test('a.patch') && !globToRegExp('*.patch').test('d/a.patch'));
  assert.equal(combineGlobs(['a', 'b']), '{a,b}');
});

test('content detection of patch mails in plaintext', () => {
  assert.ok(looksLikePatchMail('Re: [PATCH v10 07/10] mm: x\n\nFrom: A\n\n> @@ -1,2 +1,2 @@ f\n> -a\n> +b\n'));
  assert.ok(looksLikePatchMail('From: A <a@b>\nSubject: [PATCH] x\n\n---\ndiff --git a/x b/x\n'));
  assert.ok(!looksLikePatchMail('Shopping list\n- milk\n- eggs\n'));
  assert.ok(!looksLikePatchMail('From: A\nSubject: lunch?\n\nSee you at noon.\n'));
});

test('the grammar covers headers, subjects, quotes, diff lines, hunk context and trailers', () => {
  const g = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes', 'mmlens-mail.tmLanguage.json'), 'utf8'));
  assert.equal(g.scopeName, 'source.mmlens-mail');
  for (const k of ['header', 'subject-line', 'patch-tag', 'trailer', 'quoted', 'c-line', 'diff0-4', 'diff1-5', 'diff2-5']) assert.ok(g.repository[k], k);
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') new RegExp(v.replace(/\\G/g, '').replace(/\(\?<[!=]/g, '(?:'));
      else walk(v);
    }
  };
  walk(g);
  const tag = new RegExp(g.repository['subject-line'].match);
  const m = tag.exec('Re: [PATCH v10 07/10] mm: Device exclusive memory access')!;
  assert.equal(m[2], '[PATCH v10 07/10]');
  assert.ok(new RegExp(g.repository.trailer.match).test('Signed-off-by: Suren Baghdasaryan <surenb@google.com>'));
  assert.ok(new RegExp(g.repository.trailer.match).test('> Reviewed-by: A <a@b>'));
  const hunk = new RegExp(g.repository['diff1-4'].match).exec('> @@ -120,10 +120,30 @@ static inline int mmap_write_lock_killable(struct mm_struct *mm)')!;
  assert.equal(hunk[7], 'static inline int mmap_write_lock_killable(struct mm_struct *mm)');
});
