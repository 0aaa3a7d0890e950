import * as vscode from 'vscode';
import { captureFileAsTcpdumpText } from './captureText';

/** Read-only documents of capture files rendered as tcpdump text. */
export const CAPTURE_TEXT_SCHEME = 'hopscope-pcap';
const CAPTURE_FILE = /\.(pcap|pcapng|cap)$/i;

/** `hopscope-pcap:/dir/name.pcap.tcpdump?<file uri>`: the path names the tab, the query holds the source. */
export function captureTextUri(capture: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: CAPTURE_TEXT_SCHEME, path: `${capture.path}.tcpdump`, query: capture.toString() });
}

class CaptureTextProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const capture = vscode.Uri.parse(uri.query, true);
    if (capture.scheme !== 'file') throw new Error(`only local files can be printed, not ${capture.scheme}:`);
    return captureFileAsTcpdumpText(capture.fsPath);
  }
}

/** The capture the command applies to: its argument, the active tab, or one picked from the workspace. */
async function resolveCaptureUri(argument: unknown): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri) return argument;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if ((input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) && CAPTURE_FILE.test(input.uri.path)) {
    return input.uri;
  }
  const files = await vscode.workspace.findFiles('**/*.{pcap,pcapng,cap}', '**/node_modules/**', 500);
  if (files.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { Captures: ['pcap', 'pcapng', 'cap'] },
      openLabel: 'Print',
    });
    return picked?.[0];
  }
  const pick = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Capture file to print as tcpdump text' },
  );
  return pick?.uri;
}

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(CAPTURE_TEXT_SCHEME, new CaptureTextProvider()),
    vscode.commands.registerCommand('hopscope.capture.printFile', async (argument: unknown) => {
      const capture = await resolveCaptureUri(argument);
      if (capture === undefined) return;
      try {
        const document = await vscode.workspace.openTextDocument(captureTextUri(capture));
        await vscode.languages.setTextDocumentLanguage(document, 'tcpdump');
        await vscode.window.showTextDocument(document, { preview: false });
        log.info(`printed ${capture.fsPath}: ${document.lineCount} lines`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(message);
        void vscode.window.showErrorMessage(`Hopscope: ${message}`);
      }
    }),
  ];
}
