/** UDP: ports and length; the payload goes to the UDP port table (DNS, DHCP, VXLAN, GENEVE). */
import type { PacketFields } from './packetFields';
import { describePayload, markTruncated, udpPortDecoder, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';

function dissectUdp(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.l4Offset = o;
  if (end - o < 4) { markTruncated(out, 'udp'); return; }
  out.srcPort = readU16(d, o);
  out.dstPort = readU16(d, o + 2);
  if (end - o < 8) { markTruncated(out, 'udp'); return; }
  out.udpLength = readU16(d, o + 4);
  out.payloadOffset = o + 8;
  out.payloadLength = end - o - 8;
  out.payloadClaimedLength = out.udpLength - 8;
  const app = udpPortDecoder(out.srcPort, out.dstPort);
  if (app) app.dissect(d, o + 8, end, out);
}

function describeUdp(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 8) {
    ctx.layers.push({ kind: 'udp', offset: o, length: end - o, truncated: true, srcPort: end - o >= 4 ? readU16(d, o) : -1, dstPort: end - o >= 4 ? readU16(d, o + 2) : -1, udpLength: -1, checksum: -1 });
    return;
  }
  const srcPort = readU16(d, o);
  const dstPort = readU16(d, o + 2);
  const udpLength = readU16(d, o + 4);
  ctx.layers.push({ kind: 'udp', offset: o, length: 8, srcPort, dstPort, udpLength, checksum: readU16(d, o + 6) });
  if (udpLength >= 8) ctx.wireEnd = Math.min(ctx.wireEnd, o + udpLength);
  const app = udpPortDecoder(srcPort, dstPort);
  if (app) app.describe(d, o + 8, end, ctx);
  else describePayload(o + 8, end, ctx);
}

export const udpDecoder: ProtocolDecoder = { dissect: dissectUdp, describe: describeUdp };
