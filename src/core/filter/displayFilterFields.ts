/**
 * The fields a display filter can name, with Wireshark's names, read straight from a dissected
 * packet (PacketFields + bytes) without allocating. A field may have several occurrences (ip.addr is
 * the source and the destination, the outer header of a tunnel, and the header an ICMP error quotes,
 * as in Wireshark); `read` returns occurrence `i` or -1 when absent. Address fields return a byte
 * offset into the packet, numbers their value. Quoted packets count one level deep (their IP
 * addresses, protocol and ports), where Wireshark dissects them whole.
 */
import { AppKind, type PacketFields, TunnelKind } from '../decode/packetFields';

export interface FrameInfo {
  /** 1-based packet number, as Wireshark and tcpdump -# count. */
  number: number;
  length: number;
  capLength: number;
  /** The packet's timestamp (frame.time, frame.time_epoch). */
  tsSec: number;
  tsNsec: number;
  /** Nanoseconds since the first packet, the previous packet, and the previous displayed one (FrameClock). */
  relativeNs: number;
  deltaNs: number;
  deltaDisplayedNs: number;
}

/**
 * `reltime` fields read signed nanoseconds (always present); `abstime` ones are the frame's
 * timestamp (FrameInfo.tsSec/tsNsec), compared as an instant.
 */
export type FieldKind = 'uint' | 'ipv4' | 'ipv6' | 'mac' | 'reltime' | 'abstime';

export interface FilterField {
  kind: FieldKind;
  /** How many occurrences `read` may return. */
  arity: number;
  read(f: PacketFields, d: Uint8Array, m: FrameInfo, i: number): number;
}

const num = (read: (f: PacketFields, d: Uint8Array, m: FrameInfo) => number): FilterField => ({ kind: 'uint', arity: 1, read: (f, d, m) => read(f, d, m) });
const pair = (kind: FieldKind, a: (f: PacketFields) => number, b: (f: PacketFields) => number): FilterField => ({ kind, arity: 2, read: (f, _d, _m, i) => (i === 0 ? a(f) : b(f)) });
const one = (kind: FieldKind, a: (f: PacketFields) => number): FilterField => ({ kind, arity: 1, read: (f) => a(f) });

const isTcp = (f: PacketFields): boolean => f.ipProto === 6 && f.srcPort >= 0;
const isUdp = (f: PacketFields): boolean => f.ipProto === 17 && f.srcPort >= 0;
const isUdpTunnel = (f: PacketFields): boolean => f.tunnelKind === TunnelKind.Vxlan || f.tunnelKind === TunnelKind.Geneve;

