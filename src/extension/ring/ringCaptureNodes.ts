// Ring-buffer captures in the Captures view: one node per ring (host/iface, state, file count; stop and
// fetch in its menu) with its files on the host as children. contextValue: ringCapture.running |
// ringCapture.stopped | ringCapture.unknown (status not readable, e.g. connection lost), ringFile.
import * as vscode from 'vscode';
import type { RingCapture, RingCaptureManager } from './ringCaptureManager';

export type RingNode =
  | { kind: 'ring'; ring: RingCapture }
  | { kind: 'ringFile'; ring: RingCapture; name: string; size: number; mtimeSec: number };

export function isRingNode(n: unknown): n is RingNode {
  return typeof n === 'object' && n !== null && ((n as RingNode).kind === 'ring' || (n as RingNode).kind === 'ringFile');
}

export function ringRoots(rings: RingCaptureManager): RingNode[] {
  return rings.all.map((ring): RingNode => ({ kind: 'ring', ring }));
}

export function ringChildren(n: RingNode): RingNode[] {
  if (n.kind !== 'ring') return [];
  return (n.ring.status?.files ?? []).map((f): RingNode => ({ kind: 'ringFile', ring: n.ring, name: f.name, size: f.size, mtimeSec: f.mtimeSec }));
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ringTreeItem(n: RingNode): vscode.TreeItem {
  if (n.kind === 'ringFile') {
    const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.None);
    item.id = `ring/${n.ring.key}/${n.name}`;
    item.description = `${size(n.size)} · ${new Date(n.mtimeSec * 1000).toISOString().slice(11, 19)}Z`;
    item.iconPath = new vscode.ThemeIcon('file-binary');
    item.contextValue = 'ringFile';
    item.tooltip = `${n.ring.host}:${n.ring.baseDir}/${n.ring.captureId}/${n.name}`;
    return item;
  }
  const r = n.ring;
  const state = r.error ? 'unknown' : r.status?.state === 'running' ? 'running' : 'stopped';
  const files = r.status?.files ?? [];
  const item = new vscode.TreeItem(`${r.host}/${r.iface || r.captureId} (ring)`, files.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `ring/${r.key}`;
  const p = r.status?.params ?? {};
  const rotation = p.rotation === 'size' ? `${p.megabytes ?? '?'} MB × ${p.files ?? '?'}` : `${p.seconds ?? '?'} s × ${p.files ?? '?'}`;
  item.description = `${state === 'unknown' ? vscode.l10n.t('status unknown') : state} · ${files.length} files · ${rotation}${p.filter ? ` · ${p.filter}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(state === 'running' ? 'history' : state === 'unknown' ? 'warning' : 'debug-stop',
    state === 'running' ? new vscode.ThemeColor('errorForeground') : undefined);
  if (state === 'running') item.contextValue = 'ringCapture.running';
  else if (state === 'stopped') item.contextValue = 'ringCapture.stopped';
  else item.contextValue = 'ringCapture.unknown';
  item.tooltip = [`${r.host}:${r.baseDir}/${r.captureId}`, r.error ? `${vscode.l10n.t('last status:')} ${r.error}` : undefined,
    ...(r.status?.log ?? [])].filter(Boolean).join('\n');
  return item;
}
