/**
 * The plain-data model that flows through mmlens: mail → patch → C fragments →
 * facts → emulator traces → findings. Everything here is JSON-serialisable so
 * that the CLI, the reports, the VS Code extension and the tests read the same
 * objects. Nothing in src/ (except src/extension.ts and src/vscode/) imports vscode.
 *
 * Positions: every `line`/`column` is 1-based and refers to the document the
 * user opened (the mail, mbox or patch file), never to the decoded or
 * re-assembled C text. `source` names the file and line the hunk header gives.
 */

export type Severity = 'error' | 'warning' | 'info';
export type Image = 'pre' | 'post' | 'context' | 'quoted-code';

/** One line of decoded text with its place in the opened document. */
export interface SourceLine {
  /** 1-based line in the opened document. */
  docLine: number;
  /** 1-based column in the opened document where `text` starts (after the quote prefix). */
  docColumn: number;
  /** The line's content with the quote prefix (`> `, `>>`, `> > `) removed. */
  text: string;
  /** Number of `>` quote markers in front of the content. */
  quoteDepth: number;
  /**
   * True when `text` is the result of a content-transfer decoding
   * (quoted-printable, base64) so columns are best effort.
   */
  decoded?: boolean;
}

export interface MailHeaders {
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
}

/** `[PATCH v4 tip/perf/core 1/4] mm: Convert ...` parsed. */
export interface PatchSubject {
  /** The bracket's tag words other than version and counter, e.g. ["PATCH", "tip/perf/core"]. */
  tags: string[];
  version: number | null;
  number: number | null;
  total: number | null;
  /** The subject after the bracket and any `Re:`. */
  title: string;
  isReply: boolean;
  isPatch: boolean;
}

export interface Attachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Binary attachments are listed, never parsed. */
  binary: boolean;
  /** Doc line where the part starts. */
  line: number;
}

export interface Message {
  index: number;
  headers: MailHeaders;
  subject: PatchSubject | null;
  /** First and last doc line of the message (1-based, inclusive). */
  startLine: number;
  endLine: number;
  /** Doc line holding the subject (for code lens); null when the message has none. */
  subjectLine: number | null;
  /** Text body lines (every text/* part, attachments with text/x-patch included), in order. */
  body: SourceLine[];
  attachments: Attachment[];
  /** Problems met while reading this message (bad encoding, truncated part...). */
  warnings: InputError[];
}

export interface InputError {
  path: string;
  line: number | null;
  /** Stable machine code, e.g. "binary-input", "truncated-hunk", "too-large". */
  code: string;
  message: string;
}

// ---------------------------------------------------------------- patches

export interface HunkLine {
  kind: '+' | '-' | ' ';
  /** The C text without the diff marker. */
  text: string;
  docLine: number;
  /** Doc column of text[0]. */
  docColumn: number;
  oldLine: number | null;
  newLine: number | null;
}

export interface Hunk {
  /** Index of the hunk in its file patch. */
  index: number;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Function context from the `@@ ... @@ <context>` header, raw. */
  header: string;
  /** Function name taken from the header context, when one can be read. */
  functionName: string | null;
  /** Doc line of the `@@` header. */
  headerLine: number;
  quoteDepth: number;
  lines: HunkLine[];
  /** The hunk had fewer lines than its header announced. */
  truncated: boolean;
}

export interface FilePatch {
  oldPath: string | null;
  newPath: string | null;
  /** Doc line of `diff --git` (or `---` when there is none). */
  headerLine: number;
  hunks: Hunk[];
}

export interface Patch {
  messageIndex: number;
  files: FilePatch[];
  quoteDepth: number;
}

// ---------------------------------------------------------------- C fragments

/** Where one line of a fragment's C text stands in the opened document. */
export interface FragmentLine {
  /** null for synthetic lines the parser added (wrappers, closing braces). */
  docLine: number | null;
  /** Doc column of the fragment line's first character. */
  docColumn: number;
  /** The source file line the hunk header implies, when known. */
  sourceLine: number | null;
  image: Image | null;
  /** Set on lines read from a kernel tree (`--tree`), not from the document: the line in the tree file. docLine is then null. */
  tree?: number;
}

