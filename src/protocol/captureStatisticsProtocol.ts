/**
 * The Statistics tab of the pcap editor: what the host sends (the stats engine's tables, trimmed to
 * what a page can show) and what the page asks. Type-only imports: the webview bundle stays free of
 * Node and VS Code code.
 */
import type { CaptureStats } from '../core/stats/captureStatsTypes';

/** Rows per table sent to the page (the biggest first); the counts say how many there were. */
export const STATS_TABLE_LIMIT = 500;
/** Echo round trips sent for the RTT chart (evenly thinned beyond this; outliers always kept). */
export const STATS_RTT_POINT_LIMIT = 5000;

export interface CaptureStatisticsView {
  stats: CaptureStats;
  /** Rows each table had before trimming to STATS_TABLE_LIMIT. */
  totalRows: { endpoints: number; ipConversations: number; tcpConversations: number; udpConversations: number; ports: number; rtt: number };
  /**
   * Per second of the series: the first and last packet numbers in it (0 when empty), so a click on a
   * second can show its packets with a frame.number window (the display filter has no time field).
   */
  secondPackets: { first: number; last: number }[];
  /** Set when the file ends in a damaged record: the statistics cover the packets before it. */
  warning?: string;
}

export type StatsHostMessage =
  | { type: 'statsProgress'; bytesRead: number; totalBytes: number }
  | { type: 'stats'; view: CaptureStatisticsView }
  | { type: 'statsError'; message: string };

export type StatsEditorMessage = { type: 'getStats' };
