/**
 * The alignment engine's result as the Compare Captures view model (src/protocol/compareProtocol.ts):
 * columns in hop order labelled `iface@host`, one CompareRow per aligned packet with clock-corrected
 * times, per-hop delays, copies and rewrites, per-row verdicts, segment summaries, host clocks, and
 * filtered views served by range. Free of VS Code so it is tested from Node on real captures.
 */
import type { CaptureAnalysis } from './analyzeCaptures';
import { describeDirection, describeRow } from './describeRow';
import { natRewrite } from './natRewrite';
import { PacketKind } from './packetIdentity';
import { isRoutedHop, unexpectedTtlChange } from './routedHop';
import type {
  CompareCell, CompareColumn, CompareFilters, CompareRow, Direction, HostClock, SegmentSummary, VerdictKind,
} from '../../protocol/compareProtocol';

export interface CompareCaptureInfo {
  /** Path of the capture file. */
  file: string;
  host: string;
  /** `iface@host`. */
  label: string;
}

const SIGNATURE_FIELDS = ['dst MAC', 'src MAC', 'TTL', 'VLAN', 'DSCP'] as const;

function mac(v: number): string {
  const s = v.toString(16).padStart(12, '0');
  return `${s.slice(0, 2)}:${s.slice(2, 4)}:${s.slice(4, 6)}:${s.slice(6, 8)}:${s.slice(8, 10)}:${s.slice(10, 12)}`;
}

