/**
 * Generates the extension's package.json keys from the code's tables: the
 * command table (src/vscode/commands.ts), the settings schema from the config
 * module and the rules' metadata (src/vscode/settings.ts), the languages and
 * grammar. Writes only the keys that changed, with `npm pkg set` (small atomic
 * edits; other keys of package.json belong to others).
 * Usage: node --import tsx scripts/contributes.ts [--check]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../src/rules';
import { commandContributions } from '../src/vscode/commands';
import { CHECKED_LANGUAGES, MAIL_LANGUAGE } from '../src/vscode/detect';
import { configurationSchema } from '../src/vscode/settings';
import { LITMUS_LANGUAGE } from '../src/vscode/litmusSpecs';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const { commands, menus } = commandContributions();

const wanted: Record<string, unknown> = {
  main: './dist/extension.js',
  categories: ['Linters', 'Programming Languages'],
  keywords: ['linux', 'kernel', 'patch', 'mbox', 'mm', 'seqcount', 'memory barrier', 'mmu notifier', 'review', 'lore'],
  icon: 'media/icon.png',
  galleryBanner: { color: '#1e222a', theme: 'dark' },
  // The checked languages, and plaintext to recognise patch mails saved as .txt.
  activationEvents: [...CHECKED_LANGUAGES, 'plaintext', LITMUS_LANGUAGE].map((l) => `onLanguage:${l}`).concat('onWebviewPanel:mmlens.report'),
  capabilities: {
    untrustedWorkspaces: {
      supported: 'limited',
      description: 'mmlens only reads the documents you open; in an untrusted workspace the workspace values of mmlens.include, mmlens.limits and mmlens.tree are ignored and no kernel tree is read, so a folder cannot widen what is read or raise the time and size limits.',
      restrictedConfigurations: ['mmlens.include', 'mmlens.limits', 'mmlens.tree'],
    },
    virtualWorkspaces: true,
  },
  contributes: {
    languages: [
      {
        id: MAIL_LANGUAGE,
        aliases: ['Patch Mail', 'mbox', MAIL_LANGUAGE],
        extensions: ['.mbox', '.mbx', '.eml'],
        firstLine: '^(From \\S+ +\\w{3} \\w{3} |(Re: ?)*\\[[^\\]]*PATCH)',
        configuration: './language-configuration-mail.json',
      },
      { id: LITMUS_LANGUAGE, aliases: ['C Litmus Test', 'litmus'], extensions: ['.litmus'], configuration: './language-configuration-litmus.json' },
    ],
    grammars: [
      { language: MAIL_LANGUAGE, scopeName: 'source.mmlens-mail', path: './syntaxes/mmlens-mail.tmLanguage.json' },
      { language: LITMUS_LANGUAGE, scopeName: 'source.litmus', path: './syntaxes/litmus.tmLanguage.json' },
    ],
    commands,
    menus,
    configuration: configurationSchema(allRules.map((r) => r.meta)),
  },
};

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [key, value] of Object.entries(wanted)) {
  if (JSON.stringify(pkg[key]) === JSON.stringify(value)) continue;
  stale.push(key);
  if (!check) execFileSync('npm', ['pkg', 'set', '--json', `${key}=${JSON.stringify(value)}`], { cwd: root, stdio: 'inherit' });
}
if (check && stale.length) {
  console.error(`package.json is out of date for: ${stale.join(', ')} (run: node --import tsx scripts/contributes.ts)`);
  process.exit(1);
}
console.log(stale.length ? `package.json: ${check ? 'stale' : 'updated'} ${stale.join(', ')}` : 'package.json: extension keys up to date');
