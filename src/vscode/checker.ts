/**
 * Checking open documents: on open, as the user types (debounced), on save;
 * cleared on close. Plaintext (untitled or .txt) documents whose content is a
 * patch mail are switched to the mail language first.
 */
import * as vscode from 'vscode';
import { matchesAny } from './glob';
import { CHECKED_LANGUAGES, MAIL_LANGUAGE, looksLikePatchMail } from './detect';
import { countBySeverity, formatCounts, inputErrorDiagnostics, toDiagnostics } from './diagnostics';
import { docLike, displayName, enginePath, toDiagnostic } from './adapters';
import type { MmlensContext } from './ctx';
import type { AnalysisResult } from '../model';

/** Debounce after an edit; longer for big documents, whose text is copied to the worker on each run. */
export function debounceFor(lineCount: number): number {
  return lineCount > 50_000 ? 1500 : lineCount > 5_000 ? 400 : 30;
}

export class Checker implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: MmlensContext) {
    const ws = vscode.workspace;
    this.disposables.push(
      ws.onDidOpenTextDocument((d) => this.onOpen(d)),
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (this.shouldCheck(e.document)) this.schedule(e.document, debounceFor(e.document.lineCount));
        else if (this.maybeMail(e.document)) this.schedule(e.document, 300);
      }),
      ws.onDidSaveTextDocument((d) => {
        if (this.shouldCheck(d)) this.schedule(d, 0);
      }),
      ws.onDidCloseTextDocument((d) => {
        this.cancelTimer(d.uri.toString());
        ctx.clear(d.uri);
      }),
      ws.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('mmlens')) return;
        ctx.reloadConfig();
        ctx.log.info('settings changed: checking open documents again');
        this.checkAllOpen();
      }),
    );
  }

  /** A plaintext document that may turn out to be a patch mail. */
  private maybeMail(d: vscode.TextDocument): boolean {
    return d.languageId === 'plaintext' && (d.isUntitled || d.uri.path.toLowerCase().endsWith('.txt'));
  }

  shouldCheck(d: vscode.TextDocument): boolean {
    if (!CHECKED_LANGUAGES.includes(d.languageId)) return false;
    if (d.languageId === MAIL_LANGUAGE || d.isUntitled) return true;
    return matchesAny(d.uri.path, this.ctx.config.include);
  }

  checkAllOpen(): void {
    for (const d of vscode.workspace.textDocuments) this.onOpen(d);
  }

  private onOpen(d: vscode.TextDocument): void {
    if (this.shouldCheck(d)) this.schedule(d, 0);
    else if (this.maybeMail(d)) void this.detect(d);
  }

  /** Switch a plaintext document to the mail language when its content is a patch mail (the switch reopens it, which checks it). */
  async detect(d: vscode.TextDocument): Promise<boolean> {
    if (!looksLikePatchMail(d.getText())) return false;
    this.ctx.log.info(`${displayName(d.uri)}: content is a patch mail; using the ${MAIL_LANGUAGE} language`);
    await vscode.languages.setTextDocumentLanguage(d, MAIL_LANGUAGE);
    return true;
  }

  schedule(d: vscode.TextDocument, delay: number): void {
    const key = d.uri.toString();
    this.cancelTimer(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.maybeMail(d)) void this.detect(d);
        else void this.check(d, 'auto');
      }, delay),
    );
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  /** Check one document now; resolves to its result, or null when superseded, failed or closed. */
  async check(d: vscode.TextDocument, reason: 'auto' | 'command', trace = false): Promise<AnalysisResult | null> {
    const ctx = this.ctx;
    const t0 = performance.now();
    const text = d.getText();
    const version = d.version;
    const name = displayName(d.uri);
    ctx.setBusy(d.uri, true);
    const outcome = await ctx.service.analyze(d.uri.toString(), text, enginePath(d.uri), ctx.config, trace);
    ctx.setBusy(d.uri, false);
    if (outcome.status === 'superseded') return null;
    if (outcome.status === 'failed') {
      ctx.log.error(`${name}: check failed: ${outcome.error}`);
      const firstLine = outcome.error.split('\n')[0];
      if (!d.isClosed) ctx.publishFailure(d.uri, version, firstLine, outcome.error.includes('time budget') ? 'time-budget' : 'failed');
      if (reason === 'command') void vscode.window.showErrorMessage(`mmlens: checking ${name} failed: ${firstLine}`);
      return null;
    }
    if (d.isClosed) return null;
    const result = outcome.result;
    const dl = docLike(d);
    const specs = [...toDiagnostics(dl, result, { ruleDocUri: (id) => ctx.ruleDocUri(id).toString() }), ...inputErrorDiagnostics(dl, result.errors)];
    ctx.publish(d.uri, { version, result, ms: outcome.totalMs }, specs.map(toDiagnostic));
    const kib = (text.length / 1024).toFixed(1);
    ctx.log.info(
      `checked ${name} (v${version}, ${kib} KiB, ${result.stats.messages} message(s), ${result.stats.fragments} fragment(s), ${result.stats.functions} function(s)): ${formatCounts(countBySeverity(result.findings))} in ${outcome.totalMs.toFixed(0)} ms (analysis ${outcome.workerMs.toFixed(0)} ms, host ${(performance.now() - t0 - outcome.totalMs).toFixed(0)} ms)`,
    );
    for (const e of result.errors) if (e.line === null) ctx.log.warn(`${name}: ${e.code}: ${e.message}`);
    return result;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
