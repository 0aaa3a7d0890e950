/**
 * Order of the captures along each direction, from corrected timestamps: for every pair of captures
 * count the rows seen first at one then at the other; rank captures by pairwise wins (Copeland).
 * Requests A→B cross the hops in one order, replies in the reverse: the two directions are ranked
 * together and each direction's order is that ranking (reversed for direction 1).
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
  // table.time inlined (cells and time columns read directly): this runs over every row.
  const cells = table.cells;
  const bases = table.timeBases();
  const offsets = table.offsets;
  const times = table.captures.map((cap) => cap.time);
  for (let row = 0; row < table.rowCount; row++) {
    const d = table.dir(row);
    let n = 0;
    for (let c = 0; c < C; c++) {
      const r = cells[row * C + c];
      if (r < 0) t[c] = NaN;
      else { t[c] = (times[c][r] + bases[c]) + offsets[c]; n++; }
    }
    if (n < 2) continue;
    const b = before[d];
    for (let a = 0; a < C; a++) {
      if (Number.isNaN(t[a])) continue;
      present[d][a]++;
      for (let c = 0; c < C; c++) if (c !== a && !Number.isNaN(t[c]) && t[a] < t[c]) b[a * C + c]++;
    }
  }
  // Both directions cross the same hops in opposite orders, so their evidence is pooled: "a before c"
  // going one way counts with "c before a" coming back. Across hosts the corrected times carry the
  // clock-offset uncertainty (often larger than a hop's microseconds); pooling lets the direction
  // with clearer evidence settle pairs the other one cannot.
  const [b0, b1] = before;
  const joint = new Float64Array(C * C);
  for (let a = 0; a < C; a++) for (let c = 0; c < C; c++) joint[a * C + c] = b0[a * C + c] + b1[c * C + a];
  const caps: number[] = [];
  for (let c = 0; c < C; c++) if (present[0][c] > 0 || present[1][c] > 0) caps.push(c);
  const wins = (a: number): number => caps.reduce((s, c) => s + (c !== a && joint[a * C + c] > joint[c * C + a] ? 1 : 0), 0);
  const score = new Map(caps.map((c) => [c, wins(c)]));
  caps.sort((x, y) => (score.get(y) ?? 0) - (score.get(x) ?? 0) || joint[y * C + x] - joint[x * C + y] || x - y);
  const byDirection: [number[], number[]] = [caps.filter((c) => present[0][c] > 0), [...caps].reverse().filter((c) => present[1][c] > 0)];
  const consistency: [number, number] = [orderConsistency(byDirection[0], b0, C), orderConsistency(byDirection[1], b1, C)];
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
