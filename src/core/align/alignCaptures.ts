/**
 * N-way alignment: identity groups → packet rows. An identity seen at most once per capture is one
 * row. A repeated identity (retransmission, ARP request every second, `-i any` copies) is paired by
 * nearest corrected timestamp against an anchor capture, one-to-one, within a window — never "first
 * unused", which mis-pairs repeats as soon as one copy is missing.
 */
import type { CaptureColumns } from './captureColumns';
import { AlignmentTable } from './alignmentTable';
import { groupByIdentity, type IdentityGroups } from './identityGroups';

export interface AlignOptions {
  /** Seconds added to each capture's times (clock correction); default all 0. */
  offsets?: Float64Array;
  /** Largest corrected time difference between two sightings of one packet. Default 0.5 s. */
  windowSec?: number;
  /** Same identity on one capture closer than this is a copy, not a new packet. Default 1 ms. */
  duplicateWindowSec?: number;
  /** Only rows of identities seen at most once per capture (pass 1, before clocks are known). */
  uniqueOnly?: boolean;
  /** Identity groups of these captures from an earlier pass (they do not depend on clocks). */
  groups?: IdentityGroups;
}

export function alignCaptures(captures: readonly CaptureColumns[], options: AlignOptions = {}): AlignmentTable {
  const C = captures.length;
  if (C > 255) throw new Error('at most 255 captures can be aligned');
  const offsets = options.offsets ?? new Float64Array(C);
  const windowSec = options.windowSec ?? 0.5;
  const dupWindow = options.duplicateWindowSec ?? 0.001;
  let originSec = Infinity;
  for (const cap of captures) if (cap.length > 0 && cap.baseSec < originSec) originSec = cap.baseSec;
  if (!Number.isFinite(originSec)) originSec = 0;
  const groups = options.groups ?? groupByIdentity(captures);
  const table = new AlignmentTable(captures, offsets, originSec, Math.max(1024, groups.groupCount));
  const { order, groupStart, captureStart, occurrenceCapture } = groups;
  const seen = new Int32Array(C);
  let stamp = 0;
  // table.timeOf inlined (same operations, same order): it runs once per occurrence.
  const times = captures.map((cap) => cap.time);
  const bases = table.timeBases();
  const offs = table.offsets;
  const uniqueOnly = options.uniqueOnly === true;
  const scratch: number[] = [];
  for (let g = 0; g < groups.groupCount; g++) {
    const s = groupStart[g];
    const e = groupStart[g + 1];
    // Fast path: at most one occurrence per capture, within the window.
    stamp++;
    let unique = true;
    let tMin = Infinity;
    let tMax = -Infinity;
    for (let k = s; k < e; k++) {
      const o = order[k];
      const c = occurrenceCapture[o];
      if (seen[c] === stamp) { unique = false; break; }
      seen[c] = stamp;
      if (uniqueOnly) continue; // no window check: the times are not needed
      const t = (times[c][o - captureStart[c]] + bases[c]) + offs[c];
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
    }
    if (unique && (options.uniqueOnly || tMax - tMin <= windowSec)) {
      const row = table.addRow();
      const cells = table.cells; // after addRow, which may grow it
      for (let k = s; k < e; k++) {
        const o = order[k];
        const c = occurrenceCapture[o];
        cells[row * C + c] = o - captureStart[c];
      }
      continue;
    }
    if (options.uniqueOnly) continue;
    scratch.length = 0;
    for (let k = s; k < e; k++) scratch.push(order[k]);
    alignRepeatedIdentity(table, scratch, captureStart, occurrenceCapture, windowSec, dupWindow);
  }
  table.freeze();
  return table;
}

