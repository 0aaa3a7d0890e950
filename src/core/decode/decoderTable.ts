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

// Dense tables indexed by the 16-bit value (a Map.get per layer was a visible share of dissectPacket).
// Each entry is a slot in DECODERS (0: none), a byte: the four tables are 197 KB of zeroed bytes made
// at module load instead of three 65536-entry arrays of references (~1.4 ms to allocate and fill at
// start-up, in every process that loads the decoders).
const DECODERS: (ProtocolDecoder | undefined)[] = [undefined];
const linkTypes = new Uint8Array(65536);
const etherTypes = new Uint8Array(65536);
const ipProtocols = new Uint8Array(256);
const udpPorts = new Uint8Array(65536);

function slotOf(d: ProtocolDecoder): number {
  let slot = DECODERS.indexOf(d);
  if (slot < 0) {
    if (DECODERS.length > 255) throw new Error('decoder table full: more than 255 decoders');
    slot = DECODERS.push(d) - 1;
  }
  return slot;
}

export function registerLinkType(linkType: number, d: ProtocolDecoder): void { linkTypes[linkType] = slotOf(d); }
export function registerEtherType(etherType: number, d: ProtocolDecoder): void { etherTypes[etherType] = slotOf(d); }
export function registerIpProtocol(proto: number, d: ProtocolDecoder): void { ipProtocols[proto] = slotOf(d); }
export function registerUdpPort(port: number, d: ProtocolDecoder): void { udpPorts[port] = slotOf(d); }

export function linkTypeDecoder(linkType: number): ProtocolDecoder | undefined { return linkType >= 0 && linkType < 65536 ? DECODERS[linkTypes[linkType]] : undefined; }
export function etherTypeDecoder(etherType: number): ProtocolDecoder | undefined { return DECODERS[etherTypes[etherType & 0xffff]]; }
export function ipProtocolDecoder(proto: number): ProtocolDecoder | undefined { return DECODERS[ipProtocols[proto & 0xff]]; }
/** The decoder for a UDP datagram: the destination port wins over the source port. */
export function udpPortDecoder(srcPort: number, dstPort: number): ProtocolDecoder | undefined {
  const dst = udpPorts[dstPort & 0xffff];
  return DECODERS[dst !== 0 ? dst : udpPorts[srcPort & 0xffff]];
}

export function dissectEtherType(etherType: number, data: Uint8Array, offset: number, end: number, out: PacketFields): void {
  DECODERS[etherTypes[etherType & 0xffff]]?.dissect(data, offset, end, out);
}

export function describeEtherType(etherType: number, data: Uint8Array, offset: number, end: number, ctx: DescribeContext): void {
  const d = DECODERS[etherTypes[etherType & 0xffff]];
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
