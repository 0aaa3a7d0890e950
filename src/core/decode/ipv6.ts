/** IPv6 with extension headers (hop-by-hop, routing, fragment, destination options). */
import type { PacketFields } from './packetFields';
import type { Ipv6Extension, Ipv6Layer } from './decodedLayer';
import { describePayload, ipProtocolDecoder, markMalformed, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { ipv6Text } from './addressText';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DEST_OPTS = 60;

function isExtension(h: number): boolean {
  return h === HOP_BY_HOP || h === ROUTING || h === FRAGMENT || h === DEST_OPTS;
}

function dissectIpv6(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.ipVersion = 6;
  out.ipOffset = o;
  if (end - o < 40) { markTruncated(out, 'ip6'); return; }
  if (d[o] >> 4 !== 6) { markMalformed(out, 'ip6'); return; }
  const w = readU32(d, o);
  out.ipDscp = (w >>> 22) & 0x3f;
  out.ipEcn = (w >>> 20) & 3;
  out.ipFlowLabel = w & 0xfffff;
  const plen = readU16(d, o + 4);
  out.ipTotalLength = 40 + plen;
  out.ipTtl = d[o + 7];
  out.ipSrcOffset = o + 8;
  out.ipDstOffset = o + 24;
  out.ipHeaderLength = 40;
  const ipEnd = o + 40 + plen < end ? o + 40 + plen : end;
  let next = d[o + 6];
  let p = o + 40;
  let fragmented = false;
  while (isExtension(next)) {
    if (ipEnd - p < 8) { out.ipProto = next; markTruncated(out, 'ip6'); return; }
    if (next === FRAGMENT) {
      const fo = readU16(d, p + 2);
      out.ipFragOffset = fo & 0xfff8;
      out.ipMoreFragments = (fo & 1) !== 0;
      out.ipId = readU32(d, p + 4);
      fragmented = out.ipFragOffset !== 0;
      next = d[p];
      p += 8;
    } else {
      const len = (d[p + 1] + 1) * 8;
      next = d[p];
      p += len;
    }
    out.ipHeaderLength = p - o;
  }
  out.ipProto = next;
  if (p > ipEnd) { markTruncated(out, 'ip6'); return; }
  const l4 = fragmented ? undefined : ipProtocolDecoder(next);
  if (l4) l4.dissect(d, p, ipEnd, out);
  else {
    out.payloadOffset = p;
    out.payloadLength = ipEnd - p;
    out.payloadClaimedLength = o + 40 + plen - p;
    if (o + 40 + plen < p) markMalformed(out, 'ip6');
  }
}

function describeIpv6(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 40) {
    ctx.layers.push({
      kind: 'ipv6', offset: o, length: end - o, truncated: true, src: '', dst: '', hopLimit: -1, flowLabel: -1, trafficClass: -1,
      payloadLength: -1, nextHeader: -1, proto: -1, extensions: [],
    });
    return;
  }
  const w = readU32(d, o);
  const plen = readU16(d, o + 4);
  const layer: Ipv6Layer = {
    kind: 'ipv6', offset: o, length: 40, src: ipv6Text(d, o + 8), dst: ipv6Text(d, o + 24), hopLimit: d[o + 7],
    flowLabel: w & 0xfffff, trafficClass: (w >>> 20) & 0xff, payloadLength: plen, nextHeader: d[o + 6], proto: d[o + 6], extensions: [],
  };
  ctx.layers.push(layer);
  const ipEnd = o + 40 + plen < end ? o + 40 + plen : end;
  let next = d[o + 6];
  let p = o + 40;
  const exts: Ipv6Extension[] = layer.extensions;
  while (isExtension(next)) {
    if (ipEnd - p < 8) { layer.truncated = true; layer.proto = next; return; }
    const len = next === FRAGMENT ? 8 : (d[p + 1] + 1) * 8;
    exts.push({ type: next, offset: p, length: len });
    if (next === FRAGMENT) {
      const fo = readU16(d, p + 2);
      layer.fragment = { offset: fo & 0xfff8, more: (fo & 1) !== 0, id: readU32(d, p + 4) };
    }
    next = d[p];
    p += len;
  }
  layer.proto = next;
  layer.length = p - o;
  if (p > ipEnd) { layer.truncated = true; return; }
  ctx.wireEnd = o + 40 + plen;
  const l4 = layer.fragment && layer.fragment.offset !== 0 ? undefined : ipProtocolDecoder(next);
  if (l4) l4.describe(d, p, ipEnd, ctx);
  else describePayload(p, ipEnd, ctx);
}

export const ipv6Decoder: ProtocolDecoder = { dissect: dissectIpv6, describe: describeIpv6 };
