/**
 * What identifies one packet at every hop of its path (see docs/align-design.md): the fields that
 * survive bridges, routers and encapsulation, hashed into two uint32 words. MACs, TTL / hop limit,
 * checksums, VLAN tags and the underlay of a tunnel are left out of the identity and kept apart as
 * the occurrence's "rewrite signature" so that changes between hops can be reported.
 */
import type { PacketFields } from '../decode/packetFields';
import { hashStepA, hashStepB, hashFinish, readWord } from './identityHash';

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

/** Compares the `len`-byte addresses at offA and offB: negative when A sorts first. */
function compareAddresses(d: Uint8Array, offA: number, offB: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const x = d[offA + i] - d[offB + i];
    if (x !== 0) return x;
  }
  return 0;
}

/*
 * The identity is two 32-bit hashes (lanes A and B, see identityHash.ts) fed word by word straight
 * from the PacketFields numbers and the packet bytes at the offsets the dissector found: no
 * intermediate arrays, strings or objects. The work is cut into stages small enough for TurboFan to
 * inline every hash step (one large function exhausted its inlining budget and paid a call per
 * word: +25 % CPU on the bench); the lanes travel between stages in LANES (an Int32Array: module or
 * object fields holding int32s outside the small-integer range would be boxed).
 */
const LANES = new Int32Array(2);
const SEED_A = 0x9e3779b9 | 0;
const SEED_B = 0x85ebca6b | 0;
/** Xored into lane B before finishing so that equal lanes still give different words. */
const FINISH_B = 0x5bd1e995;

/** The 1-3 bytes at p..end as the top of a zero-padded big-endian word. */
function tailWord(d: Uint8Array, p: number, end: number): number {
  let w = d[p] << 24;
  if (p + 1 < end) w |= d[p + 1] << 16;
  if (p + 2 < end) w |= d[p + 2] << 8;
  return w;
}

/** Both lanes over `length` bytes at `offset` (big-endian words, the last one zero-padded), then the length. */
function hashBytes(d: Uint8Array, offset: number, length: number): void {
  let a = LANES[0];
  let b = LANES[1];
  const end = offset + length;
  let p = offset;
  for (; p + 4 <= end; p += 4) {
    const w = readWord(d, p);
    a = hashStepA(a, w); b = hashStepB(b, w);
  }
  if (p < end) {
    const w = tailWord(d, p, end);
    a = hashStepA(a, w); b = hashStepB(b, w);
  }
  LANES[0] = hashStepA(a, length);
  LANES[1] = hashStepB(b, length);
}

function startLanes(seed: number): void {
  LANES[0] = SEED_A ^ seed;
  LANES[1] = SEED_B ^ Math.imul(seed, 0x27d4eb2f);
}

function finishLanes(out: PacketIdentity): void {
  out.idA = hashFinish(LANES[0]) >>> 0;
  out.idB = hashFinish(LANES[1] ^ FINISH_B) >>> 0;
}

/** Direction-normalised flow key of IPv4 endpoints (lower first); never 0, unsigned. */
function flowKey4(version: number, proto: number, lo: number, hi: number, ports: number): number {
  let h = hashStepA(0x243f6a88, (version << 8) | (proto & 0xff));
  h = hashStepA(hashStepA(h, lo), hi);
  h = hashFinish(hashStepA(h, ports));
  return h === 0 ? 1 : h >>> 0;
}

/** The same for IPv6 endpoints (addresses at offsets lo and hi). */
function flowKey6(proto: number, d: Uint8Array, lo: number, hi: number, ports: number): number {
  let h = hashStepA(0x243f6a88, (6 << 8) | (proto & 0xff));
  for (let i = 0; i < 16; i += 4) h = hashStepA(h, readWord(d, lo + i));
  for (let i = 0; i < 16; i += 4) h = hashStepA(h, readWord(d, hi + i));
  h = hashFinish(hashStepA(h, ports));
  return h === 0 ? 1 : h >>> 0;
}

