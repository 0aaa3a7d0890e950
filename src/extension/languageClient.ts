/**
 * Starts the capture-text language server (dist/server.js) in its own process over IPC for every
 * `tcpdump` document, whatever its scheme: saved files, untitled pastes and the live
 * `hopscope-*` capture panes. Started with the first such document, not at activation: the extension
 * also activates for the pcap editor and Compare, whose first view should not share the machine with
 * a server process starting (issue #6).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function register(context: vscode.ExtensionContext): vscode.Disposable[] {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // No scheme: files and the live virtual documents alike.
    documentSelector: [{ language: 'tcpdump' }],
  };
  const client = new LanguageClient('hopscope.captureText', 'Hopscope capture text', serverOptions, clientOptions);
  let started = false;
  const startFor = (doc: vscode.TextDocument): void => {
    if (started || doc.languageId !== 'tcpdump') return;
    started = true;
    void client.start();
  };
  vscode.workspace.textDocuments.forEach(startFor);
  const opened = vscode.workspace.onDidOpenTextDocument(startFor);
  // The server's CodeLens "seen in N captures" runs this: peek the same packet in the other captures.
  const showSamePacket = vscode.commands.registerCommand('hopscope.text.showSamePacket', async (uri: string, line: number) => {
    const target = vscode.Uri.parse(uri);
    const position = new vscode.Position(line, 0);
    const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', target, position);
    await vscode.commands.executeCommand('editor.action.peekLocations', target, position, locations ?? [], 'peek');
  });
  return [showSamePacket, opened, { dispose: () => { if (started) void client.stop(); } }];
}
