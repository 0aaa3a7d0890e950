/** capinfos-like facts about a capture, collected record by record (counts and times only, O(1) memory). */
import type { CaptureFormat, CaptureInterface, CaptureRecord } from './captureRecord';

export interface CaptureSummary {
  format: CaptureFormat | undefined;
  interfaces: CaptureInterface[];
  packets: number;
  /** Sum of packet lengths on the wire (origLen), like capinfos "Data size". */
  dataBytes: number;
  /** Sum of captured bytes (caplen). */
  capturedBytes: number;
  /** Earliest and latest record time as ISO UTC with nanoseconds; undefined without packets. */
  firstTime?: string;
  lastTime?: string;
  durationSec?: number;
  packetsPerSec?: number;
  bytesPerSec?: number;
}

/** ISO 8601 UTC with nine decimals: 2026-11-23T12:29:40.749798000Z. */
export function isoTimeNs(sec: number, nsec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}

export class CaptureSummaryCollector {
  private packets = 0;
  private dataBytes = 0;
  private capturedBytes = 0;
  private minSec = Infinity;
  private minNsec = 0;
  private maxSec = -Infinity;
  private maxNsec = 0;

  /** Use as (or call from) the reader's onRecord. */
  add(rec: CaptureRecord): void {
    this.packets++;
    this.dataBytes += rec.origLen;
    this.capturedBytes += rec.caplen;
    const s = rec.tsSec;
    const n = rec.tsNsec;
    if (s < this.minSec || (s === this.minSec && n < this.minNsec)) { this.minSec = s; this.minNsec = n; }
    if (s > this.maxSec || (s === this.maxSec && n > this.maxNsec)) { this.maxSec = s; this.maxNsec = n; }
  }

  summary(format: CaptureFormat | undefined, interfaces: readonly CaptureInterface[]): CaptureSummary {
    const result: CaptureSummary = { format, interfaces: [...interfaces], packets: this.packets, dataBytes: this.dataBytes, capturedBytes: this.capturedBytes };
    if (this.packets > 0) {
      result.firstTime = isoTimeNs(this.minSec, this.minNsec);
      result.lastTime = isoTimeNs(this.maxSec, this.maxNsec);
      const durationNs = (this.maxSec - this.minSec) * 1e9 + (this.maxNsec - this.minNsec);
      result.durationSec = durationNs / 1e9;
      if (durationNs > 0) {
        result.packetsPerSec = (this.packets * 1e9) / durationNs;
        result.bytesPerSec = (this.dataBytes * 1e9) / durationNs;
      }
    }
    return result;
  }
}
