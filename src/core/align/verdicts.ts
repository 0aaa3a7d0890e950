/**
 * Verdicts about an aligned set of captures, each with the packet rows that prove it: lost or
 * delayed between two hops (per direction), duplicated on a capture, rewritten between hops
 * (MACs, TTL, VLAN, DSCP), reply missing, one-way traffic, and packets a capture missed.
 */
import type { AlignmentTable } from './alignmentTable';
import type { ByteCover, ByteRangeCoverage } from './byteRangeCoverage';
import { FlowMaskTable } from './flowMaskTable';
import { isGroupDestination } from './groupDestination';
import { GroupEchoRequests } from './groupEchoRequests';
import { natRewrite } from './natRewrite';
import { PacketKind, PairRole } from './packetIdentity';
import { isRoutedHop, unexpectedTtlChange } from './routedHop';
import type { SegmentDelays } from './segmentDelays';
import { rowMarkRank, type RowMarks } from './rowMarks';

export type VerdictKind = 'lost' | 'delayed' | 'duplicated' | 'rewritten' | 'reply-missing' | 'one-way' | 'not-captured' | 'super-segment'
  /** Information: super-segments on one hop, the same bytes as wire-sized segments on the next (GSO/TSO). */
  | 'segmented'
  /** Information: wire-sized segments on one hop, the same bytes as one larger segment on the next (GRO). */
  | 'coalesced'
  /** Addresses and/or ports rewritten between two hops (SNAT/DNAT/masquerade/floating IP); one verdict per flow. */
  | 'nat'
  /** Information: TTL/hop limit down by exactly one and MACs rewritten: a router forwarded the packets. */
  | 'routed';

/** Verdicts that describe expected behaviour (offloads, routing), not a fault. */
export const INFORMATION_VERDICTS: ReadonlySet<VerdictKind> = new Set<VerdictKind>(['segmented', 'coalesced', 'routed', 'super-segment']);

