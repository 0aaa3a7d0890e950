/**
 * The lean dissection behind packet identity on the hot path: for the plain, complete frames that make
 * up nearly all of a capture (Ethernet, at most one 802.1Q tag, IPv4 without fragmentation or IPv6
 * without extension headers, then TCP, UDP with no tunnel behind the port, ICMP or ICMPv6), fill only
 * the PacketFields that computePacketIdentity reads (src/core/align/packetIdentity.ts), without reset()
 * and the per-layer table dispatch of dissectPacketAt. DNS and DHCP ports are taken: their decoders
 * only add application fields, which the identity does not read. Anything else (other link types,
 * QinQ, ARP, fragments, IPv6 extension headers, tunnels, other IP protocols, truncated or malformed
 * headers) returns false and the caller runs dissectPacketAt. The decoder table decides what is
 * "plain" (the registered decoder of each layer must be the one mirrored here), and
 * test/unit/identityFieldsLean.test.ts checks on every golden capture and on mutated captures that the
 * identity from these fields equals the identity from dissectPacketAt, field by field. Taking IPv6, ICMP
 * and DNS here (a fifth of the bench's mixed capture, half of the align bench's) also leaves the full
 * dissector's IP and transport functions cold, so TurboFan compiles fewer of them.
 */
import type { PacketFields } from './packetFields';
import { etherTypeDecoder, ipProtocolDecoder, linkTypeDecoder, udpPortDecoder } from './decoderTable';
import { ethernetDecoder, vlanDecoder } from './ethernet';
import { ipv4Decoder } from './ipv4';
import { ipv6Decoder } from './ipv6';
import { tcpDecoder } from './tcp';
import { udpDecoder } from './udp';
import { icmpDecoder } from './icmp';
import { icmpv6Decoder } from './icmpv6';
import { dnsDecoder } from './dns';
import { dhcpDecoder } from './dhcp';
import { dissectPacketAt } from './dissectPacket';

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_TIMESTAMP = 8;

/**
 * Fills the identity fields of the packet at bytes[start, start + caplen) and returns true, or returns
 * false (the fields are then unspecified) when the packet needs the full dissector. Only the fields
 * computePacketIdentity reads are meaningful after a true: do not hand `out` to anything else.
 */
