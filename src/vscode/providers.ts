/** Code lens, code actions, hover and the status bar item: thin wrappers over the pure providers. */
import * as vscode from 'vscode';
import { codeActionsFor } from './actions';
import { docLike, toCodeAction, toCodeLens, toRange } from './adapters';
import { CMD } from './commands';
import { countBySeverity, formatCounts } from './diagnostics';
import { hoverAt } from './hover';
import { computeLenses } from './lenses';
import { CHECKED_LANGUAGES } from './detect';
import type { MmlensContext } from './ctx';
import type { Finding } from '../model';

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = CHECKED_LANGUAGES.flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
  { language, scheme: 'vscode-vfs' },
  { language, scheme: 'vscode-remote' },
  { language },
]);

export class LensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  constructor(private readonly ctx: MmlensContext) {
    ctx.disposables.push(this.changed, ctx.onDidAnalyze(() => this.changed.fire()));
  }
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const stored = this.ctx.results.get(doc.uri.toString());
    if (!stored) return [];
    return computeLenses({ doc: docLike(doc), result: stored.result }).map(toCodeLens);
  }
}

export class ActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  constructor(private readonly ctx: MmlensContext) {}
  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const stored = this.ctx.results.get(doc.uri.toString());
    // Edits computed on an older version of the text could land on the wrong line.
    if (!stored || stored.version !== doc.version) return [];
    const ours = context.diagnostics.filter((d) => d.source === 'mmlens');
    const findings = stored.result.findings;
    /** A diagnostic is a finding's when it has the finding's rule and line. */
    const isOf = (d: vscode.Diagnostic, f: Finding) => (typeof d.code === 'object' ? d.code.value : d.code) === f.rule && d.range.start.line === f.line - 1;
    const indexes = new Set<number>();
    findings.forEach((f, i) => {
      const hit = ours.some((d) => isOf(d, f));
      if (hit || (ours.length === 0 && range.start.line <= f.line - 1 && f.line - 1 <= range.end.line)) indexes.add(i);
    });
    return codeActionsFor(docLike(doc), stored.result, [...indexes]).map((spec) =>
      toCodeAction(doc, spec, ours.filter((d) => spec.findingIndexes.some((i) => isOf(d, findings[i])))),
    );
  }
}

export class HoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | null {
    const h = hoverAt(docLike(doc), { line: position.line, character: position.character });
    if (!h) return null;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range));
  }
}

/** The status bar item: the active document's finding count, or a spinner while it is checked. */
export class StatusItem {
  private readonly item: vscode.StatusBarItem;
  private readonly busy = new Set<string>();
  constructor(private readonly ctx: MmlensContext) {
    this.item = vscode.window.createStatusBarItem('mmlens.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'mmlens';
    this.item.command = CMD.showReport;
    ctx.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      ctx.onDidAnalyze(() => this.update()),
      ctx.onDidChangeBusy(({ uri, busy }) => {
        if (busy) this.busy.add(uri.toString());
        else this.busy.delete(uri.toString());
        this.update();
      }),
    );
    this.update();
  }
  update(): void {
    const key = vscode.window.activeTextEditor?.document.uri.toString();
    const stored = key ? this.ctx.results.get(key) : undefined;
    const busy = key !== undefined && this.busy.has(key);
    if (!stored && !busy) {
      this.item.hide();
      return;
    }
    // Read by screen readers (and the e2e suite): the counts, the document version they are for, and whether a check runs.
    let label = 'mmlens: checking';
    if (!stored) {
      this.item.text = '$(sync~spin) mmlens';
      this.item.tooltip = 'mmlens: checking…';
    } else if (stored.failure) {
      this.item.text = `${busy ? '$(sync~spin)' : '$(clock)'} mmlens: not checked`;
      this.item.tooltip = `mmlens: ${stored.failure}`;
      label = `mmlens: not checked (${stored.failure}), version ${stored.version}`;
    } else {
      const n = stored.result.findings.length;
      const counts = formatCounts(countBySeverity(stored.result.findings));
      this.item.text = `${busy ? '$(sync~spin)' : n ? '$(warning)' : '$(check)'} mmlens: ${n}`;
      this.item.tooltip = `mmlens: ${counts} (checked in ${stored.ms.toFixed(0)} ms). Click for the report.`;
      label = `mmlens: ${counts}, version ${stored.version}`;
    }
    this.item.accessibilityInformation = { label: `${label}${stored && busy ? ', checking' : ''}` };
    this.item.show();
  }
}
