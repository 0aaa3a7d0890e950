/** ARP over Ethernet/IPv4 (other hardware/protocol sizes keep only op and types). */
import type { PacketFields } from './packetFields';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';
import { ipv4Text, macText } from './addressText';

function dissectArp(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 8) { markTruncated(out, 'arp'); return; }
  out.arpOp = readU16(d, o + 6);
  if (d[o + 4] !== 6 || d[o + 5] !== 4) return;
  if (end - o < 28) { markTruncated(out, 'arp'); return; }
  out.arpSenderMacOffset = o + 8;
  out.arpSenderIpOffset = o + 14;
  out.arpTargetMacOffset = o + 18;
  out.arpTargetIpOffset = o + 24;
}

function describeArp(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const ok = end - o >= 28 && d[o + 4] === 6 && d[o + 5] === 4;
  ctx.layers.push({
    kind: 'arp', offset: o, length: Math.min(28, end - o), truncated: end - o < 28 ? true : undefined,
    hwType: end - o >= 2 ? readU16(d, o) : -1, protoType: end - o >= 4 ? readU16(d, o + 2) : -1, op: end - o >= 8 ? readU16(d, o + 6) : -1,
    senderMac: ok ? macText(d, o + 8) : '', senderIp: ok ? ipv4Text(d, o + 14) : '',
    targetMac: ok ? macText(d, o + 18) : '', targetIp: ok ? ipv4Text(d, o + 24) : '',
  });
}

export const arpDecoder: ProtocolDecoder = { dissect: dissectArp, describe: describeArp };
