/**
 * What identifies one packet at every hop of its path (see docs/align-design.md): the fields that
 * survive bridges, routers and encapsulation, hashed into two uint32 words. MACs, TTL / hop limit,
 * checksums, VLAN tags and the underlay of a tunnel are left out of the identity and kept apart as
 * the occurrence's "rewrite signature" so that changes between hops can be reported.
 */
import type { PacketFields } from '../decode/packetFields';
import { IdentityHasher } from './identityHasher';

/** Bytes of L4 payload hashed into the identity (enough to tell apart same-length payloads). */
export const IDENTITY_PAYLOAD_BYTES = 16;

export const enum PacketKind {
  Other = 0, Arp = 1, EchoRequest = 2, EchoReply = 3, Icmp = 4, Tcp = 5, Udp = 6, OtherIp = 7,
}

/** Request/reply role for clock estimation and "reply missing". */
export const enum PairRole { None = 0, Request = 1, Reply = 2 }

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;
const TCP_PSH = 0x08;

/** One packet's identity, flow, pairing and rewrite signature; reused from packet to packet. */
export class PacketIdentity {
  idA = 0;
  idB = 0;
  /** Direction-normalised 5-tuple hash. */
  flow = 0;
  /** 0 when the source endpoint sorts first (lower address), 1 otherwise. */
  dir = 0;
  kind: PacketKind = PacketKind.Other;
  pairKey = 0;
  pairRole: PairRole = PairRole.None;
  // Display fields (IPv4 addresses as uint32; 0 for IPv6, whose flow hash still tells flows apart).
  src4 = 0;
  dst4 = 0;
  /** TCP/UDP source port or ICMP echo id. */
  port1 = 0;
  /** TCP/UDP destination port or ICMP echo seq. */
  port2 = 0;
  tcpSeq = 0;
  /** TCP/UDP payload length as the headers claim it. */
  l4Length = 0;
  /** TCP flags, or ICMP type. */
  flags = 0;
  // Rewrite signature.
  srcMac = -1;
  dstMac = -1;
  ttl = -1;
  vlan = -1;
  dscp = -1;
  /**
   * Hash of what NAT leaves alone (IP id, protocol, TCP seq/ack/flags/timestamp, ICMP echo seq,
   * payload length and first bytes): joins one packet's sightings across SNAT/DNAT. 0 when not IP.
   */
  natKey = 0;
}

const hasher = new IdentityHasher();
const flowHasher = new IdentityHasher();
const natHasher = new IdentityHasher();

function u32(d: Uint8Array, p: number): number {
  return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
}

function mac48(d: Uint8Array, p: number): number {
  if (p < 0) return -1;
  return (d[p] * 0x10000 + ((d[p + 1] << 8) | d[p + 2])) * 0x1000000 + ((d[p + 3] << 16) | (d[p + 4] << 8) | d[p + 5]);
}

/** Compares endpoint (address at offA, port a) with (offB, port b): negative when A sorts first. */
function compareEndpoints(d: Uint8Array, offA: number, offB: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const x = d[offA + i] - d[offB + i];
    if (x !== 0) return x;
  }
  return 0;
}

/**
 * Fills `out` from a dissected packet. `data` is the record's bytes (the offsets in `f` point into it).
 */
