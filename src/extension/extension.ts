import type * as vscode from 'vscode';

/** Builds the services and registers each feature; every feature returns its disposables. */
export function activate(context: vscode.ExtensionContext): void {
  const disposables: vscode.Disposable[] = [];
  context.subscriptions.push(...disposables);
}

export function deactivate(): void {
  // Features dispose through context.subscriptions.
}
