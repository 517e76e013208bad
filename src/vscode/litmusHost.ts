/**
 * The explorer's vscode side: handlers of "Explore Timeline" and "Run Litmus
 * Test", diagnostics for .litmus documents, and the lens and report rows
 * (registered once). The work is in ./litmus.ts, pure and tested.
 */
import * as vscode from 'vscode';
import { registerLensContributor, lensContributors } from './lenses';
import { registerReportSection, reportSections } from './report';
import { LITMUS_CMD, LITMUS_LANGUAGE } from './litmusSpecs';
import { exploreTimelineMarkdown, litmusDiagnostics, litmusMarkdown, timelineLens, timelineSection } from './litmus';
import { enginePath } from './adapters';

type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

async function docFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

const showMarkdown = async (content: string) => vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: true, viewColumn: vscode.ViewColumn.Beside });

/** Register lens and report rows (once) and the .litmus diagnostics; returns the command handlers. */
export function registerLitmusFeatures(subscriptions: { dispose(): unknown }[]): Record<string, Handler> {
  if (!lensContributors.some((c) => c.id === timelineLens.id)) registerLensContributor(timelineLens);
  if (!reportSections.some((s) => s.id === timelineSection.id)) registerReportSection(timelineSection);
  const diags = vscode.languages.createDiagnosticCollection('mmlens-litmus');
  subscriptions.push(diags);
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== LITMUS_LANGUAGE) return;
    const specs = litmusDiagnostics(doc.getText(), enginePath(doc.uri));
    diags.set(
      doc.uri,
      specs.map((d) => {
        const v = new vscode.Diagnostic(new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information);
        v.source = 'mmlens';
        return v;
      }),
    );
  };
  subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((d) => diags.delete(d.uri)),
  );
  vscode.workspace.textDocuments.forEach(check);
  return {
    [LITMUS_CMD.exploreTimeline]: async (uri?: unknown, line?: unknown) => {
      const doc = await docFor(uri);
      if (!doc) return void vscode.window.showInformationMessage('mmlens: open a mail with a CPU0 | CPU1 timeline.');
      await showMarkdown(exploreTimelineMarkdown(doc.getText(), enginePath(doc.uri), typeof line === 'number' ? line : undefined));
    },
    [LITMUS_CMD.runLitmusTest]: async (uri?: unknown) => {
      const doc = await docFor(uri);
      if (!doc) return void vscode.window.showInformationMessage('mmlens: open a .litmus file to run it.');
      check(doc);
      await showMarkdown(litmusMarkdown(doc.getText(), enginePath(doc.uri)));
    },
  };
}
