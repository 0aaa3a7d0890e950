/**
 * Host clock offsets from request/reply pairs (ICMP echo, TCP SYN/SYN-ACK) seen on captures of two
 * hosts, NTP-style: with x = t_H − t_R for the request and y = t_H − t_R for its reply,
 * offset = (x + y) / 2 and the round trip between the two capture points is |x − y|; the estimate
 * is off by at most half that round trip (path asymmetry). Samples with the smallest round trips
 * are kept (minimum filter), from the capture pair closest together.
 */
import type { AlignmentTable } from './alignmentTable';
import { PairRole } from './packetIdentity';
import { RowsByKey } from './rowsByKey';

export interface HostOffset {
  host: string;
  /** Seconds this host's clock is ahead of the reference host's (0 for the reference). */
  offsetSec: number;
  /** Bound on the error: half the smallest round trip between the two capture points. */
  uncertaintySec: number;
  /** Spread (median absolute deviation) of the kept samples. */
  spreadSec: number;
  samples: number;
  /** Host the offset was measured against (the chain leads to the reference); '' for the reference. */
  via: string;
  /** Captures the samples came from: this host's, the other host's. */
  captures: [number, number] | null;
  /** False when no request/reply pair links this host to the reference: offset assumed 0. */
  known: boolean;
}

const MAX_PAIRS = 20000;

export function estimateClockOffsets(table: AlignmentTable, hostOf: readonly string[], referenceHost: string): HostOffset[] {
  const C = table.captureCount;
  const hosts = [...new Set(hostOf)];
  // Request rows by pair key; a reply takes the latest request before it on a capture both share
  // (pair keys repeat: ARP between the same two hosts, ping seq wrapping at 65536).
  // A typed table (rows by key, in row order): a Map of arrays cost a boxed array per key on 1M-row tables.
  const requests = new RowsByKey();
  const pairs: [number, number][] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    if (cap.pairRole(rec) !== PairRole.Request) continue;
    requests.add(cap.pairKey[rec], row);
  }
  for (let row = 0; row < table.rowCount && pairs.length < MAX_PAIRS; row++) {
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    if (cap.pairRole(rec) !== PairRole.Reply) continue;
    const firstEntry = requests.first(cap.pairKey[rec]);
    if (firstEntry < 0) continue;
    let best = -1;
    let bestGap = Infinity;
    for (let e = firstEntry; e >= 0; e = requests.next(e)) {
      const req = requests.row(e);
      for (let k = 0; k < C; k++) {
        const gap = table.time(row, k) - table.time(req, k);
        if (gap >= 0 && gap < bestGap) { bestGap = gap; best = req; }
      }
    }
    if (best >= 0) pairs.push([best, row]);
  }
  // Samples per ordered capture pair (a, b) on different hosts, a < b.
  const samples = new Map<number, { off: number[]; rtt: number[] }>();
  for (const [req, rep] of pairs) {
    for (let a = 0; a < C; a++) {
      const ta1 = table.time(req, a);
      const ta2 = table.time(rep, a);
      if (Number.isNaN(ta1) || Number.isNaN(ta2)) continue;
      for (let b = a + 1; b < C; b++) {
        if (hostOf[a] === hostOf[b]) continue;
        const tb1 = table.time(req, b);
        const tb2 = table.time(rep, b);
        if (Number.isNaN(tb1) || Number.isNaN(tb2)) continue;
        const x = ta1 - tb1;
        const y = ta2 - tb2;
        let s = samples.get(a * 256 + b);
        if (!s) { s = { off: [], rtt: [] }; samples.set(a * 256 + b, s); }
        s.off.push((x + y) / 2);
        s.rtt.push(Math.abs(x - y));
      }
    }
  }
  // Best estimate per host pair: the capture pair with the smallest round trip.
  interface Edge { offset: number; unc: number; spread: number; n: number; a: number; b: number }
  const edges = new Map<string, Edge>(); // key "H\0R": offset of H relative to R
  for (const [key, s] of samples) {
    const a = Math.floor(key / 256);
    const b = key % 256;
    const e = filteredEstimate(s.off, s.rtt);
    const kAB = `${hostOf[a]}\0${hostOf[b]}`;
    const prev = edges.get(kAB);
    if (!prev || e.unc < prev.unc) {
      edges.set(kAB, { ...e, a, b });
      edges.set(`${hostOf[b]}\0${hostOf[a]}`, { ...e, offset: -e.offset, a: b, b: a });
    }
  }
  // Breadth-first from the reference host, preferring nothing fancier than the first edge found.
  const result = new Map<string, HostOffset>();
  result.set(referenceHost, { host: referenceHost, offsetSec: 0, uncertaintySec: 0, spreadSec: 0, samples: 0, via: '', captures: null, known: true });
  const queue = [referenceHost];
  while (queue.length > 0) {
    const r = queue.shift() as string;
    const base = result.get(r) as HostOffset;
    for (const h of hosts) {
      if (result.has(h)) continue;
      const e = edges.get(`${h}\0${r}`);
      if (!e) continue;
      result.set(h, {
        host: h, offsetSec: base.offsetSec + e.offset, uncertaintySec: base.uncertaintySec + e.unc,
        spreadSec: e.spread, samples: e.n, via: r, captures: [e.a, e.b], known: true,
      });
      queue.push(h);
    }
  }
  return hosts.map((h) => result.get(h) ?? {
    host: h, offsetSec: 0, uncertaintySec: Infinity, spreadSec: 0, samples: 0, via: '', captures: null, known: false,
  });
}

function filteredEstimate(off: number[], rtt: number[]): { offset: number; unc: number; spread: number; n: number } {
  let minRtt = Infinity;
  for (const r of rtt) if (r < minRtt) minRtt = r;
  // Keep the samples whose round trip is close to the minimum (queueing inflates the others); the
  // kept offsets are sorted by value, so the order they are gathered in does not matter.
  const limit = minRtt + Math.max(minRtt, 50e-6);
  const kept = new Float64Array(off.length);
  let n = 0;
  for (let i = 0; i < off.length; i++) if (rtt[i] <= limit) kept[n++] = off[i];
  const sorted = kept.subarray(0, n).sort();
  const offset = median(sorted);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(sorted[i] - offset);
  const spread = median(dev.sort());
  return { offset, unc: minRtt / 2, spread, n: off.length };
}

export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
