/**
 * Messages between the pcap editor's webview and the extension host. Shared by both sides; it
 * imports nothing so the webview bundle stays free of Node and VS Code code.
 *
 * Rows are fetched on demand by range: the webview only ever holds the rows near the viewport, so a
 * 1M-packet file costs the page no more than a 100-packet one. A "view" is the list being shown:
 * 0 is every packet, each applied display filter creates a new view id so late replies for an
 * older view are recognised and dropped.
 */
import type { StatsEditorMessage, StatsHostMessage } from './captureStatisticsProtocol';
import type { PageStartTimes, PageTimingMessage } from './startupTimingProtocol';

/** Rows per page the page asks for; the host sends the first page with the end of indexing. */
export const PCAP_EDITOR_PAGE_SIZE = 256;

export interface PacketRow {
  /** 1-based packet number in the file. */
  number: number;
  tsSec: number;
  tsNsec: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

export interface LayerNode {
  label: string;
  /** Byte range in the packet this node covers (for the hex view), or -1 when unknown. */
  start: number;
  length: number;
  children?: LayerNode[];
}

export type TimeFormat = 'absolute' | 'relative' | 'delta';

export type HostToEditorMessage =
  | { type: 'init'; fileName: string; firstTsSec: number; firstTsNsec: number }
  /** `firstRows`: rows 0…PCAP_EDITOR_PAGE_SIZE-1 of every packet (with `done`), so no request round trip. */
  | { type: 'progress'; packetCount: number; done: boolean; error?: string; firstRows?: PacketRow[] }
  | { type: 'rows'; view: number; start: number; rows: PacketRow[] }
  | { type: 'view'; view: number; count: number; filter: string }
  | { type: 'filterError'; message: string; position: number }
  | { type: 'detail'; number: number; layers: LayerNode[]; bytesBase64: string }
  /** Select and scroll to a packet; index is its row in the current view, -1 when filtered out. */
  | { type: 'reveal'; number: number; index: number }
  /** Follow Stream ran: show the conversation (filter applied by the page), or say why it could not. */
  | { type: 'followed'; number: number; filter?: string; error?: string }
  | StatsHostMessage;

export type EditorToHostMessage =
  /** With when the page's document, script and its run started (start-up timeline). */
  | ({ type: 'ready' } & PageStartTimes)
  | PageTimingMessage
  | { type: 'getRows'; view: number; start: number; count: number }
  | { type: 'select'; number: number }
  | { type: 'goto'; number: number }
  | { type: 'applyFilter'; text: string }
  /** Follow the TCP/UDP stream of this packet (the "Follow Stream" button). */
  | { type: 'followStream'; number: number }
  | StatsEditorMessage;

/**
 * `data-vscode-context` of a packet row: VS Code passes it to `webview/context` menu commands
 * (hopscope.pcapEditor.followStream reads packetNumber).
 */
export interface PacketRowContext {
  webviewSection: 'packetRow';
  packetNumber: number;
  preventDefaultContextMenuItems: true;
}

/** State the webview keeps across reloads (vscode.getState/setState). */
export interface PcapEditorState {
  filter: string;
  selected: number;
  scrollTop: number;
  timeFormat: TimeFormat;
  /** Which tab shows: the packet list (default) or the Statistics tab. */
  tab?: 'packets' | 'statistics';
}
