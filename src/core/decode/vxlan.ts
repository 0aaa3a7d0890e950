/** VXLAN (UDP 4789): 8-byte header, VNI, inner Ethernet frame handed back to the table. */
import { TunnelKind, type PacketFields } from './packetFields';
import { describeEtherType, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU24 } from './byteReaders';
import { ETHERTYPE_TEB } from './linkTypes';
import { enterTunnel } from './tunnelFields';

function dissectVxlan(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 8) { markTruncated(out, 'vxlan'); return; }
  enterTunnel(out, TunnelKind.Vxlan, readU24(d, o + 4), o + 8);
  dissectEtherType(ETHERTYPE_TEB, d, o + 8, end, out);
}

function describeVxlan(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 8) { ctx.layers.push({ kind: 'vxlan', offset: o, length: end - o, truncated: true, flags: end > o ? d[o] : -1, vni: -1 }); return; }
  ctx.layers.push({ kind: 'vxlan', offset: o, length: 8, flags: d[o], vni: readU24(d, o + 4) });
  describeEtherType(ETHERTYPE_TEB, d, o + 8, end, ctx);
}

export const vxlanDecoder: ProtocolDecoder = { dissect: dissectVxlan, describe: describeVxlan };