export interface VerdictOptions {
  /** TCP byte-range matching (GSO/TSO/GRO); without it super-segments are not matched. */
  coverage?: ByteRangeCoverage;
  /** Filled with every row's verdicts as they are decided (the compare view's per-row badges). */
  marks?: RowMarks;
}

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
  options: VerdictOptions = {},
): Verdict[] {
  const out: Verdict[] = [];
  const bucket = new Map<string, { v: Verdict; index: number; rank: number }>();
  const marks = options.marks;
  // Captures come as up to two numbers (-1: none), so the per-row calls allocate nothing once the verdict exists.
  // The same verdict comes back row after row (every packet through a router): its entry is kept.
  let lastKey = '';
  let last: { v: Verdict; index: number; rank: number } | undefined;
  const add: AddVerdict = (key, kind, direction, capA, capB, detail, row, evidence) => {
    let e = key === lastKey ? last : bucket.get(key);
    if (!e) {
      const captures = capA < 0 ? [] : capB < 0 ? [capA] : [capA, capB];
      e = { v: { kind, direction, captures, count: 0, rows: [], detail }, index: out.length, rank: rowMarkRank(kind) };
      bucket.set(key, e);
      out.push(e.v);
    }
    lastKey = key;
    last = e;
    const v = e.v;
    v.count++;
    if (marks && e.rank >= 0) marks.mark(row, e.rank, e.index, capA, capB);
    if (v.rows.length < MAX_EXAMPLE_ROWS) v.rows.push(row);
    // Proving rows of the other side (the segments tiling a super-segment): a few, not counted.
    if (evidence) for (const r of evidence) if (v.rows.length < MAX_EXAMPLE_ROWS && !v.rows.includes(r)) v.rows.push(r);
  };
  const rewrites = new RewriteTally(add);
  const coverage = options.coverage;
  /** 1 for rows whose bytes were matched across an offload (no super-segment warning). */
  const explained = new Uint8Array(table.rowCount);
  /** 1 for rows lost on the way: the request never reached the far end, so no reply-missing for it. */
  const lostOnPath = new Uint8Array(table.rowCount);
  const state = new Int8Array(Math.max(1, ...orders.map((o) => o.length)));
  /** Rows merged into a larger segment downstream (GRO), as row, direction, from, to. */
  const mergedRows: number[] = [];
  const covers: (ByteCover | null)[] = new Array<ByteCover | null>(state.length).fill(null);
  for (let row = 0; row < table.rowCount; row++) {
    const d = table.dir(row);
    const order = orders[d];
    if (!onPath(row) || order.length < 2) continue;
    // Presence per hop: 1 seen, 2 its bytes seen in other segments (offloads), 0 absent.
    let anchor = -1;
    for (let i = 0; i < order.length; i++) if (table.cell(row, order[i]) >= 0) { anchor = order[i]; break; }
    if (anchor < 0) continue;
    const tcpData = coverage !== undefined && coverage.isTcpData(row);
    let last = -1;
    let first = -1;
    for (let i = 0; i < order.length; i++) {
      const c = order[i];
      covers[i] = null;
      state[i] = table.cell(row, c) >= 0 ? 1 : 0;
      if (state[i] === 0 && tcpData) {
        const cv = coverage.cover(row, anchor, c);
        covers[i] = cv;
        if (cv?.covered) state[i] = 2;
      }
      if (state[i] > 0) { if (first < 0) first = i; last = i; }
    }
    if (first < 0) continue;
    for (let i = first + 1; i < last; i++) {
      const c = order[i];
      if (state[i] === 0) add(`nc/${c}`, 'not-captured', d, c, -1, '', row);
    }
    if (last < order.length - 1) {
      lostOnPath[row] = 1;
      const a = order[last];
      const b = order[last + 1];
      const partial = covers[last + 1];
      if (partial && partial.parts.length > 0) {
        add(`lostbytes/${d}/${a}/${b}`, 'lost', d, a, b, 'TCP bytes missing downstream (the rest of these segments arrived re-segmented)', row, partial.parts.slice(0, 2));
      } else {
        add(`lost/${d}/${a}/${b}`, 'lost', d, a, b, '', row);
      }
    }
    // Rewrites between consecutive sightings; offload re-segmentation between a sighting and a cover.
    let prev = -1;
    for (let i = first; i <= last; i++) {
      if (state[i] === 0) continue;
      const c = order[i];
      if (prev >= 0) {
        const pc = order[prev];
        if (state[prev] === 1 && state[i] === 1) compareSignatures(table, row, pc, c, d, rewrites, add);
        else if (state[prev] === 1 && state[i] === 2) {
          const cv = covers[i];
          if (cv && !cv.byLarger && cv.parts.length > 1) {
            add(`seg/${d}/${pc}/${c}`, 'segmented', d, pc, c, 'TCP super-segments split into smaller segments (GSO/TSO): same bytes, not a loss', row, cv.parts.slice(0, 2));
            explained[row] = 1;
          } else if (cv) {
            explained[row] = 1;
            // A wire-sized segment whose bytes went on inside a larger one (GRO): the row shows the
            // coalescing (counted once, on the larger segment's row, under the same key).
            if (cv.byLarger && marks) mergedRows.push(row, d, pc, c);
          }
        } else if (state[prev] === 2 && state[i] === 1) {
          const cv = covers[prev];
          if (cv && !cv.byLarger && cv.parts.length > 1) {
            add(`gro/${d}/${pc}/${c}`, 'coalesced', d, pc, c, 'TCP segments merged into larger ones (GRO): same bytes, not a loss', row, cv.parts.slice(0, 2));
            explained[row] = 1;
          } else if (cv) explained[row] = 1;
        }
      }
      prev = i;
    }
  }
  const coalescedRank = rowMarkRank('coalesced');
  for (let k = 0; k < mergedRows.length; k += 4) {
    const [row, d, a, b] = [mergedRows[k], mergedRows[k + 1], mergedRows[k + 2], mergedRows[k + 3]];
    marks?.mark(row, coalescedRank, bucket.get(`gro/${d}/${a}/${b}`)?.index ?? -1, a, b);
  }
  const delayedRank = rowMarkRank('delayed');
  for (const s of segments) {
    if (s.outlierRows.length === 0) continue;
    if (marks) for (const r of s.outlierRows) marks.mark(r, delayedRank, out.length, s.from, s.to);
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
    // Off-path rows (background traffic, link-local multicast such as repeated IGMP reports) are not findings.
    if (!onPath(row)) continue;
    add(`dup/${c}`, 'duplicated', -1, c, -1, '', row);
  }
  findReplyAndOneWay(table, add, lostOnPath);
  findSuperSegments(table, add, explained);
  return out;
}

