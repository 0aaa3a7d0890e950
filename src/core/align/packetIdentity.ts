/**
 * What identifies one packet at every hop of its path (see docs/align-design.md): the fields that
 * survive bridges, routers and encapsulation, hashed into two uint32 words. MACs, TTL / hop limit,
 * checksums, VLAN tags and the underlay of a tunnel are left out of the identity and kept apart as
 * the occurrence's "rewrite signature" so that changes between hops can be reported.
 */
import type { PacketFields } from '../decode/packetFields';
import { hashStepA, hashStepB, hashPairA, hashPairB, hashFinish, readWord } from './identityHash';

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
  /**
   * 1 when the IP destination is a group address (IPv4 224.0.0.0/4 or 255.255.255.255, IPv6 ff00::/8),
   * else 0: the columns keep no IPv6 address, and captures without a destination MAC (`-i any`, raw IP)
   * have nothing else that tells.
   */
  dstGroup = 0;
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
 * from the PacketFields numbers and the packet bytes at the offsets the dissector found: no strings
 * or objects. IP packets (the hot path) go through ipIdentity below; the rare ARP and non-IP frames
 * through small stages that pass the lanes in LANES (an Int32Array: module or object fields holding
 * int32s outside the small-integer range would be boxed).
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

/**
 * Direction-normalised flow key of IPv4 endpoints (lower first); never 0, an int32 that the caller
 * makes unsigned (>>> 0). Returning int32 from both flow keys keeps ipIdentity's `version === 4 ?
 * flowKey4 : flowKey6` a 32-bit value: with an unsigned return from the flowKey6 call (not inlined,
 * so a tagged value), TurboFan boxed the inlined flowKey4 result into a heap number on every IPv4
 * packet (10 MB of garbage and 9 scavenges per 1M packets).
 */
function flowKey4(version: number, proto: number, lo: number, hi: number, ports: number): number {
  let h = hashStepA(0x243f6a88, (version << 8) | (proto & 0xff));
  h = hashStepA(hashStepA(h, lo), hi);
  h = hashFinish(hashStepA(h, ports));
  return h === 0 ? 1 : h;
}

/** The same for IPv6 endpoints (addresses at offsets lo and hi); int32 too. */
function flowKey6(proto: number, d: Uint8Array, lo: number, hi: number, ports: number): number {
  let h = hashStepA(0x243f6a88, (6 << 8) | (proto & 0xff));
  for (let i = 0; i < 16; i += 4) h = hashStepA(h, readWord(d, lo + i));
  for (let i = 0; i < 16; i += 4) h = hashStepA(h, readWord(d, hi + i));
  h = hashFinish(hashStepA(h, ports));
  return h === 0 ? 1 : h;
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
  out.dstGroup = 0;
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
  out.flow = flowKey4(0, 0, c > 0 ? targetIp : senderIp, c > 0 ? senderIp : targetIp, 0) >>> 0;
  out.pairRole = f.arpOp === 1 ? PairRole.Request : f.arpOp === 2 ? PairRole.Reply : PairRole.None;
  out.pairKey = out.flow;
  out.flags = f.arpOp;
}

/*
 * An IP packet's words for lanes A and B (WORDS) and for the NAT key (NAT_WORDS): each header field is
 * read once from PacketFields and each payload word once from the bytes, then the lanes run over the
 * lists in one small loop. Listing first and hashing after keeps the hash steps to three call sites
 * that TurboFan always inlines (hashing field by field in one function used up its inlining budget and
 * paid a call per step). The lists hold int32s: every hash step takes its word modulo 2^32 anyway.
 */
const WORDS = new Int32Array(32);

const NAT_WORDS = new Int32Array(32);

/** Appends the 16-byte address at `p` (four words; its length is implied by the IP version in the head word). */
function listAddress6(d: Uint8Array, p: number, m: number): number {
  WORDS[m] = readWord(d, p);
  WORDS[m + 1] = readWord(d, p + 4);
  WORDS[m + 2] = readWord(d, p + 8);
  WORDS[m + 3] = readWord(d, p + 12);
  return m + 4;
}

/**
 * Identity (idA, idB) and NAT key of an IP packet; fills kind, addresses, ports, seq, length, flags.
 * Lane N (natKey) skips addresses, ports and the echo id, which NAT rewrites.
 *
 * Small fields share a word where the packing is injective on every value they can take (so that the
 * single-word argument of identityHash.ts still holds): the first word of each list carries the IP
 * version and protocol, the TCP flags and the count of payload bytes hashed + 1 (0 = no payload);
 * IPv4's 16-bit id shares a word with the fragment offset (-1 or a multiple of 8 below 65536).
 */