/** MACs (as exact float64, -1 when absent), TTL, VLAN, DSCP; clears the per-kind fields. */
function fillRewriteSignature(f: PacketFields, d: Uint8Array, out: PacketIdentity): void {
  const sm = f.srcMacOffset;
  const dm = f.dstMacOffset;
  out.srcMac = sm < 0 ? -1 : ((d[sm] << 8) | d[sm + 1]) * 0x100000000 + (readWord(d, sm + 2) >>> 0);
  out.dstMac = dm < 0 ? -1 : ((d[dm] << 8) | d[dm + 1]) * 0x100000000 + (readWord(d, dm + 2) >>> 0);
  out.ttl = f.ipTtl;
  out.vlan = f.vlanId0;
  out.dscp = f.ipDscp;
  out.pairKey = 0;
  out.pairRole = PairRole.None;
  out.src4 = 0; out.dst4 = 0; out.port1 = 0; out.port2 = 0; out.tcpSeq = 0; out.l4Length = 0; out.flags = 0;
  out.natKey = 0;
}

/** ARP: op, sender/target IP, sender MAC; the address pair is the flow and the pair key. */
function arpIdentity(f: PacketFields, d: Uint8Array, out: PacketIdentity): void {
  out.kind = PacketKind.Arp;
  const sender = f.arpSenderIpOffset;
  const target = f.arpTargetIpOffset;
  const senderIp = readWord(d, sender);
  const targetIp = readWord(d, target);
  let a = LANES[0];
  let b = LANES[1];
  a = hashStepA(a, f.arpOp); b = hashStepB(b, f.arpOp);
  a = hashStepA(a, senderIp); b = hashStepB(b, senderIp);
  a = hashStepA(a, targetIp); b = hashStepB(b, targetIp);
  LANES[0] = a; LANES[1] = b;
  if (f.arpSenderMacOffset >= 0) hashBytes(d, f.arpSenderMacOffset, 6);
  finishLanes(out);
  out.src4 = senderIp >>> 0;
  out.dst4 = targetIp >>> 0;
  const c = out.src4 - out.dst4;
  out.dir = c > 0 ? 1 : 0;
  out.flow = flowKey4(0, 0, c > 0 ? targetIp : senderIp, c > 0 ? senderIp : targetIp, 0);
  out.pairRole = f.arpOp === 1 ? PairRole.Request : f.arpOp === 2 ? PairRole.Reply : PairRole.None;
  out.pairKey = out.flow;
  out.flags = f.arpOp;
}

/** IP version and protocol, addresses, IP id and fragment offset. */
function hashIpHeader(f: PacketFields, d: Uint8Array, out: PacketIdentity): void {
  let a = LANES[0];
  let b = LANES[1];
  const versionProto = (f.ipVersion << 8) | (f.ipProto & 0xff);
  a = hashStepA(a, versionProto); b = hashStepB(b, versionProto);
  if (f.ipVersion === 4) {
    const s4 = readWord(d, f.ipSrcOffset);
    const d4 = readWord(d, f.ipDstOffset);
    a = hashStepA(a, s4); b = hashStepB(b, s4);
    a = hashStepA(a, d4); b = hashStepB(b, d4);
    out.src4 = s4 >>> 0;
    out.dst4 = d4 >>> 0;
    LANES[0] = a; LANES[1] = b;
  } else {
    LANES[0] = a; LANES[1] = b;
    hashBytes(d, f.ipSrcOffset, 16);
    hashBytes(d, f.ipDstOffset, 16);
  }
  const id = f.ipId;
  const frag = f.ipFragOffset;
  LANES[0] = hashStepA(hashStepA(LANES[0], id), frag);
  LANES[1] = hashStepB(hashStepB(LANES[1], id), frag);
}

