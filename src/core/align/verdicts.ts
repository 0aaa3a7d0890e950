/**
 * Verdicts about an aligned set of captures, each with the packet rows that prove it: lost or
 * delayed between two hops (per direction), duplicated on a capture, rewritten between hops
 * (MACs, TTL, VLAN, DSCP), reply missing, one-way traffic, and packets a capture missed.
 */
import type { AlignmentTable } from './alignmentTable';
import { PacketKind, PairRole } from './packetIdentity';
import type { SegmentDelays } from './segmentDelays';

export type VerdictKind = 'lost' | 'delayed' | 'duplicated' | 'rewritten' | 'reply-missing' | 'one-way' | 'not-captured' | 'super-segment';

/** TCP payload above this cannot cross a 1500-byte MTU: a GSO/TSO/GRO super-segment. */
const MAX_WIRE_TCP_PAYLOAD = 1460;

export interface Verdict {
  kind: VerdictKind;
  /** Direction 0/1, or -1 when not directional. */
  direction: number;
  /** Capture indexes of the segment (from, to), the capture for duplicates/not-captured, or []. */
  captures: number[];
  count: number;
  /** Up to MAX_EXAMPLE_ROWS proving rows. */
  rows: number[];
  /** Short machine-readable detail: the rewritten field and values, the delay, ... */
  detail: string;
}

export const MAX_EXAMPLE_ROWS = 20;

export function findVerdicts(
  table: AlignmentTable, orders: readonly (readonly number[])[], segments: readonly SegmentDelays[], onPath: (row: number) => boolean,
): Verdict[] {
  const out: Verdict[] = [];
  const bucket = new Map<string, Verdict>();
  const add = (key: string, make: () => Verdict, row: number): void => {
    let v = bucket.get(key);
    if (!v) { v = make(); bucket.set(key, v); out.push(v); }
    v.count++;
    if (v.rows.length < MAX_EXAMPLE_ROWS) v.rows.push(row);
  };
  for (let row = 0; row < table.rowCount; row++) {
    const d = table.dir(row);
    const order = orders[d];
    if (!onPath(row) || order.length < 2) continue;
    let last = -1;
    let first = -1;
    for (let i = 0; i < order.length; i++) {
      if (table.cell(row, order[i]) >= 0) { if (first < 0) first = i; last = i; }
    }
    if (first < 0) continue;
    for (let i = first + 1; i < last; i++) {
      const c = order[i];
      if (table.cell(row, c) < 0) add(`nc/${c}`, () => ({ kind: 'not-captured', direction: d, captures: [c], count: 0, rows: [], detail: '' }), row);
    }
    if (last < order.length - 1) {
      const a = order[last];
      const b = order[last + 1];
      add(`lost/${d}/${a}/${b}`, () => ({ kind: 'lost', direction: d, captures: [a, b], count: 0, rows: [], detail: '' }), row);
    }
    // Rewrites between consecutive sightings.
    let prev = -1;
    for (let i = first; i <= last; i++) {
      const c = order[i];
      const rec = table.cell(row, c);
      if (rec < 0) continue;
      if (prev >= 0) compareSignatures(table, row, prev, c, d, add);
      prev = c;
    }
  }
  for (const s of segments) {
    if (s.outlierRows.length === 0) continue;
    const v: Verdict = {
      kind: 'delayed', direction: s.direction, captures: [s.from, s.to], count: s.outlierRows.length,
      rows: s.outlierRows.slice(0, MAX_EXAMPLE_ROWS),
      detail: `p50 ${fmtMs(s.p50)}, outliers up to ${fmtMs(Math.max(...s.outlierDelays))}`,
    };
    out.push(v);
  }
  for (let k = 0; k < table.duplicates.length; k += 3) {
    const row = table.duplicates[k];
    const c = table.duplicates[k + 1];
    add(`dup/${c}`, () => ({ kind: 'duplicated', direction: -1, captures: [c], count: 0, rows: [], detail: '' }), row);
  }
  findReplyAndOneWay(table, add);
  findSuperSegments(table, add);
  return out;
}

type AddVerdict = (key: string, make: () => Verdict, row: number) => void;

function hexMac(v: number): string {
  const s = v.toString(16).padStart(12, '0');
  return s.match(/../g)?.join(':') ?? s;
}

function compareSignatures(table: AlignmentTable, row: number, a: number, b: number, d: number, add: AddVerdict): void {
  const ca = table.captures[a];
  const cb = table.captures[b];
  const ra = table.cell(row, a);
  const rb = table.cell(row, b);
  const check = (field: string, va: number, vb: number, show: (v: number) => string): void => {
    if (va < 0 || vb < 0 || va === vb) return;
    const detail = `${field} ${show(va)} -> ${show(vb)}`;
    add(`rw/${d}/${a}/${b}/${detail}`, () => ({ kind: 'rewritten', direction: d, captures: [a, b], count: 0, rows: [], detail }), row);
  };
  check('dst-mac', ca.dstMac[ra], cb.dstMac[rb], hexMac);
  check('src-mac', ca.srcMac[ra], cb.srcMac[rb], hexMac);
  check('ttl', ca.ttl[ra], cb.ttl[rb], String);
  check('vlan', ca.vlan[ra], cb.vlan[rb], String);
  check('dscp', ca.dscp[ra], cb.dscp[rb], String);
}

/** Requests whose reply never shows up anywhere; flows seen in one direction only. */
function findReplyAndOneWay(table: AlignmentTable, add: AddVerdict): void {
  const replies = new Set<number>();
  const flowDirs = new Map<number, number>();
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    if (cap.pairRole(rec) === PairRole.Reply) replies.add(cap.pairKey[rec]);
    const f = cap.flow[rec];
    if (f !== 0) flowDirs.set(f, (flowDirs.get(f) ?? 0) | (1 << cap.dir(rec)));
  }
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    const f = cap.flow[rec];
    if (cap.pairRole(rec) === PairRole.Request && !replies.has(cap.pairKey[rec])) {
      add(`rm/${f}`, () => ({ kind: 'reply-missing', direction: cap.dir(rec), captures: [], count: 0, rows: [], detail: '' }), row);
    }
    const dirs = flowDirs.get(f) ?? 0;
    if (f !== 0 && dirs !== 3) {
      add(`ow/${f}`, () => ({ kind: 'one-way', direction: cap.dir(rec), captures: [], count: 0, rows: [], detail: '' }), row);
    }
  }
}

/**
 * Offload super-segments (one 20 kB segment on vnet0, fourteen 1448-byte ones on the wire) do not
 * match the wire's segments by identity: report them per capture so "lost" is read with care.
 */
function findSuperSegments(table: AlignmentTable, add: AddVerdict): void {
  const C = table.captureCount;
  for (let row = 0; row < table.rowCount; row++) {
    for (let c = 0; c < C; c++) {
      const rec = table.cell(row, c);
      if (rec < 0) continue;
      const cap = table.captures[c];
      if (cap.kind(rec) === PacketKind.Tcp && cap.l4Length[rec] > MAX_WIRE_TCP_PAYLOAD) {
        add(`gso/${c}`, () => ({ kind: 'super-segment', direction: cap.dir(rec), captures: [c], count: 0, rows: [], detail: 'TCP segments larger than a 1500-byte MTU (GSO/TSO/GRO): not matched by byte range to other hops' }), row);
      }
    }
  }
}

export function fmtMs(sec: number): string {
  return `${(sec * 1000).toFixed(3)} ms`;
}
