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
  /** Zero-based line of its last line (second `-v` line, detail lines, a tunnel's carried packet). */
  endLine: number;
}

/** A record waiting for the indented second line of the `-v` form. */
interface PendingSecondLine {
  first: string;
  complete(second: string): void;
}

export function parseTcpdumpText(text: string): TcpdumpTextRecord[] {
  const out: TcpdumpTextRecord[] = [];
  const lines = text.split(/\r?\n/);
  let pending: PendingSecondLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const lastEntry = out.at(-1);
    if (pending) {
      pending.complete(line);
      pending = undefined;
      if (lastEntry) lastEntry.endLine = i;
      continue;
    }
    const last = lastEntry?.record;
    const hasTimestamp = parseTcpdumpTimestamp(line) !== undefined;
    // VXLAN/Geneve: tcpdump prints the carried packet on the next line, without a timestamp.
    if (last?.kind === 'packet' && last.tunnel && !last.tunnel.inner && !hasTimestamp && /^\s*(?:IP6? |[0-9a-fA-F]{2}:|\()/.test(line)) {
      const outer = last;
      const tunnel = last.tunnel;
      // With -e tcpdump omits the `IP` word of the carried packet: `(tos 0x0, ...)` is IPv4, `(hlim ...` IPv6.
      const innerLine = line.trim().startsWith('(') ? `${/^\((?:tos|ttl)\b/.test(line.trim()) ? 'IP' : 'IP6'} ${line.trim()}` : line.trim();
      const inner = parseTcpdumpLine(innerLine);
      if (inner.kind === 'packet') {
        tunnel.inner = inner;
        outer.text += `\n${line}`;
        if (lastEntry) lastEntry.endLine = i;
        if (inner.awaitsSecondLine) {
          pending = {
            first: innerLine,
            complete: (second) => {
              const full = parseTcpdumpLine(innerLine, second.trim());
              if (full.kind === 'packet') tunnel.inner = full;
              outer.text += `\n${second}`;
            },
          };
        }
        continue;
      }
    }
    const indented = /^\s/.test(line) && !hasTimestamp;
    if (indented && last?.kind === 'packet') {
      addTcpdumpDetailLine(last, line);
      if (lastEntry) lastEntry.endLine = i;
      continue;
    }
    const record = parseTcpdumpLine(line);
    const entry: TcpdumpTextRecord = { record, line: i, endLine: i };
    out.push(entry);
    if (record.kind === 'packet' && record.awaitsSecondLine) {
      pending = { first: line, complete: (second) => { entry.record = parseTcpdumpLine(line, second.trim()); } };
    }
  }
  return out;
}
