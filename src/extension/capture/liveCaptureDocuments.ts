// Read-only documents of running captures: `hopscope-capture:/<host>/<file>.tcpdump?<capture id>`
// (language tcpdump through the extension). The text comes from LiveCaptureText; its batched
// notifications become onDidChange, after which VS Code re-reads the whole text.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { CaptureManager, RunningCapture } from './captureManager';

export const LIVE_CAPTURE_SCHEME = 'hopscope-capture';

export function liveCaptureUri(c: RunningCapture): vscode.Uri {
  return vscode.Uri.from({ scheme: LIVE_CAPTURE_SCHEME, path: `/${c.host}/${basename(c.file, '.pcap')}.tcpdump`, query: c.id });
}

class LiveCaptureContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly captures: CaptureManager) {}
  provideTextDocumentContent(uri: vscode.Uri): string {
    const c = this.captures.get(uri.query);
    return c ? c.text.text() : vscode.l10n.t('[hopscope: this capture is no longer in memory; open its file from the Captures view]\n');
  }
  fire(c: RunningCapture): void { this.changed.fire(liveCaptureUri(c)); }
  dispose(): void { this.changed.dispose(); }
}

export async function showLiveCapture(c: RunningCapture, viewColumn?: vscode.ViewColumn): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(liveCaptureUri(c));
  if (doc.languageId !== 'tcpdump') await vscode.languages.setTextDocumentLanguage(doc, 'tcpdump');
  await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false, viewColumn });
}

export function register(_context: vscode.ExtensionContext, _log: vscode.LogOutputChannel, captures: CaptureManager): vscode.Disposable[] {
  const provider = new LiveCaptureContentProvider(captures);
  const sub = captures.onDidChangeText((c) => provider.fire(c));
  return [
    provider,
    { dispose: () => sub.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(LIVE_CAPTURE_SCHEME, provider),
    vscode.commands.registerCommand('hopscope.capture.openLive', async (arg?: { id?: string } | string) => {
      const id = typeof arg === 'string' ? arg : arg?.id;
      const c = id ? captures.get(id) : captures.running[0];
      if (c) await showLiveCapture(c);
    }),
  ];
}
