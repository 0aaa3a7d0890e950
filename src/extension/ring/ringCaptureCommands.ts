// Feature: ring-buffer captures. "Start Ring-Buffer Capture…" on an interface or vNIC (file count,
// seconds per file, MB per file, ceiling; defaults and bounds from ringCaptureInput), shown in the
// Captures view with its files; "Fetch Window Around Time…" copies only the covering files, merges them
// and opens the result in the pcap editor; "Stop Ring Capture"; "Refresh" re-reads the host (after a
// reconnect). The rings of this workspace are remembered (workspaceState) and read again on activation.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import type { HostsNode } from '../hosts/hostsTreeNodes';
import { checkRingField, parseRingMoment, parseRingWindow, RING_FIELDS, ringFieldValue } from '../../core/capture/ringCaptureInput';
import type { RingStartRequest } from './ringCaptureManager';
import { isRingNode, type RingNode } from './ringCaptureNodes';

const STATE_KEY = 'hopscope.ringCaptures';

function target(node?: HostsNode): { host: string; iface: string } | undefined {
  if (node?.kind === 'interface') return { host: node.host, iface: node.iface.name };
  if (node?.kind === 'vnic' && node.vnic.backend) return { host: node.host, iface: node.vnic.backend };
  return undefined;
}

async function askRing(iface: string): Promise<RingStartRequest | undefined> {
  const values: Partial<Record<(typeof RING_FIELDS)[number]['key'], number>> = {};
  for (const spec of RING_FIELDS) {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Ring-buffer capture on {0}', iface), prompt: spec.prompt, value: String(spec.defaultValue),
      validateInput: (t) => checkRingField(spec, t),
    });
    if (text === undefined) return undefined;
    values[spec.key] = ringFieldValue(spec, text);
  }
  const filter = await vscode.window.showInputBox({ title: vscode.l10n.t('Ring-buffer capture on {0}', iface), prompt: vscode.l10n.t('Capture filter (BPF; empty = everything)'), value: '' });
  if (filter === undefined) return undefined;
  return {
    filter, fileCount: values.fileCount ?? 10, rotateSeconds: values.rotateSeconds ?? 60, fileSizeMb: values.fileSizeMb ?? 0, maxDurationSec: values.maxDurationSec ?? 86400,
  };
}

export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  const rings = services.rings;
  const save = (): void => {
    void context.workspaceState.update(STATE_KEY, rings.all.map((r) => ({ host: r.host, captureId: r.captureId, baseDir: r.baseDir, iface: r.iface })));
  };
  const saved = context.workspaceState.get<{ host: string; captureId: string; baseDir: string; iface: string }[]>(STATE_KEY, []);
  for (const r of saved) {
    try { rings.remember(r.host, r.captureId, r.iface, r.baseDir); } catch (e) { log.warn(`ring ${r.host}/${r.captureId} not restored: ${(e as Error).message}`); }
  }
  // Read the remembered rings once the hosts are known (each reconnects on demand).
  setTimeout(() => { for (const r of rings.all) void rings.refresh(r.key); }, 2000).unref();
  const fail = (what: string, e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`${what}: ${message}`);
  };
  const ringOf = (n: unknown): RingNode | undefined => (isRingNode(n) ? n : undefined);
  return [
    rings.onDidChange(save),
    vscode.commands.registerCommand('hopscope.ring.start', async (node?: HostsNode) => {
      const t = target(node);
      if (!t) { void vscode.window.showInformationMessage(vscode.l10n.t('Right-click an interface or a vNIC in the Hosts view to start a ring-buffer capture on it.')); return; }
      const req = await askRing(t.iface);
      if (!req) return;
      try {
        const ring = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting a ring-buffer capture on {0} of {1}…', t.iface, t.host) },
          () => rings.start(t.host, t.iface, req));
        log.info(`ring capture ${ring.key} started (${ring.rotation ?? '?'} rotation)`);
        await vscode.commands.executeCommand('hopscope.captures.focus');
      } catch (e) { fail(vscode.l10n.t('Ring-buffer capture on {0} of {1}', t.iface, t.host), e); }
    }),
    vscode.commands.registerCommand('hopscope.ring.fetchWindow', async (n: unknown, at?: string, window?: string) => {
      const node = ringOf(n);
      if (!node) return undefined;
      const when = at ?? await vscode.window.showInputBox({
        title: vscode.l10n.t('Fetch window around time'), prompt: vscode.l10n.t('T: ISO (2026-11-23T14:05:07.25Z), @<epoch seconds>, or HH:MM:SS (UTC)'),
        value: new Date().toISOString(), validateInput: (t) => { try { parseRingMoment(t); return undefined; } catch (e) { return (e as Error).message; } },
      });
      if (when === undefined) return undefined;
      const span = window ?? await vscode.window.showInputBox({
        title: vscode.l10n.t('Fetch window around time'), prompt: vscode.l10n.t('Seconds either side of T (e.g. 5, or 2,10 for before,after)'), value: '5',
        validateInput: (t) => { try { parseRingWindow(t); return undefined; } catch (e) { return (e as Error).message; } },
      });
      if (span === undefined) return undefined;
      try {
        const { before, after } = parseRingWindow(span);
        const fetched = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching the ring files around {0}…', when) },
          () => rings.fetchWindow(node.ring.key, parseRingMoment(when), before, after));
        log.info(`ring ${node.ring.key}: ${fetched.files.map((f) => f.name).join(', ')} → ${fetched.file} (${fetched.packets} packets)`);
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(fetched.file), 'hopscope.pcapEditor');
        return fetched.file;
      } catch (e) { fail(vscode.l10n.t('Fetch window of {0}', node.ring.key), e); return undefined; }
    }),
    vscode.commands.registerCommand('hopscope.ring.stop', async (n: unknown) => {
      const node = ringOf(n);
      if (!node) return;
      try { await rings.stop(node.ring.key); } catch (e) { fail(vscode.l10n.t('Stop ring capture {0}', node.ring.key), e); }
    }),
    vscode.commands.registerCommand('hopscope.ring.refresh', async (n: unknown) => {
      const node = ringOf(n);
      if (node) await rings.refresh(node.ring.key);
    }),
    vscode.commands.registerCommand('hopscope.ring.forget', (n: unknown) => {
      const node = ringOf(n);
      if (node && node.ring.status?.state !== 'running') rings.forget(node.ring.key);
    }),
  ];
}
