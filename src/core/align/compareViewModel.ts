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

/** Which verdict a row shows when several apply: the most actionable first. */
const ROW_VERDICT_RANK: readonly VerdictKind[] = [
  'lost', 'rewritten', 'nat', 'delayed', 'duplicated', 'not-captured', 'segmented', 'coalesced', 'super-segment', 'reply-missing', 'one-way',
];

function mac(v: number): string {
  const s = v.toString(16).padStart(12, '0');
  return `${s.slice(0, 2)}:${s.slice(2, 4)}:${s.slice(4, 6)}:${s.slice(6, 8)}:${s.slice(8, 10)}:${s.slice(10, 12)}`;
}

/** A signature field that both sightings carry (-1: absent) with different values. */
function differs(va: number, vb: number): boolean {
  return va >= 0 && vb >= 0 && va !== vb;
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
  /** Per row: bit set of verdict kinds (index in ROW_VERDICT_RANK) found for it. */
  private readonly rowKinds: Uint16Array;
  /**
   * Per row, the most actionable verdict: the text given with it (verdicts of the engine), else the two
   * captures it names (lost, rewritten, delayed, duplicated), whose text is built only when the row is
   * shown — building it for every row of a 100k-row comparison cost more than the alignment.
   */
  private readonly rowText = new Map<number, string>();
  private readonly rowCapA: Int16Array;
  private readonly rowCapB: Int16Array;
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
    this.rowKinds = new Uint16Array(t.rowCount);
    this.rowCapA = new Int16Array(t.rowCount);
    this.rowCapB = new Int16Array(t.rowCount);
    this.flowOfRow = new Array<string>(t.rowCount);
    const flowSet = new Set<string>();
    const labels = new FlowLabelCache();
    for (let row = 0; row < t.rowCount; row++) {
      const f = this.flowLabel(row, labels);
      this.flowOfRow[row] = f;
      flowSet.add(f);
    }
    this.flows = [...flowSet].sort();
    this.findRowVerdicts();
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
    if (cap.src4[rec] === 0 && cap.dst4[rec] === 0) return `${proto} (ipv6)`;
    const withPort = kind === PacketKind.Tcp || kind === PacketKind.Udp;
    const swap = cap.dir(rec) === 1;
    const ipA = swap ? cap.dst4[rec] : cap.src4[rec];
    const ipB = swap ? cap.src4[rec] : cap.dst4[rec];
    const portA = withPort ? (swap ? cap.port2[rec] : cap.port1[rec]) : -1;
    const portB = withPort ? (swap ? cap.port1[rec] : cap.port2[rec]) : -1;
    const cached = labels.get(cap.flow[rec], proto, ipA, portA, ipB, portB);
    if (cached !== undefined) return cached;
    const a = `${ip(ipA)}${withPort ? `:${portA}` : ''}`;
    const b = `${ip(ipB)}${withPort ? `:${portB}` : ''}`;
    const label = `${proto} ${a} <> ${b}`;
    labels.set(cap.flow[rec], proto, ipA, portA, ipB, portB, label);
    return label;
  }

  /** Records `kind` for the row; true when it is now the row's most actionable verdict. */
  private markKind(row: number, kind: VerdictKind): boolean {
    const k = ROW_VERDICT_RANK.indexOf(kind);
    const had = this.rowKinds[row];
    this.rowKinds[row] = had | (1 << k);
    const best = had === 0 ? Infinity : Math.log2(had & -had);
    return k < best;
  }

  private mark(row: number, kind: VerdictKind, text: string): void {
    if (this.markKind(row, kind)) this.rowText.set(row, text);
  }

  /** A verdict between captures `a` and `b` (for duplicated: on `b`); its text is made by rowVerdictText. */
  private markBetween(row: number, kind: 'lost' | 'rewritten' | 'delayed' | 'duplicated', a: number, b: number): void {
    if (!this.markKind(row, kind)) return;
    this.rowText.delete(row);
    this.rowCapA[row] = a;
    this.rowCapB[row] = b;
  }

  private rowVerdictText(row: number, kind: VerdictKind): string {
    const text = this.rowText.get(row);
    if (text !== undefined) return text;
    const a = this.rowCapA[row];
    const b = this.rowCapB[row];
    const t = this.analysis.table;
    switch (kind) {
      case 'lost': return `lost between ${this.label(a)} and ${this.label(b)}`;
      case 'rewritten': return `rewritten between ${this.label(a)} and ${this.label(b)}: ${this.rewriteText(row, a, b)}`;
      case 'delayed': return `delayed ${fmtMs(t.time(row, b) - t.time(row, a))} between ${this.label(a)} and ${this.label(b)}`;
      case 'duplicated': return `duplicated on ${this.label(b)}`;
      default: return '';
    }
  }

  /** Whether a signature field (MACs, TTL, VLAN, DSCP) differs between two sightings of a row. */
  private isRewritten(row: number, a: number, b: number): boolean {
    const t = this.analysis.table;
    const ca = t.captures[a];
    const cb = t.captures[b];
    const ra = t.cell(row, a);
    const rb = t.cell(row, b);
    return differs(ca.dstMac[ra], cb.dstMac[rb]) || differs(ca.srcMac[ra], cb.srcMac[rb]) || differs(ca.ttl[ra], cb.ttl[rb])
      || differs(ca.vlan[ra], cb.vlan[rb]) || differs(ca.dscp[ra], cb.dscp[rb]);
  }

  /** Per-row verdicts, derived like the engine's (which keeps only example rows) for every row. */
  private findRowVerdicts(): void {
    const a = this.analysis;
    const t = a.table;
    for (const v of a.verdicts) {
      if (v.kind === 'reply-missing' || v.kind === 'one-way' || v.kind === 'super-segment') {
        for (const r of v.rows) this.mark(r, v.kind, this.verdictText(v.kind, v.captures, v.detail, 1));
      }
    }
    const segmentKey = (d: number, from: number, to: number): number => (d * 256 + from) * 256 + to;
    const lostSegments = new Set(a.verdicts.filter((v) => v.kind === 'lost').map((v) => segmentKey(v.direction, v.captures[0], v.captures[1])));
    const cov = a.coverage;
    for (let row = 0; row < t.rowCount; row++) {
      const d = t.dir(row);
      const order = a.order.byDirection[d];
      let first = -1;
      let last = -1;
      let anchor = -1;
      for (let i = 0; i < order.length; i++) if (t.cell(row, order[i]) >= 0) { if (first < 0) { first = i; anchor = order[i]; } last = i; }
      if (first < 0) continue;
      // Bytes seen downstream as other segments (GSO/TSO/GRO): present for loss, with their own verdict.
      if (cov?.isTcpData(row)) {
        for (let i = first + 1; i < order.length; i++) {
          if (t.cell(row, order[i]) >= 0) continue;
          const cv = cov.cover(row, anchor, order[i]);
          if (!cv?.covered) { if (i > last) break; continue; }
          const kind = cv.byLarger ? 'coalesced' : 'segmented';
          const how = cv.byLarger ? 'merged into a larger segment (GRO)' : `split into ${cv.parts.length} segments (GSO/TSO)`;
          this.mark(row, kind, `${how} between ${this.label(order[i - 1])} and ${this.label(order[i])}`);
          if (i > last) last = i;
        }
      }
      if (last < order.length - 1 && lostSegments.has(segmentKey(d, order[last], order[last + 1]))) {
        this.markBetween(row, 'lost', order[last], order[last + 1]);
      }
      let prev = -1;
      for (let i = first; i <= last; i++) {
        const c = order[i];
        if (t.cell(row, c) < 0) continue;
        if (prev >= 0) {
          const nat = this.natText(row, prev, c);
          if (nat) this.mark(row, 'nat', `NAT between ${this.label(prev)} and ${this.label(c)}: ${nat}`);
          // The cheap field check first; the text (which leaves out a router's expected TTL -1 and MACs) only then.
          if (this.isRewritten(row, prev, c) && this.rewriteText(row, prev, c)) this.markBetween(row, 'rewritten', prev, c);
          if (this.slow.has(row * 256 + c)) this.markBetween(row, 'delayed', prev, c);
        }
        prev = c;
      }
    }
    for (let k = 0; k < t.duplicates.length; k += 3) this.markBetween(t.duplicates[k], 'duplicated', -1, t.duplicates[k + 1]);
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
    const match = new Int32Array(t.rowCount);
    let n = 0;
    for (let row = 0; row < t.rowCount; row++) {
      if (f.onlyAnomalies && this.rowKinds[row] === 0) continue;
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
    const kinds = this.rowKinds[row];
    const direction: Direction = d === 0 ? 'forward' : 'reverse';
    const out: CompareRow = {
      id: row, direction, flow: this.flowOfRow[row], summary: describeRow(t, row),
      cells: this.columns.map((col) => cellOf.get(col.id) ?? null),
    };
    if (kinds) {
      const kind = ROW_VERDICT_RANK[Math.log2(kinds & -kinds)];
      out.verdict = { kind, text: this.rowVerdictText(row, kind) };
      // The two hops it was lost between (the compare view's "why?" link asks the nwfilter there).
      if (kind === 'lost' && !this.rowText.has(row)) out.verdict.lostBetween = [this.rowCapA[row], this.rowCapB[row]];
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