export function computePacketIdentity(f: PacketFields, data: Uint8Array, out: PacketIdentity): void {
  out.srcMac = mac48(data, f.srcMacOffset);
  out.dstMac = mac48(data, f.dstMacOffset);
  out.ttl = f.ipTtl;
  out.vlan = f.vlanId0;
  out.dscp = f.ipDscp;
  out.pairKey = 0;
  out.pairRole = PairRole.None;
  out.src4 = 0; out.dst4 = 0; out.port1 = 0; out.port2 = 0; out.tcpSeq = 0; out.l4Length = 0; out.flags = 0;
  out.natKey = 0;
  hasher.reset(f.etherType);
  flowHasher.reset(f.etherType);

  if (f.ipVersion === 0 && f.arpOp >= 0 && f.arpSenderIpOffset >= 0 && f.arpTargetIpOffset >= 0) {
    out.kind = PacketKind.Arp;
    hasher.add(f.arpOp);
    hasher.addBytes(data, f.arpSenderIpOffset, 4);
    hasher.addBytes(data, f.arpTargetIpOffset, 4);
    if (f.arpSenderMacOffset >= 0) hasher.addBytes(data, f.arpSenderMacOffset, 6);
    const c = compareEndpoints(data, f.arpSenderIpOffset, f.arpTargetIpOffset, 4);
    out.dir = c > 0 ? 1 : 0;
    const lo = c > 0 ? f.arpTargetIpOffset : f.arpSenderIpOffset;
    const hi = c > 0 ? f.arpSenderIpOffset : f.arpTargetIpOffset;
    flowHasher.addBytes(data, lo, 4);
    flowHasher.addBytes(data, hi, 4);
    out.flow = flowHasher.finishA();
    out.pairRole = f.arpOp === 1 ? PairRole.Request : f.arpOp === 2 ? PairRole.Reply : PairRole.None;
    out.pairKey = out.flow;
    out.src4 = u32(data, f.arpSenderIpOffset);
    out.dst4 = u32(data, f.arpTargetIpOffset);
    out.flags = f.arpOp;
    out.idA = hasher.finishA();
    out.idB = hasher.finishB();
    return;
  }

  if (f.ipVersion === 0 || f.ipSrcOffset < 0 || f.ipDstOffset < 0) {
    // Not IP: the frame's bytes after the link header are all we have.
    out.kind = PacketKind.Other;
    const start = f.ethOffset >= 0 ? f.ethOffset + 12 : f.packetOffset;
    const len = Math.max(0, f.packetOffset + f.capLength - start);
    hasher.addBytes(data, start, len);
    out.flow = 0;
    out.dir = 0;
    out.idA = hasher.finishA();
    out.idB = hasher.finishB();
    return;
  }

  const alen = f.ipVersion === 4 ? 4 : 16;
  hasher.add(f.ipVersion);
  hasher.addBytes(data, f.ipSrcOffset, alen);
  hasher.addBytes(data, f.ipDstOffset, alen);
  hasher.add(f.ipProto);
  hasher.add(f.ipId);
  hasher.add(f.ipFragOffset);
  if (alen === 4) { out.src4 = u32(data, f.ipSrcOffset); out.dst4 = u32(data, f.ipDstOffset); }

  let p1 = 0;
  let p2 = 0;
  const proto = f.ipProto;
  if ((proto === 6 || proto === 17) && f.srcPort >= 0) {
    p1 = f.srcPort; p2 = f.dstPort;
    hasher.add((p1 << 16) | p2);
    out.port1 = p1; out.port2 = p2;
    out.l4Length = f.payloadClaimedLength;
    if (proto === 6 && f.tcpSeq >= 0) {
      out.kind = PacketKind.Tcp;
      out.tcpSeq = f.tcpSeq;
      out.flags = f.tcpFlags;
      hasher.add(f.tcpSeq);
      hasher.add(f.tcpAck);
      // PSH is left out: segmentation offload sets it on the last segment only.
      hasher.add(f.tcpFlags & ~TCP_PSH);
      hasher.add(f.payloadClaimedLength);
      hasher.add(f.tcpTsVal);
    } else {
      out.kind = proto === 6 ? PacketKind.OtherIp : PacketKind.Udp;
      hasher.add(f.udpLength);
    }
  } else if ((proto === 1 || proto === 58) && f.icmpType >= 0) {
    const t = f.icmpType;
    hasher.add((t << 8) | (f.icmpCode & 0xff));
    out.flags = t;
    const isReq = (proto === 1 && t === 8) || (proto === 58 && t === 128);
    const isRep = (proto === 1 && t === 0) || (proto === 58 && t === 129);
    if ((isReq || isRep) && f.icmpId >= 0) {
      out.kind = isReq ? PacketKind.EchoRequest : PacketKind.EchoReply;
      hasher.add((f.icmpId << 16) | (f.icmpSeq & 0xffff));
      p1 = f.icmpId; p2 = f.icmpId;
      out.port1 = f.icmpId; out.port2 = f.icmpSeq;
    } else {
      out.kind = PacketKind.Icmp;
    }
  } else {
    out.kind = PacketKind.OtherIp;
  }
  if (f.payloadOffset >= 0) {
    hasher.addBytes(data, f.payloadOffset, Math.min(f.payloadLength, IDENTITY_PAYLOAD_BYTES));
  }
  out.idA = hasher.finishA();
  out.idB = hasher.finishB();
  out.natKey = natIdentity(f, data) || 1;

  // Flow: the lower endpoint first, so both directions share one key.
  let c = compareEndpoints(data, f.ipSrcOffset, f.ipDstOffset, alen);
  if (c === 0) c = p1 - p2;
  out.dir = c > 0 ? 1 : 0;
  flowHasher.add(f.ipVersion);
  flowHasher.addBytes(data, c > 0 ? f.ipDstOffset : f.ipSrcOffset, alen);
  flowHasher.addBytes(data, c > 0 ? f.ipSrcOffset : f.ipDstOffset, alen);
  flowHasher.add(proto);
  flowHasher.add(c > 0 ? (p2 << 16) | p1 : (p1 << 16) | p2);
  out.flow = flowHasher.finishA();

  if (out.kind === PacketKind.EchoRequest || out.kind === PacketKind.EchoReply) {
    out.pairRole = out.kind === PacketKind.EchoRequest ? PairRole.Request : PairRole.Reply;
    out.pairKey = (Math.imul(out.flow ^ f.icmpSeq, 0x9e3779b1) ^ 0x1234567) >>> 0;
  } else if (out.kind === PacketKind.Tcp && (f.tcpFlags & TCP_SYN) !== 0) {
    const synAck = (f.tcpFlags & TCP_ACK) !== 0;
    out.pairRole = synAck ? PairRole.Reply : PairRole.Request;
    const isn = synAck ? (f.tcpAck - 1) >>> 0 : f.tcpSeq;
    out.pairKey = (Math.imul(out.flow ^ isn, 0x9e3779b1) ^ 0x7654321) >>> 0;
  }
}

/** The NAT-invariant part of an IP packet's identity (see PacketIdentity.natKey). */
function natIdentity(f: PacketFields, data: Uint8Array): number {
  natHasher.reset(f.ipVersion);
  natHasher.add(f.ipProto);
  natHasher.add(f.ipId);
  natHasher.add(f.ipFragOffset);
  if (f.ipProto === 6 && f.tcpSeq >= 0) {
    natHasher.add(f.tcpSeq);
    natHasher.add(f.tcpAck);
    natHasher.add(f.tcpFlags & ~TCP_PSH);
    natHasher.add(f.tcpTsVal);
  } else if ((f.ipProto === 1 || f.ipProto === 58) && f.icmpType >= 0) {
    // The echo id is left out: masquerade may remap it like a port.
    natHasher.add(f.icmpType);
    natHasher.add(f.icmpSeq);
  } else if (f.ipProto === 17) {
    natHasher.add(f.udpLength);
  }
  natHasher.add(f.payloadClaimedLength);
  if (f.payloadOffset >= 0) natHasher.addBytes(data, f.payloadOffset, Math.min(f.payloadLength, IDENTITY_PAYLOAD_BYTES));
  return natHasher.finishA();
}
