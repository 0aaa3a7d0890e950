// Feature: host checks from the Hosts tree. "Show Counters" (an interface's `ip -s -s link` counters)
// and "Show nwfilter" (a vNIC's filter expanded + the backend's ebtables/iptables/nft rules) open
// read-only documents of the `hopscope-hostcheck` scheme; "Explain Drop" does the same for a frame
// (e.g. a Compare verdict's proof packet) and marks the rule that decides it with an editor decoration.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import type { HostsNode } from '../hosts/hostsTreeNodes';
import type { HostVnic } from '../../core/discovery/hostInventory';
import { fetchInterfaceCounters, renderInterfaceCounters } from '../../core/hostChecks/interfaceCountersReport';
import { buildVnicNwfilterReport } from '../../core/hostChecks/vnicNwfilterReport';
import { nwfilterFrameFromCaptureFile } from '../../core/hostChecks/nwfilterFrameFromPacket';
import type { NwfilterFrame } from '../../core/hostChecks/nwfilterVerdict';
import { lossAtVnic, type CaptureHop } from '../../core/hostChecks/lossAtVnic';
import { captureHostAndInterface } from '../../core/align/compareCaptures';
import { hostCheckContext } from './hostCheckContext';
import { watchCaptureCounters } from './captureCounterWatch';

export const HOST_CHECK_SCHEME = 'hopscope-hostcheck';

/** A Compare "lost" row: the capture that last saw the packet, the next hop's capture, the packet. */
export interface ExplainLossRequest { seenFile: string; nextFile: string; packetNumber: number }

/** What "Explain Drop" needs: the host and backend device, and the frame (or where to read it). */
export interface ExplainDropRequest {
  host: string;
  device: string;
  /** 'out' = sent by the VM (lost leaving vnetN), 'in' = towards it (lost entering vnetN). */
  direction: 'in' | 'out';
  frame?: NwfilterFrame;
  /** Capture file and 1-based packet number of the proof packet, when no frame is given. */
  file?: string;
  packetNumber?: number;
}

class HostCheckDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  /** 0-based lines to mark per document. */
  readonly marks = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This host check is no longer available: run it again from the Hosts view.';
  }

  set(uri: vscode.Uri, text: string, mark?: number): void {
    this.texts.set(uri.toString(), text);
    if (mark === undefined) this.marks.delete(uri.toString());
    else this.marks.set(uri.toString(), mark);
    this.changed.fire(uri);
  }

  dispose(): void { this.changed.dispose(); }
}

function checkUri(host: string, device: string, kind: 'counters' | 'nwfilter'): vscode.Uri {
  // Path segments are encoded by Uri; the .txt name gives plain-text highlighting and a readable tab.
  return vscode.Uri.from({ scheme: HOST_CHECK_SCHEME, path: `/${host}/${device} ${kind}.txt` });
}

async function findVnic(services: ExtensionServices, host: string, device: string): Promise<{ vm: string; vnic: HostVnic }> {
  const inv = await services.hosts.inventory(host);
  for (const vm of inv.vms) for (const vnic of vm.vnics) if (vnic.backend === device) return { vm: vm.name, vnic };
  throw new Error(`no VM on ${host} has a vNIC whose backend is ${device} (refresh the host if the VM was started since)`);
}

