/**
 * The whole pipeline on columns already built from captures: pass 1 aligns identities seen once per
 * capture (enough to estimate clocks without knowing them), clock offsets per host, pass 2 aligns
 * everything on the corrected clock, then hop order, segment delays and verdicts.
 */
import { alignCaptures } from './alignCaptures';
import { groupByIdentity } from './identityGroups';
import type { AlignmentTable } from './alignmentTable';
import type { CaptureColumns } from './captureColumns';
import { ByteRangeCoverage } from './byteRangeCoverage';
import { estimateClockOffsets, type HostOffset } from './estimateClockOffsets';
import { joinAcrossNat } from './joinAcrossNat';
import { inferHopOrder, type HopOrder } from './inferHopOrder';
import { measureSegmentDelays, type DelayOptions, type SegmentDelays } from './segmentDelays';
import { findVerdicts, type Verdict } from './verdicts';
import { FlowMaskTable } from './flowMaskTable';
import { RowMarks } from './rowMarks';

/** Window of the second clock pass, for hosts linked only by repeated identities. */
const PASS1B_WINDOW_SEC = 5;

export interface AnalyzeOptions extends DelayOptions {
  /** Host of each capture (same length as captures); default: all on one host (no clock correction). */
  hosts?: readonly string[];
  referenceHost?: string;
  /** Hop order for direction 0 (direction 1 is its reverse), overriding the inferred one. */
  order?: readonly number[];
  windowSec?: number;
  duplicateWindowSec?: number;
  /** Clock offsets (seconds ahead of the reference host) set by the user; they replace the estimates. */
  clockOverrides?: ReadonlyMap<string, number>;
}

export interface CaptureAnalysis {
  table: AlignmentTable;
  hosts: string[];
  clocks: HostOffset[];
  order: HopOrder;
  orderOverridden: boolean;
  segments: SegmentDelays[];
  verdicts: Verdict[];
  /** Rows present on at least two captures. */
  rowsOnSeveralCaptures: number;
  /** Negative corrected delays on some segment: the clocks (or --host) look wrong. */
  warnings: string[];
  /** TCP byte-range matching of the table (GSO/TSO/GRO): where a missing cell's bytes were seen. */
  coverage?: ByteRangeCoverage;
  /** Flow hash at a capture → the flow it continues across NAT (absent: itself). */
  flowAlias?: ReadonlyMap<number, number>;
  /** Every row's verdicts as findVerdicts decided them (which, the verdict index, the captures). */
  rowMarks: RowMarks;
}

