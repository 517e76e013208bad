/**
 * Plain data the editor features compute and the thin vscode adapters turn
 * into vscode objects. Nothing here imports `vscode`: the providers are pure
 * functions over these shapes, so unit tests pass a small fake document.
 * Positions here are 0-based like vscode's; the model's are 1-based.
 */
import type { Severity } from '../model';

export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

/** What a provider may read from a text document. */
export interface DocLike {
  /** The document's URI as a string (file:///..., untitled:Untitled-1, vscode-vfs://...). */
  uri: string;
  /** A short name for messages: the file name or the untitled name. */
  fileName: string;
  languageId: string;
  version: number;
  lineCount: number;
  /** Text of a 0-based line without its end-of-line. */
  lineAt(line: number): string;
  getText(): string;
}

export type DiagSeverity = Severity | 'hint';
export type DiagTag = 'unnecessary' | 'deprecated';

export interface RelatedSpec {
  uri: string;
  range: Rng;
  message: string;
}

export interface DiagnosticSpec {
  range: Rng;
  message: string;
  severity: DiagSeverity;
  source: 'mmlens';
  /** Rule id, and the URI of the rule's doc page. */
  code: { value: string; target: string };
  related: RelatedSpec[];
  tags: DiagTag[];
  /** Index of the finding in AnalysisResult.findings (code actions find their fix through it). */
  findingIndex: number;
}

/** A command invocation as data: the id and the JSON-serialisable arguments. */
export interface CommandRef {
  title: string;
  command: string;
  arguments?: unknown[];
  tooltip?: string;
}

export interface LensSpec {
  range: Rng;
  /** A lens without a command is shown as plain text (VS Code needs a command: the adapter gives it a no-op). */
  command: CommandRef;
}

export interface TextEditSpec {
  range: Rng;
  newText: string;
}

export interface CodeActionSpec {
  title: string;
  kind: 'quickfix';
  /** Edits to the document the action was asked for. */
  edits: TextEditSpec[];
  isPreferred?: boolean;
  /** The diagnostics (by finding index) the action fixes. */
  findingIndexes: number[];
}

export function pos(line: number, character: number): Pos {
  return { line, character };
}

export function rng(sl: number, sc: number, el: number, ec: number): Rng {
  return { start: pos(sl, sc), end: pos(el, ec) };
}
