/**
 * The conversation (flow) a tcpdump text record belongs to, both directions together, with the
 * BPF filter that captures exactly it. TCP/UDP by addresses and ports, ICMP by addresses, ARP by
 * the protocol address asked for.
 */
import type { TcpdumpPacketRecord } from '../tcpdumpText/tcpdumpRecord';

export interface Conversation {
  /** Stable key: the same for both directions. */
  key: string;
  /** What the outline shows: `TCP 10.0.0.1:5000 ↔ 10.0.0.2:80`. */
  label: string;
  /** A tcpdump filter for this conversation only. */
  bpf: string;
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'arp' | 'ip';
}

function transportOf(rec: TcpdumpPacketRecord): Conversation['protocol'] {
  switch (rec.protocol) {
    case 'tcp': return 'tcp';
    case 'udp': case 'dns': case 'dhcp': return 'udp';
    case 'icmp': return 'icmp';
    case 'icmp6': return 'icmp6';
    case 'arp': return 'arp';
    default: return 'ip';
  }
}

const hostPort = (a: string, p: number | undefined): string => (p === undefined ? a : a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);

/**
 * The conversation's key alone (every packet needs it; the label and filter only a new
 * conversation): `conversationOf(rec)?.key`, without building the rest.
 */
export function conversationKeyOf(rec: TcpdumpPacketRecord): string | undefined {
  const protocol = transportOf(rec);
  if (protocol === 'arp') {
    const target = rec.arp?.whoHas ?? rec.arp?.address;
    return target ? `arp ${target}` : undefined;
  }
  if (!rec.src || !rec.dst) return undefined;
  const a = hostPort(rec.src.address, rec.src.port);
  const b = hostPort(rec.dst.address, rec.dst.port);
  return a <= b ? `${protocol} ${a} ${b}` : `${protocol} ${b} ${a}`;
}

export function conversationOf(rec: TcpdumpPacketRecord): Conversation | undefined {
  const protocol = transportOf(rec);
  if (protocol === 'arp') {
    const target = rec.arp?.whoHas ?? rec.arp?.address;
    if (!target) return undefined;
    return { key: `arp ${target}`, label: `ARP ${target}`, bpf: `arp and host ${target}`, protocol };
  }
  if (!rec.src || !rec.dst) return undefined;
  const a = rec.src;
  const b = rec.dst;
  const [lo, hi] = hostPort(a.address, a.port) <= hostPort(b.address, b.port) ? [a, b] : [b, a];
  const key = `${protocol} ${hostPort(lo.address, lo.port)} ${hostPort(hi.address, hi.port)}`;
  const name = protocol === 'ip' ? 'IP' : protocol.toUpperCase();
  const label = `${name} ${hostPort(lo.address, lo.port)} ↔ ${hostPort(hi.address, hi.port)}`;
  let bpf: string;
  if ((protocol === 'tcp' || protocol === 'udp') && a.port !== undefined && b.port !== undefined) {
    const dir = (x: typeof a, y: typeof a): string =>
      `(src host ${x.address} and src port ${x.port} and dst host ${y.address} and dst port ${y.port})`;
    bpf = `${protocol} and (${dir(lo, hi)} or ${dir(hi, lo)})`;
  } else {
    const proto = protocol === 'ip' ? (rec.ipVersion === 6 ? 'ip6' : 'ip') : protocol;
    bpf = `${proto} and host ${lo.address} and host ${hi.address}`;
  }
  return { key, label, bpf, protocol };
}
