import type { TcpdumpStatusRecord } from './tcpdumpRecord';

const LISTENING = /^(?:tcpdump: )?listening on (\S+), link-type (\S+)(?: \(([^)]*)\))?,\s*(?:snapshot length|capture size)\s*(\d+) bytes/;
const READING = /^reading from file (.+), link-type (\S+)(?: \(([^)]*)\))?(?:, snapshot length (\d+))?/;
const COUNT = /^(\d+) packets? (captured|received by filter|dropped by kernel)\s*$/;

/** tcpdump's own lines (stderr, pasted along with the packets); undefined when the line is not one. */
export function parseTcpdumpStatusLine(line: string): TcpdumpStatusRecord | undefined {
  // Match on the trimmed line, keep the text exactly as given.
  const text = line;
  const t = line.trimEnd();
  let m = LISTENING.exec(t);
  if (m) {
    return { kind: 'status', text, status: 'listening', interface: m[1], linkType: m[2], linkTypeDescription: m[3], snapshotLength: Number(m[4]) };
  }
  m = READING.exec(t);
  if (m) {
    return {
      kind: 'status', text, status: 'reading', file: m[1], linkType: m[2], linkTypeDescription: m[3],
      snapshotLength: m[4] === undefined ? undefined : Number(m[4]),
    };
  }
  m = COUNT.exec(t);
  if (m) {
    const status = m[2] === 'captured' ? 'captured' : m[2] === 'received by filter' ? 'received' : 'dropped';
    return { kind: 'status', text, status, count: Number(m[1]) };
  }
  if (/^tcpdump: verbose output suppressed/.test(t)) return { kind: 'status', text, status: 'verbose-suppressed' };
  if (/^(?:tcpdump: )?[Ww]arning: /.test(t)) return { kind: 'status', text, status: 'warning' };
  return undefined;
}
