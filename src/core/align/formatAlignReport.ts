/** The alignment report as plain text tables, readable in a terminal and pasteable into a ticket. */
import type { AlignReport } from './alignReport';
import { INFORMATION_VERDICTS } from './verdicts';

const ms = (s: number | null): string => (s === null ? '-' : `${(s * 1000).toFixed(3)}`);

function table(header: string[], rows: string[][]): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((v, i) => v.padEnd(w[i])).join('  ').trimEnd();
  return [line(header), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)];
}

export function formatAlignReport(r: AlignReport, maxRowsPerVerdict = 5): string {
  const out: string[] = [];
  out.push('Captures');
  out.push(...table(['#', 'capture', 'host', 'packets'], r.captures.map((c) => [String(c.index), c.name, c.host, String(c.packets)])));
  out.push('', 'Clock offsets (against the first host)');
  out.push(...table(['host', 'offset ms', '± ms', 'spread ms', 'samples', 'measured on'], r.clocks.map((h) => [
    h.host, h.known ? ms(h.offsetSec) : 'unknown', ms(h.uncertaintySec), ms(h.spreadSec), String(h.samples),
    h.captures.length ? `${h.captures.join(' / ')}${h.via ? ` (vs ${h.via})` : ''}` : '-',
  ])));
  out.push('', `Hop order${r.hopOrder.overridden ? ' (given with --order)' : ' (inferred)'}`);
  for (const d of r.hopOrder.directions) {
    out.push(`  ${d.label}: ${d.order.join(' -> ') || '(no packets)'}  [consistency ${(d.consistency * 100).toFixed(1)}%]`);
  }
  out.push('', 'Segments (delays in ms, clock-corrected)');
  out.push(...table(['dir', 'from', 'to', 'packets', 'lost', 'p50', 'p99', 'max'], r.segments.map((s) => [
    String(s.direction), s.from, s.to, String(s.packets), String(s.lost), ms(s.p50Sec), ms(s.p99Sec), ms(s.maxSec),
  ])));
  out.push('', r.verdicts.length ? 'Verdicts' : 'Verdicts: none (every packet seen on one hop was seen on the next, no outlier delay)');
  for (const v of r.verdicts) {
    const where = v.captures.length === 2 ? ` between ${v.captures[0]} and ${v.captures[1]}` : v.captures.length === 1 ? ` on ${v.captures[0]}` : '';
    const dir = v.direction >= 0 ? ` (${r.hopOrder.directions[v.direction].label})` : '';
    const info = INFORMATION_VERDICTS.has(v.kind) ? ' (information)' : '';
    out.push(`* ${v.kind}${info}${where}${dir}: ${v.count} packet${v.count === 1 ? '' : 's'}${v.detail ? `; ${v.detail}` : ''}`);
    for (const row of v.rows.slice(0, maxRowsPerVerdict)) {
      const cells = row.cells.map((c) => `${c.capture}#${c.record + 1}`).join(' ');
      out.push(`    ${row.description}  [${cells}]`);
    }
    if (v.count > maxRowsPerVerdict) out.push(`    ... ${v.count - Math.min(maxRowsPerVerdict, v.rows.length)} more`);
  }
  out.push('', `Rows: ${r.rows.total} packets, ${r.rows.onSeveralCaptures} seen on several captures, ${r.rows.duplicates} copies`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