export interface Fragment {
  /** Stable id inside one document, e.g. "m1/f0/h2/post" or "m0/q3". */
  id: string;
  kind: 'post' | 'pre' | 'quoted-code' | 'file';
  messageIndex: number;
  /** Source file the hunk names (b/ path for post, a/ path for pre). */
  file: string | null;
  /** Function named in the `@@` header, used when the hunk starts mid-function. */
  functionHint: string | null;
  quoteDepth: number;
  /** The C text handed to the parser (macro-neutralised, wrapped); same line count as `lines`. */
  text: string;
  lines: FragmentLine[];
  /** The fragment starts or ends inside a function body. */
  partial: boolean;
  /** Macros the preparation rewrote so the grammar accepts them (the emulator still models them). */
  macros?: MacroRewrite[];
}

/** A kernel macro renamed or blanked in place (0-based row and column of fragment text). */
export interface MacroRewrite {
  row: number;
  column: number;
  name: string;
}

// ---------------------------------------------------------------- facts

export type FactKind = 'seqcount' | 'barrier' | 'access' | 'lockdep' | 'lock' | 'notifier' | 'page';

export interface Location {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Fact extends Location {
  kind: FactKind;
  /** The API or pattern, e.g. "write_seqcount_begin", "smp_wmb", "open-coded-increment", "->mapping". */
  api: string;
  /** What it does in the model, e.g. "write-begin", "read-retry", "acquire", "release", "assert-held". */
  role: string;
  /** Argument texts as written. */
  args: string[];
  /** Normalised object the fact is about (`&pool->stats_seq` → `pool->stats_seq`), when there is one. */
  object: string | null;
  function: string | null;
  image: Image;
  quoteDepth: number;
  source: { file: string; line: number } | null;
  fragmentId: string;
  /** Extra concern-specific data (event and owner of a range init, page provenance...). */
  detail?: Record<string, string | number | boolean | null>;
}

// ---------------------------------------------------------------- findings

export interface TraceStep {
  line: number;
  column: number;
  /** What happened at this step, in words. */
  message: string;
  /** The model's state after the step, e.g. "mm->mm_lock_seq: write section open". */
  state?: string;
  /** The step is on a line read from a kernel tree (`--tree`), not in the mail: its line in the tree file. */
  tree?: number;
}

export interface Fix {
  description: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  replacement: string;
  safety: 'safe' | 'needs-review';
}

export interface Finding extends Location {
  rule: string;
  severity: Severity;
  messageId: string;
  message: string;
  source: { file: string; line: number } | null;
  trace: TraceStep[];
  function?: string | null;
  messageIndex?: number;
  fix?: Fix;
}

/** What the emulator saw in one function, for code lens and `check --trace`. */
export interface FunctionReport {
  name: string;
  fragmentId: string;
  messageIndex: number;
  /** Doc line of the function's first visible line. */
  line: number;
  endLine: number;
  image: Image;
  partial: boolean;
  paths: number;
  /** True when a path or loop bound was hit. */
  bounded: boolean;
  /** Short lines such as "write section: 2 begins, 2 ends on all 4 paths". */
  summary: string[];
  /** Per path, the emulator's steps (only filled when tracing is asked for). */
  pathTraces?: TraceStep[][];
}

export interface MessageSummary {
  index: number;
  headers: MailHeaders;
  subject: PatchSubject | null;
  startLine: number;
  endLine: number;
  subjectLine: number | null;
  files: { path: string | null; headerLine: number; hunks: { headerLine: number; functionName: string | null; quoteDepth: number }[] }[];
}

export interface AnalysisResult {
  path: string;
  messages: MessageSummary[];
  facts: Fact[];
  findings: Finding[];
  functions: FunctionReport[];
  errors: InputError[];
  stats: { bytes: number; messages: number; fragments: number; functions: number; ms: number };
}
