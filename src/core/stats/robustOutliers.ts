/**
 * Median / MAD outlier rule shared by the per-second series and the echo round trips: a value is an
 * outlier when it exceeds both median + 5·MAD and 2 × median. MAD alone flags noise on a flat series
 * (MAD 0); the 2× floor keeps a one-second burst that minute averages hide and nothing smaller.
 */
export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const m = n >> 1;
  return n % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

export interface RobustCentre { median: number; mad: number }

export function robustCentre(values: ArrayLike<number>): RobustCentre {
  const sorted = Float64Array.from(values).sort();
  const med = median(sorted);
  const dev = Float64Array.from(sorted, (v) => Math.abs(v - med)).sort();
  return { median: med, mad: median(dev) };
}

export function isOutlier(value: number, c: RobustCentre): boolean {
  return value > c.median + 5 * c.mad && value > 2 * c.median;
}

/** Nearest-rank percentile (p in 0..100) of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