function ipIdentity(f: PacketFields, d: Uint8Array, out: PacketIdentity): void {
  const version = f.ipVersion;
  const proto = f.ipProto;
  // Word 0 of both lists (HEAD) is written last, once the flags and payload count are known.
  let m = 1;
  let k = 1;
  let head = (version << 8) | (proto & 0xff);
  let s4 = 0;
  let d4 = 0;
  const ipId = f.ipId;
  const frag = f.ipFragOffset;
  if (version === 4) {
    s4 = readWord(d, f.ipSrcOffset);
    d4 = readWord(d, f.ipDstOffset);
    WORDS[m++] = s4;
    WORDS[m++] = d4;
    out.src4 = s4 >>> 0;
    out.dst4 = d4 >>> 0;
    out.dstGroup = d4 >>> 28 === 0xe || d4 === -1 ? 1 : 0;
    const idFrag = (ipId << 16) | (frag & 0xffff);
    WORDS[m++] = idFrag;
    NAT_WORDS[k++] = idFrag;
  } else {
    // src4 and dst4 stay 0 (fillRewriteSignature). IPv6's fragment id is 32 bits: a word of its own.
    m = listAddress6(d, f.ipDstOffset, listAddress6(d, f.ipSrcOffset, m));
    out.dstGroup = d[f.ipDstOffset] === 0xff ? 1 : 0;
    WORDS[m++] = ipId;
    WORDS[m++] = frag;
    NAT_WORDS[k++] = ipId;
    NAT_WORDS[k++] = frag;
  }
  const claimed = f.payloadClaimedLength;
  // port1, port2, tcpSeq, l4Length, flags, pairKey and pairRole are 0 (fillRewriteSignature).
  const hasPorts = (proto === 6 || proto === 17) && f.srcPort >= 0;
  const isTcp = proto === 6 && f.tcpSeq >= 0;
  if (hasPorts) {
    const srcPort = f.srcPort;
    const dstPort = f.dstPort;
    WORDS[m++] = (srcPort << 16) | dstPort;
    out.port1 = srcPort;
    out.port2 = dstPort;
    out.l4Length = claimed;
  }
  if (isTcp) {
    const seq = f.tcpSeq;
    const ack = f.tcpAck;
    const tsVal = f.tcpTsVal;
    // PSH is left out: segmentation offload sets it on the last segment only. The flags byte goes into
    // the head word (bits 17-24).
    head |= (f.tcpFlags & ~TCP_PSH & 0xff) << 17;
    NAT_WORDS[k++] = seq;
    NAT_WORDS[k++] = ack;
    NAT_WORDS[k++] = tsVal;
    if (hasPorts) {
      out.kind = PacketKind.Tcp;
      out.tcpSeq = seq;
      out.flags = f.tcpFlags;
      WORDS[m++] = seq;
      WORDS[m++] = ack;
      WORDS[m++] = claimed;
      WORDS[m++] = tsVal;
    } else {
      out.kind = PacketKind.OtherIp;
    }
  } else if (hasPorts) {
    out.kind = proto === 6 ? PacketKind.OtherIp : PacketKind.Udp;
    WORDS[m++] = f.udpLength;
    if (proto === 17) NAT_WORDS[k++] = f.udpLength;
  } else if ((proto === 1 || proto === 58) && f.icmpType >= 0) {
    const t = f.icmpType;
    WORDS[m++] = (t << 8) | (f.icmpCode & 0xff);
    // The echo id is left out of the NAT key: masquerade may remap it like a port.
    NAT_WORDS[k++] = t;
    NAT_WORDS[k++] = f.icmpSeq;
    out.flags = t;
    const isReq = (proto === 1 && t === 8) || (proto === 58 && t === 128);
    const isRep = (proto === 1 && t === 0) || (proto === 58 && t === 129);
    if ((isReq || isRep) && f.icmpId >= 0) {
      out.kind = isReq ? PacketKind.EchoRequest : PacketKind.EchoReply;
      WORDS[m++] = (f.icmpId << 16) | (f.icmpSeq & 0xffff);
      out.port1 = f.icmpId;
      out.port2 = f.icmpSeq;
    } else {
      out.kind = PacketKind.Icmp;
    }
  } else {
    out.kind = PacketKind.OtherIp;
    if (proto === 17) NAT_WORDS[k++] = f.udpLength;
  }
  NAT_WORDS[k++] = claimed;
  const payload = f.payloadOffset;
  if (payload >= 0) {
    // The first payload bytes as big-endian words (the last one zero-padded); their count in the head word.
    const len = f.payloadLength < IDENTITY_PAYLOAD_BYTES ? f.payloadLength : IDENTITY_PAYLOAD_BYTES;
    const end = payload + len;
    let p = payload;
    for (; p + 4 <= end; p += 4) NAT_WORDS[k++] = WORDS[m++] = readWord(d, p);
    if (p < end) NAT_WORDS[k++] = WORDS[m++] = tailWord(d, p, end);
    // len + 1 is at most 17: bits 12-16 (version takes bits 8-11, the protocol bits 0-7).
    head |= (len + 1) << 12;
  }
  WORDS[0] = head;
  NAT_WORDS[0] = head;
  // Before the lanes: the flow key's multiplies then overlap theirs.
  const kind = out.kind;
  const echo = kind === PacketKind.EchoRequest || kind === PacketKind.EchoReply;
  // Ports for the flow: TCP/UDP ports, or the echo id on both sides.
  const p1 = out.port1;
  const p2 = echo ? p1 : out.port2;
  let c = version === 4 ? (s4 >>> 0) - (d4 >>> 0) : compareAddresses(d, f.ipSrcOffset, f.ipDstOffset, 16);
  if (c === 0) c = p1 - p2;
  out.dir = c > 0 ? 1 : 0;
  const flowPorts = c > 0 ? (p2 << 16) | p1 : (p1 << 16) | p2;
  const flow = (version === 4
    ? flowKey4(4, proto, c > 0 ? d4 : s4, c > 0 ? s4 : d4, flowPorts)
    : flowKey6(proto, d, c > 0 ? f.ipDstOffset : f.ipSrcOffset, c > 0 ? f.ipSrcOffset : f.ipDstOffset, flowPorts)) >>> 0;
  out.flow = flow;
  if (echo) {
    out.pairRole = kind === PacketKind.EchoRequest ? PairRole.Request : PairRole.Reply;
    out.pairKey = (Math.imul(flow ^ f.icmpSeq, 0x9e3779b1) ^ 0x1234567) >>> 0;
  } else if (kind === PacketKind.Tcp && (f.tcpFlags & TCP_SYN) !== 0) {
    const synAck = (f.tcpFlags & TCP_ACK) !== 0;
    out.pairRole = synAck ? PairRole.Reply : PairRole.Request;
    const isn = synAck ? (f.tcpAck - 1) >>> 0 : f.tcpSeq;
    out.pairKey = (Math.imul(flow ^ isn, 0x9e3779b1) ^ 0x7654321) >>> 0;
  }
  // The shorter list is padded with 0 words to the longer one's length rounded up to even, so that one
  // loop runs the three lanes two words per step (independent chains of multiplies, which the CPU
  // overlaps; one loop is also less code for TurboFan to compile at start-up). The padding cannot make
  // two lists equal: each list's own length goes into its lane's seed (etherType, or 0x1ffff for -1,
  // in bits 0-16, the length above).
  const top = ((m > k ? m : k) + 1) & ~1;
  // Plain stores: TypedArray.prototype.fill is a runtime call that cost ~40 ns a packet here.
  for (let j = m; j < top; j++) WORDS[j] = 0;
  for (let j = k; j < top; j++) NAT_WORDS[j] = 0;
  const seed = (f.etherType & 0x1ffff) | (m << 17);
  let a = SEED_A ^ seed;
  let b = SEED_B ^ Math.imul(seed, 0x27d4eb2f);
  let n = 0x3c6ef372 ^ version ^ (k << 17);
  for (let i = 0; i < top; i += 2) {
    const w0 = WORDS[i];
    const w1 = WORDS[i + 1];
    a = hashPairA(a, w0, w1);
    b = hashPairB(b, w0, w1);
    n = hashPairA(n, NAT_WORDS[i], NAT_WORDS[i + 1]);
  }
  out.idA = hashFinish(a) >>> 0;
  out.idB = hashFinish(b ^ FINISH_B) >>> 0;
  out.natKey = (hashFinish(n) >>> 0) || 1;
}

/**
 * Fills `out` from a dissected packet. `data` is the record's bytes (the offsets in `f` point into it).
 */
export function computePacketIdentity(f: PacketFields, data: Uint8Array, out: PacketIdentity): void {
  fillRewriteSignature(f, data, out);
  if (f.ipVersion !== 0 && f.ipSrcOffset >= 0 && f.ipDstOffset >= 0) {
    ipIdentity(f, data, out);
    return;
  }
  startLanes(f.etherType);
  if (f.ipVersion === 0 && f.arpOp >= 0 && f.arpSenderIpOffset >= 0 && f.arpTargetIpOffset >= 0) {
    arpIdentity(f, data, out);
    return;
  }
  {
    // Not IP: the frame's bytes after the link header are all we have.
    out.kind = PacketKind.Other;
    const start = f.ethOffset >= 0 ? f.ethOffset + 12 : f.packetOffset;
    hashBytes(data, start, Math.max(0, f.packetOffset + f.capLength - start));
    finishLanes(out);
    out.flow = 0;
    out.dir = 0;
  }
}