/** Offset of the IPv4/IPv6 header quoted by an ICMP error, with its version; -1 when none. */
function quotedIp(f: PacketFields, d: Uint8Array, version: 4 | 6): number {
  const o = f.icmpInnerOffset;
  if (o < 0 || o >= f.capLength) return -1;
  return d[o] >> 4 === version && o + (version === 4 ? 20 : 40) <= f.capLength ? o : -1;
}
function quotedProto(f: PacketFields, d: Uint8Array): number {
  const o4 = quotedIp(f, d, 4);
  if (o4 >= 0) return d[o4 + 9];
  const o6 = quotedIp(f, d, 6);
  return o6 >= 0 ? d[o6 + 6] : -1;
}
/** Ports of a quoted TCP/UDP header (src at i = 0, dst at i = 1), -1 when absent or cut. */
function quotedPort(f: PacketFields, d: Uint8Array, proto: number, i: number): number {
  if (quotedProto(f, d) !== proto) return -1;
  const o4 = quotedIp(f, d, 4);
  const l4 = o4 >= 0 ? o4 + (d[o4] & 0x0f) * 4 : quotedIp(f, d, 6) + 40;
  if (l4 + 4 > f.capLength) return -1;
  return (d[l4 + 2 * i] << 8) | d[l4 + 2 * i + 1];
}
const quoted4 = (f: PacketFields, d: Uint8Array, at: number): number => { const o = quotedIp(f, d, 4); return o < 0 ? -1 : o + at; };
const quoted6 = (f: PacketFields, d: Uint8Array, at: number): number => { const o = quotedIp(f, d, 6); return o < 0 ? -1 : o + at; };
const ip4 = (f: PacketFields, off: number): number => (f.ipVersion === 4 ? off : -1);
const ip6 = (f: PacketFields, off: number): number => (f.ipVersion === 6 ? off : -1);
const outer4 = (f: PacketFields, off: number): number => (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 4 ? off : -1);
const outer6 = (f: PacketFields, off: number): number => (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 6 ? off : -1);
const tcpFlag = (bit: number): FilterField => num((f) => (isTcp(f) && f.tcpFlags >= 0 ? ((f.tcpFlags & bit) !== 0 ? 1 : 0) : -1));
const addrWithOuter = (kind: 'ipv4' | 'ipv6', inner: (f: PacketFields) => number, outer: (f: PacketFields) => number, quotedAt: number): FilterField => ({
  kind, arity: 3, read: (f, d, _m, i) => (i === 0 ? inner(f) : i === 1 ? outer(f) : kind === 'ipv4' ? quoted4(f, d, quotedAt) : quoted6(f, d, quotedAt)),
});
const addrAll = (kind: 'ipv4' | 'ipv6'): FilterField => {
  const v = kind === 'ipv4' ? 4 : 6;
  const [src, dst] = kind === 'ipv4' ? [12, 16] : [8, 24];
  const inner = (f: PacketFields, off: number): number => (f.ipVersion === v ? off : -1);
  const outer = (f: PacketFields, off: number): number => (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === v ? off : -1);
  const q = kind === 'ipv4' ? quoted4 : quoted6;
  return {
    kind, arity: 6,
    read: (f, d, _m, i) => [
      () => inner(f, f.ipSrcOffset), () => inner(f, f.ipDstOffset), () => outer(f, f.outerIpSrcOffset), () => outer(f, f.outerIpDstOffset),
      () => q(f, d, src), () => q(f, d, dst),
    ][i](),
  };
};
const portField = (proto: 6 | 17, which: 'src' | 'dst' | 'any'): FilterField => {
  const own = proto === 6 ? isTcp : isUdp;
  const reads: ((f: PacketFields, d: Uint8Array) => number)[] = [];
  if (which !== 'dst') reads.push((f) => (own(f) ? f.srcPort : -1), (f, d) => quotedPort(f, d, proto, 0));
  if (which !== 'src') reads.push((f) => (own(f) ? f.dstPort : -1), (f, d) => quotedPort(f, d, proto, 1));
  if (proto === 17) {
    if (which !== 'dst') reads.push((f) => (isUdpTunnel(f) ? f.outerSrcPort : -1));
    if (which !== 'src') reads.push((f) => (isUdpTunnel(f) ? f.outerDstPort : -1));
  }
  return { kind: 'uint', arity: reads.length, read: (f, d, _m, i) => reads[i](f, d) };
};

