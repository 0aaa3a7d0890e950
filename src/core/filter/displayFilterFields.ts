/**
 * The fields a display filter can name, with Wireshark's names, read straight from a dissected
 * packet (PacketFields + bytes) without allocating. A field may have several occurrences (ip.addr is
 * the source and the destination, and the outer header of a tunnel too); `read` returns occurrence
 * `i` or -1 when absent. Address fields return a byte offset into the packet, numbers their value.
 */
import { AppKind, type PacketFields, TunnelKind } from '../decode/packetFields';

export interface FrameInfo {
  /** 1-based packet number, as Wireshark and tcpdump -# count. */
  number: number;
  length: number;
  capLength: number;
}

export type FieldKind = 'uint' | 'ipv4' | 'ipv6' | 'mac';

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
const ip4 = (f: PacketFields, off: number): number => (f.ipVersion === 4 ? off : -1);
const ip6 = (f: PacketFields, off: number): number => (f.ipVersion === 6 ? off : -1);
const outer4 = (f: PacketFields, off: number): number => (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 4 ? off : -1);
const outer6 = (f: PacketFields, off: number): number => (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 6 ? off : -1);
const tcpFlag = (bit: number): FilterField => num((f) => (isTcp(f) && f.tcpFlags >= 0 ? ((f.tcpFlags & bit) !== 0 ? 1 : 0) : -1));
const addrWithOuter = (kind: 'ipv4' | 'ipv6', inner: (f: PacketFields) => number, outer: (f: PacketFields) => number): FilterField => ({
  kind, arity: 2, read: (f, _d, _m, i) => (i === 0 ? inner(f) : outer(f)),
});

export const FILTER_FIELDS: Readonly<Record<string, FilterField>> = {
  'frame.number': num((_f, _d, m) => m.number),
  'frame.len': num((_f, _d, m) => m.length),
  'frame.cap_len': num((_f, _d, m) => m.capLength),
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
  'ip.src': addrWithOuter('ipv4', (f) => ip4(f, f.ipSrcOffset), (f) => outer4(f, f.outerIpSrcOffset)),
  'ip.dst': addrWithOuter('ipv4', (f) => ip4(f, f.ipDstOffset), (f) => outer4(f, f.outerIpDstOffset)),
  'ip.addr': {
    kind: 'ipv4', arity: 4,
    read: (f, _d, _m, i) => (i === 0 ? ip4(f, f.ipSrcOffset) : i === 1 ? ip4(f, f.ipDstOffset) : i === 2 ? outer4(f, f.outerIpSrcOffset) : outer4(f, f.outerIpDstOffset)),
  },
  'ip.ttl': num((f) => (f.ipVersion === 4 ? f.ipTtl : -1)),
  'ip.id': num((f) => (f.ipVersion === 4 ? f.ipId : -1)),
  'ip.proto': num((f) => (f.ipVersion === 4 ? f.ipProto : -1)),
  'ip.len': num((f) => (f.ipVersion === 4 ? f.ipTotalLength : -1)),
  'ip.dsfield.dscp': num((f) => (f.ipVersion === 4 ? f.ipDscp : -1)),
  'ipv6.src': addrWithOuter('ipv6', (f) => ip6(f, f.ipSrcOffset), (f) => outer6(f, f.outerIpSrcOffset)),
  'ipv6.dst': addrWithOuter('ipv6', (f) => ip6(f, f.ipDstOffset), (f) => outer6(f, f.outerIpDstOffset)),
  'ipv6.addr': {
    kind: 'ipv6', arity: 4,
    read: (f, _d, _m, i) => (i === 0 ? ip6(f, f.ipSrcOffset) : i === 1 ? ip6(f, f.ipDstOffset) : i === 2 ? outer6(f, f.outerIpSrcOffset) : outer6(f, f.outerIpDstOffset)),
  },
  'ipv6.hlim': num((f) => (f.ipVersion === 6 ? f.ipTtl : -1)),
  'ipv6.nxt': num((f) => (f.ipVersion === 6 ? f.ipProto : -1)),
  'tcp.srcport': num((f) => (isTcp(f) ? f.srcPort : -1)),
  'tcp.dstport': num((f) => (isTcp(f) ? f.dstPort : -1)),
  'tcp.port': pair('uint', (f) => (isTcp(f) ? f.srcPort : -1), (f) => (isTcp(f) ? f.dstPort : -1)),
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
  'udp.srcport': num((f) => (isUdp(f) ? f.srcPort : -1)),
  'udp.dstport': num((f) => (isUdp(f) ? f.dstPort : -1)),
  'udp.port': pair('uint', (f) => (isUdp(f) ? f.srcPort : -1), (f) => (isUdp(f) ? f.dstPort : -1)),
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
export const FILTER_PROTOCOLS: Readonly<Record<string, (f: PacketFields) => boolean>> = {
  frame: () => true,
  eth: (f) => f.ethOffset >= 0,
  vlan: (f) => f.vlanCount > 0,
  arp: (f) => f.arpOp >= 0,
  ip: (f) => f.ipVersion === 4 || (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 4),
  ipv6: (f) => f.ipVersion === 6 || (f.tunnelKind !== TunnelKind.None && f.outerIpVersion === 6),
  icmp: (f) => f.ipProto === 1 && f.l4Offset >= 0,
  icmpv6: (f) => f.ipProto === 58 && f.l4Offset >= 0,
  tcp: (f) => f.ipProto === 6 && f.l4Offset >= 0,
  udp: (f) => f.ipProto === 17 && f.l4Offset >= 0,
  dns: (f) => f.appKind === AppKind.Dns,
  dhcp: (f) => f.appKind === AppKind.Dhcp,
  bootp: (f) => f.appKind === AppKind.Dhcp,
  vxlan: (f) => f.tunnelKind === TunnelKind.Vxlan,
  geneve: (f) => f.tunnelKind === TunnelKind.Geneve,
  gre: (f) => f.tunnelKind === TunnelKind.Gre,
};