/** Pairs the occurrences (global indexes) of one repeated identity. */
function alignRepeatedIdentity(
  table: AlignmentTable, occ: number[], captureStart: Int32Array, occurrenceCapture: Uint8Array,
  windowSec: number, dupWindow: number,
): void {
  const C = table.captureCount;
  // Per capture: record indexes sorted by corrected time, copies removed.
  const perCapture: { rec: number[]; t: number[] }[] = [];
  for (let c = 0; c < C; c++) perCapture.push({ rec: [], t: [] });
  const rows: number[] = []; // rows created for this identity, used for the copies' row lookup
  occ.sort((x, y) => {
    const cx = occurrenceCapture[x];
    const cy = occurrenceCapture[y];
    return cx - cy || table.timeOf(cx, x - captureStart[cx]) - table.timeOf(cy, y - captureStart[cy]);
  });
  const copies: { c: number; rec: number; t: number }[] = [];
  for (const o of occ) {
    const c = occurrenceCapture[o];
    const rec = o - captureStart[c];
    const t = table.timeOf(c, rec);
    const pc = perCapture[c];
    const last = pc.t.length - 1;
    if (last >= 0 && t - pc.t[last] <= dupWindow) copies.push({ c, rec, t });
    else { pc.rec.push(rec); pc.t.push(t); }
  }
  // Anchor: the capture with the most occurrences; one row per anchor occurrence.
  let anchor = 0;
  for (let c = 1; c < C; c++) if (perCapture[c].rec.length > perCapture[anchor].rec.length) anchor = c;
  const rowTime: number[] = [];
  for (let k = 0; k < perCapture[anchor].rec.length; k++) {
    const row = table.addRow();
    table.cells[row * C + anchor] = perCapture[anchor].rec[k];
    rows.push(row);
    rowTime.push(perCapture[anchor].t[k]);
  }
  const anchorCount = rows.length;
  for (let c = 0; c < C; c++) {
    if (c === anchor) continue;
    const { rec, t } = perCapture[c];
    const claimDist: number[] = new Array<number>(anchorCount).fill(Infinity);
    const claimBy: number[] = new Array<number>(anchorCount).fill(-1);
    let j = 0;
    for (let k = 0; k < rec.length; k++) {
      // rowTime is sorted for the anchor rows: move j to the nearest one.
      while (j + 1 < anchorCount && Math.abs(rowTime[j + 1] - t[k]) <= Math.abs(rowTime[j] - t[k])) j++;
      const d = anchorCount > 0 ? Math.abs(rowTime[j] - t[k]) : Infinity;
      if (d <= windowSec && d < claimDist[j]) {
        if (claimBy[j] >= 0) leftover(table, rows, rowTime, anchorCount, c, rec[claimBy[j]], t[claimBy[j]], windowSec);
        claimDist[j] = d;
        claimBy[j] = k;
      } else {
        leftover(table, rows, rowTime, anchorCount, c, rec[k], t[k], windowSec);
      }
    }
    for (let r = 0; r < claimBy.length; r++) {
      if (claimBy[r] >= 0) table.cells[rows[r] * C + c] = rec[claimBy[r]];
    }
  }
  for (const cp of copies) {
    // The row holding the capture's nearest earlier sighting.
    let best = -1;
    let bestD = Infinity;
    for (const row of rows) {
      const rec = table.cells[row * C + cp.c];
      if (rec < 0) continue;
      const d = Math.abs(table.timeOf(cp.c, rec) - cp.t);
      if (d < bestD) { bestD = d; best = row; }
    }
    if (best >= 0) table.duplicates.push(best, cp.c, cp.rec);
  }
}

/** An occurrence no anchor row took: join a non-anchor row lacking this capture, or start one. */
function leftover(
  table: AlignmentTable, rows: number[], rowTime: number[], anchorCount: number, c: number, rec: number, t: number, windowSec: number): void {
  const C = table.captureCount;
  let best = -1;
  let bestD = Infinity;
  for (let k = anchorCount; k < rows.length; k++) {
    if (table.cells[rows[k] * C + c] >= 0) continue;
    const d = Math.abs(rowTime[k] - t);
    if (d <= windowSec && d < bestD) { bestD = d; best = k; }
  }
  if (best >= 0) { table.cells[rows[best] * C + c] = rec; return; }
  const row = table.addRow();
  table.cells[row * C + c] = rec;
  rows.push(row);
  rowTime.push(t);
}

