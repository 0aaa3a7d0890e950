/** Moving from the underlay to the inner packet: keep the outer identity, clear L3/L4 for the inner one. */
import type { PacketFields } from './packetFields';

export function enterTunnel(out: PacketFields, kind: number, id: number, innerOffset: number): void {
  if (out.tunnelKind === 0) {
    out.tunnelKind = kind;
    out.tunnelId = id;
    out.outerIpVersion = out.ipVersion;
    out.outerIpSrcOffset = out.ipSrcOffset;
    out.outerIpDstOffset = out.ipDstOffset;
    out.outerSrcPort = out.srcPort;
    out.outerDstPort = out.dstPort;
    out.innerOffset = innerOffset;
  }
  out.clearNetworkLayers();
  // A link-layer field, kept out of clearNetworkLayers(): only an inner Ethernet frame sets it again.
  out.etherType = -1;
}
