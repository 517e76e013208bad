/**
 * One typed, validated configuration, read by the CLI (from a JSON file, e.g.
 * .mmlens.json) and by the extension (from VS Code settings, same keys under
 * "mmlens."). Values are checked at run time: a bad value is reported and the
 * default is kept, so a typo never turns a check off silently.
 */
import * as fs from 'node:fs';

export type RuleSetting = 'off' | 'info' | 'warning' | 'error' | 'default';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error', 'default'];

export interface Limits {
  /** Paths explored per function before the emulator stops and says so. */
  maxPathsPerFunction: number;
  /** Times a loop body is unrolled on one path. */
  loopUnroll: number;
  /** Wall-clock budget for one document, in milliseconds; the rest is reported as skipped. */
  timeBudgetMs: number;
  /** Documents larger than this many bytes are not analysed (an error says so). */
  maxDocumentBytes: number;
}

export interface MmlensConfig {
  /** Per rule id: off, a severity, or "default" (the rule's own). */
  rules: Record<string, RuleSetting>;
  /** Glob patterns of files the folder report and CLI folder walk check. */
  include: string[];
  limits: Limits;
  /** The editor turns some rules (checkpatch parity) off by default; the CLI uses every rule's default. */
  surface: 'cli' | 'editor';
  /** A kernel source tree to read context from (`--tree`, `mmlens.tree`); unset: the mail alone. */
  tree?: string;
}

export const DEFAULT_LIMITS: Limits = {
  maxPathsPerFunction: 512,
  loopUnroll: 2,
  timeBudgetMs: 10_000,
  maxDocumentBytes: 64 * 1024 * 1024,
};

export const DEFAULT_INCLUDE = ['**/*.patch', '**/*.diff', '**/*.mbox', '**/*.mbx', '**/*.eml'];

export function defaultConfig(surface: 'cli' | 'editor' = 'cli'): MmlensConfig {
  return { rules: {}, include: [...DEFAULT_INCLUDE], limits: { ...DEFAULT_LIMITS }, surface };
}

const LIMIT_RANGES: Record<keyof Limits, [number, number]> = {
  maxPathsPerFunction: [1, 100_000],
  loopUnroll: [1, 16],
  timeBudgetMs: [100, 600_000],
  maxDocumentBytes: [1024, 2 * 1024 * 1024 * 1024],
};

/** Validate a raw object (parsed JSON or VS Code settings). Unknown keys and bad values become errors; defaults are kept. */
export function validateConfig(raw: unknown, surface: 'cli' | 'editor' = 'cli'): { config: MmlensConfig; errors: string[] } {
  const config = defaultConfig(surface);
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { config, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, errors: ['configuration must be an object'] };
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['rules', 'include', 'limits', 'tree', '$schema'].includes(key)) errors.push(`unknown setting "${key}"`);
  }
  if (r.tree !== undefined && r.tree !== null && r.tree !== '') {
    if (typeof r.tree === 'string') config.tree = r.tree;
    else errors.push('"tree" must be the path of a kernel source tree');
  }
  if (r.rules !== undefined) {
    if (typeof r.rules !== 'object' || r.rules === null || Array.isArray(r.rules)) errors.push('"rules" must be an object of rule id → off|info|warning|error|default');
    else
      for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
        if (typeof v === 'string' && (RULE_SETTINGS as readonly string[]).includes(v)) config.rules[id] = v as RuleSetting;
        else errors.push(`rules.${id}: expected one of ${RULE_SETTINGS.join(', ')}, got ${JSON.stringify(v)}`);
      }
  }
  if (r.include !== undefined) {
    if (Array.isArray(r.include) && r.include.every((x) => typeof x === 'string')) config.include = r.include as string[];
    else errors.push('"include" must be an array of glob strings');
  }
  if (r.limits !== undefined) {
    if (typeof r.limits !== 'object' || r.limits === null) errors.push('"limits" must be an object');
    else
      for (const [k, v] of Object.entries(r.limits as Record<string, unknown>)) {
        if (!(k in LIMIT_RANGES)) {
          errors.push(`unknown limit "${k}"`);
          continue;
        }
        const [lo, hi] = LIMIT_RANGES[k as keyof Limits];
        if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) config.limits[k as keyof Limits] = v;
        else errors.push(`limits.${k}: expected an integer from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
      }
  }
  return { config, errors };
}

export function loadConfigFile(file: string, surface: 'cli' | 'editor' = 'cli'): { config: MmlensConfig; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { config: defaultConfig(surface), errors: [`${file}: ${(e as Error).message}`] };
  }
  const { config, errors } = validateConfig(raw, surface);
  return { config, errors: errors.map((m) => `${file}: ${m}`) };
}