export function analyzeCaptures(captures: readonly CaptureColumns[], options: AnalyzeOptions = {}): CaptureAnalysis {
  const C = captures.length;
  const hosts = options.hosts ? [...options.hosts] : captures.map(() => 'host');
  if (hosts.length !== C) throw new Error('one host name per capture is needed');
  const reference = options.referenceHost ?? hosts[0];
  const groups = groupByIdentity(captures);
  const pass1 = alignCaptures(captures, { uniqueOnly: true, groups });
  let clocks = estimateClockOffsets(pass1, hosts, reference);
  const offsets = new Float64Array(C);
  const applyClocks = (): void => {
    for (let c = 0; c < C; c++) offsets[c] = -(clocks.find((h) => h.host === hosts[c])?.offsetSec ?? 0);
  };
  applyClocks();
  if (clocks.some((h) => !h.known)) {
    // Only repeated identities link some host (ARP, wrapped ping seqs): pair them by nearest time
    // within a wide window, then estimate again.
    const wide = alignCaptures(captures, { groups, offsets, windowSec: PASS1B_WINDOW_SEC, duplicateWindowSec: options.duplicateWindowSec });
    const again = estimateClockOffsets(wide, hosts, reference);
    clocks = clocks.map((h, i) => (h.known || !again[i].known ? h : { ...again[i], offsetSec: again[i].offsetSec }));
    applyClocks();
  }
  if (options.clockOverrides?.size) {
    clocks = clocks.map((h) => {
      const set = options.clockOverrides?.get(h.host);
      return set === undefined ? h : { ...h, offsetSec: set, uncertaintySec: 0, known: true };
    });
    applyClocks();
  }
  const aligned = alignCaptures(captures, { groups, offsets, windowSec: options.windowSec, duplicateWindowSec: options.duplicateWindowSec });
  // One packet rewritten by NAT between two hops is two rows until joined on what NAT leaves alone.
  const { table, flowAlias } = joinAcrossNat(aligned, options.windowSec);
  // Without NAT (the usual case) no lookup per cell: a Map.get of a uint32 flow hash boxes it.
  const canonicalFlow = flowAlias.size === 0 ? (f: number): number => f : (f: number): number => flowAlias.get(f) ?? f;

  let rowsOnSeveralCaptures = 0;
  const flowMask = new FlowMaskTable();
  const cells = table.cells;
  const flows = captures.map((cap) => cap.flow);
  for (let row = 0; row < table.rowCount; row++) {
    let n = 0;
    // A row's sightings nearly always share one flow: its bits are or-ed in one hash update.
    let flow = 0;
    let bits = 0;
    for (let c = 0; c < C; c++) {
      const rec = cells[row * C + c];
      if (rec < 0) continue;
      n++;
      const f = canonicalFlow(flows[c][rec]);
      if (bits !== 0 && f !== flow) { flowMask.or(flow, bits); bits = 0; }
      flow = f;
      bits |= 1 << c;
    }
    if (bits !== 0) flowMask.or(flow, bits);
    if (n >= 2) rowsOnSeveralCaptures++;
  }
  // A row is on the path when its flow was seen on at least two captures (not background traffic).
  // Link-local multicast (224.0.0.0/24: IGMP reports, OSPF, VRRP…) is scoped to one link and bridges
  // with IGMP snooping forward it only to router ports: its absence further on is not a loss.
  const rowOnPath = new Uint8Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const rec = table.cell(row, c);
    const m = flowMask.get(canonicalFlow(captures[c].flow[rec]));
    const linkLocalMulticast = (captures[c].dst4[rec] >>> 8) === 0xe00000;
    rowOnPath[row] = (m & (m - 1)) !== 0 && !linkLocalMulticast ? 1 : 0;
  }
  const onPath = (row: number): boolean => rowOnPath[row] === 1;

  const inferred = inferHopOrder(table);
  const order: HopOrder = options.order
    ? { byDirection: [[...options.order], [...options.order].reverse()], consistency: inferred.consistency }
    : inferred;
  const segments = [
    ...measureSegmentDelays(table, 0, order.byDirection[0], onPath, options),
    ...measureSegmentDelays(table, 1, order.byDirection[1], onPath, options),
  ];
  const warnings: string[] = [];
  for (const s of segments) {
    if (s.p50 < 0) {
      warnings.push(`negative delay (p50 ${(s.p50 * 1000).toFixed(3)} ms) between ${captures[s.from].name} and ${captures[s.to].name}: `
        + 'clocks differ; give each capture its host (--host NAME=cap,...) or fix --order');
    }
  }
  const [o0, o1] = order.byDirection;
  const common0 = o0.filter((c) => o1.includes(c));
  const common1 = o1.filter((c) => o0.includes(c)).reverse();
  if (common0.join() !== common1.join()) {
    warnings.push('the hop order of one direction is not the reverse of the other: clocks of different hosts probably differ; '
      + 'give each capture its host (--host NAME=cap,...) or the order (--order)');
  }
  for (const h of clocks) if (!h.known) warnings.push(`no request/reply pair links host ${h.host} to ${reference}: its clock offset is unknown (0 assumed)`);
  const coverage = new ByteRangeCoverage(table, canonicalFlow, options.windowSec);
  const rowMarks = new RowMarks(table.rowCount);
  const verdicts = findVerdicts(table, order.byDirection, segments, onPath, { coverage, marks: rowMarks });
  return { table, hosts, clocks, order, orderOverridden: !!options.order, segments, verdicts, rowsOnSeveralCaptures, warnings, coverage, flowAlias, rowMarks };
}
