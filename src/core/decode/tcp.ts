/** TCP: ports, seq/ack, flags, window, options (MSS, SACK, sackOK, wscale, timestamps, NOP, EOL). */
import type { PacketFields } from './packetFields';
import type { TcpOption } from './decodedLayer';
import { markMalformed, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WSCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMP = 8;

function dissectTcp(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.l4Offset = o;
  if (end - o < 4) { markTruncated(out, 'tcp'); return; }
  out.srcPort = readU16(d, o);
  out.dstPort = readU16(d, o + 2);
  if (end - o < 20) { markTruncated(out, 'tcp'); return; }
  out.tcpSeq = readU32(d, o + 4);
  out.tcpAck = readU32(d, o + 8);
  const hl = (d[o + 12] >> 4) * 4;
  out.tcpFlags = d[o + 13];
  out.tcpWindow = readU16(d, o + 14);
  out.tcpHeaderLength = hl;
  if (hl < 20) { markMalformed(out, 'tcp'); return; }
  const claimedEnd = out.ipOffset + out.ipTotalLength;
  out.payloadClaimedLength = claimedEnd - o - hl;
  if (hl > 20) {
    out.tcpOptionsOffset = o + 20;
    out.tcpOptionsLength = hl - 20;
    const optEnd = o + hl < end ? o + hl : end;
    let p = o + 20;
    while (p < optEnd) {
      const kind = d[p];
      if (kind === OPT_EOL) break;
      if (kind === OPT_NOP) { p++; continue; }
      if (p + 1 >= optEnd) break;
      const len = d[p + 1];
      if (len < 2 || p + len > optEnd) break;
      if (kind === OPT_MSS && len === 4) out.tcpMss = readU16(d, p + 2);
      else if (kind === OPT_WSCALE && len === 3) out.tcpWscale = d[p + 2];
      else if (kind === OPT_SACK_PERMITTED) out.tcpSackPermitted = true;
      else if (kind === OPT_TIMESTAMP && len === 10) { out.tcpTsVal = readU32(d, p + 2); out.tcpTsEcr = readU32(d, p + 6); }
      p += len;
    }
  }
  if (end - o < hl) { markTruncated(out, 'tcp'); return; }
  out.payloadOffset = o + hl;
  out.payloadLength = end - o - hl;
}

function parseOptions(d: Uint8Array, p: number, optEnd: number, capEnd: number): TcpOption[] {
  const opts: TcpOption[] = [];
  while (p < optEnd) {
    if (p >= capEnd) { opts.push({ kind: 'truncated', code: -1, lengthKnown: false }); break; }
    const kind = d[p];
    if (kind === OPT_EOL) { opts.push({ kind: 'eol' }); break; }
    if (kind === OPT_NOP) { opts.push({ kind: 'nop' }); p++; continue; }
    if (p + 1 >= capEnd) { opts.push({ kind: 'truncated', code: kind, lengthKnown: false }); break; }
    const len = d[p + 1];
    if (len < 2) { opts.push({ kind: 'unknown', code: kind, length: len }); break; }
    if (p + len > capEnd) { opts.push({ kind: 'truncated', code: kind, lengthKnown: true }); break; }
    if (kind === OPT_MSS && len === 4) opts.push({ kind: 'mss', value: readU16(d, p + 2) });
    else if (kind === OPT_WSCALE && len === 3) opts.push({ kind: 'wscale', value: d[p + 2] });
    else if (kind === OPT_SACK_PERMITTED && len === 2) opts.push({ kind: 'sackOK' });
    else if (kind === OPT_TIMESTAMP && len === 10) opts.push({ kind: 'ts', val: readU32(d, p + 2), ecr: readU32(d, p + 6) });
    else if (kind === OPT_SACK && (len - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let q = p + 2; q < p + len; q += 8) blocks.push([readU32(d, q), readU32(d, q + 4)]);
      opts.push({ kind: 'sack', blocks });
    } else opts.push({ kind: 'unknown', code: kind, length: len });
    p += len;
  }
  return opts;
}

function describeTcp(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 20) {
    ctx.layers.push({
      kind: 'tcp', offset: o, length: end - o, truncated: true, srcPort: end - o >= 4 ? readU16(d, o) : -1, dstPort: end - o >= 4 ? readU16(d, o + 2) : -1,
      seq: -1, ack: -1, flags: -1, window: -1, urgent: -1, headerLength: -1, options: [], payloadLength: -1,
    });
    return;
  }
  const hl = (d[o + 12] >> 4) * 4;
  ctx.layers.push({
    kind: 'tcp', offset: o, length: Math.min(hl, end - o), truncated: end - o < hl ? true : undefined, malformed: hl < 20 ? true : undefined,
    srcPort: readU16(d, o), dstPort: readU16(d, o + 2), seq: readU32(d, o + 4), ack: readU32(d, o + 8), flags: d[o + 13],
    window: readU16(d, o + 14), urgent: readU16(d, o + 18), headerLength: hl,
    options: hl > 20 ? parseOptions(d, o + 20, o + hl, end) : [], payloadLength: ctx.wireEnd - o - hl,
  });
  if (hl >= 20 && end - o >= hl && end > o + hl) ctx.layers.push({ kind: 'payload', offset: o + hl, length: end - o - hl, wireLength: ctx.wireEnd - o - hl });
}

export const tcpDecoder: ProtocolDecoder = { dissect: dissectTcp, describe: describeTcp };
