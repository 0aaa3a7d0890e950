/** IPv4: header, options (length only), fragments; the payload goes to the IP protocol table. */
import type { PacketFields } from './packetFields';
import { describePayload, ipProtocolDecoder, markMalformed, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';
import { ipv4Text } from './addressText';

function dissectIpv4(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.ipVersion = 4;
  out.ipOffset = o;
  if (end - o < 20) { markTruncated(out, 'ip'); return; }
  const vihl = d[o];
  const hl = (vihl & 15) * 4;
  if (vihl >> 4 !== 4 || hl < 20) { markMalformed(out, 'ip'); return; }
  const tot = readU16(d, o + 2);
  const frag = readU16(d, o + 6);
  out.ipHeaderLength = hl;
  out.ipTotalLength = tot;
  out.ipDscp = d[o + 1] >> 2;
  out.ipEcn = d[o + 1] & 3;
  out.ipId = readU16(d, o + 4);
  out.ipDontFragment = (frag & 0x4000) !== 0;
  out.ipMoreFragments = (frag & 0x2000) !== 0;
  const fragOffset = (frag & 0x1fff) * 8;
  if (fragOffset !== 0 || out.ipMoreFragments) out.ipFragOffset = fragOffset;
  out.ipTtl = d[o + 8];
  out.ipProto = d[o + 9];
  out.ipChecksum = readU16(d, o + 10);
  out.ipSrcOffset = o + 12;
  out.ipDstOffset = o + 16;
  out.ipHasOptions = hl > 20;
  if (tot < hl) { markMalformed(out, 'ip'); return; }
  if (end - o < hl) { markTruncated(out, 'ip'); return; }
  const ipEnd = o + tot < end ? o + tot : end; // drop Ethernet padding
  if (fragOffset !== 0) {
    out.payloadOffset = o + hl;
    out.payloadLength = ipEnd - o - hl;
    out.payloadClaimedLength = tot - hl;
    return;
  }
  const next = ipProtocolDecoder(out.ipProto);
  if (next) next.dissect(d, o + hl, ipEnd, out);
  else {
    out.payloadOffset = o + hl;
    out.payloadLength = ipEnd - o - hl;
    out.payloadClaimedLength = tot - hl;
  }
}

function describeIpv4(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 20 || d[o] >> 4 !== 4 || (d[o] & 15) < 5) {
    const short = end - o < 20;
    ctx.layers.push({
      kind: 'ipv4', offset: o, length: Math.min(20, end - o), truncated: short ? true : undefined, malformed: short ? undefined : true,
      src: short ? '' : ipv4Text(d, o + 12), dst: short ? '' : ipv4Text(d, o + 16), ttl: -1, id: -1, proto: -1,
      totalLength: -1, headerLength: -1, dontFragment: false, moreFragments: false, fragOffset: -1, dscp: -1, ecn: -1, checksum: -1, optionsLength: 0,
    });
    return;
  }
  const hl = (d[o] & 15) * 4;
  const tot = readU16(d, o + 2);
  const frag = readU16(d, o + 6);
  const fragOffset = (frag & 0x1fff) * 8;
  ctx.layers.push({
    kind: 'ipv4', offset: o, length: Math.min(hl, end - o), truncated: end - o < hl ? true : undefined, malformed: tot < hl ? true : undefined,
    src: ipv4Text(d, o + 12), dst: ipv4Text(d, o + 16), ttl: d[o + 8], id: readU16(d, o + 4), proto: d[o + 9],
    totalLength: tot, headerLength: hl, dontFragment: (frag & 0x4000) !== 0, moreFragments: (frag & 0x2000) !== 0, fragOffset,
    dscp: d[o + 1] >> 2, ecn: d[o + 1] & 3, checksum: readU16(d, o + 10), optionsLength: hl - 20,
  });
  if (end - o < hl || tot < hl) return;
  const ipEnd = o + tot < end ? o + tot : end;
  ctx.wireEnd = o + tot;
  const next = fragOffset === 0 ? ipProtocolDecoder(d[o + 9]) : undefined;
  if (next) next.describe(d, o + hl, ipEnd, ctx);
  else describePayload(o + hl, ipEnd, ctx);
}

export const ipv4Decoder: ProtocolDecoder = { dissect: dissectIpv4, describe: describeIpv4 };
