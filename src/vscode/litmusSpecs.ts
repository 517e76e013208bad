/**
 * The concurrency explorer's rows of the command table (issue 17): "Explore
 * Timeline" on a mail with a CPU0 | CPU1 timeline, "Run Litmus Test" on a
 * .litmus file. commands.ts spreads them into its table.
 */
import type { CommandSpec } from './commands';

export const LITMUS_LANGUAGE = 'litmus';

export const LITMUS_CMD = {
  exploreTimeline: 'mmlens.exploreTimeline',
  runLitmusTest: 'mmlens.runLitmusTest',
} as const;

export const litmusCommandSpecs: CommandSpec[] = [
  { id: LITMUS_CMD.exploreTimeline, title: 'Explore Timeline', category: 'mmlens', icon: '$(git-compare)' },
  {
    id: LITMUS_CMD.runLitmusTest,
    title: 'Run Litmus Test',
    category: 'mmlens',
    icon: '$(play)',
    palette: `editorLangId == ${LITMUS_LANGUAGE}`,
    menus: [{ menu: 'editor/title', when: `editorLangId == ${LITMUS_LANGUAGE}`, group: 'navigation@91' }],
  },
];
