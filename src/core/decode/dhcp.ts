/** BOOTP / DHCP (UDP 67/68): fixed header, magic cookie, options (message type 53). */
import { AppKind, type PacketFields } from './packetFields';
import type { DhcpOption } from './decodedLayer';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { ipv4Text, macText } from './addressText';

const FIXED = 236;
const MAGIC = 0x63825363;

function forEachOption(d: Uint8Array, o: number, end: number, visit: (code: number, off: number, len: number) => void): void {
  if (end - o < FIXED + 4 || readU32(d, o + FIXED) !== MAGIC) return;
  let p = o + FIXED + 4;
  while (p < end) {
    const code = d[p];
    if (code === 255) break;
    if (code === 0) { p++; continue; }
    if (p + 1 >= end) break;
    const len = d[p + 1];
    if (p + 2 + len > end) break;
    visit(code, p + 2, len);
    p += 2 + len;
  }
}

function dissectDhcp(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.appKind = AppKind.Dhcp;
  out.appOffset = o;
  if (end - o < 1) { markTruncated(out, 'bootp'); return; }
  out.bootpOp = d[o];
  if (end - o < FIXED) { markTruncated(out, 'bootp'); return; }
  // Inline scan (no closure) for the hot path: only the message type is kept.
  if (end - o < FIXED + 4 || readU32(d, o + FIXED) !== MAGIC) return;
  let p = o + FIXED + 4;
  while (p + 1 < end) {
    const code = d[p];
    if (code === 255) break;
    if (code === 0) { p++; continue; }
    if (code === 53 && d[p + 1] === 1 && p + 2 < end) { out.dhcpMessageType = d[p + 2]; break; }
    p += 2 + d[p + 1];
  }
}

function describeDhcp(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const messageLength = ctx.wireEnd - o;
  if (end - o < FIXED) {
    ctx.layers.push({
      kind: 'dhcp', offset: o, length: end - o, truncated: true, op: end > o ? d[o] : -1, xid: -1, flags: -1, clientMac: end - o >= 34 ? macText(d, o + 28) : '',
      ciaddr: '', yiaddr: '', siaddr: '', giaddr: '', messageType: -1, options: [], messageLength,
    });
    return;
  }
  const options: DhcpOption[] = [];
  let messageType = -1;
  forEachOption(d, o, end, (code, off, len) => {
    options.push({ code, offset: off, length: len });
    if (code === 53 && len === 1) messageType = d[off];
  });
  ctx.layers.push({
    kind: 'dhcp', offset: o, length: end - o, op: d[o], xid: readU32(d, o + 4), flags: readU16(d, o + 10),
    clientMac: d[o + 1] === 1 && d[o + 2] === 6 ? macText(d, o + 28) : '',
    ciaddr: ipv4Text(d, o + 12), yiaddr: ipv4Text(d, o + 16), siaddr: ipv4Text(d, o + 20), giaddr: ipv4Text(d, o + 24),
    messageType, options, messageLength,
  });
}

export const dhcpDecoder: ProtocolDecoder = { dissect: dissectDhcp, describe: describeDhcp };