type AddVerdict = (key: string, kind: VerdictKind, direction: number, capA: number, capB: number, detail: string, row: number, evidence?: readonly number[]) => void;

const FIELD_NAMES = ['dst-mac', 'src-mac', 'ttl', 'vlan', 'dscp'] as const;

/**
 * Rewrites repeat the same few value pairs on a segment (every packet through a router): look them
 * up by numbers first and build the verdict's text only the first time.
 */
class RewriteTally {
  private readonly seen = new Map<number, { va: number; vb: number; key: string; detail: string }[]>();
  constructor(private readonly add: AddVerdict) {}
  private readonly routedKeys = new Map<number, string>();
  private lastRoutedSlot = -1;
  private lastRoutedKey = '';
  /** Every packet through a router: the verdict key is built once per segment, not per packet. */
  routed(d: number, a: number, b: number, row: number): void {
    const slot = (d * 256 + a) * 256 + b;
    let key = this.lastRoutedKey;
    if (slot !== this.lastRoutedSlot) {
      key = this.routedKeys.get(slot) ?? `rt/${d}/${a}/${b}`;
      this.routedKeys.set(slot, key);
      this.lastRoutedSlot = slot;
      this.lastRoutedKey = key;
    }
    this.add(key, 'routed', d, a, b, 'TTL/hop limit decremented by 1 and MACs rewritten (a router forwarded them): expected', row);
  }

  check(d: number, a: number, b: number, field: number, va: number, vb: number, row: number, note = ''): void {
    if (va < 0 || vb < 0 || va === vb) return;
    const slot = ((d * 256 + a) * 256 + b) * 8 + field;
    let list = this.seen.get(slot);
    if (!list) { list = []; this.seen.set(slot, list); }
    let hit: { va: number; vb: number; key: string; detail: string } | undefined;
    for (const e of list) if (e.va === va && e.vb === vb) { hit = e; break; }
    if (!hit) {
      const show = field < 2 ? hexMac : String;
      const detail = `${FIELD_NAMES[field]} ${show(va)} -> ${show(vb)}${note ? ` (${note})` : ''}`;
      hit = { va, vb, key: `rw/${d}/${a}/${b}/${detail}`, detail };
      list.push(hit);
    }
    this.add(hit.key, 'rewritten', d, a, b, hit.detail, row);
  }
}

function hexMac(v: number): string {
  const s = v.toString(16).padStart(12, '0');
  return s.match(/../g)?.join(':') ?? s;
}

function compareSignatures(table: AlignmentTable, row: number, a: number, b: number, d: number, tally: RewriteTally, add: AddVerdict): void {
  const ca = table.captures[a];
  const cb = table.captures[b];
  const ra = table.cell(row, a);
  const rb = table.cell(row, b);
  // Most hops (bridges, veths, taps) change nothing: with every compared field equal there is no NAT,
  // no routed hop and no rewrite, so nothing below would be reported.
  if (ca.ttl[ra] === cb.ttl[rb] && ca.srcMac[ra] === cb.srcMac[rb] && ca.dstMac[ra] === cb.dstMac[rb]
    && ca.vlan[ra] === cb.vlan[rb] && ca.dscp[ra] === cb.dscp[rb] && ca.flow[ra] === cb.flow[rb]
    && ca.src4[ra] === cb.src4[rb] && ca.dst4[ra] === cb.dst4[rb] && ca.port1[ra] === cb.port1[rb] && ca.port2[ra] === cb.port2[rb]) return;
  const nat = natRewrite(ca, ra, cb, rb);
  if (nat) add(`nat/${d}/${a}/${b}/${nat}`, 'nat', d, a, b, nat, row);
  const ttlA = ca.ttl[ra];
  const ttlB = cb.ttl[rb];
  const srcA = ca.srcMac[ra];
  const srcB = cb.srcMac[rb];
  if (isRoutedHop(ttlA, ttlB, srcA, srcB)) {
    // A router: TTL -1 and new MACs are expected, not rewrites.
    tally.routed(d, a, b, row);
  } else {
    // A router that also set the TTL still rewrites the MACs as expected; only the TTL is reported then.
    const router = ttlA >= 0 && ttlB >= 0 && ttlB < ttlA && (srcA < 0 || srcB < 0 || srcA !== srcB);
    if (!router) {
      tally.check(d, a, b, 0, ca.dstMac[ra], cb.dstMac[rb], row);
      tally.check(d, a, b, 1, srcA, srcB, row);
    }
    const why = unexpectedTtlChange(ttlA, ttlB, srcA, srcB);
    if (why) tally.check(d, a, b, 2, ttlA, ttlB, row, why);
  }
  tally.check(d, a, b, 3, ca.vlan[ra], cb.vlan[rb], row);
  tally.check(d, a, b, 4, ca.dscp[ra], cb.dscp[rb], row);
}

