/**
 * Joins the sightings of one packet across NAT (SNAT, DNAT, masquerade, floating IPs): the identity
 * hashes the addresses and ports, so a packet rewritten between two hops lands in two rows, each
 * on the captures of its own side. Rows missing some capture are grouped by the NAT-invariant key
 * (IP id, TCP seq/ack/flags/timestamp or ICMP seq, payload), and two rows join when their captures
 * do not overlap, their times are within the window and their address/port tuples differ.
 */
import { AlignmentTable } from './alignmentTable';

export interface NatJoin {
  /** The table with joined rows (the input itself when nothing was joined). */
  table: AlignmentTable;
  /** Flow hash at a capture → the flow hash of the joined row's first capture (its canonical flow). */
  flowAlias: Map<number, number>;
  joinedRows: number;
}

function tupleAt(t: AlignmentTable, row: number, c: number): string {
  const cap = t.captures[c];
  const r = t.cell(row, c);
  return `${cap.flow[r]}/${cap.src4[r]}/${cap.dst4[r]}/${cap.port1[r]}/${cap.port2[r]}`;
}

export function joinAcrossNat(table: AlignmentTable, windowSec = 0.5): NatJoin {
  const C = table.captureCount;
  const flowAlias = new Map<number, number>();
  const byKey = new Map<number, number[]>();
  for (let row = 0; row < table.rowCount; row++) {
    let n = 0;
    for (let c = 0; c < C; c++) if (table.cell(row, c) >= 0) n++;
    if (n === C) continue;
    const c0 = table.firstCapture(row);
    const key = table.captures[c0].natKey[table.cell(row, c0)];
    if (key === 0) continue;
    const list = byKey.get(key);
    if (list) list.push(row); else byKey.set(key, [row]);
  }
  // into[row] = the row it was joined into, or -1.
  const into = new Int32Array(table.rowCount).fill(-1);
  let joinedRows = 0;
  const cells = table.cells;
  for (const rows of byKey.values()) {
    if (rows.length < 2) continue;
    for (let i = 0; i < rows.length; i++) {
      const a = rows[i];
      if (into[a] >= 0) continue;
      for (let j = i + 1; j < rows.length; j++) {
        const b = rows[j];
        if (into[b] >= 0) continue;
        let overlap = false;
        let dt = Infinity;
        for (let c = 0; c < C && !overlap; c++) {
          const ia = cells[a * C + c];
          const ib = cells[b * C + c];
          if (ia >= 0 && ib >= 0) overlap = true;
        }
        if (overlap) continue;
        const ca = table.firstCapture(a);
        const cb = table.firstCapture(b);
        dt = Math.abs(table.time(a, ca) - table.time(b, cb));
        if (dt > windowSec || tupleAt(table, a, ca) === tupleAt(table, b, cb)) continue;
        const fa = table.captures[ca].flow[table.cell(a, ca)];
        const fb = table.captures[cb].flow[table.cell(b, cb)];
        const canon = flowAlias.get(fa) ?? fa;
        flowAlias.set(fa, canon);
        if (!flowAlias.has(fb)) flowAlias.set(fb, canon);
        for (let c = 0; c < C; c++) if (cells[b * C + c] >= 0) cells[a * C + c] = cells[b * C + c];
        into[b] = a;
        joinedRows++;
      }
    }
  }
  if (joinedRows === 0) return { table, flowAlias, joinedRows };
  const out = new AlignmentTable(table.captures, table.offsets, table.originSec, table.rowCount);
  const newIndex = new Int32Array(table.rowCount).fill(-1);
  for (let row = 0; row < table.rowCount; row++) {
    if (into[row] >= 0) continue;
    const r = out.addRow();
    newIndex[row] = r;
    out.cells.set(cells.subarray(row * C, row * C + C), r * C);
  }
  for (let k = 0; k < table.duplicates.length; k += 3) {
    const row = table.duplicates[k];
    const target = into[row] >= 0 ? into[row] : row;
    out.duplicates.push(newIndex[target], table.duplicates[k + 1], table.duplicates[k + 2]);
  }
  out.freeze();
  return { table: out, flowAlias, joinedRows };
}
