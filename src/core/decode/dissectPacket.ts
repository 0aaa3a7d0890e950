/** Entry points: the flat dissection (hot path) and the layer tree. */
import type { PacketFields } from './packetFields';
import type { DecodedLayer } from './decodedLayer';
import { describePayload, linkTypeDecoder, type DescribeContext } from './decoderTable';
import { registerDecoders } from './registerDecoders';

registerDecoders();

/** Fills `out` (reset first) from one packet's captured bytes; never throws, never allocates. */
export function dissectPacket(data: Uint8Array, caplen: number, linkType: number, out: PacketFields): PacketFields {
  return dissectPacketAt(data, 0, caplen, linkType, out);
}

/**
 * dissectPacket for a packet at bytes[start, start + caplen) of a larger buffer (the reader's
 * `rec.bytes` + `rec.dataOffset`): no view per record. The offsets in `out` then index `bytes`
 * (the packet starts at `start`); `capLength` is still the packet's own captured length.
 */
export function dissectPacketAt(bytes: Uint8Array, start: number, caplen: number, linkType: number, out: PacketFields): PacketFields {
  out.reset();
  out.linkType = linkType;
  out.packetOffset = start;
  const end = start + caplen < bytes.length ? start + caplen : bytes.length;
  out.capLength = end - start;
  const d = linkTypeDecoder(linkType);
  if (d) d.dissect(bytes, start, end, out);
  return out;
}

/**
 * The packet as a list of layers, outermost first (tunnels continue with the inner layers).
 * `origLen` (wire length) lets layers report claimed lengths beyond a snaplen cut.
 */
export function describePacket(data: Uint8Array, caplen: number, linkType: number, origLen = caplen): DecodedLayer[] {
  const end = Math.min(caplen, data.length);
  const ctx: DescribeContext = { layers: [], wireEnd: Math.max(origLen, end) };
  const d = linkTypeDecoder(linkType);
  if (d) d.describe(data, 0, end, ctx);
  else describePayload(0, end, ctx);
  return ctx.layers;
}
