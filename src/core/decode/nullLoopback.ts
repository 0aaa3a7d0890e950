/** BSD loopback (LINKTYPE_NULL / LOOP: a 4-byte address family) and raw IP link types. */
import type { PacketFields } from './packetFields';
import { describeEtherType, describePayload, dissectEtherType, markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './linkTypes';

/** AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD. */
function etherTypeOfFamily(d: Uint8Array, o: number): number {
  // The family is in the capturing host's byte order: take whichever end holds the value.
  const fam = d[o] === 0 && d[o + 1] === 0 ? (d[o + 2] << 8) | d[o + 3] : d[o] | (d[o + 1] << 8);
  if (fam === 2) return ETHERTYPE_IPV4;
  if (fam === 24 || fam === 28 || fam === 30) return ETHERTYPE_IPV6;
  return -1;
}

function etherTypeOfVersion(d: Uint8Array, o: number): number {
  const v = d[o] >> 4;
  return v === 4 ? ETHERTYPE_IPV4 : v === 6 ? ETHERTYPE_IPV6 : -1;
}

function dissectNull(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 4) { markTruncated(out, 'null'); return; }
  const t = etherTypeOfFamily(d, o);
  out.etherType = t;
  if (t !== -1) dissectEtherType(t, d, o + 4, end, out);
}

function describeNull(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const t = end - o >= 4 ? etherTypeOfFamily(d, o) : -1;
  if (t === -1) describePayload(o, end, ctx);
  else describeEtherType(t, d, o + 4, end, ctx);
}

function dissectRaw(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  if (end - o < 1) { markTruncated(out, 'ip'); return; }
  const t = etherTypeOfVersion(d, o);
  out.etherType = t;
  if (t !== -1) dissectEtherType(t, d, o, end, out);
}

function describeRaw(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const t = end - o >= 1 ? etherTypeOfVersion(d, o) : -1;
  if (t === -1) describePayload(o, end, ctx);
  else describeEtherType(t, d, o, end, ctx);
}

export const nullLoopbackDecoder: ProtocolDecoder = { dissect: dissectNull, describe: describeNull };
export const rawIpDecoder: ProtocolDecoder = { dissect: dissectRaw, describe: describeRaw };
