/**
 * The rule framework. A rule finds (run), words (messages keyed by message id)
 * and offers a fix (a Fix with its safety) as separate steps; its docs page
 * comes from its id, never written by hand.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Fact, Finding, Fix, Fragment, FunctionReport, Location, Message, Patch, Severity, TraceStep } from '../model';
import type { MmlensConfig } from '../config';
import { patchesByMessage } from '../patch';
import type { ContextProvider } from '../context/provider';

/** A function (or the visible part of one) found in a parsed fragment. */
export interface CFunction {
  name: string;
  /** The function_definition node; for a hunk wrapped because it starts mid-function, the synthetic wrapper. */
  def: Node;
  body: Node;
  fragment: Fragment;
  /** True when the function is the wrapper around a mid-function hunk (name from the `@@` header). */
  synthetic: boolean;
  /** True when part of the function is outside the fragment (hunk starts or ends mid-body). */
  partial: boolean;
}

export interface ParsedFragment {
  fragment: Fragment;
  tree: Tree;
  functions: CFunction[];
}

/** Everything a rule can read about one document. Shared analyses are memoised in `memo`. */
export interface DocumentContext {
  path: string;
  text: string;
  messages: Message[];
  patches: Patch[];
  fragments: ParsedFragment[];
  functions: CFunction[];
  facts: Fact[];
  config: MmlensConfig;
  /** Function reports the emulator fills (code lens, --trace). */
  functionReports: FunctionReport[];
  /** Fill FunctionReport.pathTraces (`check --trace`, "Show paths"). */
  trace?: boolean;
  /** What the code around the document says (callee bodies, field types, ops tables): a kernel tree given with --tree. */
  context?: ContextProvider;
  /** Lazily computed shared analyses (the emulator's run, pairing tables...), keyed by name. */
  memo<T>(key: string, compute: () => T): T;
}

/** The document's lines, split once per document (rules and fixes that read the raw text share them). */
export function documentLines(ctx: DocumentContext): string[] {
  return ctx.memo('document/lines', () => ctx.text.split('\n'));
}

/** The patches of one message, in order (grouped once per document). */
export function patchesOfMessage(ctx: DocumentContext, messageIndex: number): Patch[] {
  return ctx.memo('document/patchesByMessage', () => patchesByMessage(ctx.patches)).get(messageIndex) ?? [];
}

export interface RuleMeta<M extends string> {
  id: string;
  defaultSeverity: Severity;
  /** One line for rule lists and settings. */
  description: string;
  /** Message templates keyed by message id; `{{name}}` is filled from the report's data. */
  messages: Record<M, string>;
  /** Whether findings of this rule may carry a fix, and how safe it is. */
  fixable?: 'safe' | 'needs-review';
  /** false: off unless a setting turns it on (CLI and editor). */
  enabledByDefault?: boolean;
  /** false: off by default in the editor only (checkpatch parity rules that the CLI keeps on). */
  enabledInEditorByDefault?: boolean;
  /** The concern, for grouping in reports. */
  category: 'seqcount' | 'lock' | 'notifier' | 'barrier' | 'lockdep' | 'page';
}

export interface ReportDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  loc: Location;
  source?: { file: string; line: number } | null;
  trace?: TraceStep[];
  fix?: Fix;
  function?: string | null;
  messageIndex?: number;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M> & { docs: string };
  run(ctx: DocumentContext, report: (d: ReportDescriptor<M>) => void): void;
}

/** Docs page of a rule, relative to the package root (shipped in the .vsix and the npm package). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}

export function createRule<M extends string>(def: { meta: RuleMeta<M>; run: Rule<M>['run'] }): Rule<M> {
  return { meta: { ...def.meta, docs: ruleDocPath(def.meta.id) }, run: def.run };
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m)).trimEnd();
}

/** Turn a report into a Finding with the rule's (configured) severity. */
export function toFinding<M extends string>(rule: Rule<M>, severity: Severity, d: ReportDescriptor<M>): Finding {
  return {
    rule: rule.meta.id,
    severity,
    messageId: d.messageId,
    message: formatMessage(rule.meta.messages[d.messageId], d.data),
    path: d.loc.path,
    line: d.loc.line,
    column: d.loc.column,
    endLine: d.loc.endLine,
    endColumn: d.loc.endColumn,
    source: d.source ?? null,
    trace: d.trace ?? [],
    function: d.function ?? null,
    ...(d.messageIndex !== undefined ? { messageIndex: d.messageIndex } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
  };
}
