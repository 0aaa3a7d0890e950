/**
 * A whole tcpdump text (a saved `.tcpdump` file, a paste from a ticket, a live pane) into records:
 * joins the two-line `-v` form, attaches indented detail lines to their packet, keeps tcpdump's
 * own status lines. Blank lines (pastes often add them) are skipped.
 */
import { addTcpdumpDetailLine, parseTcpdumpLine } from './parseTcpdumpLine';
import { parseTcpdumpTimestamp } from './parseTcpdumpTimestamp';
import type { TcpdumpRecord } from './tcpdumpRecord';

export interface TcpdumpTextRecord {
  record: TcpdumpRecord;
  /** Zero-based line of the record's first line. */
  line: number;
}

export function parseTcpdumpText(text: string): TcpdumpTextRecord[] {
  const out: TcpdumpTextRecord[] = [];
  const lines = text.split(/\r?\n/);
  let firstLineOfPending: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const last = out.at(-1);
    const indented = /^\s/.test(line) && parseTcpdumpTimestamp(line) === undefined;
    if (last?.record.kind === 'packet' && last.record.awaitsSecondLine && firstLineOfPending !== undefined) {
      last.record = parseTcpdumpLine(firstLineOfPending, line.trim());
      firstLineOfPending = undefined;
      continue;
    }
    if (indented && last?.record.kind === 'packet') {
      addTcpdumpDetailLine(last.record, line);
      continue;
    }
    const record = parseTcpdumpLine(line);
    firstLineOfPending = record.kind === 'packet' && record.awaitsSecondLine ? line : undefined;
    out.push({ record, line: i });
  }
  return out;
}
