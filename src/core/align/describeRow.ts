/** One-line, tcpdump-like description of an aligned packet row (for verdicts and tickets). */
import type { AlignmentTable } from './alignmentTable';
import type { CaptureColumns } from './captureColumns';
import { PacketKind } from './packetIdentity';

function ipv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/**
 * The columns keep IPv4 addresses only (IPv6 flows are told apart by their flow hash): both 0 is an
 * IPv6 packet, while one 0 is a real 0.0.0.0 (DHCP discover, IGMP report of an unconfigured host).
 */
function addresses(cap: CaptureColumns, rec: number): readonly [string, string] {
  const src4 = cap.src4[rec];
  const dst4 = cap.dst4[rec];
  if (src4 !== 0 || dst4 !== 0) return [ipv4(src4), ipv4(dst4)];
  return cap.ipv6Addresses(rec) ?? ['(ipv6)', '(ipv6)'];
}

const TCP_FLAG_NAMES = 'FSRP.UEC';

function tcpFlags(f: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (f & (1 << i)) s += TCP_FLAG_NAMES[i];
  return s || 'none';
}

export function describeRecord(cap: CaptureColumns, rec: number): string {
  const k = cap.kind(rec);
  const [s, d] = k === PacketKind.Arp ? [ipv4(cap.src4[rec]), ipv4(cap.dst4[rec])] : addresses(cap, rec);
  switch (k) {
    case PacketKind.Arp:
      return cap.flags[rec] === 1 ? `ARP who-has ${d} tell ${s}` : `ARP reply ${s} to ${d} (op ${cap.flags[rec]})`;
    case PacketKind.EchoRequest:
    case PacketKind.EchoReply:
      return `ICMP echo ${k === PacketKind.EchoRequest ? 'request' : 'reply'} ${s} > ${d} id ${cap.port1[rec]} seq ${cap.port2[rec]}`;
    case PacketKind.Icmp:
      return `ICMP type ${cap.flags[rec]} ${s} > ${d}`;
    case PacketKind.Tcp:
      return `TCP ${s}.${cap.port1[rec]} > ${d}.${cap.port2[rec]} [${tcpFlags(cap.flags[rec])}] seq ${cap.tcpSeq[rec]} len ${cap.l4Length[rec]}`;
    case PacketKind.Udp:
      return `UDP ${s}.${cap.port1[rec]} > ${d}.${cap.port2[rec]} len ${cap.l4Length[rec]}`;
    case PacketKind.OtherIp:
      return `IP ${s} > ${d}`;
    default:
      return 'non-IP frame';
  }
}

export function describeRow(table: AlignmentTable, row: number): string {
  const c = table.firstCapture(row);
  return c < 0 ? '' : describeRecord(table.captures[c], table.cell(row, c));
}

/** "10.205.1.2 -> 10.205.1.1": the most common address pair among the direction's IP packets. */
export function describeDirection(table: AlignmentTable, direction: number): string {
  const counts = new Map<string, number>();
  let fallback = '';
  for (let row = 0, seen = 0; row < table.rowCount && seen < 5000; row++) {
    if (table.dir(row) !== direction) continue;
    const c = table.firstCapture(row);
    const cap = table.captures[c];
    const rec = table.cell(row, c);
    const kind = cap.kind(rec);
    if (kind === PacketKind.Other) continue;
    const [s, d] = kind === PacketKind.Arp ? [ipv4(cap.src4[rec]), ipv4(cap.dst4[rec])] : addresses(cap, rec);
    const label = `${s} -> ${d}`;
    if (kind === PacketKind.Arp) { fallback ||= label; continue; }
    seen++;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  let best = fallback;
  let bestN = 0;
  for (const [label, n] of counts) if (n > bestN) { best = label; bestN = n; }
  return best || (direction === 0 ? 'direction 0' : 'direction 1');
}
