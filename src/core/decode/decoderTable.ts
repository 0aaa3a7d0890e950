/**
 * Registry of decoders keyed by link type, EtherType, IP protocol and UDP port (gopacket's
 * layertypes.go idea). Protocol files only import this table, never each other: a tunnel hands
 * its inner frame back through `dissectEtherType`/`describeEtherType`, so there are no cycles.
 * Each protocol registers two functions: `dissect` fills the flat PacketFields (hot path, no
 * allocation) and `describe` appends DecodedLayer objects (JSON, text, decode tree).
 */
import type { PacketFields } from './packetFields';
import type { DecodedLayer } from './decodedLayer';

/** Decodes bytes [offset, end) into `out`; `end` is the captured end of the packet. */
export type FieldDecoder = (data: Uint8Array, offset: number, end: number, out: PacketFields) => void;

/** What a describer gets besides the bytes: where to put layers and the packet's wire length. */
export interface DescribeContext {
  layers: DecodedLayer[];
  /** Bytes on the wire from this describer's offset on (may exceed what was captured). */
  wireEnd: number;
}
export type LayerDescriber = (data: Uint8Array, offset: number, end: number, ctx: DescribeContext) => void;

export interface ProtocolDecoder {
  dissect: FieldDecoder;
  describe: LayerDescriber;
}

// Dense arrays indexed by the 16-bit value: a Map.get per layer was a visible share of dissectPacket.
const linkTypes = newTable(65536);
const etherTypes = newTable(65536);
const ipProtocols = newTable(256);
const udpPorts = newTable(65536);

function newTable(size: number): (ProtocolDecoder | undefined)[] {
  return new Array<ProtocolDecoder | undefined>(size).fill(undefined);
}

export function registerLinkType(linkType: number, d: ProtocolDecoder): void { linkTypes[linkType] = d; }
export function registerEtherType(etherType: number, d: ProtocolDecoder): void { etherTypes[etherType] = d; }
export function registerIpProtocol(proto: number, d: ProtocolDecoder): void { ipProtocols[proto] = d; }
export function registerUdpPort(port: number, d: ProtocolDecoder): void { udpPorts[port] = d; }

export function linkTypeDecoder(linkType: number): ProtocolDecoder | undefined { return linkType >= 0 && linkType < 65536 ? linkTypes[linkType] : undefined; }
export function etherTypeDecoder(etherType: number): ProtocolDecoder | undefined { return etherTypes[etherType & 0xffff]; }
export function ipProtocolDecoder(proto: number): ProtocolDecoder | undefined { return ipProtocols[proto & 0xff]; }
/** The decoder for a UDP datagram: the destination port wins over the source port. */
export function udpPortDecoder(srcPort: number, dstPort: number): ProtocolDecoder | undefined {
  return udpPorts[dstPort & 0xffff] ?? udpPorts[srcPort & 0xffff];
}

export function dissectEtherType(etherType: number, data: Uint8Array, offset: number, end: number, out: PacketFields): void {
  etherTypes[etherType & 0xffff]?.dissect(data, offset, end, out);
}

export function describeEtherType(etherType: number, data: Uint8Array, offset: number, end: number, ctx: DescribeContext): void {
  const d = etherTypes[etherType & 0xffff];
  if (d) d.describe(data, offset, end, ctx);
  else describePayload(offset, end, ctx);
}

export function describePayload(offset: number, end: number, ctx: DescribeContext): void {
  if (end > offset || ctx.wireEnd > offset) {
    ctx.layers.push({ kind: 'payload', offset, length: Math.max(0, end - offset), wireLength: Math.max(0, ctx.wireEnd - offset) });
  }
}

/** Records the first truncation only (the layer tcpdump would name in `[|proto]`). */
export function markTruncated(out: PacketFields, layer: string): void {
  if (out.truncatedAt === '') out.truncatedAt = layer;
}

export function markMalformed(out: PacketFields, layer: string): void {
  if (out.malformedAt === '') out.malformedAt = layer;
}
