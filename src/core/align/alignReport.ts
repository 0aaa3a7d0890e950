/**
 * The analysis as a plain, versioned JSON object (docs/align-schema.md, schemaVersion 1).
 * Times are seconds; record indexes are 0-based positions in each capture file (frame = record + 1).
 */
import type { CaptureAnalysis } from './analyzeCaptures';
import { describeDirection, describeRow } from './describeRow';
import type { VerdictKind } from './verdicts';

export interface AlignReportCell { capture: string; record: number; timeSec: number }
export interface AlignReportRow { row: number; description: string; cells: AlignReportCell[] }
export interface AlignReport {
  schemaVersion: 1;
  captures: { index: number; name: string; host: string; packets: number }[];
  timeOriginSec: number;
  clocks: { host: string; offsetSec: number | null; uncertaintySec: number | null; spreadSec: number; samples: number; via: string; captures: string[]; known: boolean }[];
  hopOrder: { overridden: boolean; directions: { direction: number; label: string; order: string[]; consistency: number }[] };
  segments: { direction: number; from: string; to: string; packets: number; matched: number; lost: number; p50Sec: number | null; p99Sec: number | null; maxSec: number | null }[];
  verdicts: { kind: VerdictKind; direction: number; captures: string[]; count: number; detail: string; rows: AlignReportRow[] }[];
  rows: { total: number; onSeveralCaptures: number; duplicates: number };
  warnings: string[];
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function buildAlignReport(a: CaptureAnalysis): AlignReport {
  const t = a.table;
  const names = t.captures.map((c) => c.name);
  const row = (r: number): AlignReportRow => ({
    row: r,
    description: describeRow(t, r),
    cells: names.flatMap((name, c) => {
      const rec = t.cell(r, c);
      return rec < 0 ? [] : [{ capture: name, record: rec, timeSec: t.time(r, c) }];
    }),
  });
  const lostOn = (d: number, from: number, to: number): number =>
    a.verdicts.find((v) => v.kind === 'lost' && v.direction === d && v.captures[0] === from && v.captures[1] === to)?.count ?? 0;
  return {
    schemaVersion: 1,
    captures: t.captures.map((c, i) => ({ index: i, name: c.name, host: a.hosts[i], packets: c.length })),
    timeOriginSec: t.originSec,
    clocks: a.clocks.map((h) => ({
      host: h.host, offsetSec: h.known ? h.offsetSec : null, uncertaintySec: num(h.uncertaintySec), spreadSec: h.spreadSec,
      samples: h.samples, via: h.via, captures: h.captures ? h.captures.map((c) => names[c]) : [], known: h.known,
    })),
    hopOrder: {
      overridden: a.orderOverridden,
      directions: [0, 1].map((d) => ({
        direction: d, label: describeDirection(t, d), order: a.order.byDirection[d].map((c) => names[c]), consistency: a.order.consistency[d],
      })),
    },
    segments: a.segments.map((s) => ({
      direction: s.direction, from: names[s.from], to: names[s.to], packets: s.packets, matched: s.matched,
      lost: lostOn(s.direction, s.from, s.to), p50Sec: num(s.p50), p99Sec: num(s.p99), maxSec: num(s.max),
    })),
    verdicts: a.verdicts.map((v) => ({
      kind: v.kind, direction: v.direction, captures: v.captures.map((c) => names[c]), count: v.count, detail: v.detail, rows: v.rows.map(row),
    })),
    rows: { total: t.rowCount, onSeveralCaptures: a.rowsOnSeveralCaptures, duplicates: t.duplicates.length / 3 },
    warnings: a.warnings,
  };
}