export const FILTER_FIELDS: Readonly<Record<string, FilterField>> = {
  'frame.number': num((_f, _d, m) => m.number),
  'frame.len': num((_f, _d, m) => m.length),
  'frame.cap_len': num((_f, _d, m) => m.capLength),
  'frame.time': { kind: 'abstime', arity: 1, read: (_f, _d, m) => m.tsSec },
  'frame.time_epoch': { kind: 'abstime', arity: 1, read: (_f, _d, m) => m.tsSec },
  'frame.time_relative': { kind: 'reltime', arity: 1, read: (_f, _d, m) => m.relativeNs },
  'frame.time_delta': { kind: 'reltime', arity: 1, read: (_f, _d, m) => m.deltaNs },
  'frame.time_delta_displayed': { kind: 'reltime', arity: 1, read: (_f, _d, m) => m.deltaDisplayedNs },
  'eth.src': one('mac', (f) => (f.ethOffset >= 0 ? f.srcMacOffset : -1)),
  'eth.dst': one('mac', (f) => (f.ethOffset >= 0 ? f.dstMacOffset : -1)),
  'eth.addr': pair('mac', (f) => (f.ethOffset >= 0 ? f.srcMacOffset : -1), (f) => (f.ethOffset >= 0 ? f.dstMacOffset : -1)),
  'eth.type': num((f) => f.etherType),
  'vlan.id': pair('uint', (f) => f.vlanId0, (f) => f.vlanId1),
  'arp.opcode': num((f) => f.arpOp),
  'arp.src.proto_ipv4': one('ipv4', (f) => f.arpSenderIpOffset),
  'arp.dst.proto_ipv4': one('ipv4', (f) => f.arpTargetIpOffset),
  'arp.src.hw_mac': one('mac', (f) => f.arpSenderMacOffset),
  'arp.dst.hw_mac': one('mac', (f) => f.arpTargetMacOffset),
  'ip.src': addrWithOuter('ipv4', (f) => ip4(f, f.ipSrcOffset), (f) => outer4(f, f.outerIpSrcOffset), 12),
  'ip.dst': addrWithOuter('ipv4', (f) => ip4(f, f.ipDstOffset), (f) => outer4(f, f.outerIpDstOffset), 16),
  'ip.addr': addrAll('ipv4'),
  'ip.ttl': num((f) => (f.ipVersion === 4 ? f.ipTtl : -1)),
  'ip.id': num((f) => (f.ipVersion === 4 ? f.ipId : -1)),
  'ip.proto': num((f) => (f.ipVersion === 4 ? f.ipProto : -1)),
  'ip.len': num((f) => (f.ipVersion === 4 ? f.ipTotalLength : -1)),
  'ip.dsfield.dscp': num((f) => (f.ipVersion === 4 ? f.ipDscp : -1)),
  'ipv6.src': addrWithOuter('ipv6', (f) => ip6(f, f.ipSrcOffset), (f) => outer6(f, f.outerIpSrcOffset), 8),
  'ipv6.dst': addrWithOuter('ipv6', (f) => ip6(f, f.ipDstOffset), (f) => outer6(f, f.outerIpDstOffset), 24),
  'ipv6.addr': addrAll('ipv6'),
  'ipv6.hlim': num((f) => (f.ipVersion === 6 ? f.ipTtl : -1)),
  'ipv6.nxt': num((f) => (f.ipVersion === 6 ? f.ipProto : -1)),
  'tcp.srcport': portField(6, 'src'),
  'tcp.dstport': portField(6, 'dst'),
  'tcp.port': portField(6, 'any'),
  'tcp.seq_raw': num((f) => (isTcp(f) ? f.tcpSeq : -1)),
  'tcp.ack_raw': num((f) => (isTcp(f) ? f.tcpAck : -1)),
  'tcp.len': num((f) => (isTcp(f) ? f.payloadClaimedLength : -1)),
  'tcp.window_size_value': num((f) => (isTcp(f) ? f.tcpWindow : -1)),
  'tcp.flags': num((f) => (isTcp(f) ? f.tcpFlags : -1)),
  'tcp.flags.fin': tcpFlag(0x01),
  'tcp.flags.syn': tcpFlag(0x02),
  'tcp.flags.reset': tcpFlag(0x04),
  'tcp.flags.push': tcpFlag(0x08),
  'tcp.flags.ack': tcpFlag(0x10),
  'tcp.flags.urg': tcpFlag(0x20),
  'udp.srcport': portField(17, 'src'),
  'udp.dstport': portField(17, 'dst'),
  'udp.port': portField(17, 'any'),
  'udp.length': num((f) => (isUdp(f) ? f.udpLength : -1)),
  'icmp.type': num((f) => (f.ipProto === 1 ? f.icmpType : -1)),
  'icmp.code': num((f) => (f.ipProto === 1 ? f.icmpCode : -1)),
  'icmp.ident': num((f) => (f.ipProto === 1 ? f.icmpId : -1)),
  'icmp.seq': num((f) => (f.ipProto === 1 ? f.icmpSeq : -1)),
  'icmpv6.type': num((f) => (f.ipProto === 58 ? f.icmpType : -1)),
  'icmpv6.code': num((f) => (f.ipProto === 58 ? f.icmpCode : -1)),
  'vxlan.vni': num((f) => (f.tunnelKind === TunnelKind.Vxlan ? f.tunnelId : -1)),
  'geneve.vni': num((f) => (f.tunnelKind === TunnelKind.Geneve ? f.tunnelId : -1)),
  'gre.key': num((f) => (f.tunnelKind === TunnelKind.Gre ? f.tunnelId : -1)),
};

/** Protocol names usable alone (`icmp`, `arp`): true when the packet carries that layer. */
export const FILTER_PROTOCOLS: Readonly<Record<string, (f: PacketFields, d: Uint8Array) => boolean>> = {
  frame: () => true,
  eth: (f) => f.ethOffset >= 0,
  vlan: (f) => f.vlanCount > 0,
  arp: (f) => f.arpOp >= 0,
  ip: (f) => f.ipVersion === 4 || (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 4),
  ipv6: (f) => f.ipVersion === 6 || (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 6),
  icmp: (f) => f.ipProto === 1 && f.l4Offset >= 0,
  icmpv6: (f) => f.ipProto === 58 && f.l4Offset >= 0,
  tcp: (f, d) => (f.ipProto === 6 && f.l4Offset >= 0) || quotedProto(f, d) === 6,
  udp: (f, d) => (f.ipProto === 17 && f.l4Offset >= 0) || isUdpTunnel(f) || quotedProto(f, d) === 17,
  dns: (f) => f.appKind === AppKind.Dns,
  dhcp: (f) => f.appKind === AppKind.Dhcp,
  bootp: (f) => f.appKind === AppKind.Dhcp,
  vxlan: (f) => f.tunnelKind === TunnelKind.Vxlan,
  geneve: (f) => f.tunnelKind === TunnelKind.Geneve,
  gre: (f) => f.tunnelKind === TunnelKind.Gre,
};
