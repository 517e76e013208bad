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
import { applyTree, type KernelTree, type TreeContext } from './context';
import { fixedByPatch, preImageFragments } from './context/fixed';

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
  /** A kernel tree (`--tree`, `mmlens.tree`): whole functions around hunks, callee bodies, ops tables. */
  tree?: KernelTree;
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
  let fragments = isSource ? [fragmentFromC(text, { id: 'c0', kind: 'file', file: path })] : buildFragments(mail.messages, patches);
  let treeContext: TreeContext | null = null;
  if (options.tree && patches.length) {
    try {
      const t = applyTree(options.tree, path, mail.messages, patches, fragments);
      fragments = t.fragments;
      treeContext = t.context;
      errors.push(...t.notes);
    } catch (e) {
      errors.push({ path, line: null, code: 'tree-failed', message: `${path}: reading the kernel tree failed (${(e as Error).message}); checked from the mail alone` });
    }
  }

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
      ...(treeContext ? { context: treeContext } : {}),
      memo<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) memo.set(key, compute());
        return memo.get(key) as T;
      },
    };

    let inTree = 0;
    const runRules = (c: DocumentContext, into: Finding[]): void => {
      for (const rule of allRules) {
        const severity = effectiveSeverity(rule, config);
        if (severity === null) continue;
        if (overBudget()) {
          errors.push({ path, line: null, code: cancelled() ? 'cancelled' : 'time-budget', message: `${path}: stopped before rule ${rule.meta.id} (${cancelled() ? 'cancelled' : 'time budget spent'})` });
          break;
        }
        try {
          rule.run(c, (d) => {
            // Never report on a line read from the tree: it is not in the mail, nor the patch's doing.
            if ((d.loc as { inTree?: boolean }).inTree) inTree++;
            else into.push(toFinding(rule, severity, d));
          });
        } catch (e) {
          errors.push({ path, line: null, code: 'rule-crashed', message: `${path}: rule ${rule.meta.id} failed: ${(e as Error).stack ?? e}` });
        }
      }
    };
    let findings: Finding[] = [];
    runRules(ctx, findings);
    // Fix patches: what the rules find in the pre-image and no longer in the post-image is "fixed by this patch".
    const preFragments = preImageFragments(fragments);
    if (preFragments.length && !overBudget()) {
      const preParsed: ParsedFragment[] = [];
      try {
        for (const f of preFragments) preParsed.push(parseFragment(f));
        const preMemo = new Map<string, unknown>();
        const preFunctions = preParsed.flatMap((p) => p.functions);
        const preCtx: DocumentContext = {
          ...ctx,
          fragments: preParsed,
          functions: preFunctions,
          facts: extractFacts(preParsed, path),
          functionReports: [],
          trace: false,
          memo<T>(key: string, compute: () => T): T {
            if (!preMemo.has(key)) preMemo.set(key, compute());
            return preMemo.get(key) as T;
          },
        };
        const preFindings: Finding[] = [];
        const before = inTree;
        runRules(preCtx, preFindings);
        inTree = before;
        findings.push(...fixedByPatch(preFindings, findings));
      } finally {
        for (const p of preParsed) p.tree.delete();
      }
    }
    if (inTree) errors.push({ path, line: null, code: 'tree-context', message: `${path}: ${inTree} finding${inTree === 1 ? '' : 's'} on unchanged lines read from the kernel tree not shown (they are not the patch's doing)` });
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
    treeContext?.dispose();
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
