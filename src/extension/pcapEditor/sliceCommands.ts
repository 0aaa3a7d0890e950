/**
 * Slicing from VS Code through src/core/slice: "Export Packets…" of the active pcap editor (selected
 * packets, a display filter, a time window or the displayed rows, to pcap or pcapng by the chosen file
 * name), and "Merge Captures" on an Explorer multi-selection (mergecap's equivalent). The result opens
 * in the pcap editor.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { mergeCaptures } from '../../core/slice/mergeCaptures';
import { sliceCapture } from '../../core/slice/sliceCapture';
import { defaultMergeOutputPath, mergeInputs } from './mergeSelection';
import {
  buildSliceOptions, checkDisplayFilter, checkPacketNumbers, checkTimeBound, defaultSliceOutputPath, exportFormatFor, type ExportRequest, type ExportScope,
} from './sliceOptions';

/** What the commands need from a pcap editor session. */
export interface SliceSource {
  readonly doc: { readonly uri: vscode.Uri };
  /** Selected packet number (0: none) and the applied display filter ('' : none). */
  readonly selected: number;
  readonly filter: string;
  /** The rows the editor shows: their count, and their packet indexes when filtered (undefined: every packet). */
  displayedPackets(): { count: number; packetIndexes: Uint32Array | undefined };
}

const plural = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

async function askExportRequest(s: SliceSource): Promise<ExportRequest | undefined> {
  const shown = s.displayedPackets();
  const items: (vscode.QuickPickItem & { scope: ExportScope })[] = [
    { scope: 'packets', label: 'Selected packets…', description: s.selected ? `packet ${s.selected}, or give numbers like 10-20,42` : 'packet numbers like 10-20,42,300-' },
    { scope: 'filter', label: 'Packets matching a display filter…', description: s.filter ? `the applied one: ${s.filter}` : 'e.g. icmp, ip.addr == 10.0.0.1, frame.time_delta > 0.2' },
    { scope: 'time', label: 'A time window…', description: 'from/to: +1.5 (s after the first packet), 2026-11-23T01:47:21.5Z or @epoch' },
    { scope: 'displayed', label: 'Displayed packets', description: shown.packetIndexes ? `the ${plural(shown.count, 'packet')} the filter ${s.filter} shows` : `all ${plural(shown.count, 'packet')}` },
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `Export packets of ${basename(s.doc.uri.fsPath)} to a new pcap or pcapng file` });
  if (!pick) return undefined;
  if (pick.scope === 'displayed') return { scope: 'displayed', packetIndexes: shown.packetIndexes };
  if (pick.scope === 'filter') {
    const filter = await vscode.window.showInputBox({ prompt: 'Display filter: the packets it matches are exported', value: s.filter, validateInput: checkDisplayFilter });
    return filter === undefined ? undefined : { scope: 'filter', filter };
  }
  if (pick.scope === 'packets') {
    const packets = await vscode.window.showInputBox({
      prompt: 'Packet numbers to export (1-based, as the list shows them): 42, 10-20,42 or 300- (to the end)',
      value: s.selected ? String(s.selected) : '',
      validateInput: checkPacketNumbers,
    });
    return packets === undefined ? undefined : { scope: 'packets', packets };
  }
  const from = await vscode.window.showInputBox({
    prompt: 'From (inclusive; empty = the first packet): +1.5 = seconds after the first packet, 2026-11-23T01:47:21.5Z (UTC without a zone, as the list shows times) or @epoch',
    validateInput: checkTimeBound,
  });
  if (from === undefined) return undefined;
  const to = await vscode.window.showInputBox({ prompt: 'To (exclusive; empty = the end), same forms as From', validateInput: checkTimeBound });
  return to === undefined ? undefined : { scope: 'time', from, to };
}

async function exportPackets(source: SliceSource | undefined, viewType: string): Promise<void> {
  if (!source) {
    void vscode.window.showWarningMessage('Open a capture in the pcap editor first: Export Packets writes a part of it to a new file.');
    return;
  }
  const input = source.doc.uri.fsPath;
  const request = await askExportRequest(source);
  if (!request) return;
  let options;
  try {
    options = buildSliceOptions(request);
  } catch (e) {
    void vscode.window.showErrorMessage(`Export Packets: ${(e as Error).message}`);
    return;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(defaultSliceOutputPath(input, request.scope)),
    filters: { 'pcap (tcpdump, every tool)': ['pcap'], 'pcapng (keeps interface names and comments)': ['pcapng'] },
    title: 'Export Packets: the file name\'s extension (.pcap or .pcapng) sets the format',
  });
  if (!target) return;
  if (target.fsPath === input) {
    void vscode.window.showErrorMessage('Export Packets: choose a new file, not the capture being read.');
    return;
  }
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting packets of ${basename(input)}…` },
      () => sliceCapture(input, target.fsPath, { ...options, outputFormat: exportFormatFor(target.fsPath) }));
    const dropped = r.commentsDropped > 0 ? `; the comments of ${plural(r.commentsDropped, 'packet')} are not in it: pcap has no room for them, pcapng keeps them` : '';
    void vscode.window.showInformationMessage(`Wrote ${plural(r.packetsWritten, 'packet')} of ${r.packetsRead.toLocaleString('en-US')} to ${basename(target.fsPath)} (${r.format}${dropped}).`);
    await vscode.commands.executeCommand('vscode.openWith', target, viewType);
  } catch (e) {
    void vscode.window.showErrorMessage(`Export Packets: ${(e as Error).message}`);
  }
}

async function mergeFromExplorer(clicked: unknown, selected: unknown, viewType: string): Promise<void> {
  const paths = (x: unknown): string[] => (Array.isArray(x) ? x : [x]).filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file').map((u) => u.fsPath);
  let inputs: string[];
  try {
    inputs = mergeInputs(paths(clicked)[0], paths(selected));
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(defaultMergeOutputPath(inputs)),
    filters: { 'Capture files': ['pcapng', 'pcap'] },
    title: `Merge ${inputs.length} captures by time`,
  });
  if (!target) return;
  if (inputs.includes(target.fsPath)) {
    void vscode.window.showErrorMessage('Merge Captures: choose a new file, not one of the inputs.');
    return;
  }
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Merging ${inputs.length} captures…` },
      () => mergeCaptures(inputs, target.fsPath));
    const mismatch = (r.format === 'pcapng') !== target.fsPath.toLowerCase().endsWith('.pcapng')
      ? ` (the inputs ${r.format === 'pcapng' ? 'differ in format or link type, so the file is pcapng' : 'are classic pcap with one link type, so the file is classic pcap'})` : '';
    void vscode.window.showInformationMessage(`Merged ${plural(r.packetsWritten, 'packet')} from ${inputs.length} files into ${basename(target.fsPath)}${mismatch}.`);
    await vscode.commands.executeCommand('vscode.openWith', target, viewType);
  } catch (e) {
    void vscode.window.showErrorMessage(`Merge Captures: ${(e as Error).message}`);
  }
}

export function registerSliceCommands(active: () => SliceSource | undefined, viewType: string): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hopscope.pcapEditor.exportSlice', () => exportPackets(active(), viewType)),
    vscode.commands.registerCommand('hopscope.captures.merge', (clicked: unknown, selected: unknown) => mergeFromExplorer(clicked, selected, viewType)),
  ];
}
