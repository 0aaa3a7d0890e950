/**
 * Per segment (two consecutive hops of one direction): the corrected delays of the packets seen on
 * both, their distribution, and the outliers (> p50 + k·MAD and > p50 + an absolute floor).
 */
import type { AlignmentTable } from './alignmentTable';

export interface SegmentDelays {
  direction: number;
  /** Index in the direction's hop order of the segment's first hop. */
  hop: number;
  from: number;
  to: number;
  /** Rows that reached `from` (and are on the path). */
  packets: number;
  /** Rows seen on both ends. */
  matched: number;
  p50: number;
  p99: number;
  max: number;
  mad: number;
  /** Rows whose delay on this segment is an outlier, with their delay. */
  outlierRows: number[];
  outlierDelays: number[];
}

export interface DelayOptions {
  /** Outlier when delay > p50 + madFactor · MAD ... Default 8. */
  madFactor?: number;
  /** ... and delay > p50 + floorSec. Default 1 ms. */
  floorSec?: number;
}

export function measureSegmentDelays(
  table: AlignmentTable, direction: number, order: readonly number[], onPath: (row: number) => boolean, options: DelayOptions = {},
): SegmentDelays[] {
  const k = options.madFactor ?? 8;
  const floor = options.floorSec ?? 0.001;
  const out: SegmentDelays[] = [];
  for (let h = 0; h + 1 < order.length; h++) {
    const a = order[h];
    const b = order[h + 1];
    // Typed buffers: one segment can hold millions of delays.
    const rows = new Int32Array(table.rowCount);
    const delays = new Float64Array(table.rowCount);
    let n = 0;
    let packets = 0;
    for (let row = 0; row < table.rowCount; row++) {
      if (table.dir(row) !== direction) continue;
      const ta = table.time(row, a);
      if (Number.isNaN(ta) || !onPath(row)) continue;
      packets++;
      const tb = table.time(row, b);
      if (Number.isNaN(tb)) continue;
      rows[n] = row;
      delays[n++] = tb - ta;
    }
    const sorted = delays.slice(0, n).sort();
    const p50 = quantile(sorted, 0.5);
    const dev = new Float64Array(n);
    for (let i = 0; i < n; i++) dev[i] = Math.abs(sorted[i] - p50);
    dev.sort();
    const mad = quantile(dev, 0.5);
    const outlierRows: number[] = [];
    const outlierDelays: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = delays[i];
      if (v > p50 + k * mad && v > p50 + floor) { outlierRows.push(rows[i]); outlierDelays.push(v); }
    }
    out.push({
      direction, hop: h, from: a, to: b, packets, matched: n,
      p50, p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN, mad,
      outlierRows, outlierDelays,
    });
  }
  return out;
}

export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
