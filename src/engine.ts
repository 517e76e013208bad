/**
 * The pipeline: text of a document → messages → patches → C fragments →
 * parse → facts → emulator → rules → findings. Pure (no I/O, no vscode):
 * the CLI, the extension's worker, the bench and the tests all call this.
 */
import type { AnalysisResult, Finding, InputError, Message, MessageSummary, Severity } from './model';
import { defaultConfig, type MmlensConfig } from './config';
import { readMailDocument } from './mail';
import { findPatches } from './patch';
import { buildFragments } from './patch/fragments';
import { initParser } from './c/parser';
import { parseFragment } from './c/functions';
import { extractFacts } from './analyzers';
import { allRules } from './rules';
import { emulate } from './emulator';
import { patchesOfMessage, toFinding, type DocumentContext, type ParsedFragment, type Rule } from './rules/framework';
import { applySuppressions } from './suppress';
import { fragmentFromC } from './c/prepare';

/** A .c/.h file is one message with no headers; its whole text is one C fragment. */
function sourceDocument(text: string): { messages: Message[]; errors: InputError[] } {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return { messages: [{ index: 0, headers: {}, subject: null, startLine: 1, endLine: n, subjectLine: null, body: [], attachments: [], warnings: [] }], errors: [] };
}

export { initParser };

export interface AnalyzeOptions {
  config?: MmlensConfig;
  /** Fill FunctionReport.pathTraces (for `check --trace` and "Show paths"). */
  trace?: boolean;
  /** Polled between stages and fragments; return true to stop early (the result says so in errors). */
  isCancelled?: () => boolean;
}

/** Severity a rule runs at under a configuration, or null when it is off. */
export function effectiveSeverity(rule: Rule, config: MmlensConfig): Severity | null {
  const s = config.rules[rule.meta.id] ?? 'default';
  if (s === 'off') return null;
  if (s === 'default') {
    if (rule.meta.enabledByDefault === false) return null;
    if (config.surface === 'editor' && rule.meta.enabledInEditorByDefault === false) return null;
    return rule.meta.defaultSeverity;
  }
  return s;
}

const BINARY_SAMPLE = 8192;

/** True when the text looks like binary data (NUL bytes or mostly control characters). */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, BINARY_SAMPLE);
  if (sample.includes('\u0000')) return true;
  let ctl = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) ctl++;
  }
  return sample.length > 0 && ctl / sample.length > 0.1;
}

/** Analyse one document. `initParser()` must have resolved before the first call. */
export function analyzeText(text: string, path: string, options: AnalyzeOptions = {}): AnalysisResult {
  const t0 = performance.now();
  const config = options.config ?? defaultConfig();
  const cancelled = options.isCancelled ?? (() => false);
  const errors: InputError[] = [];
  const empty = (): AnalysisResult => ({
    path,
    messages: [],
    facts: [],
    findings: [],
    functions: [],
    errors,
    stats: { bytes: text.length, messages: 0, fragments: 0, functions: 0, ms: performance.now() - t0 },
  });
  if (text.length > config.limits.maxDocumentBytes) {
    errors.push({ path, line: null, code: 'too-large', message: `${path}: ${text.length} bytes is over the limit of ${config.limits.maxDocumentBytes} (limits.maxDocumentBytes); not analysed` });
    return empty();
  }
  if (looksBinary(text)) {
    errors.push({ path, line: null, code: 'binary-input', message: `${path}: looks like binary data, not a mail or a patch; not analysed` });
    return empty();
  }

  const deadline = t0 + config.limits.timeBudgetMs;
  const overBudget = () => cancelled() || performance.now() > deadline;

  const isSource = /\.(c|h)$/i.test(path);
  const mail = isSource ? sourceDocument(text) : readMailDocument(text, path);
  errors.push(...mail.errors);
  for (const m of mail.messages) errors.push(...m.warnings);
  const patches = isSource ? [] : mail.messages.flatMap((m) => findPatches(m, path, errors));
  const fragments = isSource ? [fragmentFromC(text, { id: 'c0', kind: 'file', file: path })] : buildFragments(mail.messages, patches);

  const parsed: ParsedFragment[] = [];
  // Trees live in the parser's WebAssembly heap, outside the garbage collector: free them
  // once the rules are done (results are plain data), or every check grows the heap.
  try {
    for (const f of fragments) {
      if (overBudget()) {
        errors.push({ path, line: null, code: cancelled() ? 'cancelled' : 'time-budget', message: `${path}: ${cancelled() ? 'cancelled' : `time budget of ${config.limits.timeBudgetMs} ms spent`}; ${fragments.length - parsed.length} of ${fragments.length} C fragments not analysed` });
        break;
      }
      parsed.push(parseFragment(f));
    }
    const functions = parsed.flatMap((p) => p.functions);
    const facts = extractFacts(parsed, path);

    const memo = new Map<string, unknown>();
    const ctx: DocumentContext = {
      path,
      text,
      messages: mail.messages,
      patches,
      fragments: parsed,
      functions,
      facts,
      config,
      functionReports: [],
      trace: options.trace === true,
      memo<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) memo.set(key, compute());
        return memo.get(key) as T;
      },
    };

    let findings: Finding[] = [];
    for (const rule of allRules) {
      const severity = effectiveSeverity(rule, config);
      if (severity === null) continue;
      if (overBudget()) {
        errors.push({ path, line: null, code: cancelled() ? 'cancelled' : 'time-budget', message: `${path}: stopped before rule ${rule.meta.id} (${cancelled() ? 'cancelled' : 'time budget spent'})` });
        break;
      }
      try {
        rule.run(ctx, (d) => findings.push(toFinding(rule, severity, d)));
      } catch (e) {
        errors.push({ path, line: null, code: 'rule-crashed', message: `${path}: rule ${rule.meta.id} failed: ${(e as Error).stack ?? e}` });
      }
    }
    // Function reports (paths, held locks, summaries) come from the emulator; fill them
    // even when every pairing rule is off, for code lens and `facts`. Memoised: free when a rule ran it.
    if (functions.length && !overBudget()) {
      try {
        emulate(ctx);
      } catch (e) {
        errors.push({ path, line: null, code: 'rule-crashed', message: `${path}: emulator failed: ${(e as Error).stack ?? e}` });
      }
    }
    findings = applySuppressions(dedupe(findings), text);
    findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));

    const messages: MessageSummary[] = mail.messages.map((m) => ({
      index: m.index,
      headers: m.headers,
      subject: m.subject,
      startLine: m.startLine,
      endLine: m.endLine,
      subjectLine: m.subjectLine,
      files: patchesOfMessage(ctx, m.index)
        .flatMap((p) => p.files)
        .map((f) => ({ path: f.newPath ?? f.oldPath, headerLine: f.headerLine, hunks: f.hunks.map((h) => ({ headerLine: h.headerLine, functionName: h.functionName, quoteDepth: h.quoteDepth })) })),
    }));

    if (!options.trace) for (const r of ctx.functionReports) delete r.pathTraces;
    return {
      path,
      messages,
      facts,
      findings,
      functions: ctx.functionReports,
      errors,
      stats: { bytes: text.length, messages: mail.messages.length, fragments: fragments.length, functions: functions.length, ms: performance.now() - t0 },
    };
  } finally {
    for (const p of parsed) p.tree.delete();
  }
}

/** The same rule at the same place with the same message is one finding (quoted copies of a hunk are distinct places). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}|${f.line}|${f.column}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
