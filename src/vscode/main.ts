/**
 * Activation: build the one context, register the features (a table), bind
 * the command table to its handlers. Failures are the caller's to show.
 */
import * as vscode from 'vscode';
import { allRules, ruleById } from '../rules';
import { displayName, enginePath } from './adapters';
import { Checker } from './checker';
import { CMD, commandSpecs } from './commands';
import { MmlensContext } from './ctx';
import { countBySeverity, formatCounts } from './diagnostics';
import { MAIL_LANGUAGE } from './detect';
import { combineGlobs } from './glob';
import { ActionProvider, DOCUMENT_SELECTOR, HoverProvider, LensProvider, StatusItem } from './providers';
import { renderPathsMarkdown, type DocReport } from './report';
import { ReportPanel } from './reportPanel';
import { registerLitmusFeatures } from './litmusHost';

type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Activated {
  ctx: MmlensContext;
  checker: Checker;
  report: ReportPanel;
}

export function activateMmlens(extension: vscode.ExtensionContext, startedAt: number): Activated {
  const activateAt = performance.now();
  const ctx = new MmlensContext(extension);
  extension.subscriptions.push(ctx);
  const checker = new Checker(ctx);
  ctx.disposables.push(checker);
  const handlers = commandHandlers(ctx, checker, () => report);
  Object.assign(handlers, registerLitmusFeatures(ctx.disposables));
  const report = new ReportPanel(ctx, { showRuleDocs: (r) => handlers[CMD.showRuleDocs](r) as Thenable<unknown> });

  // Features: each registers itself against the context.
  ctx.disposables.push(
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, new LensProvider(ctx)),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new ActionProvider(ctx), ActionProvider.metadata),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, new HoverProvider()),
  );
  new StatusItem(ctx);

  for (const spec of commandSpecs) {
    const h = handlers[spec.id];
    if (!h) throw new Error(`command ${spec.id} has no handler`);
    ctx.disposables.push(
      vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
        try {
          return await h(...args);
        } catch (e) {
          ctx.log.error(`${spec.id} failed: ${(e as Error).stack ?? e}`);
          void vscode.window.showErrorMessage(`mmlens: ${spec.title} failed: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );
  }

  checker.checkAllOpen();
  const ms = performance.now() - startedAt;
  ctx.log.info(
    `activated in ${ms.toFixed(1)} ms since the bundle was loaded (activate() itself ${(performance.now() - activateAt).toFixed(1)} ms; VS Code ${vscode.version}, Node ${process.version}, ${allRules.length} rules, ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: workspace values of mmlens.include and mmlens.limits are ignored'} workspace${vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme !== 'file') ? ', virtual folder' : ''})`,
  );
  if (ctx.configErrors.length === 0) ctx.log.info(`settings: ${JSON.stringify({ rules: ctx.config.rules, include: ctx.config.include, limits: ctx.config.limits })}`);
  return { ctx, checker, report };
}

async function docFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

function commandHandlers(ctx: MmlensContext, checker: Checker, report: () => ReportPanel): Record<string, Handler> {
  const resultFor = async (doc: vscode.TextDocument): Promise<DocReport | null> => {
    const stored = ctx.results.get(doc.uri.toString());
    if (stored && stored.version === doc.version) return { uri: doc.uri.toString(), name: displayName(doc.uri), result: stored.result, ms: stored.ms };
    const result = await checker.check(doc, 'command');
    const again = ctx.results.get(doc.uri.toString());
    return result ? { uri: doc.uri.toString(), name: displayName(doc.uri), result, ms: again?.ms } : null;
  };

  return {
    [CMD.checkDocument]: async (uri?: unknown) => {
      let doc = await docFor(uri);
      if (!doc) return void vscode.window.showInformationMessage('mmlens: open a patch or a mail to check it.');
      if (doc.languageId === 'plaintext') doc = await vscode.languages.setTextDocumentLanguage(doc, MAIL_LANGUAGE);
      const result = await checker.check(doc, 'command');
      if (result) void vscode.window.showInformationMessage(`mmlens: ${displayName(doc.uri)}: ${formatCounts(countBySeverity(result.findings))}`);
      return result;
    },
    [CMD.showReport]: async (uri?: unknown) => {
      const doc = await docFor(uri);
      if (!doc) return void vscode.window.showInformationMessage('mmlens: open a patch or a mail to see its report.');
      const r = await resultFor(doc);
      if (r) report().show([r], `mmlens: ${r.name}`);
    },
    [CMD.showFolderReport]: async (folder?: unknown) => {
      const base = folder instanceof vscode.Uri ? folder : vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!base) return void vscode.window.showInformationMessage('mmlens: open a folder first.');
      const pattern = new vscode.RelativePattern(base, combineGlobs(ctx.config.include));
      const files = (await vscode.workspace.findFiles(pattern, '**/{node_modules,.git}/**', 5000)).sort((a, b) => a.toString().localeCompare(b.toString()));
      const docs: DocReport[] = [];
      const t0 = performance.now();
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'mmlens: checking the folder', cancellable: true }, async (progress, token) => {
        for (const [i, uri] of files.entries()) {
          if (token.isCancellationRequested) break;
          progress.report({ message: `${i + 1}/${files.length} ${displayName(uri)}`, increment: 100 / Math.max(1, files.length) });
          const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          // Read through workspace.fs so virtual workspaces work too.
          const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          const out = await ctx.service.analyze(`report:${uri.toString()}`, text, enginePath(uri), ctx.config);
          if (out.status === 'done') docs.push({ uri: uri.toString(), name: displayName(uri), result: out.result, ms: out.totalMs });
          else if (out.status === 'failed') ctx.log.error(`${displayName(uri)}: ${out.error}`);
        }
      });
      ctx.log.info(`folder report: ${docs.length} file(s) under ${displayName(base) || base.toString()} in ${(performance.now() - t0).toFixed(0)} ms`);
      report().show(docs, `mmlens: ${vscode.workspace.asRelativePath(base) || 'folder'} (${docs.length} files)`);
    },
    [CMD.showRuleDocs]: async (ruleId?: unknown) => {
      let id = typeof ruleId === 'string' ? ruleId : undefined;
      if (!id) {
        const editor = vscode.window.activeTextEditor;
        if (editor) {
          const here = vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'mmlens' && d.range.contains(editor.selection.active));
          if (here) id = typeof here.code === 'object' ? String(here.code.value) : String(here.code);
        }
      }
      if (!id) {
        const pick = await vscode.window.showQuickPick(
          allRules.map((r) => ({ label: r.meta.id, description: `${r.meta.category} · ${r.meta.defaultSeverity}`, detail: r.meta.description })),
          { placeHolder: allRules.length ? 'Rule to show the documentation of' : 'No rules are registered yet', matchOnDetail: true },
        );
        id = pick?.label;
      }
      if (!id) return;
      const uri = ctx.ruleDocUri(id);
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        const r = ruleById(id);
        const content = r
          ? `# ${r.meta.id}\n\n${r.meta.description}\n\n- category: ${r.meta.category}\n- default severity: ${r.meta.defaultSeverity}${r.meta.enabledByDefault === false ? ' (off by default in the editor)' : ''}\n- fix: ${r.meta.fixable ?? 'none'}\n\n## Messages\n\n${Object.entries(r.meta.messages).map(([k, v]) => `- \`${k}\`: ${v}`).join('\n')}\n\n_(${r.meta.docs} is not in this build.)_\n`
          : `# ${id}\n\nmmlens has no rule with this id.\n`;
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      }
    },
    [CMD.showPaths]: async (uri?: unknown, fragmentId?: unknown, name?: unknown) => {
      const doc = await docFor(uri);
      if (!doc) return;
      const t0 = performance.now();
      const out = await ctx.service.analyze(`paths:${doc.uri.toString()}`, doc.getText(), enginePath(doc.uri), ctx.config, true);
      if (out.status !== 'done') return void vscode.window.showWarningMessage(`mmlens: could not trace ${String(name)}: ${out.status === 'failed' ? out.error : 'superseded'}`);
      const f = out.result.functions.find((x) => x.fragmentId === fragmentId && x.name === name) ?? out.result.functions.find((x) => x.name === name);
      ctx.log.info(`paths of ${String(name)} in ${displayName(doc.uri)} traced in ${(performance.now() - t0).toFixed(0)} ms`);
      const content = renderPathsMarkdown(String(name), f, displayName(doc.uri));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    },
    [CMD.showLog]: () => ctx.log.show(),
    [CMD.showProblems]: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
  };
}
