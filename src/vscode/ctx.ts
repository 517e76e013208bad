/**
 * The one context object the features share (rust-analyzer's Ctx): settings
 * read through src/config.ts, the analysis service, the latest result per
 * document, the diagnostics collection and the log. Features take this object;
 * nothing else is global.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MmlensConfig } from '../config';
import type { AnalysisResult } from '../model';
import { ruleById } from '../rules';
import { ruleDocPath } from '../rules/framework';
import { AnalysisService } from './service';
import { readConfig } from './settings';
import { looksLikeKernelTree } from '../context/detect';
import type { RuleInfo } from './report';

export interface StoredResult {
  version: number;
  result: AnalysisResult;
  ms: number;
  /** Set when the document could not be checked (time budget, worker failure): the status bar says so. */
  failure?: string;
}

export class MmlensContext implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly service: AnalysisService;
  readonly results = new Map<string, StoredResult>();
  private readonly analyzed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired after a document's diagnostics were updated (code lens, status bar listen). */
  readonly onDidAnalyze = this.analyzed.event;
  private readonly checking = new vscode.EventEmitter<{ uri: vscode.Uri; busy: boolean }>();
  readonly onDidChangeBusy = this.checking.event;
  config!: MmlensConfig;
  configErrors: string[] = [];
  private lastShownErrors = '';
  readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('mmlens', { log: true });
    this.diagnostics = vscode.languages.createDiagnosticCollection('mmlens');
    this.service = new AnalysisService({
      workerFile: path.join(extension.extensionPath, 'dist', 'worker.js'),
      maxWorkers: 2,
      log: (m) => this.log.warn(m),
    });
    this.disposables.push(this.log, this.diagnostics, this.analyzed, this.checking, { dispose: () => this.service.dispose() });
    this.reloadConfig();
  }

  /** Read and validate the settings; invalid values are logged and shown (once per distinct set). */
  reloadConfig(): void {
    const cfg = vscode.workspace.getConfiguration('mmlens');
    const { config, errors } = readConfig((k) => cfg.get(k));
    // No mmlens.tree: the workspace folder, when it is a kernel tree, is the context.
    // An untrusted workspace gets no tree at all (reading it runs git in that folder).
    if (!vscode.workspace.isTrusted) delete config.tree;
    else if (!config.tree) {
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' && looksLikeKernelTree(f.uri.fsPath));
      if (folder) config.tree = folder.uri.fsPath;
    }
    this.config = config;
    this.configErrors = errors;
    const key = errors.join('\n');
    if (errors.length) {
      for (const e of errors) this.log.warn(`invalid setting: ${e} (the default is used)`);
      if (key !== this.lastShownErrors)
        void vscode.window.showWarningMessage(`mmlens: invalid settings, defaults used: ${errors.join('; ')}`, 'Open Settings').then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'mmlens');
        });
    }
    this.lastShownErrors = key;
  }

  ruleDocUri(id: string): vscode.Uri {
    return vscode.Uri.joinPath(this.extension.extensionUri, ruleDocPath(id));
  }

  ruleInfo(id: string): RuleInfo | undefined {
    const r = ruleById(id);
    return r ? { description: r.meta.description, docsUri: this.ruleDocUri(id).toString() } : undefined;
  }

  publish(uri: vscode.Uri, stored: StoredResult, diagnostics: vscode.Diagnostic[]): void {
    this.results.set(uri.toString(), stored);
    this.diagnostics.set(uri, diagnostics);
    this.analyzed.fire(uri);
  }

  /** A check that produced no result: keep the diagnostics, say why in the status bar and the report. */
  publishFailure(uri: vscode.Uri, version: number, message: string, code: string): void {
    const result: AnalysisResult = {
      path: uri.toString(),
      messages: [],
      facts: [],
      findings: [],
      functions: [],
      errors: [{ path: uri.toString(), line: null, code, message }],
      stats: { bytes: 0, messages: 0, fragments: 0, functions: 0, ms: 0 },
    };
    this.results.set(uri.toString(), { version, result, ms: 0, failure: message });
    this.analyzed.fire(uri);
  }

  clear(uri: vscode.Uri): void {
    this.service.cancel(uri.toString());
    this.results.delete(uri.toString());
    this.diagnostics.delete(uri);
    this.analyzed.fire(uri);
  }

  setBusy(uri: vscode.Uri, busy: boolean): void {
    this.checking.fire({ uri, busy });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
