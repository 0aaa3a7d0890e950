// Feature: the Captures view. Running captures (packet counts, stop inline, click opens the live text)
// and the saved pcaps under `captures/` (open as text, open in the pcap editor, reveal, compare selected).
import * as vscode from 'vscode';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExtensionServices } from '../extensionServices';
import type { RunningCapture } from './captureManager';
import { isRingNode, ringChildren, ringRoots, ringTreeItem, type RingNode } from '../ring/ringCaptureNodes';

type CapturesNode =
  | { kind: 'running'; capture: RunningCapture }
  | { kind: 'folder'; path: string; name: string }
  | { kind: 'file'; uri: vscode.Uri; size: number; mtime: number }
  | RingNode;

const CAPTURE_FILE = /\.(pcap|pcapng|cap)$/i;

function listDir(path: string): CapturesNode[] {
  let names: string[];
  try { names = readdirSync(path); } catch { return []; }
  const nodes: CapturesNode[] = [];
  for (const name of names.sort()) {
    const full = join(path, name);
    let st;
    try { st = statSync(full); } catch { continue; }
    if (st.isDirectory()) nodes.push({ kind: 'folder', path: full, name });
    else if (CAPTURE_FILE.test(name)) nodes.push({ kind: 'file', uri: vscode.Uri.file(full), size: st.size, mtime: st.mtimeMs });
  }
  return nodes;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

class CapturesTreeDataProvider implements vscode.TreeDataProvider<CapturesNode> {
  private readonly changed = new vscode.EventEmitter<CapturesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  constructor(private readonly services: ExtensionServices) {}
  refresh(): void { this.changed.fire(undefined); }
  dispose(): void { this.changed.dispose(); }

  getTreeItem(n: CapturesNode): vscode.TreeItem {
    if (isRingNode(n)) return ringTreeItem(n);
    switch (n.kind) {
      case 'running': {
        const c = n.capture;
        const ended = c.result !== undefined;
        const item = new vscode.TreeItem(`${c.host}/${c.iface}`, vscode.TreeItemCollapsibleState.None);
        item.id = `running/${c.id}`;
        item.description = `${c.session.packetCount} pkts · ${ended ? c.result?.reason : c.session.state}${c.filter ? ` · ${c.filter}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(ended ? 'debug-stop' : 'record', ended ? undefined : new vscode.ThemeColor('errorForeground'));
        if (ended) item.contextValue = 'capture.ended';
        else item.contextValue = 'capture.running';
        item.tooltip = `${c.file}\n${vscode.l10n.t('filter: {0}', c.filter || '(none)')}`;
        item.command = { command: 'hopscope.capture.openLive', title: vscode.l10n.t('Open Live Text'), arguments: [c.id] };
        return item;
      }
      case 'folder': {
        const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder/${n.path}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = 'captureFolder';
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(n.uri, vscode.TreeItemCollapsibleState.None);
        item.id = `file/${n.uri.fsPath}`;
        item.description = `${size(n.size)} · ${new Date(n.mtime).toISOString().slice(0, 19).replace('T', ' ')}Z`;
        item.contextValue = 'captureFile';
        item.resourceUri = n.uri;
        item.tooltip = n.uri.fsPath;
        item.command = { command: 'hopscope.capture.printFile', title: vscode.l10n.t('Open as Text'), arguments: [n.uri] };
        return item;
      }
    }
  }

  getChildren(n?: CapturesNode): CapturesNode[] {
    if (n === undefined) {
      const running = this.services.captures.all.map((capture): CapturesNode => ({ kind: 'running', capture }));
      return [...running, ...ringRoots(this.services.rings), ...listDir(join(this.services.storageRoot(), 'captures'))];
    }
    if (isRingNode(n)) return ringChildren(n);
    return n.kind === 'folder' ? listDir(n.path) : [];
  }
}

const fileUri = (n: unknown): vscode.Uri | undefined =>
  (typeof n === 'object' && n !== null && (n as CapturesNode).kind === 'file' ? (n as { uri: vscode.Uri }).uri : undefined);

export function register(_context: vscode.ExtensionContext, _log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  const provider = new CapturesTreeDataProvider(services);
  const view = vscode.window.createTreeView('hopscope.captures', { treeDataProvider: provider, canSelectMany: true });
  let pending: NodeJS.Timeout | undefined;
  // Packet counts change often: redraw at most twice a second.
  const sub = services.captures.onDidChange(() => { pending ??= setTimeout(() => { pending = undefined; provider.refresh(); }, 500); });
  const ringSub = services.rings.onDidChange(() => provider.refresh());
  const watcher = vscode.workspace.createFileSystemWatcher('**/captures/**/*.{pcap,pcapng,cap}');
  return [
    provider, view, watcher,
    { dispose: () => { sub.dispose(); ringSub.dispose(); if (pending) clearTimeout(pending); } },
    watcher.onDidCreate(() => provider.refresh()), watcher.onDidDelete(() => provider.refresh()),
    vscode.commands.registerCommand('hopscope.captures.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('hopscope.captures.openText', (n: unknown) => vscode.commands.executeCommand('hopscope.capture.printFile', fileUri(n))),
    vscode.commands.registerCommand('hopscope.captures.openPcap', (n: unknown) => {
      const uri = fileUri(n);
      return uri ? vscode.commands.executeCommand('vscode.openWith', uri, 'hopscope.pcapEditor') : undefined;
    }),
    vscode.commands.registerCommand('hopscope.captures.reveal', (n: unknown) => {
      const uri = fileUri(n);
      return uri ? vscode.commands.executeCommand('revealInExplorer', uri) : undefined;
    }),
    vscode.commands.registerCommand('hopscope.captures.forget', (n: unknown) => {
      if (typeof n === 'object' && n !== null && (n as CapturesNode).kind === 'running') services.captures.forget((n as { capture: RunningCapture }).capture.id);
    }),
    vscode.commands.registerCommand('hopscope.captures.compareSelected', (n: unknown, selected?: unknown[]) => {
      const uris = (selected ?? [n]).map(fileUri).filter((u): u is vscode.Uri => u !== undefined);
      if (uris.length < 2) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select two or more capture files (Ctrl/Cmd+click) to compare.'));
        return undefined;
      }
      return vscode.commands.executeCommand('hopscope.compare.open', uris);
    }),
  ];
}
