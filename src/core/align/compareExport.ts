/**
 * Compare Captures as text to take elsewhere: Markdown for a ticket (hop order, host clocks, segment
 * table, verdicts with example packets) and CSV of the rows (one line per packet, one time and delay
 * column pair per capture, in hop order).
 */
import type { CompareViewModel } from './compareViewModel';

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const MAX_EXAMPLES = 5;

export function compareToMarkdown(m: CompareViewModel): string {
  const label = new Map(m.columns.map((c) => [c.id, c.label]));
  const out: string[] = ['## Compare Captures', ''];
  out.push(`Hop order: ${m.columns.map((c) => `\`${c.label}\``).join(' → ')}`, '');
  out.push('| # | hop | host | file |', '|---|---|---|---|');
  m.columns.forEach((c, i) => out.push(`| ${i + 1} | ${mdCell(c.label)} | ${mdCell(c.host)} | ${mdCell(c.file)} |`));
  out.push('', '### Host clocks', '', '| host | offset ms | ± ms | source |', '|---|---|---|---|');
  for (const h of m.clocks()) out.push(`| ${mdCell(h.host)} | ${ms(h.offsetNs)} | ${ms(h.uncertaintyNs)} | ${h.userSet ? 'set by the user' : 'estimated'} |`);
  out.push('', '### Segments (clock-corrected delays)', '', '| dir | from | to | packets | lost | loss % | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|---|---|---|---|');
  for (const s of m.segments()) {
    const loss = s.packets ? ((100 * s.lost) / s.packets).toFixed(1) : '0.0';
    out.push(`| ${s.direction === 'forward' ? '→' : '←'} | ${mdCell(label.get(s.from) ?? '')} | ${mdCell(label.get(s.to) ?? '')} | ${s.packets} | ${s.lost} | ${loss} | ${ms(s.p50Ns)} | ${ms(s.p99Ns)} | ${ms(s.maxNs)} |`);
  }
  out.push('', '### Verdicts', '');
  const texts = m.verdictTexts();
  if (texts.length === 0) out.push('None: every packet seen on one hop was seen on the next, no outlier delay, duplicate or rewrite.');
  m.analysis.verdicts.forEach((v, i) => {
    out.push(`- ${texts[i]}`);
    for (const r of v.rows.slice(0, MAX_EXAMPLES)) {
      const row = m.row(r);
      const where = row.cells.flatMap((c, k) => (c ? [`${m.columns[k].label}#${c.packetNumber}`] : [])).join(' ');
      out.push(`  - \`${row.summary}\` (${where})`);
    }
    if (v.count > MAX_EXAMPLES) out.push(`  - … ${v.count - Math.min(MAX_EXAMPLES, v.rows.length)} more`);
  });
  return `${out.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function compareToCsv(m: CompareViewModel): string {
  const head = ['row', 'direction', 'flow', 'packet', 'verdict'];
  for (const c of m.columns) head.push(`${c.label} frame`, `${c.label} time s`, `${c.label} hop delay ms`);
  const lines = [head.map(csvField).join(',')];
  const PAGE = 4096;
  for (let start = 0; start < m.rowCount; start += PAGE) {
    for (const r of m.rows(0, start, PAGE)) {
      const f = [String(r.id), r.direction, r.flow, r.summary, r.verdict?.text ?? ''];
      for (const c of r.cells) {
        f.push(c ? String(c.packetNumber) : '', c ? (c.timeNs / 1e9).toFixed(9) : '', c?.hopDelayNs !== undefined ? ms(c.hopDelayNs) : '');
      }
      lines.push(f.map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
