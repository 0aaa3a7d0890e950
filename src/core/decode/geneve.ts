/** GENEVE (UDP 6081): header with options, VNI; the inner protocol (usually Ethernet) goes back to the table. */
import { TunnelKind, type PacketFields } from './packetFields';
import { describeEtherType, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU24 } from './byteReaders';
import { enterTunnel } from './tunnelFields';

function dissectGeneve(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 8) { markTruncated(out, 'geneve'); return; }
  const hl = 8 + (d[o] & 0x3f) * 4;
  if (end - o < hl) { markTruncated(out, 'geneve'); return; }
  enterTunnel(out, TunnelKind.Geneve, readU24(d, o + 4), o + hl);
  dissectEtherType(readU16(d, o + 2), d, o + hl, end, out);
}

function describeGeneve(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 8) {
    ctx.layers.push({ kind: 'geneve', offset: o, length: end - o, truncated: true, version: -1, optionsLength: -1, oam: false, critical: false, protocol: -1, vni: -1 });
    return;
  }
  const optionsLength = (d[o] & 0x3f) * 4;
  const protocol = readU16(d, o + 2);
  ctx.layers.push({
    kind: 'geneve', offset: o, length: 8 + optionsLength, truncated: end - o < 8 + optionsLength ? true : undefined, version: d[o] >> 6,
    optionsLength, oam: (d[o + 1] & 0x80) !== 0, critical: (d[o + 1] & 0x40) !== 0, protocol, vni: readU24(d, o + 4),
  });
  if (end - o >= 8 + optionsLength) describeEtherType(protocol, d, o + 8 + optionsLength, end, ctx);
}

export const geneveDecoder: ProtocolDecoder = { dissect: dissectGeneve, describe: describeGeneve };
