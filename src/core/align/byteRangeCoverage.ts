/**
 * TCP byte-range matching across offloads: a GSO/TSO super-segment covering seq [a, b) on one hop
 * is the same data as the wire-sized segments tiling [a, b) on the next (and GRO the reverse), but
 * their identities differ (length, IP id). For a TCP data row missing on a capture, this finds the
 * segments of the same flow and direction on that capture, within the time window, that cover its
 * bytes. Only rows missing on some capture are indexed, and a covering segment must itself be
 * absent from the capture where the row was seen (so a retransmission does not hide a loss).
 */
import type { AlignmentTable } from './alignmentTable';
import { PacketKind } from './packetIdentity';

export interface ByteCover {
  /** Every byte of the row's range is present on the capture. */
  covered: boolean;
  /** Rows of the covering segments, in sequence order. */
  parts: number[];
  /** Bytes of the row's range missing on the capture. */
  missingBytes: number;
  /** One segment longer than the row covers it (the row is a piece of a super-segment). */
  byLarger: boolean;
}

interface Segment { rel: number; len: number; row: number; time: number }

const SEQ_GUARD = 0x40000000;

export class ByteRangeCoverage {
  /** Per capture: key (canonical flow, direction) → segments sorted by relative seq. */
  private readonly index: Map<number, Segment[]>[] = [];
  private readonly base = new Map<number, number>();
  private readonly maxLen = new Map<number, number>();

  constructor(private readonly table: AlignmentTable, private readonly canonicalFlow: (flow: number) => number, private readonly windowSec = 0.5) {
    const C = table.captureCount;
    for (let c = 0; c < C; c++) this.index.push(new Map());
    for (let row = 0; row < table.rowCount; row++) {
      if (!this.isTcpData(row)) continue;
      let n = 0;
      for (let c = 0; c < C; c++) if (table.cell(row, c) >= 0) n++;
      if (n === C) continue;
      const key = this.keyOf(row);
      for (let c = 0; c < C; c++) {
        const rec = table.cell(row, c);
        if (rec < 0) continue;
        const cap = table.captures[c];
        if (!this.base.has(key)) this.base.set(key, (cap.tcpSeq[rec] - SEQ_GUARD) >>> 0);
        const len = cap.l4Length[rec];
        const list = this.index[c].get(key);
        const seg = { rel: this.rel(key, cap.tcpSeq[rec]), len, row, time: table.timeOf(c, rec) };
        if (list) list.push(seg); else this.index[c].set(key, [seg]);
        if (len > (this.maxLen.get(key) ?? 0)) this.maxLen.set(key, len);
      }
    }
    for (const m of this.index) for (const list of m.values()) list.sort((x, y) => x.rel - y.rel);
  }

  /** A TCP segment carrying data (the only packets offloads split or merge). */
  isTcpData(row: number): boolean {
    const t = this.table;
    const c = t.firstCapture(row);
    const rec = t.cell(row, c);
    const cap = t.captures[c];
    return cap.kind(rec) === PacketKind.Tcp && cap.l4Length[rec] > 0;
  }

  private keyOf(row: number): number {
    const t = this.table;
    const c = t.firstCapture(row);
    const cap = t.captures[c];
    return this.canonicalFlow(cap.flow[t.cell(row, c)]) * 2 + t.dir(row);
  }

  private rel(key: number, seq: number): number {
    return (seq - (this.base.get(key) ?? 0)) >>> 0;
  }

  /** How the bytes of `row` (seen on capture `seenOn`) are present on capture `c`; null if not TCP data. */
  cover(row: number, seenOn: number, c: number): ByteCover | null {
    const t = this.table;
    const recSeen = t.cell(row, seenOn);
    if (recSeen < 0 || t.cell(row, c) >= 0 || !this.isTcpData(row)) return null;
    const key = this.keyOf(row);
    const list = this.index[c].get(key);
    const cap = t.captures[seenOn];
    const len = cap.l4Length[recSeen];
    const none: ByteCover = { covered: false, parts: [], missingBytes: len, byLarger: false };
    if (!list || !this.base.has(key)) return none;
    const start = this.rel(key, cap.tcpSeq[recSeen]);
    const end = start + len;
    const time = t.timeOf(seenOn, recSeen);
    const from = start - (this.maxLen.get(key) ?? 0);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid].rel < from) lo = mid + 1; else hi = mid; }
    let pos = start;
    let missing = 0;
    const parts: number[] = [];
    let byLarger = false;
    for (let k = lo; k < list.length && list[k].rel < end; k++) {
      const s = list[k];
      const sEnd = s.rel + s.len;
      if (sEnd <= pos || Math.abs(s.time - time) > this.windowSec || t.cell(s.row, seenOn) >= 0) continue;
      if (s.rel > pos) missing += s.rel - pos;
      pos = sEnd;
      parts.push(s.row);
      if (s.len > len && s.rel <= start && sEnd >= end) byLarger = true;
    }
    if (pos < end) missing += end - pos;
    return { covered: missing === 0 && parts.length > 0, parts, missingBytes: missing, byLarger };
  }
}
