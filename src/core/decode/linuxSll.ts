/**
 * Linux "cooked" captures: LINUX_SLL (v1, 16-byte header) and LINUX_SLL2 (`tcpdump -i any` since
 * 4.99, 20 bytes with the interface INDEX of the capturing host and the packet type).
 */
import type { PacketFields } from './packetFields';
import { describeEtherType, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { macText } from './addressText';

function dissectSll(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 16) { markTruncated(out, 'sll'); return; }
  out.sllPacketType = readU16(d, o);
  if (readU16(d, o + 4) === 6) out.srcMacOffset = o + 6;
  const t = readU16(d, o + 14);
  out.etherType = t;
  dissectEtherType(t, d, o + 16, end, out);
}

function dissectSll2(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 20) { markTruncated(out, 'sll2'); return; }
  const t = readU16(d, o);
  out.sllIfIndex = readU32(d, o + 4);
  out.sllPacketType = d[o + 10];
  if (d[o + 11] === 6) out.srcMacOffset = o + 12;
  out.etherType = t;
  dissectEtherType(t, d, o + 20, end, out);
}

function describeSll(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 16) {
    ctx.layers.push({ kind: 'sll', version: 1, offset: o, length: end - o, truncated: true, packetType: -1, ifIndex: -1, hatype: -1, address: '', protocol: -1 });
    return;
  }
  const halen = readU16(d, o + 4);
  const t = readU16(d, o + 14);
  ctx.layers.push({
    kind: 'sll', version: 1, offset: o, length: 16, packetType: readU16(d, o), ifIndex: -1, hatype: readU16(d, o + 2),
    address: halen === 6 ? macText(d, o + 6) : '', protocol: t,
  });
  describeEtherType(t, d, o + 16, end, ctx);
}

function describeSll2(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 20) {
    ctx.layers.push({ kind: 'sll', version: 2, offset: o, length: end - o, truncated: true, packetType: -1, ifIndex: -1, hatype: -1, address: '', protocol: -1 });
    return;
  }
  const t = readU16(d, o);
  ctx.layers.push({
    kind: 'sll', version: 2, offset: o, length: 20, packetType: d[o + 10], ifIndex: readU32(d, o + 4), hatype: readU16(d, o + 8),
    address: d[o + 11] === 6 ? macText(d, o + 12) : '', protocol: t,
  });
  describeEtherType(t, d, o + 20, end, ctx);
}

export const linuxSllDecoder: ProtocolDecoder = { dissect: dissectSll, describe: describeSll };
export const linuxSll2Decoder: ProtocolDecoder = { dissect: dissectSll2, describe: describeSll2 };
