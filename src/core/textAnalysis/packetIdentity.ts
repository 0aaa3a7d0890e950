/**
 * Which packet a text record shows, computed from the text alone, so the same packet can be found
 * in captures taken at other hops: addresses, protocol, TCP seq/ack/flags/length, ICMP type/id/seq,
 * ARP operation and addresses. MACs, TTL and the interface are left out (they change per hop).
 * The IP id is not part of the key (only `-v` prints it) but is compared when both sides have it.
 */
import type { TcpdumpPacketRecord } from '../tcpdumpText/tcpdumpRecord';

export function packetIdentity(rec: TcpdumpPacketRecord): string | undefined {
  if (rec.protocol === 'arp' && rec.arp) {
    const a = rec.arp;
    return a.op === 'request' ? `arp who-has ${a.whoHas} tell ${a.tell}` : `arp ${a.op} ${a.address}`;
  }
  if (!rec.src || !rec.dst) return undefined;
  const head = `${rec.src.address}.${rec.src.port ?? ''}>${rec.dst.address}.${rec.dst.port ?? ''}`;
  if (rec.tcp) {
    const t = rec.tcp;
    return `tcp ${head} ${t.flags} ${t.seqStart ?? ''}:${t.seqEnd ?? ''} ${t.ackNumber ?? ''} ${t.length ?? ''}`;
  }
  if (rec.icmp) return `${rec.protocol} ${head} ${rec.icmp.type} ${rec.icmp.id ?? ''} ${rec.icmp.seq ?? ''} ${rec.icmp.target ?? ''}`;
  if (rec.dns) return `dns ${head} ${rec.dns.id} ${rec.dns.isResponse ? 'r' : 'q'} ${rec.dns.length}`;
  if (rec.udpLength !== undefined) return `udp ${head} ${rec.udpLength}`;
  if (rec.quietTcpLength !== undefined) return `tcp ${head} ${rec.quietTcpLength}`;
  return `${rec.protocol} ${head} ${rec.ip?.length ?? ''} ${rec.dhcp?.length ?? ''}`;
}

/** Two records with the same identity are the same packet unless both print an IP id and the ids differ. */
export function sameIpId(a: TcpdumpPacketRecord, b: TcpdumpPacketRecord): boolean {
  return a.ip?.id === undefined || b.ip?.id === undefined || a.ip.id === b.ip.id;
}