function ip(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

const PROTOCOL_OF_KIND: Record<number, string> = {
  [PacketKind.Arp]: 'arp', [PacketKind.EchoRequest]: 'icmp', [PacketKind.EchoReply]: 'icmp', [PacketKind.Icmp]: 'icmp',
  [PacketKind.Tcp]: 'tcp', [PacketKind.Udp]: 'udp', [PacketKind.OtherIp]: 'ip',
};

export class CompareViewModel {
  readonly columns: CompareColumn[];
  private readonly views = new Map<number, Int32Array>();
  private nextView = 1;
  private readonly originNs: number;
  private readonly slow = new Set<number>(); // row * 256 + capture of a slow hop
  private readonly copies = new Map<number, number>(); // row * 256 + capture → extra copies
  private readonly flowOfRow: string[];
  readonly flows: string[];

  constructor(readonly analysis: CaptureAnalysis, readonly captures: readonly CompareCaptureInfo[], private readonly userClocks: ReadonlySet<string> = new Set()) {
    const t = analysis.table;
    const C = t.captureCount;
    const inOrder = analysis.order.byDirection[0];
    const ids = [...inOrder, ...captures.map((_, c) => c).filter((c) => !inOrder.includes(c))];
    this.columns = ids.map((id) => ({ id, label: captures[id].label, host: captures[id].host, file: captures[id].file }));
    let first = Infinity;
    for (let c = 0; c < C; c++) if (t.captures[c].length > 0) first = Math.min(first, t.timeOf(c, 0));
    this.originNs = Number.isFinite(first) ? first * 1e9 : 0;
    for (const s of analysis.segments) for (const r of s.outlierRows) this.slow.add(r * 256 + s.to);
    for (let k = 0; k < t.duplicates.length; k += 3) {
      const key = t.duplicates[k] * 256 + t.duplicates[k + 1];
      this.copies.set(key, (this.copies.get(key) ?? 0) + 1);
    }
    this.flowOfRow = new Array<string>(t.rowCount);
    const flowSet = new Set<string>();
    const labels = new FlowLabelCache();
    for (let row = 0; row < t.rowCount; row++) {
      const f = this.flowLabel(row, labels);
      this.flowOfRow[row] = f;
      flowSet.add(f);
    }
    this.flows = [...flowSet].sort();
  }

  private label(c: number): string { return this.captures[c].label; }

  /**
   * Direction-free flow name, e.g. `icmp 10.205.1.1 <> 10.205.1.2`. Built once per flow: the label of
   * the row's flow hash is reused when the fields it is made of are the same (a hash collision gets its own).
   */
  private flowLabel(row: number, labels: FlowLabelCache): string {
    const t = this.analysis.table;
    const c = t.firstCapture(row);
    const cap = t.captures[c];
    const rec = t.cell(row, c);
    const kind = cap.kind(rec);
    const proto = PROTOCOL_OF_KIND[kind];
    if (!proto) return 'non-IP';
    const v6 = cap.src4[rec] === 0 && cap.dst4[rec] === 0 ? cap.ipv6Addresses(rec) ?? ['(ipv6)', '(ipv6)'] : undefined;
    const withPort = kind === PacketKind.Tcp || kind === PacketKind.Udp;
    const swap = cap.dir(rec) === 1;
    const ipA = swap ? cap.dst4[rec] : cap.src4[rec];
    const ipB = swap ? cap.src4[rec] : cap.dst4[rec];
    const portA = withPort ? (swap ? cap.port2[rec] : cap.port1[rec]) : -1;
    const portB = withPort ? (swap ? cap.port1[rec] : cap.port2[rec]) : -1;
    const cached = labels.get(cap.flow[rec], proto, ipA, portA, ipB, portB);
    if (cached !== undefined) return cached;
    // IPv6 as [addr]:port, so the port stays apart from the address's own colons.
    const text = (v4: number, v6Text: string | undefined, port: number): string => (v6Text === undefined
      ? `${ip(v4)}${withPort ? `:${port}` : ''}` : withPort ? `[${v6Text}]:${port}` : v6Text);
    const a = text(ipA, v6 && (swap ? v6[1] : v6[0]), portA);
    const b = text(ipB, v6 && (swap ? v6[0] : v6[1]), portB);
    const label = `${proto} ${a} <> ${b}`;
    labels.set(cap.flow[rec], proto, ipA, portA, ipB, portB, label);
    return label;
  }

  /**
   * The text of a row's most actionable verdict, built only when the row is shown (for every row of a
   * 100k-row comparison it cost more than the alignment). Which verdict, and the captures it names,
   * are the engine's (analysis.rowMarks).
   */
  private rowVerdictText(row: number, kind: VerdictKind): string {
    const marks = this.analysis.rowMarks;
    const a = marks.capA[row];
    const b = marks.capB[row];
    const t = this.analysis.table;
    switch (kind) {
      case 'lost': return `lost between ${this.label(a)} and ${this.label(b)}`;
      case 'rewritten': return `rewritten between ${this.label(a)} and ${this.label(b)}: ${this.rewriteText(row, a, b)}`;
      case 'nat': return `NAT between ${this.label(a)} and ${this.label(b)}: ${this.natText(row, a, b)}`;
      case 'delayed': return `delayed ${fmtMs(t.time(row, b) - t.time(row, a))} between ${this.label(a)} and ${this.label(b)}`;
      case 'duplicated': return `duplicated on ${this.label(a)}`;
      case 'not-captured': return `not captured on ${this.label(a)} but seen on both sides of it`;
      case 'segmented': case 'coalesced': return this.offloadText(row, kind, a, b);
      default: {
        const v = this.analysis.verdicts[marks.verdict[row]];
        return v ? this.verdictText(v.kind, v.captures, v.detail, 1) : '';
      }
    }
  }

  /** Segments split (GSO/TSO) or merged (GRO) between `a` and `b`: the row is missing on the side the other segments were seen. */
  private offloadText(row: number, kind: 'segmented' | 'coalesced', a: number, b: number): string {
    const t = this.analysis.table;
    const seenOn = t.cell(row, a) >= 0 ? a : b;
    const coveredOn = seenOn === a ? b : a;
    const cv = this.analysis.coverage?.cover(row, seenOn, coveredOn);
    const parts = cv?.parts.length ?? 0;
    const how = cv?.byLarger ? (kind === 'segmented' ? 'split from a larger segment (GSO/TSO)' : 'merged into a larger segment (GRO)')
      : kind === 'segmented' ? `split into ${parts} segments (GSO/TSO)` : `merged from ${parts} segments (GRO)`;
    return `${how} between ${this.label(a)} and ${this.label(b)}`;
  }

  /** Addresses/ports rewritten between two sightings of a row (NAT), `src a:p → b:q`, or ''. */
  natText(row: number, a: number, b: number): string {
    const t = this.analysis.table;
    return natRewrite(t.captures[a], t.cell(row, a), t.captures[b], t.cell(row, b)).replaceAll(' -> ', ' → ');
  }

  /**
   * What changed unexpectedly between two sightings of a row, `dst MAC a → b; TTL 64 → 5`, or ''.
   * A router's TTL -1 and new MACs are expected and left out.
   */
  rewriteText(row: number, a: number, b: number): string {
    const t = this.analysis.table;
    const ca = t.captures[a];
    const cb = t.captures[b];
    const ra = t.cell(row, a);
    const rb = t.cell(row, b);
    const ttlA = ca.ttl[ra];
    const ttlB = cb.ttl[rb];
    const srcA = ca.srcMac[ra];
    const srcB = cb.srcMac[rb];
    const routed = isRoutedHop(ttlA, ttlB, srcA, srcB) || (ttlA >= 0 && ttlB >= 0 && ttlB < ttlA && (srcA < 0 || srcB < 0 || srcA !== srcB));
    const ttlUnexpected = unexpectedTtlChange(ttlA, ttlB, srcA, srcB) !== '';
    // Called for every hop of every row (a router rewrites them all): text only for what is reported.
    let out = '';
    for (let i = 0; i < SIGNATURE_FIELDS.length; i++) {
      if ((i < 2 && routed) || (i === 2 && !ttlUnexpected)) continue;
      const va = i === 0 ? ca.dstMac[ra] : i === 1 ? srcA : i === 2 ? ttlA : i === 3 ? ca.vlan[ra] : ca.dscp[ra];
      const vb = i === 0 ? cb.dstMac[rb] : i === 1 ? srcB : i === 2 ? ttlB : i === 3 ? cb.vlan[rb] : cb.dscp[rb];
      if (va < 0 || vb < 0 || va === vb) continue;
      const show = i < 2 ? mac : String;
      out += `${out ? '; ' : ''}${SIGNATURE_FIELDS[i]} ${show(va)} → ${show(vb)}`;
    }
    return out;
  }

  private verdictText(kind: VerdictKind, caps: readonly number[], detail: string, count: number): string {
    const n = `${count} packet${count === 1 ? '' : 's'}`;
    const between = caps.length === 2 ? ` between ${this.label(caps[0])} and ${this.label(caps[1])}` : '';
    const on = caps.length === 1 ? ` on ${this.label(caps[0])}` : '';
    const niceDetail = detail.replace(/^(dst|src)-mac /, (_m, w: string) => `${w} MAC `).replace(' -> ', ' → ');
    switch (kind) {
      case 'lost': return `${n} lost${between}`;
      case 'delayed': return `${n} delayed${between} (${detail})`;
      case 'rewritten': return `${niceDetail}${between} (${n})`;
      case 'duplicated': return `${n} duplicated${on}`;
      case 'not-captured': return `${n} not captured${on} but seen on both sides of it`;
      case 'reply-missing': return `${n} without a reply`;
      case 'one-way': return `${n} of a flow seen in one direction only`;
      case 'super-segment': return `${n} larger than the MTU${on} (offload super-segments)`;
      case 'segmented': return `${n} segmented by GSO/TSO${between} (same bytes in smaller segments; not a loss)`;
      case 'coalesced': return `${n} coalesced by GRO${between} (same bytes in larger segments; not a loss)`;
      case 'nat': return `NAT${between}: ${niceDetail.replaceAll(' -> ', ' → ')} (${n})`;
      case 'routed': return `${n} routed${between} (TTL -1, MACs rewritten: expected)`;
    }
  }

  /** One sentence per engine verdict, with its direction, for the page and the ticket. */
  verdictTexts(): string[] {
    const t = this.analysis.table;
    return this.analysis.verdicts.map((v) => {
      const dir = v.direction >= 0 ? ` (${describeDirection(t, v.direction)})` : '';
      return `${this.verdictText(v.kind, v.captures, v.detail, v.count)}${dir}`;
    });
  }

  segments(): SegmentSummary[] {
    const a = this.analysis;
    const lost = (d: number, from: number, to: number): number =>
      a.verdicts.find((v) => v.kind === 'lost' && v.direction === d && v.captures[0] === from && v.captures[1] === to)?.count ?? 0;
    const ns = (s: number): number => (Number.isFinite(s) ? Math.round(s * 1e9) : 0);
    return a.segments.map((s) => ({
      from: s.from, to: s.to, direction: s.direction === 0 ? 'forward' : 'reverse', packets: s.packets,
      lost: lost(s.direction, s.from, s.to), p50Ns: ns(s.p50), p99Ns: ns(s.p99), maxNs: ns(s.max),
    }));
  }

  clocks(): HostClock[] {
    return this.analysis.clocks.map((h) => ({
      host: h.host, offsetNs: Math.round(h.offsetSec * 1e9),
      uncertaintyNs: Number.isFinite(h.uncertaintySec) ? Math.round(h.uncertaintySec * 1e9) : 0,
      userSet: this.userClocks.has(h.host),
    }));
  }

  get rowCount(): number { return this.analysis.table.rowCount; }

  /** A new filtered view (0 is every row, which needs no view). */
  applyFilters(f: CompareFilters): { view: number; count: number } {
    if (!f.onlyAnomalies && !f.flow && f.direction === 'both') return { view: 0, count: this.rowCount };
    const t = this.analysis.table;
    const want = f.direction === 'both' ? -1 : f.direction === 'forward' ? 0 : 1;
    const kinds = this.analysis.rowMarks.kinds;
    const match = new Int32Array(t.rowCount);
    let n = 0;
    for (let row = 0; row < t.rowCount; row++) {
      if (f.onlyAnomalies && kinds[row] === 0) continue;
      if (f.flow && this.flowOfRow[row] !== f.flow) continue;
      if (want >= 0 && t.dir(row) !== want) continue;
      match[n++] = row;
    }
    const view = this.nextView++;
    this.views.clear(); // only the latest view is shown
    this.views.set(view, match.slice(0, n));
    return { view, count: n };
  }

  rows(view: number, start: number, count: number): CompareRow[] {
    const t = this.analysis.table;
    const ids = view === 0 ? undefined : this.views.get(view);
    if (view !== 0 && !ids) return [];
    const size = ids ? ids.length : t.rowCount;
    const out: CompareRow[] = [];
    for (let i = Math.max(0, start); i < Math.min(size, start + count); i++) out.push(this.row(ids ? ids[i] : i));
    return out;
  }

  row(row: number): CompareRow {
    const t = this.analysis.table;
    const d = t.dir(row);
    const order = this.analysis.order.byDirection[d];
    const cellOf = new Map<number, CompareCell>();
    let prev = -1;
    const visit = (c: number): void => {
      const rec = t.cell(row, c);
      if (rec < 0) return;
      const time = t.time(row, c);
      const cell: CompareCell = { timeNs: Math.round(time * 1e9 - this.originNs), packetNumber: rec + 1 };
      if (prev >= 0) {
        cell.hopDelayNs = Math.round((time - t.time(row, prev)) * 1e9);
        const rw = this.rewriteText(row, prev, c);
        if (rw) cell.rewrite = rw;
        const nat = this.natText(row, prev, c);
        if (nat) cell.nat = nat;
      }
      if (this.slow.has(row * 256 + c)) cell.slow = true;
      const copies = this.copies.get(row * 256 + c);
      if (copies) cell.copies = copies;
      cellOf.set(c, cell);
      prev = c;
    };
    for (const c of order) visit(c);
    for (const col of this.columns) if (!order.includes(col.id)) visit(col.id);
    const kind = this.analysis.rowMarks.top(row);
    const direction: Direction = d === 0 ? 'forward' : 'reverse';
    const out: CompareRow = {
      id: row, direction, flow: this.flowOfRow[row], summary: describeRow(t, row),
      cells: this.columns.map((col) => cellOf.get(col.id) ?? null),
    };
    if (kind) {
      out.verdict = { kind, text: this.rowVerdictText(row, kind) };
      // The two hops it was lost between (the compare view's "why?" link asks the nwfilter there).
      if (kind === 'lost') out.verdict.lostBetween = [this.analysis.rowMarks.capA[row], this.analysis.rowMarks.capB[row]];
    }
    return out;
  }
}

/** Flow labels by flow hash, each with the fields it was made from (checked on every hit). */
class FlowLabelCache {
  private readonly byFlow = new Map<number, { proto: string; ipA: number; portA: number; ipB: number; portB: number; label: string }>();

  get(flow: number, proto: string, ipA: number, portA: number, ipB: number, portB: number): string | undefined {
    const e = this.byFlow.get(flow);
    return e && e.proto === proto && e.ipA === ipA && e.portA === portA && e.ipB === ipB && e.portB === portB ? e.label : undefined;
  }

  set(flow: number, proto: string, ipA: number, portA: number, ipB: number, portB: number, label: string): void {
    this.byFlow.set(flow, { proto, ipA, portA, ipB, portB, label });
  }
}

function fmtMs(sec: number): string {
  return `${(sec * 1000).toFixed(3)} ms`;
}
