/** Ethernet II and 802.1Q / 802.1ad (QinQ) tags. */
import type { PacketFields } from './packetFields';
import { describeEtherType, describePayload, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16 } from './byteReaders';
import { macText } from './addressText';

function dissectEthernet(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 14) { markTruncated(out, 'ether'); return; }
  out.ethOffset = o;
  out.dstMacOffset = o;
  out.srcMacOffset = o + 6;
  const t = readU16(d, o + 12);
  if (t < 0x600) return; // 802.3 length field (LLC follows): not decoded further
  out.etherType = t;
  dissectEtherType(t, d, o + 14, end, out);
}

function describeEthernet(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  if (end - o < 14) {
    ctx.layers.push({ kind: 'ethernet', offset: o, length: end - o, truncated: true, dst: '', src: '', etherType: -1 });
    return;
  }
  const t = readU16(d, o + 12);
  ctx.layers.push({ kind: 'ethernet', offset: o, length: 14, dst: macText(d, o), src: macText(d, o + 6), etherType: t });
  if (t < 0x600) describePayload(o + 14, end, ctx);
  else describeEtherType(t, d, o + 14, end, ctx);
}

/** `o` is just after the TPID (at the TCI); the layer is the 4 bytes TCI + next type, the TPID being the previous type field. */
function dissectVlan(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 4) { markTruncated(out, 'vlan'); return; }
  const tci = readU16(d, o);
  if (out.vlanCount === 0) { out.vlanId0 = tci & 0xfff; out.vlanPcp0 = tci >> 13; }
  else if (out.vlanCount === 1) { out.vlanId1 = tci & 0xfff; out.vlanPcp1 = tci >> 13; }
  out.vlanCount++;
  const t = readU16(d, o + 2);
  out.etherType = t;
  dissectEtherType(t, d, o + 4, end, out);
}

function describeVlan(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const tpid = readU16(d, o - 2);
  if (end - o < 4) {
    ctx.layers.push({ kind: 'vlan', offset: o, length: end - o, truncated: true, tpid, id: -1, pcp: -1, dei: -1, etherType: -1 });
    return;
  }
  const tci = readU16(d, o);
  const t = readU16(d, o + 2);
  ctx.layers.push({ kind: 'vlan', offset: o, length: 4, tpid, id: tci & 0xfff, pcp: tci >> 13, dei: (tci >> 12) & 1, etherType: t });
  describeEtherType(t, d, o + 4, end, ctx);
}

export const ethernetDecoder: ProtocolDecoder = { dissect: dissectEthernet, describe: describeEthernet };
export const vlanDecoder: ProtocolDecoder = { dissect: dissectVlan, describe: describeVlan };
