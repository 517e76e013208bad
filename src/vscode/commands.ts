/**
 * The command table: every command's id, title and menus as data. package.json's
 * contributes.commands and contributes.menus are generated from it
 * (scripts/contributes.ts) and main.ts binds each id to its handler. A later
 * analysis (memory-model explorer, series view) adds a row here and a handler
 * in its own module through registerCommandSpec; neither table changes shape.
 */
import { CHECKED_LANGUAGES } from './detect';
import { litmusCommandSpecs } from './litmusSpecs';

export type MenuId = 'editor/title' | 'editor/context' | 'explorer/context' | 'editor/title/context';

export interface CommandSpec {
  id: string;
  title: string;
  category: string;
  /** Codicon for menus that show icons, e.g. "$(preview)". */
  icon?: string;
  /** `when` clause for the command palette; false hides the command there (it needs arguments). */
  palette?: string | false;
  menus?: { menu: MenuId; when: string; group: string }[];
  /** `enablement` clause (e.g. trust). */
  enablement?: string;
}

/** Languages the extension checks, as a when clause. */
export const WHEN_PATCH_EDITOR = CHECKED_LANGUAGES.map((l) => `editorLangId == ${l}`).join(' || ');
const WHEN_PATCH_FILE = CHECKED_LANGUAGES.map((l) => `resourceLangId == ${l}`).join(' || ');

export const CMD = {
  checkDocument: 'mmlens.checkDocument',
  showReport: 'mmlens.showReport',
  showFolderReport: 'mmlens.showFolderReport',
  showRuleDocs: 'mmlens.showRuleDocs',
  showPaths: 'mmlens.showPaths',
  showLog: 'mmlens.showLog',
  showProblems: 'mmlens.showProblems',
} as const;

export const commandSpecs: CommandSpec[] = [
  {
    id: CMD.checkDocument,
    title: 'Check Current Document',
    category: 'mmlens',
    icon: '$(checklist)',
    palette: `${WHEN_PATCH_EDITOR} || editorLangId == plaintext`,
    menus: [{ menu: 'editor/context', when: `${WHEN_PATCH_EDITOR} || editorLangId == plaintext`, group: 'mmlens@1' }],
  },
  {
    id: CMD.showReport,
    title: 'Report for This Document',
    category: 'mmlens',
    icon: '$(preview)',
    palette: WHEN_PATCH_EDITOR,
    menus: [
      { menu: 'editor/title', when: WHEN_PATCH_EDITOR, group: 'navigation@90' },
      { menu: 'editor/context', when: WHEN_PATCH_EDITOR, group: 'mmlens@2' },
      { menu: 'explorer/context', when: WHEN_PATCH_FILE, group: 'mmlens@1' },
    ],
  },
  {
    id: CMD.showFolderReport,
    title: "Report for the Open Folder's Patches and Mboxes",
    category: 'mmlens',
    icon: '$(files)',
    palette: 'workspaceFolderCount > 0',
    menus: [{ menu: 'explorer/context', when: 'explorerResourceIsFolder', group: 'mmlens@2' }],
  },
  { id: CMD.showRuleDocs, title: 'Show Rule Documentation', category: 'mmlens', icon: '$(book)' },
  { id: CMD.showPaths, title: 'Show Paths', category: 'mmlens', palette: false },
  { id: CMD.showProblems, title: 'Show Problems', category: 'mmlens', palette: false },
  { id: CMD.showLog, title: 'Show Log', category: 'mmlens', icon: '$(output)' },
  ...litmusCommandSpecs,
];

export function registerCommandSpec(spec: CommandSpec): void {
  if (commandSpecs.some((c) => c.id === spec.id)) throw new Error(`command ${spec.id} is already in the table`);
  commandSpecs.push(spec);
}

/** contributes.commands and contributes.menus for package.json. */
export function commandContributions(specs: readonly CommandSpec[] = commandSpecs): { commands: unknown[]; menus: Record<string, unknown[]> } {
  const commands = specs.map((c) => ({ command: c.id, title: c.title, category: c.category, ...(c.icon ? { icon: c.icon } : {}), ...(c.enablement ? { enablement: c.enablement } : {}) }));
  const menus: Record<string, unknown[]> = { commandPalette: [] };
  for (const c of specs) {
    if (c.palette !== undefined) menus.commandPalette.push({ command: c.id, when: c.palette === false ? 'false' : c.palette });
    for (const m of c.menus ?? []) (menus[m.menu] ??= []).push({ command: c.id, when: m.when, group: m.group });
  }
  return { commands, menus };
}
