/**
 * The VS Code extension's entry: a thin activate that builds the context and
 * registers the features (src/vscode/main.ts). VS Code does not show
 * activation failures to the user, so this does.
 */
const startedAt = performance.now();
import * as vscode from 'vscode';
import type { Activated } from './vscode/main';

let active: Activated | null = null;

export function activate(context: vscode.ExtensionContext): Activated | undefined {
  try {
    // Loaded here so a failure while loading the features is caught and shown too.
    const { activateMmlens } = require('./vscode/main') as typeof import('./vscode/main');
    active = activateMmlens(context, startedAt);
    return active;
  } catch (e) {
    const err = e as Error;
    const channel = vscode.window.createOutputChannel('mmlens');
    channel.appendLine(`mmlens failed to activate: ${err.stack ?? err}`);
    context.subscriptions.push(channel);
    void vscode.window.showErrorMessage(`mmlens failed to activate: ${err.message}`, 'Show Log').then((pick) => {
      if (pick) channel.show();
    });
    return undefined;
  }
}

export function deactivate(): void {
  active?.ctx.dispose();
  active = null;
}
