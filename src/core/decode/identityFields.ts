/**
 * The lean dissection behind packet identity on the hot path: for the plain, complete frames that make
 * up nearly all of a capture (Ethernet, at most one 802.1Q tag, IPv4 without fragmentation, TCP or UDP
 * with no registered application decoder), fill only the PacketFields that computePacketIdentity reads
 * (src/core/align/packetIdentity.ts), without reset() and the per-layer table dispatch of
 * dissectPacketAt. Anything else (other link types, QinQ, IPv6, ARP, ICMP, fragments, tunnels, DNS/DHCP,
 * truncated or malformed headers) returns false and the caller runs dissectPacketAt. The decoder table
 * decides what is "plain" (the registered decoder of each layer must be the one mirrored here), and
 * test/unit/identityFieldsLean.test.ts checks on every golden capture and on mutated captures that the
 * identity from these fields equals the identity from dissectPacketAt, field by field.
 */
import type { PacketFields } from './packetFields';
import { etherTypeDecoder, ipProtocolDecoder, linkTypeDecoder, udpPortDecoder } from './decoderTable';
import { ethernetDecoder, vlanDecoder } from './ethernet';
import { ipv4Decoder } from './ipv4';
import { tcpDecoder } from './tcp';
import { udpDecoder } from './udp';
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
  if (t < 0x600 || etherTypeDecoder(t) !== ipv4Decoder || end - ip < 20) return false;
  const vihl = bytes[ip];
  const hl = (vihl & 15) * 4;
  const tot = (bytes[ip + 2] << 8) | bytes[ip + 3];
  // Not IPv4 as its header says, malformed lengths, truncated header, or a fragment (MF or offset).
  if (vihl >> 4 !== 4 || hl < 20 || tot < hl || end - ip < hl || (bytes[ip + 6] & 0x3f) !== 0 || bytes[ip + 7] !== 0) return false;
  const proto = bytes[ip + 9];
  const next = ipProtocolDecoder(proto);
  const l4 = ip + hl;
  const ipEnd = ip + tot < end ? ip + tot : end;
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
    out.tcpSeq = readU32(bytes, l4 + 4);
    out.tcpAck = readU32(bytes, l4 + 8);
    out.tcpFlags = bytes[l4 + 13];
    out.tcpTsVal = tsVal;
    out.udpLength = -1;
    out.payloadOffset = l4 + thl;
    out.payloadLength = ipEnd - l4 - thl;
    out.payloadClaimedLength = ip + tot - l4 - thl;
  } else if (next === udpDecoder) {
    if (ipEnd - l4 < 8) return false;
    const srcPort = (bytes[l4] << 8) | bytes[l4 + 1];
    const dstPort = (bytes[l4 + 2] << 8) | bytes[l4 + 3];
    // DNS, DHCP and the tunnels: the full dissector (a tunnel replaces every field with the inner packet's).
    if (udpPortDecoder(srcPort, dstPort) !== undefined) return false;
    const udpLength = (bytes[l4 + 4] << 8) | bytes[l4 + 5];
    out.tcpSeq = -1;
    out.udpLength = udpLength;
    out.payloadOffset = l4 + 8;
    out.payloadLength = ipEnd - l4 - 8;
    out.payloadClaimedLength = udpLength - 8;
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
  out.ipVersion = 4;
  out.ipOffset = ip;
  out.ipSrcOffset = ip + 12;
  out.ipDstOffset = ip + 16;
  out.ipTtl = bytes[ip + 8];
  out.ipDscp = bytes[ip + 1] >> 2;
  out.ipId = (bytes[ip + 4] << 8) | bytes[ip + 5];
  out.ipFragOffset = -1;
  out.ipProto = proto;
  out.l4Offset = l4;
  out.srcPort = (bytes[l4] << 8) | bytes[l4 + 1];
  out.dstPort = (bytes[l4 + 2] << 8) | bytes[l4 + 3];
  out.icmpType = -1;
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