export function dissectIdentityFieldsAt(bytes: Uint8Array, start: number, caplen: number, linkType: number, out: PacketFields): boolean {
  const end = start + caplen < bytes.length ? start + caplen : bytes.length;
  if (linkTypeDecoder(linkType) !== ethernetDecoder || end - start < 14) return false;
  let t = (bytes[start + 12] << 8) | bytes[start + 13];
  let ip = start + 14;
  let vlanId = -1;
  if (etherTypeDecoder(t) === vlanDecoder) {
    if (end - ip < 4) return false;
    vlanId = ((bytes[ip] << 8) | bytes[ip + 1]) & 0xfff;
    t = (bytes[ip + 2] << 8) | bytes[ip + 3];
    ip += 4;
  }
  if (t < 0x600) return false;
  const net = etherTypeDecoder(t);
  // The IP header: where L4 starts, where the IP packet ends (captured, and as the header claims it).
  let version: number;
  let proto: number;
  let l4: number;
  let claimedEnd: number;
  let ipId = -1;
  let dscp: number;
  let ttl: number;
  let srcOffset: number;
  let dstOffset: number;
  if (net === ipv4Decoder) {
    if (end - ip < 20) return false;
    const vihl = bytes[ip];
    const hl = (vihl & 15) * 4;
    const tot = (bytes[ip + 2] << 8) | bytes[ip + 3];
    // Not IPv4 as its header says, malformed lengths, truncated header, or a fragment (MF or offset).
    if (vihl >> 4 !== 4 || hl < 20 || tot < hl || end - ip < hl || (bytes[ip + 6] & 0x3f) !== 0 || bytes[ip + 7] !== 0) return false;
    version = 4;
    proto = bytes[ip + 9];
    l4 = ip + hl;
    claimedEnd = ip + tot;
    ipId = (bytes[ip + 4] << 8) | bytes[ip + 5];
    dscp = bytes[ip + 1] >> 2;
    ttl = bytes[ip + 8];
    srcOffset = ip + 12;
    dstOffset = ip + 16;
  } else if (net === ipv6Decoder) {
    // Only TCP, UDP or ICMPv6 right after the fixed header: extension headers (fragments among them) go
    // to the full dissector. The identity reads no flow label; ipId stays -1 (no fragment header).
    if (end - ip < 40 || bytes[ip] >> 4 !== 6) return false;
    version = 6;
    proto = bytes[ip + 6];
    if (proto !== 6 && proto !== 17 && proto !== 58) return false;
    l4 = ip + 40;
    claimedEnd = l4 + ((bytes[ip + 4] << 8) | bytes[ip + 5]);
    dscp = ((bytes[ip] & 15) << 2) | (bytes[ip + 1] >> 6);
    ttl = bytes[ip + 7];
    srcOffset = ip + 8;
    dstOffset = ip + 24;
  } else {
    return false;
  }
  const next = ipProtocolDecoder(proto);
  const ipEnd = claimedEnd < end ? claimedEnd : end;
  if (next === tcpDecoder) {
    if (ipEnd - l4 < 20) return false;
    const thl = (bytes[l4 + 12] >> 4) * 4;
    if (thl < 20 || ipEnd - l4 < thl) return false;
    let tsVal = -1;
    // The option walk of dissectTcp, keeping only the timestamp.
    const optEnd = l4 + thl;
    let p = l4 + 20;
    while (p < optEnd) {
      const kind = bytes[p];
      if (kind === OPT_EOL) break;
      if (kind === OPT_NOP) { p++; continue; }
      if (p + 1 >= optEnd) break;
      const len = bytes[p + 1];
      if (len < 2 || p + len > optEnd) break;
      if (kind === OPT_TIMESTAMP && len === 10) tsVal = readU32(bytes, p + 2);
      p += len;
    }
    out.srcPort = (bytes[l4] << 8) | bytes[l4 + 1];
    out.dstPort = (bytes[l4 + 2] << 8) | bytes[l4 + 3];
    out.icmpType = -1;
    out.tcpSeq = readU32(bytes, l4 + 4);
    out.tcpAck = readU32(bytes, l4 + 8);
    out.tcpFlags = bytes[l4 + 13];
    out.tcpTsVal = tsVal;
    out.udpLength = -1;
    out.payloadOffset = l4 + thl;
    out.payloadLength = ipEnd - l4 - thl;
    out.payloadClaimedLength = claimedEnd - l4 - thl;
  } else if (next === udpDecoder) {
    if (ipEnd - l4 < 8) return false;
    const srcPort = (bytes[l4] << 8) | bytes[l4 + 1];
    const dstPort = (bytes[l4 + 2] << 8) | bytes[l4 + 3];
    // The tunnels: the full dissector (a tunnel replaces every field with the inner packet's). DNS and
    // DHCP only add application fields, which the identity does not read.
    const app = udpPortDecoder(srcPort, dstPort);
    if (app !== undefined && app !== dnsDecoder && app !== dhcpDecoder) return false;
    const udpLength = (bytes[l4 + 4] << 8) | bytes[l4 + 5];
    out.srcPort = srcPort;
    out.dstPort = dstPort;
    out.icmpType = -1;
    out.tcpSeq = -1;
    out.udpLength = udpLength;
    out.payloadOffset = l4 + 8;
    out.payloadLength = ipEnd - l4 - 8;
    out.payloadClaimedLength = udpLength - 8;
  } else if (next === icmpDecoder || next === icmpv6Decoder) {
    // dissectIcmp / dissectIcmpv6 (chosen by the protocol number, whatever the IP version): echo id and
    // seq for their echo types; the quoted packet of an error is not read by the identity.
    if (ipEnd - l4 < 8) return false;
    const type = bytes[l4];
    const echo = next === icmpDecoder ? type === 0 || type === 8 || type === 13 || type === 14 : type === 128 || type === 129;
    out.icmpType = type;
    out.icmpCode = bytes[l4 + 1];
    out.icmpId = echo ? (bytes[l4 + 4] << 8) | bytes[l4 + 5] : -1;
    out.icmpSeq = echo ? (bytes[l4 + 6] << 8) | bytes[l4 + 7] : -1;
    out.srcPort = -1;
    out.dstPort = -1;
    out.tcpSeq = -1;
    out.udpLength = -1;
    out.payloadOffset = l4 + 8;
    out.payloadLength = ipEnd - l4 - 8;
    out.payloadClaimedLength = claimedEnd - l4 - 8;
  } else {
    return false;
  }
  out.linkType = linkType;
  out.packetOffset = start;
  out.capLength = end - start;
  out.ethOffset = start;
  out.dstMacOffset = start;
  out.srcMacOffset = start + 6;
  out.vlanId0 = vlanId;
  out.etherType = t;
  out.arpOp = -1;
  out.ipVersion = version;
  out.ipOffset = ip;
  out.ipSrcOffset = srcOffset;
  out.ipDstOffset = dstOffset;
  out.ipTtl = ttl;
  out.ipDscp = dscp;
  out.ipId = ipId;
  out.ipFragOffset = -1;
  out.ipProto = proto;
  out.l4Offset = l4;
  return true;
}

/**
 * For loaders that only compute packet identities (DissectPacketAt in src/core/align/loadCaptureColumns):
 * the lean fields when the packet is plain, dissectPacketAt otherwise. `out` is then fit for
 * computePacketIdentity only.
 */
export function dissectForIdentityAt(bytes: Uint8Array, start: number, caplen: number, linkType: number, out: PacketFields): PacketFields {
  if (!dissectIdentityFieldsAt(bytes, start, caplen, linkType, out)) dissectPacketAt(bytes, start, caplen, linkType, out);
  return out;
}

function readU32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}
