/**
 * The Statistics tab's data, computed in the extension host: the stats engine (CaptureStatsCollector,
 * summariseCaptureStats) fed chunk by chunk with a yield to the event loop between chunks, so a big
 * file never blocks the host, with progress in bytes. Computed once per document (WeakMap: gone with
 * the document) and shared by every editor of it. No `vscode` import: unit-testable.
 */
import { open } from 'node:fs/promises';
import { dissectPacket } from '../../core/decode/dissectPacket';
import { PacketFields } from '../../core/decode/packetFields';
import { CaptureFormatError } from '../../core/pcap/captureFormatError';
import { CaptureStreamReader } from '../../core/pcap/captureStreamReader';
import { CaptureStatsCollector } from '../../core/stats/captureStatsCollector';
import { summariseCaptureStats } from '../../core/stats/computeCaptureStats';
import type { EchoRoundTrip } from '../../core/stats/captureStatsTypes';
import {
  STATS_RTT_POINT_LIMIT, STATS_TABLE_LIMIT, type CaptureStatisticsView, type StatsHostMessage,
} from '../../protocol/captureStatisticsProtocol';

const CHUNK_SIZE = 512 * 1024;

export type StatisticsProgress = (bytesRead: number, totalBytes: number) => void;

/** Keeps every k-th round trip plus every outlier, in capture order. */
function thinRoundTrips(series: EchoRoundTrip[], outliers: EchoRoundTrip[], limit: number): EchoRoundTrip[] {
  if (series.length <= limit) return series;
  const step = series.length / limit;
  const keep = new Set(outliers);
  return series.filter((r, i) => keep.has(r) || Math.floor(i / step) !== Math.floor((i - 1) / step));
}

/** Streams `path` through the stats engine; resolves with the page's view of the result. */
export async function computeCaptureStatisticsView(path: string, onProgress?: StatisticsProgress): Promise<CaptureStatisticsView> {
  const collector = new CaptureStatsCollector();
  const fields = new PacketFields();
  const firstOfSecond: number[] = [];
  const lastOfSecond: number[] = [];
  let firstSec = 0, firstNsec = 0, lastSec = 0, lastNsec = 0;
  const reader = new CaptureStreamReader({
    onRecord(rec) {
      if (collector.packets === 0) { firstSec = rec.tsSec; firstNsec = rec.tsNsec; }
      lastSec = rec.tsSec; lastNsec = rec.tsNsec;
      dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
      collector.add(fields, rec.data, rec.origLen, rec.tsSec, rec.tsNsec);
      // The same bucket as the collector's per-second series.
      const relNs = (rec.tsSec - collector.firstSec) * 1e9 + (rec.tsNsec - collector.firstNsec);
      const second = relNs > 0 ? Math.floor(relNs / 1e9) : 0;
      const n = collector.packets;
      if (!(firstOfSecond[second] > 0)) firstOfSecond[second] = n;
      lastOfSecond[second] = n;
    },
  });
  let warning: string | undefined;
  const file = await open(path, 'r');
  try {
    const totalBytes = (await file.stat()).size;
    const chunk = new Uint8Array(CHUNK_SIZE);
    let read = 0;
    try {
      for (;;) {
        const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        read += bytesRead;
        reader.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
        onProgress?.(read, totalBytes);
        // Let the host answer other requests (rows, filters) between chunks.
        await new Promise<void>((r) => setImmediate(r));
      }
      reader.end();
    } catch (e) {
      // A damaged tail: the statistics of the complete records before it are still worth showing.
      if (!(e instanceof CaptureFormatError) || collector.packets === 0) throw e;
      warning = `${e.message} (statistics of the ${collector.packets} packets before it)`;
    }
  } finally {
    await file.close();
  }
  const stats = summariseCaptureStats(collector, collector.packets > 0 ? [firstSec, firstNsec, lastSec, lastNsec] : undefined);
  const totalRows = {
    endpoints: stats.endpoints.length, ipConversations: stats.ipConversations.length, tcpConversations: stats.tcpConversations.length,
    udpConversations: stats.udpConversations.length, ports: stats.ports.length, rtt: stats.icmpEcho.series.length,
  };
  stats.endpoints = stats.endpoints.slice(0, STATS_TABLE_LIMIT);
  stats.ipConversations = stats.ipConversations.slice(0, STATS_TABLE_LIMIT);
  stats.tcpConversations = stats.tcpConversations.slice(0, STATS_TABLE_LIMIT);
  stats.udpConversations = stats.udpConversations.slice(0, STATS_TABLE_LIMIT);
  stats.ports = stats.ports.slice(0, STATS_TABLE_LIMIT);
  stats.icmpEcho.series = thinRoundTrips(stats.icmpEcho.series, stats.icmpEcho.outliers, STATS_RTT_POINT_LIMIT);
  const secondPackets = stats.perSecond.buckets.map((b) => ({ first: firstOfSecond[b.second] ?? 0, last: lastOfSecond[b.second] ?? 0 }));
  return { stats, totalRows, secondPackets, warning };
}

interface CacheEntry {
  result: Promise<CaptureStatisticsView>;
  listeners: Set<StatisticsProgress>;
  last: [number, number];
}

/** One computation per document object, shared by its editors; progress goes to every editor asking. */
export class CaptureStatisticsCache {
  private readonly entries = new WeakMap<object, CacheEntry>();

  get(document: object, path: string, onProgress?: StatisticsProgress): Promise<CaptureStatisticsView> {
    let entry = this.entries.get(document);
    if (!entry) {
      const listeners = new Set<StatisticsProgress>();
      const last: [number, number] = [0, 0];
      const result = computeCaptureStatisticsView(path, (read, total) => {
        last[0] = read;
        last[1] = total;
        for (const l of listeners) l(read, total);
      });
      const e: CacheEntry = { listeners, last, result };
      // A failed computation is not cached: the next request tries again.
      e.result.catch(() => { if (this.entries.get(document) === e) this.entries.delete(document); });
      entry = e;
      this.entries.set(document, entry);
    }
    if (onProgress) {
      const l = onProgress;
      entry.listeners.add(l);
      if (entry.last[1] > 0) l(entry.last[0], entry.last[1]);
      const done = (): void => { entry.listeners.delete(l); };
      entry.result.then(done, done);
    }
    return entry.result;
  }
}

/** Answers a page's getStats: progress messages, then the statistics (or the error). */
export async function sendCaptureStatistics(cache: CaptureStatisticsCache, document: object, path: string,
  post: (m: StatsHostMessage) => void): Promise<void> {
  let percent = -1;
  try {
    const view = await cache.get(document, path, (bytesRead, totalBytes) => {
      // One message per percent, not per chunk.
      const p = Math.floor((100 * bytesRead) / Math.max(1, totalBytes));
      if (p !== percent) { percent = p; post({ type: 'statsProgress', bytesRead, totalBytes }); }
    });
    post({ type: 'stats', view });
  } catch (e) {
    post({ type: 'statsError', message: `Cannot compute statistics: ${(e as Error).message}` });
  }
}
