/** The report webview: one panel, re-rendered for each report; export to Markdown and JSON through workspace.fs. */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { renderReportHtml, renderReportMarkdown, reportJson, type DocReport } from './report';
import type { MmlensContext } from './ctx';

export class ReportPanel {
  static readonly viewType = 'mmlens.report';
  private panel: vscode.WebviewPanel | null = null;
  private docs: DocReport[] = [];
  private title = 'mmlens report';

  constructor(
    private readonly ctx: MmlensContext,
    private readonly actions: { showRuleDocs(rule: string): Thenable<unknown> },
  ) {}

  show(docs: DocReport[], title: string): void {
    this.docs = docs;
    this.title = title;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(ReportPanel.viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] });
      this.panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'icon.png');
      this.panel.onDidDispose(() => (this.panel = null), null, this.ctx.disposables);
      this.panel.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.ctx.disposables);
    }
    this.panel.title = title;
    const nonce = crypto.randomBytes(16).toString('base64');
    this.panel.webview.html = renderReportHtml(docs, this.ctx, { nonce, cspSource: this.panel.webview.cspSource, title });
    this.panel.reveal(undefined, false);
  }

  markdown(): string {
    return renderReportMarkdown(this.docs, this.ctx);
  }

  json(): string {
    return reportJson(this.docs);
  }

  private async onMessage(m: { type: string; format?: string; uri?: string; line?: number; rule?: string }): Promise<void> {
    if (m.type === 'open' && m.uri) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(m.uri));
      const line = Math.max(0, (m.line ?? 1) - 1);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
    } else if (m.type === 'rule' && m.rule) {
      await this.actions.showRuleDocs(m.rule);
    } else if (m.type === 'export') {
      await this.export(m.format === 'json' ? 'json' : 'markdown');
    }
  }

  async export(format: 'markdown' | 'json', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const ext = format === 'json' ? 'json' : 'md';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, `mmlens-report.${ext}`) : undefined,
        filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
        saveLabel: `Export ${format === 'json' ? 'JSON' : 'Markdown'}`,
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(format === 'json' ? this.json() : this.markdown()));
    this.ctx.log.info(`report exported to ${uri.toString()}`);
    void vscode.window.showInformationMessage(`mmlens: report exported to ${vscode.workspace.asRelativePath(uri)}`);
    return uri;
  }
}
