/**
 * Groups every occurrence of every capture by identity (idA, idB) with an open-addressing hash table
 * in typed arrays (no string keys, no object per packet), then lays the occurrences out group by group
 * with a counting sort: linear in the total number of packets.
 *
 * Speed (bench/align.ts, 4 × 1M packets): captures of one path see mostly the same packets in mostly
 * the same order, so the group after the one a capture's previous packet joined is tried first (a
 * compare of two uint32s on memory read sequentially); only a miss probes the hash table, whose slots
 * hold the group's first key word next to the group id (one cache line per probe), sized from the
 * groups actually created (it grows) rather than from the total number of packets.
 */
import type { CaptureColumns } from './captureColumns';
import { IdentityTable } from './identityTable';

export interface IdentityGroups {
  /** Global occurrence index g = captureStart[c] + record index. */
  captureStart: Int32Array;
  occurrenceCapture: Uint8Array;
  groupCount: number;
  /** Occurrences of group k are order[groupStart[k] .. groupStart[k+1]), in capture then record order. */
  groupStart: Int32Array;
  order: Int32Array;
}

export function groupByIdentity(captures: readonly CaptureColumns[]): IdentityGroups {
  const C = captures.length;
  const captureStart = new Int32Array(C + 1);
  let largest = 0;
  for (let c = 0; c < C; c++) {
    captureStart[c + 1] = captureStart[c] + captures[c].length;
    largest = Math.max(largest, captures[c].length);
  }
  const total = captureStart[C];
  const table = new IdentityTable(largest * 2, Math.max(1, total));
  const occurrenceGroup = new Int32Array(total);
  const occurrenceCapture = new Uint8Array(total);
  const groupSize = new Int32Array(total + 1);
  const { keyA, keyB } = table;
  for (let c = 0; c < C; c++) {
    const cap = captures[c];
    const idA = cap.idA;
    const idB = cap.idB;
    const base = captureStart[c];
    let next = 0;
    for (let i = 0; i < cap.length; i++) {
      const a = idA[i];
      const b = idB[i];
      let g = next;
      if (g >= table.groupCount || keyA[g] !== a || keyB[g] !== b) g = table.findOrAdd(a, b);
      next = g + 1;
      occurrenceGroup[base + i] = g;
      occurrenceCapture[base + i] = c;
      groupSize[g]++;
    }
  }
  const groupCount = table.groupCount;
  const groupStart = new Int32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) groupStart[g + 1] = groupStart[g] + groupSize[g];
  const fill = groupSize; // reused as the write cursor
  fill.set(groupStart.subarray(0, groupCount));
  const order = new Int32Array(total);
  for (let o = 0; o < total; o++) order[fill[occurrenceGroup[o]]++] = o;
  return { captureStart, occurrenceCapture, groupCount, groupStart, order };
}