/**
 * Requests that reached the last capture of their direction and whose reply never shows up anywhere (the
 * far end got them and did not answer; a request lost on the way is `lost`, and that loss is the finding);
 * flows seen in one direction only.
 */
function findReplyAndOneWay(table: AlignmentTable, add: AddVerdict, lostOnPath: Uint8Array): void {
  // Typed hash tables (pair key → 1 when a reply was seen, flow → direction bits): two lookups per row.
  // Key 0 is not storable there: a reply with pair key 0 is remembered apart.
  const replies = new FlowMaskTable();
  let replyKeyZero = false;
  const flowDirs = new FlowMaskTable();
  const groupEchoes = new GroupEchoRequests();
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    const role = cap.pairRole(rec);
    if (role === PairRole.Reply) {
      const key = cap.pairKey[rec];
      if (key === 0) replyKeyZero = true; else replies.or(key, 1);
    } else if (role === PairRole.Request) {
      groupEchoes.note(cap, rec);
    }
    flowDirs.or(cap.flow[rec], 1 << cap.dir(rec));
  }
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    const f = cap.flow[rec];
    // A request to a group is answered (if at all) from each member's address, on flows of its own.
    if (cap.pairRole(rec) === PairRole.Request && lostOnPath[row] === 0
      && !(cap.pairKey[rec] === 0 ? replyKeyZero : replies.get(cap.pairKey[rec]) !== 0) && !isGroupDestination(cap, rec)) {
      add(`rm/${f}`, 'reply-missing', cap.dir(rec), -1, -1, '', row);
    }
    const dirs = flowDirs.get(f);
    // ICMP other than echo (errors, neighbour discovery, redirects) answers or reports, it has no way back
    // of its own; echo has reply-missing. Group traffic and the replies to a group echo have none by design.
    if (f !== 0 && dirs !== 3 && cap.kind(rec) !== PacketKind.Icmp && !isGroupDestination(cap, rec) && !groupEchoes.answers(cap, rec)) {
      add(`ow/${f}`, 'one-way', cap.dir(rec), -1, -1, '', row);
    }
  }
}

/**
 * Offload super-segments seen on one capture only and matched by byte range nowhere (e.g. the other
 * captures share no packet of the flow): report them per capture so "lost" is read with care.
 */
function findSuperSegments(table: AlignmentTable, add: AddVerdict, explained: Uint8Array): void {
  const C = table.captureCount;
  for (let row = 0; row < table.rowCount; row++) {
    // Matched whole on another hop, or by byte range: nothing to warn about.
    if (explained[row] === 1) continue;
    let seen = 0;
    for (let c = 0; c < C; c++) if (table.cell(row, c) >= 0) seen++;
    if (seen > 1) continue;
    for (let c = 0; c < C; c++) {
      const rec = table.cell(row, c);
      if (rec < 0) continue;
      const cap = table.captures[c];
      if (cap.kind(rec) === PacketKind.Tcp && cap.l4Length[rec] > MAX_WIRE_TCP_PAYLOAD) {
        add(`gso/${c}`, 'super-segment', cap.dir(rec), c, -1, 'TCP segments larger than a 1500-byte MTU (GSO/TSO/GRO): not matched by byte range to other hops', row);
      }
    }
  }
}

export function fmtMs(sec: number): string {
  return `${(sec * 1000).toFixed(3)} ms`;
}
