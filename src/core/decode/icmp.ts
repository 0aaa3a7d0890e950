/** ICMP (v4): echo id/seq, and the IP header quoted by unreachable / time exceeded / redirect / parameter problem. */
import type { PacketFields } from './packetFields';
import type { IcmpQuotedPacket } from './decodedLayer';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';
import { ipv4Text } from './addressText';

function quotesPacket(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function isEcho(type: number): boolean {
  return type === 0 || type === 8 || type === 13 || type === 14;
}

function dissectIcmp(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.l4Offset = o;
  if (end - o < 4) { markTruncated(out, 'icmp'); return; }
  out.icmpType = d[o];
  out.icmpCode = d[o + 1];
  if (end - o < 8) { markTruncated(out, 'icmp'); return; }
  if (isEcho(out.icmpType)) { out.icmpId = readU16(d, o + 4); out.icmpSeq = readU16(d, o + 6); }
  else if (quotesPacket(out.icmpType) && end - o >= 28) out.icmpInnerOffset = o + 8;
  out.payloadOffset = o + 8;
  out.payloadLength = end - o - 8;
  out.payloadClaimedLength = out.ipOffset + out.ipTotalLength - o - 8;
}

function quoted(d: Uint8Array, q: number, end: number): IcmpQuotedPacket | undefined {
  if (end - q < 20 || d[q] >> 4 !== 4) return undefined;
  const hl = (d[q] & 15) * 4;
  const proto = d[q + 9];
  const hasPorts = (proto === 6 || proto === 17) && end - q >= hl + 4;
  return {
    proto, src: ipv4Text(d, q + 12), dst: ipv4Text(d, q + 16),
    srcPort: hasPorts ? readU16(d, q + hl) : -1, dstPort: hasPorts ? readU16(d, q + hl + 2) : -1,
  };
}

function describeIcmp(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const messageLength = ctx.wireEnd - o;
  if (end - o < 8) {
    ctx.layers.push({ kind: 'icmp', offset: o, length: end - o, truncated: true, type: end > o ? d[o] : -1, code: end - o > 1 ? d[o + 1] : -1, id: -1, seq: -1, messageLength });
    return;
  }
  const type = d[o];
  const echo = isEcho(type);
  ctx.layers.push({
    kind: 'icmp', offset: o, length: end - o, type, code: d[o + 1], id: echo ? readU16(d, o + 4) : -1, seq: echo ? readU16(d, o + 6) : -1,
    quoted: quotesPacket(type) ? quoted(d, o + 8, end) : undefined, messageLength,
  });
}

export const icmpDecoder: ProtocolDecoder = { dissect: dissectIcmp, describe: describeIcmp };
