/**
 * Per segment (two consecutive hops of one direction): the corrected delays of the packets seen on
 * both, their distribution, and the outliers (> p50 + k·MAD and > p50 + an absolute floor).
 */
import type { AlignmentTable } from './alignmentTable';
import { selectKth } from './selectKth';

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
  // Typed buffers shared by the segments: one segment can hold millions of delays.
  const rows = new Int32Array(table.rowCount);
  const delays = new Float64Array(table.rowCount);
  const work = new Float64Array(table.rowCount);
  // The direction's on-path rows, found once for all its segments.
  const candidates = new Int32Array(table.rowCount);
  let candidateCount = 0;
  if (order.length > 1) {
    for (let row = 0; row < table.rowCount; row++) if (table.dir(row) === direction && onPath(row)) candidates[candidateCount++] = row;
  }
  // table.time inlined: the cells and time columns read directly (millions of rows per segment).
  const C = table.captureCount;
  const cells = table.cells;
  const bases = table.timeBases();
  for (let h = 0; h + 1 < order.length; h++) {
    const a = order[h];
    const b = order[h + 1];
    const timeA = table.captures[a].time;
    const timeB = table.captures[b].time;
    const baseA = bases[a];
    const baseB = bases[b];
    const offA = table.offsets[a];
    const offB = table.offsets[b];
    let n = 0;
    let packets = 0;
    for (let i = 0; i < candidateCount; i++) {
      const row = candidates[i];
      const ra = cells[row * C + a];
      if (ra < 0) continue;
      packets++;
      const rb = cells[row * C + b];
      if (rb < 0) continue;
      rows[n] = row;
      delays[n++] = ((timeB[rb] + baseB) + offB) - ((timeA[ra] + baseA) + offA);
    }
    // Order statistics by selection, not sorting: the same values as indexing the sorted delays
    // with quantileIndex (p50, p99) and taking the last (max).
    const sample = work.subarray(0, n);
    sample.set(delays.subarray(0, n));
    let max = n ? sample[0] : NaN;
    for (let i = 1; i < n; i++) if (sample[i] > max) max = sample[i];
    const i50 = quantileIndex(n, 0.5);
    const i99 = quantileIndex(n, 0.99);
    const p50 = n ? selectKth(sample, i50) : NaN;
    // After selecting i50, everything above it is ≥ p50: p99 is selected among those only.
    const p99 = n ? (i99 === i50 ? p50 : selectKth(sample, i99, i50 + 1, n - 1)) : NaN;
    for (let i = 0; i < n; i++) sample[i] = Math.abs(delays[i] - p50);
    const mad = n ? selectKth(sample, i50) : NaN;
    const outlierRows: number[] = [];
    const outlierDelays: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = delays[i];
      if (v > p50 + k * mad && v > p50 + floor) { outlierRows.push(rows[i]); outlierDelays.push(v); }
    }
    out.push({
      direction, hop: h, from: a, to: b, packets, matched: n,
      p50, p99, max, mad,
      outlierRows, outlierDelays,
    });
  }
  return out;
}

/** Index in the sorted values of the q-quantile (nearest rank, the smallest value with ≥ q of them at or below). */
export function quantileIndex(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
}

export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[quantileIndex(sorted.length, q)];
}
