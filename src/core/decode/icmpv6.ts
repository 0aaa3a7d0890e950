/** ICMPv6: echo, errors, neighbour/router discovery, MLDv2 reports. */
import type { PacketFields } from './packetFields';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';
import { ipv6Text } from './addressText';

export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ICMP6_ROUTER_SOLICIT = 133;
export const ICMP6_ROUTER_ADVERT = 134;
export const ICMP6_NEIGHBOR_SOLICIT = 135;
export const ICMP6_NEIGHBOR_ADVERT = 136;
export const ICMP6_MLD2_REPORT = 143;

function dissectIcmpv6(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.l4Offset = o;
  if (end - o < 4) { markTruncated(out, 'icmp6'); return; }
  const type = d[o];
  out.icmpType = type;
  out.icmpCode = d[o + 1];
  if (end - o < 8) { markTruncated(out, 'icmp6'); return; }
  if (type === ICMP6_ECHO_REQUEST || type === ICMP6_ECHO_REPLY) { out.icmpId = readU16(d, o + 4); out.icmpSeq = readU16(d, o + 6); }
  else if (type < 128 && end - o >= 48) out.icmpInnerOffset = o + 8;
  out.payloadOffset = o + 8;
  out.payloadLength = end - o - 8;
  out.payloadClaimedLength = out.ipOffset + out.ipTotalLength - o - 8;
}

function describeIcmpv6(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const messageLength = ctx.wireEnd - o;
  if (end - o < 8) {
    ctx.layers.push({ kind: 'icmpv6', offset: o, length: end - o, truncated: true, type: end > o ? d[o] : -1, code: end - o > 1 ? d[o + 1] : -1, id: -1, seq: -1, messageLength });
    return;
  }
  const type = d[o];
  const echo = type === ICMP6_ECHO_REQUEST || type === ICMP6_ECHO_REPLY;
  const nd = type === ICMP6_NEIGHBOR_SOLICIT || type === ICMP6_NEIGHBOR_ADVERT;
  ctx.layers.push({
    kind: 'icmpv6', offset: o, length: end - o, type, code: d[o + 1],
    id: echo ? readU16(d, o + 4) : -1, seq: echo ? readU16(d, o + 6) : -1,
    target: nd && end - o >= 24 ? ipv6Text(d, o + 8) : undefined,
    groupRecords: type === ICMP6_MLD2_REPORT ? readU16(d, o + 6) : undefined,
    truncated: nd && end - o < 24 ? true : undefined,
    messageLength,
  });
}

export const icmpv6Decoder: ProtocolDecoder = { dissect: dissectIcmpv6, describe: describeIcmpv6 };
