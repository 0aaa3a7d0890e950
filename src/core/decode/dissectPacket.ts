/** Entry points: the flat dissection (hot path) and the layer tree. */
import type { PacketFields } from './packetFields';
import type { DecodedLayer } from './decodedLayer';
import { describePayload, linkTypeDecoder, type DescribeContext } from './decoderTable';
import { registerDecoders } from './registerDecoders';

registerDecoders();

/** Fills `out` (reset first) from one packet's captured bytes; never throws, never allocates. */
export function dissectPacket(data: Uint8Array, caplen: number, linkType: number, out: PacketFields): PacketFields {
  out.reset();
  out.linkType = linkType;
  const end = caplen < data.length ? caplen : data.length;
  out.capLength = end;
  const d = linkTypeDecoder(linkType);
  if (d) d.dissect(data, 0, end, out);
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
