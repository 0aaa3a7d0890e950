/**
 * Order of the captures along each direction, from corrected timestamps: for every pair of captures
 * count the rows seen first at one then at the other; rank captures by pairwise wins (Copeland).
 * Requests A→B cross the hops in one order, replies in the reverse.
 */
import type { AlignmentTable } from './alignmentTable';

export interface HopOrder {
  /** Capture indexes in path order, for direction 0 and direction 1 (captures never seen omitted). */
  byDirection: [number[], number[]];
  /** Fraction of pairwise comparisons that agree with the chosen order (1 = fully consistent). */
  consistency: [number, number];
}

export function inferHopOrder(table: AlignmentTable): HopOrder {
  const C = table.captureCount;
  const before = [new Float64Array(C * C), new Float64Array(C * C)];
  const present = [new Float64Array(C), new Float64Array(C)];
  const t = new Float64Array(C);
  for (let row = 0; row < table.rowCount; row++) {
    const d = table.dir(row);
    let n = 0;
    for (let c = 0; c < C; c++) { t[c] = table.time(row, c); if (!Number.isNaN(t[c])) n++; }
    if (n < 2) continue;
    const b = before[d];
    for (let a = 0; a < C; a++) {
      if (Number.isNaN(t[a])) continue;
      present[d][a]++;
      for (let c = 0; c < C; c++) if (c !== a && !Number.isNaN(t[c]) && t[a] < t[c]) b[a * C + c]++;
    }
  }
  const byDirection: [number[], number[]] = [[], []];
  const consistency: [number, number] = [1, 1];
  for (let d = 0; d < 2; d++) {
    const caps: number[] = [];
    for (let c = 0; c < C; c++) if (present[d][c] > 0) caps.push(c);
    const b = before[d];
    const wins = (a: number): number => caps.reduce((s, c) => s + (c !== a && b[a * C + c] > b[c * C + a] ? 1 : 0), 0);
    const score = new Map(caps.map((c) => [c, wins(c)]));
    caps.sort((x, y) => (score.get(y) ?? 0) - (score.get(x) ?? 0) || b[y * C + x] - b[x * C + y] || x - y);
    byDirection[d] = caps;
    consistency[d] = orderConsistency(caps, b, C);
  }
  return { byDirection, consistency };
}

/** Share of the pairwise "a before c" counts that agree with `order`. */
export function orderConsistency(order: readonly number[], before: Float64Array, C: number): number {
  let agree = 0;
  let total = 0;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      agree += before[order[i] * C + order[j]];
      total += before[order[i] * C + order[j]] + before[order[j] * C + order[i]];
    }
  }
  return total === 0 ? 1 : agree / total;
}