/** The vNIC a lost row meets (from the capture paths and the hosts' inventories) and its proof packet. */
async function dropRequestForLoss(services: ExtensionServices, r: ExplainLossRequest): Promise<ExplainDropRequest> {
  const seen = captureHostAndInterface(r.seenFile);
  const next = captureHostAndInterface(r.nextFile);
  const backends = new Set<string>();
  for (const hop of [seen, next]) {
    if (!services.hosts.host(hop.host)) continue;
    const inv = await services.hosts.inventory(hop.host);
    for (const vm of inv.vms) for (const v of vm.vnics) if (v.backend) backends.add(`${hop.host}\n${v.backend}`);
  }
  const at = lossAtVnic(seen, next, (h: CaptureHop) => backends.has(`${h.host}\n${h.iface}`));
  if (!at) throw new Error(`the packet was lost between ${seen.iface}@${seen.host} and ${next.iface}@${next.host}: neither is a VM's vNIC on a known host, so no nwfilter applies`);
  return { host: at.host, device: at.device, direction: at.direction, file: r.seenFile, packetNumber: r.packetNumber };
}

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  const docs = new HostCheckDocuments();
  const marked = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('editorError.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
    after: { contentText: '  ← decides the proof packet', color: new vscode.ThemeColor('editorError.foreground') },
  });
  const decorate = (editors: readonly vscode.TextEditor[]): void => {
    for (const e of editors) {
      if (e.document.uri.scheme !== HOST_CHECK_SCHEME) continue;
      const line = docs.marks.get(e.document.uri.toString());
      e.setDecorations(marked, line === undefined || line >= e.document.lineCount ? [] : [e.document.lineAt(line).range]);
    }
  };
  const show = async (uri: vscode.Uri, text: string, mark?: number): Promise<vscode.TextEditor> => {
    docs.set(uri, text, mark);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    decorate([editor]);
    if (mark !== undefined) editor.revealRange(new vscode.Range(mark, 0, mark, 0), vscode.TextEditorRevealType.InCenter);
    return editor;
  };
  const fail = (what: string, e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`${what}: ${message}`);
  };

  const showNwfilter = async (host: string, device: string, frame?: NwfilterFrame): Promise<vscode.TextEditor | undefined> => {
    const { vm, vnic } = await findVnic(services, host, device);
    const ctx = await hostCheckContext(services.hosts, host);
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the nwfilter of {0} on {1}…', device, host) },
      () => buildVnicNwfilterReport(ctx.run, { host, vm, device, filterRef: vnic.filterRef, mac: vnic.mac }, ctx.options, frame));
    return show(checkUri(host, device, 'nwfilter'), report.text, report.verdictRuleLine);
  };

  return [
    docs, marked,
    watchCaptureCounters(services.captures, services.hosts, (r) => log.info(`capture ${r.captureId}: ${r.note}`)),
    vscode.workspace.registerTextDocumentContentProvider(HOST_CHECK_SCHEME, docs),
    vscode.window.onDidChangeVisibleTextEditors(decorate),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === HOST_CHECK_SCHEME) decorate(vscode.window.visibleTextEditors.filter((x) => x.document === e.document));
    }),
    vscode.commands.registerCommand('hopscope.hostChecks.showCounters', async (node?: HostsNode) => {
      const target = node?.kind === 'interface' ? { host: node.host, dev: node.iface.name }
        : node?.kind === 'vnic' && node.vnic.backend ? { host: node.host, dev: node.vnic.backend } : undefined;
      if (!target) { void vscode.window.showInformationMessage(vscode.l10n.t('Right-click an interface or a vNIC in the Hosts view to show its counters.')); return; }
      try {
        const ctx = await hostCheckContext(services.hosts, target.host);
        const counters = await fetchInterfaceCounters(ctx.run, target.dev, ctx.options);
        await show(checkUri(target.host, target.dev, 'counters'), renderInterfaceCounters(target.host, counters, new Date()));
      } catch (e) { fail(vscode.l10n.t('Counters of {0} on {1}', target.dev, target.host), e); }
    }),
    vscode.commands.registerCommand('hopscope.hostChecks.showNwfilter', async (node?: HostsNode) => {
      if (node?.kind !== 'vnic' || !node.vnic.backend) { void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a running VM\'s vNIC in the Hosts view to show its nwfilter.')); return; }
      try { await showNwfilter(node.host, node.vnic.backend); } catch (e) { fail(vscode.l10n.t('nwfilter of {0} on {1}', node.vnic.backend, node.host), e); }
    }),
    vscode.commands.registerCommand('hopscope.hostChecks.explainDrop', async (arg?: ExplainDropRequest | ExplainLossRequest) => {
      let req = arg && 'host' in arg ? arg : undefined;
      if (arg && 'seenFile' in arg) {
        try {
          req = await dropRequestForLoss(services, arg);
        } catch (e) { fail(vscode.l10n.t('Explain drop'), e); return undefined; }
      }
      if (!req?.host || !req.device) { void vscode.window.showInformationMessage(vscode.l10n.t('Explain Drop runs from a Compare verdict "lost leaving/entering <vNIC>".')); return undefined; }
      try {
        const frame = req.frame ?? (req.file && req.packetNumber ? nwfilterFrameFromCaptureFile(req.file, req.packetNumber, req.direction) : undefined);
        if (!frame) throw new Error('no proof packet given (frame, or file and packet number)');
        const editor = await showNwfilter(req.host, req.device, { ...frame, direction: req.direction });
        return editor ? docs.marks.get(editor.document.uri.toString()) : undefined;
      } catch (e) { fail(vscode.l10n.t('Explain drop on {0} of {1}', req.device, req.host), e); return undefined; }
    }),
  ];
}