/** TCP/UDP ports and the per-protocol header words; fills kind, ports, seq, length, flags. */
function hashTransport(f: PacketFields, out: PacketIdentity): void {
  let a = LANES[0];
  let b = LANES[1];
  const p1 = f.srcPort;
  const p2 = f.dstPort;
  const ports = (p1 << 16) | p2;
  a = hashStepA(a, ports); b = hashStepB(b, ports);
  out.port1 = p1; out.port2 = p2;
  out.l4Length = f.payloadClaimedLength;
  if (f.ipProto === 6 && f.tcpSeq >= 0) {
    out.kind = PacketKind.Tcp;
    out.tcpSeq = f.tcpSeq;
    out.flags = f.tcpFlags;
    // PSH is left out: segmentation offload sets it on the last segment only.
    const flags = f.tcpFlags & ~TCP_PSH;
    a = hashStepA(a, f.tcpSeq); b = hashStepB(b, f.tcpSeq);
    a = hashStepA(a, f.tcpAck); b = hashStepB(b, f.tcpAck);
    a = hashStepA(a, flags); b = hashStepB(b, flags);
    a = hashStepA(a, f.payloadClaimedLength); b = hashStepB(b, f.payloadClaimedLength);
    a = hashStepA(a, f.tcpTsVal); b = hashStepB(b, f.tcpTsVal);
  } else {
    out.kind = f.ipProto === 6 ? PacketKind.OtherIp : PacketKind.Udp;
    a = hashStepA(a, f.udpLength); b = hashStepB(b, f.udpLength);
  }
  LANES[0] = a; LANES[1] = b;
}

/** ICMP / ICMPv6 type and code, echo id and seq; fills kind, flags, echo id/seq. */
function hashIcmp(f: PacketFields, out: PacketIdentity): void {
  const proto = f.ipProto;
  const t = f.icmpType;
  const typeCode = (t << 8) | (f.icmpCode & 0xff);
  let a = hashStepA(LANES[0], typeCode);
  let b = hashStepB(LANES[1], typeCode);
  out.flags = t;
  const isReq = (proto === 1 && t === 8) || (proto === 58 && t === 128);
  const isRep = (proto === 1 && t === 0) || (proto === 58 && t === 129);
  if ((isReq || isRep) && f.icmpId >= 0) {
    out.kind = isReq ? PacketKind.EchoRequest : PacketKind.EchoReply;
    const idSeq = (f.icmpId << 16) | (f.icmpSeq & 0xffff);
    a = hashStepA(a, idSeq); b = hashStepB(b, idSeq);
    out.port1 = f.icmpId; out.port2 = f.icmpSeq;
  } else {
    out.kind = PacketKind.Icmp;
  }
  LANES[0] = a; LANES[1] = b;
}

/** Flow key and direction (lower endpoint first, so both directions share one key), pair key/role. */
function ipFlowAndPair(f: PacketFields, d: Uint8Array, out: PacketIdentity): void {
  const v4 = f.ipVersion === 4;
  const src = f.ipSrcOffset;
  const dst = f.ipDstOffset;
  const echo = out.kind === PacketKind.EchoRequest || out.kind === PacketKind.EchoReply;
  // Ports for the flow: TCP/UDP ports, or the echo id on both sides.
  const p1 = out.port1;
  const p2 = echo ? out.port1 : out.port2;
  let c = v4 ? out.src4 - out.dst4 : compareAddresses(d, src, dst, 16);
  if (c === 0) c = p1 - p2;
  out.dir = c > 0 ? 1 : 0;
  const ports = c > 0 ? (p2 << 16) | p1 : (p1 << 16) | p2;
  out.flow = v4
    ? flowKey4(4, f.ipProto, c > 0 ? out.dst4 | 0 : out.src4 | 0, c > 0 ? out.src4 | 0 : out.dst4 | 0, ports)
    : flowKey6(f.ipProto, d, c > 0 ? dst : src, c > 0 ? src : dst, ports);
  if (echo) {
    out.pairRole = out.kind === PacketKind.EchoRequest ? PairRole.Request : PairRole.Reply;
    out.pairKey = (Math.imul(out.flow ^ f.icmpSeq, 0x9e3779b1) ^ 0x1234567) >>> 0;
  } else if (out.kind === PacketKind.Tcp && (f.tcpFlags & TCP_SYN) !== 0) {
    const synAck = (f.tcpFlags & TCP_ACK) !== 0;
    out.pairRole = synAck ? PairRole.Reply : PairRole.Request;
    const isn = synAck ? (f.tcpAck - 1) >>> 0 : f.tcpSeq;
    out.pairKey = (Math.imul(out.flow ^ isn, 0x9e3779b1) ^ 0x7654321) >>> 0;
  }
}

