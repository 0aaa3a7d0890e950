import * as vscode from 'vscode';
import * as comparePanel from './compare/comparePanel';
import * as hostsView from './hostsView';
import * as pcapEditorProvider from './pcapEditor/pcapEditorProvider';
import * as printCaptureFile from './printCaptureFile';

/** Builds the services and registers each feature; every feature returns its disposables. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Hopscope', { log: true });
  context.subscriptions.push(
    log,
    ...hostsView.register(context, log),
    ...printCaptureFile.register(context, log),
    ...pcapEditorProvider.register(context, log),
    ...comparePanel.register(context, log),
  );
  log.info(`activated (snaplen setting ${vscode.workspace.getConfiguration('hopscope.capture').get<number>('snaplen')})`);
}

export function deactivate(): void {
  // Features dispose through context.subscriptions.
}
