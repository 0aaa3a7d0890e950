/** GRE (IP protocol 47) v0: optional checksum, key, sequence; the payload protocol (IPv4, IPv6, TEB 0x6558) goes back to the table. */
import { TunnelKind, type PacketFields } from './packetFields';
import { describeEtherType, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { enterTunnel } from './tunnelFields';

const FLAG_CHECKSUM = 0x8000;
const FLAG_KEY = 0x2000;
const FLAG_SEQUENCE = 0x1000;

function headerLength(flags: number): number {
  return 4 + (flags & FLAG_CHECKSUM ? 4 : 0) + (flags & FLAG_KEY ? 4 : 0) + (flags & FLAG_SEQUENCE ? 4 : 0);
}

function dissectGre(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.l4Offset = o;
  if (end - o < 4) { markTruncated(out, 'gre'); return; }
  const flags = readU16(d, o);
  const hl = headerLength(flags);
  if (end - o < hl) { markTruncated(out, 'gre'); return; }
  const key = flags & FLAG_KEY ? readU32(d, o + 4 + (flags & FLAG_CHECKSUM ? 4 : 0)) : -1;
  enterTunnel(out, TunnelKind.Gre, key, o + hl);
  dissectEtherType(readU16(d, o + 2), d, o + hl, end, out);
}

function describeGre(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 4) {
    ctx.layers.push({ kind: 'gre', offset: o, length: end - o, truncated: true, version: -1, flags: -1, protocol: -1, key: -1, sequence: -1, checksum: -1, payloadLength: -1 });
    return;
  }
  const flags = readU16(d, o);
  const hl = headerLength(flags);
  const protocol = readU16(d, o + 2);
  let p = o + 4;
  const checksum = flags & FLAG_CHECKSUM ? readU16(d, p) : -1;
  if (flags & FLAG_CHECKSUM) p += 4;
  const key = flags & FLAG_KEY ? readU32(d, p) : -1;
  if (flags & FLAG_KEY) p += 4;
  const sequence = flags & FLAG_SEQUENCE ? readU32(d, p) : -1;
  const truncated = end - o < hl;
  ctx.layers.push({
    kind: 'gre', offset: o, length: Math.min(hl, end - o), truncated: truncated ? true : undefined, version: flags & 7, flags, protocol,
    key: truncated ? -1 : key, sequence: truncated ? -1 : sequence, checksum: truncated ? -1 : checksum, payloadLength: ctx.wireEnd - o - hl,
  });
  if (!truncated) describeEtherType(protocol, d, o + hl, end, ctx);
}

export const greDecoder: ProtocolDecoder = { dissect: dissectGre, describe: describeGre };