/**
 * Fills `out` from a dissected packet. `data` is the record's bytes (the offsets in `f` point into it).
 */
export function computePacketIdentity(f: PacketFields, data: Uint8Array, out: PacketIdentity): void {
  fillRewriteSignature(f, data, out);
  startLanes(f.etherType);
  if (f.ipVersion === 0 && f.arpOp >= 0 && f.arpSenderIpOffset >= 0 && f.arpTargetIpOffset >= 0) {
    arpIdentity(f, data, out);
    return;
  }
  if (f.ipVersion === 0 || f.ipSrcOffset < 0 || f.ipDstOffset < 0) {
    // Not IP: the frame's bytes after the link header are all we have.
    out.kind = PacketKind.Other;
    const start = f.ethOffset >= 0 ? f.ethOffset + 12 : f.packetOffset;
    hashBytes(data, start, Math.max(0, f.packetOffset + f.capLength - start));
    finishLanes(out);
    out.flow = 0;
    out.dir = 0;
    return;
  }
  hashIpHeader(f, data, out);
  const proto = f.ipProto;
  if ((proto === 6 || proto === 17) && f.srcPort >= 0) hashTransport(f, out);
  else if ((proto === 1 || proto === 58) && f.icmpType >= 0) hashIcmp(f, out);
  else out.kind = PacketKind.OtherIp;
  if (f.payloadOffset >= 0) hashBytes(data, f.payloadOffset, Math.min(f.payloadLength, IDENTITY_PAYLOAD_BYTES));
  finishLanes(out);
  out.natKey = natIdentity(f, data) || 1;
  ipFlowAndPair(f, data, out);
}

/** The NAT-invariant part of an IP packet's identity (see PacketIdentity.natKey); one lane, unsigned. */
function natIdentity(f: PacketFields, data: Uint8Array): number {
  let h = hashStepA(0x3c6ef372 ^ f.ipVersion, f.ipProto);
  h = hashStepA(hashStepA(h, f.ipId), f.ipFragOffset);
  if (f.ipProto === 6 && f.tcpSeq >= 0) {
    h = hashStepA(hashStepA(h, f.tcpSeq), f.tcpAck);
    h = hashStepA(hashStepA(h, f.tcpFlags & ~TCP_PSH), f.tcpTsVal);
  } else if ((f.ipProto === 1 || f.ipProto === 58) && f.icmpType >= 0) {
    // The echo id is left out: masquerade may remap it like a port.
    h = hashStepA(hashStepA(h, f.icmpType), f.icmpSeq);
  } else if (f.ipProto === 17) {
    h = hashStepA(h, f.udpLength);
  }
  h = hashStepA(h, f.payloadClaimedLength);
  const payload = f.payloadOffset;
  if (payload >= 0) {
    const n = Math.min(f.payloadLength, IDENTITY_PAYLOAD_BYTES);
    const end = payload + n;
    let p = payload;
    for (; p + 4 <= end; p += 4) h = hashStepA(h, readWord(data, p));
    if (p < end) h = hashStepA(h, tailWord(data, p, end));
    h = hashStepA(h, n);
  }
  return hashFinish(h) >>> 0;
}
