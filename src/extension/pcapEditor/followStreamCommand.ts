/**
 * Follow TCP/UDP Stream in the pcap editor: `hopscope.pcapEditor.followStream` (command palette,
 * Ctrl+Alt+Shift+T, the packet list's context menu) and the detail pane's button. Filters the list to the
 * conversation (the page applies the filter the host sends, so its filter box shows it) and opens the
 * stream beside it as a read-only `hopscope-stream:` document.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { followStream, FollowStreamError } from '../../core/browse/followStream';
import type { CaptureBrowser } from '../../core/browse/captureBrowser';
import { formatFollowDocument } from '../../core/browse/followStreamText';
import { CaptureFormatError } from '../../core/pcap/captureFormatError';
import type { HostToEditorMessage } from '../../protocol/pcapEditorProtocol';

export const FOLLOW_STREAM_SCHEME = 'hopscope-stream';
/** Stream documents kept for VS Code to (re)read; the oldest is dropped past this. */
const KEEP_DOCUMENTS = 16;

/** What Follow Stream needs of a pcap editor (EditorSession). */
export interface FollowStreamTarget {
  readonly doc: { readonly uri: vscode.Uri; readonly browser: CaptureBrowser };
  readonly selected: number;
  post(m: HostToEditorMessage): void;
}

class StreamDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This stream is no longer kept: follow it again from the pcap editor.\n';
  }

  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const known = this.texts.delete(key);
    this.texts.set(key, text);
    if (this.texts.size > KEEP_DOCUMENTS) this.texts.delete(this.texts.keys().next().value as string);
    if (known) this.changed.fire(uri);
  }

  dispose(): void { this.changed.dispose(); }
}

const documents = new StreamDocuments();

/** Follows the stream of `packet` in the target's capture: filters its list and opens the document. */
export async function followStreamInEditor(target: FollowStreamTarget, packet: number): Promise<void> {
  const file = target.doc.uri.fsPath;
  let text: string;
  let filter: string;
  let protocol: string;
  try {
    const result = await followStream(file, packet, { index: target.doc.browser.captureIndex });
    text = formatFollowDocument(result, { file: basename(file), packet });
    filter = result.filter;
    protocol = result.protocol;
  } catch (e) {
    if (!(e instanceof FollowStreamError || e instanceof CaptureFormatError)) throw e;
    target.post({ type: 'followed', number: packet, error: `Follow Stream: ${e.message}` });
    void vscode.window.showWarningMessage(`Follow Stream: ${e.message}`);
    return;
  }
  target.post({ type: 'followed', number: packet, filter });
  const uri = vscode.Uri.from({
    scheme: FOLLOW_STREAM_SCHEME,
    path: `/${basename(file)} ${protocol} stream of packet ${packet}.txt`,
    query: `file=${encodeURIComponent(file)}&packet=${packet}`,
  });
  documents.set(uri, text);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
}

/** The packet a command invocation names: a row's context menu passes its data-vscode-context. */
function packetOf(arg: unknown, target: FollowStreamTarget): number {
  if (typeof arg === 'object' && arg !== null && 'packetNumber' in arg) {
    const n = (arg as { packetNumber: unknown }).packetNumber;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
  }
  return target.selected;
}

export function registerFollowStream(active: () => FollowStreamTarget | undefined): vscode.Disposable[] {
  return [
    documents,
    vscode.workspace.registerTextDocumentContentProvider(FOLLOW_STREAM_SCHEME, documents),
    vscode.commands.registerCommand('hopscope.pcapEditor.followStream', async (arg?: unknown) => {
      const target = active();
      if (!target) {
        void vscode.window.showWarningMessage('Open a capture in the pcap editor and select a TCP or UDP packet to follow its stream.');
        return;
      }
      const packet = packetOf(arg, target);
      if (packet < 1) {
        void vscode.window.showWarningMessage('Select a TCP or UDP packet in the list first: Follow Stream shows its conversation.');
        return;
      }
      await followStreamInEditor(target, packet);
    }),
  ];
}
