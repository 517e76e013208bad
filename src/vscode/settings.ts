/**
 * The extension's side of the one config module: VS Code settings under
 * `mmlens.` are gathered into the same raw object the CLI reads from a file
 * and validated by src/config.ts (validateConfig(raw, 'editor')). The settings
 * schema for package.json is generated from the same constants.
 */
import { DEFAULT_INCLUDE, DEFAULT_LIMITS, RULE_SETTINGS, validateConfig, type MmlensConfig } from '../config';
import { ruleDocPath, type RuleMeta } from '../rules/framework';

/** The top-level keys the config module knows, each a VS Code setting `mmlens.<key>`. */
export const SETTING_KEYS = ['rules', 'include', 'limits', 'tree'] as const;

/**
 * Read settings through `get` (workspace.getConfiguration('mmlens').inspect-like:
 * returns undefined for keys the user has not set) and validate them.
 */
export function readConfig(get: (key: string) => unknown): { config: MmlensConfig; errors: string[] } {
  const raw: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) {
    const v = get(k);
    if (v !== undefined) raw[k] = v;
  }
  const { config, errors } = validateConfig(raw, 'editor');
  return { config, errors: errors.map((e) => `mmlens.${e.replace(/^"(\w+)"/, '$1')}`) };
}

const LIMIT_DOCS: Record<keyof typeof DEFAULT_LIMITS, { description: string; minimum: number; maximum: number }> = {
  maxPathsPerFunction: { description: 'Paths the emulator explores per function before it stops and says so.', minimum: 1, maximum: 100000 },
  loopUnroll: { description: 'Times a loop body is unrolled on one path.', minimum: 1, maximum: 16 },
  timeBudgetMs: { description: 'Time budget for checking one document, in milliseconds; what is left is reported as not analysed.', minimum: 100, maximum: 600000 },
  maxDocumentBytes: { description: 'Documents larger than this many bytes are not analysed (a message says so).', minimum: 1024, maximum: 2147483648 },
};

/** contributes.configuration for package.json, from the rules' metadata and the config defaults. */
export function configurationSchema(rules: readonly Pick<RuleMeta<string>, 'id' | 'description' | 'defaultSeverity' | 'enabledByDefault'>[]): Record<string, unknown> {
  const ruleEnum = [...RULE_SETTINGS];
  const ruleEnumDescriptions = ['Off.', 'Report as information.', 'Report as a warning.', 'Report as an error.', "The rule's own severity (and its default on/off)."];
  const ruleProps: Record<string, unknown> = {};
  for (const r of [...rules].sort((a, b) => a.id.localeCompare(b.id)))
    ruleProps[r.id] = {
      type: 'string',
      enum: ruleEnum,
      enumDescriptions: ruleEnumDescriptions,
      default: 'default',
      markdownDescription: `${r.description} (default: ${r.enabledByDefault === false ? 'off in the editor' : r.defaultSeverity}; see \`${ruleDocPath(r.id)}\`)`,
    };
  const limitProps: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(LIMIT_DOCS))
    limitProps[k] = { type: 'integer', default: DEFAULT_LIMITS[k as keyof typeof DEFAULT_LIMITS], ...d };
  return {
    title: 'mmlens',
    properties: {
      'mmlens.rules': {
        type: 'object',
        scope: 'resource',
        default: {},
        markdownDescription: 'Rules on or off and their severity, by rule id: `off`, `info`, `warning`, `error` or `default` (the rule\'s own). The same keys as `rules` in `.mmlens.json` for the CLI.',
        properties: ruleProps,
        additionalProperties: { type: 'string', enum: ruleEnum, enumDescriptions: ruleEnumDescriptions },
      },
      'mmlens.include': {
        type: 'array',
        scope: 'resource',
        items: { type: 'string' },
        default: [...DEFAULT_INCLUDE],
        markdownDescription: 'Glob patterns of the files mmlens checks when opened and when building the folder report. Patch mails in untitled or `.txt` documents are recognised by their content.',
      },
      'mmlens.limits': {
        type: 'object',
        scope: 'resource',
        default: { ...DEFAULT_LIMITS },
        markdownDescription: 'Limits of the analysis: paths per function, loop unrolling, time budget per document and document size.',
        properties: limitProps,
        additionalProperties: false,
      },
      'mmlens.tree': {
        type: 'string',
        scope: 'machine-overridable',
        default: '',
        markdownDescription: 'A kernel source tree (a git checkout or plain files) to read the code around each hunk from: whole functions, callee bodies, ops tables; a `base-commit:` in the mail is read with `git show`. Empty: the workspace folder when it is a kernel tree, else the mail alone. The same as `--tree` on the command line.',
      },
    },
  };
}
