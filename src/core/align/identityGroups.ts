/**
 * Groups every occurrence of every capture by identity (idA, idB) with an open-addressing hash table
 * in typed arrays (no string keys, no object per packet), then lays the occurrences out group by group
 * with a counting sort: linear in the total number of packets.
 */
import type { CaptureColumns } from './captureColumns';

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
  for (let c = 0; c < C; c++) captureStart[c + 1] = captureStart[c] + captures[c].length;
  const total = captureStart[C];
  let size = 1024;
  while (size < total * 1.5) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const groupKeyA = new Uint32Array(Math.max(1, total));
  const groupKeyB = new Uint32Array(Math.max(1, total));
  const occurrenceGroup = new Int32Array(total);
  const occurrenceCapture = new Uint8Array(total);
  const groupSize = new Int32Array(total + 1);
  let groupCount = 0;
  for (let c = 0; c < C; c++) {
    const cap = captures[c];
    const idA = cap.idA;
    const idB = cap.idB;
    const base = captureStart[c];
    for (let i = 0; i < cap.length; i++) {
      const a = idA[i];
      const b = idB[i];
      let s = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
      let g: number;
      for (;;) {
        g = slots[s];
        if (g < 0) {
          g = groupCount++;
          slots[s] = g;
          groupKeyA[g] = a;
          groupKeyB[g] = b;
          break;
        }
        if (groupKeyA[g] === a && groupKeyB[g] === b) break;
        s = (s + 1) & mask;
      }
      occurrenceGroup[base + i] = g;
      occurrenceCapture[base + i] = c;
      groupSize[g]++;
    }
  }
  const groupStart = new Int32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) groupStart[g + 1] = groupStart[g] + groupSize[g];
  const fill = groupSize; // reused as the write cursor
  fill.set(groupStart.subarray(0, groupCount));
  const order = new Int32Array(total);
  for (let o = 0; o < total; o++) order[fill[occurrenceGroup[o]]++] = o;
  return { captureStart, occurrenceCapture, groupCount, groupStart, order };
}
