/** The thin layer between the pure providers' data and vscode objects. */
import * as vscode from 'vscode';
import type { CodeActionSpec, DiagnosticSpec, DocLike, LensSpec, Rng } from './types';

export function docLike(d: vscode.TextDocument): DocLike {
  return {
    uri: d.uri.toString(),
    fileName: displayName(d.uri),
    languageId: d.languageId,
    version: d.version,
    lineCount: d.lineCount,
    lineAt: (l) => d.lineAt(l).text,
    getText: () => d.getText(),
  };
}

export function displayName(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  return vscode.workspace.asRelativePath(uri, false);
}

/** The path handed to the engine (and written into findings): a file path, or the URI for other schemes. */
export function enginePath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function toRange(r: Rng): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY: Record<DiagnosticSpec['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toDiagnostic(s: DiagnosticSpec): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(s.range), s.message, SEVERITY[s.severity]);
  d.source = s.source;
  d.code = s.code.target ? { value: s.code.value, target: vscode.Uri.parse(s.code.target) } : s.code.value;
  if (s.related.length) d.relatedInformation = s.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.uri), toRange(r.range)), r.message));
  if (s.tags.length) d.tags = s.tags.map((t) => (t === 'unnecessary' ? vscode.DiagnosticTag.Unnecessary : vscode.DiagnosticTag.Deprecated));
  return d;
}

export function toCodeLens(s: LensSpec): vscode.CodeLens {
  return new vscode.CodeLens(toRange(s.range), { title: s.command.title, command: s.command.command, arguments: s.command.arguments, tooltip: s.command.tooltip });
}

export function toCodeAction(doc: vscode.TextDocument, s: CodeActionSpec, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
  const a = new vscode.CodeAction(s.title, vscode.CodeActionKind.QuickFix);
  const edit = new vscode.WorkspaceEdit();
  for (const e of s.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
  a.edit = edit;
  a.isPreferred = s.isPreferred;
  a.diagnostics = diagnostics;
  return a;
}
