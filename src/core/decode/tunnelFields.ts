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
  out.appKind = 0;
  out.appOffset = -1;
  out.ipVersion = 0;
  out.ipOffset = -1;
  out.ipHeaderLength = 0;
  out.ipTotalLength = 0;
  out.ipSrcOffset = -1;
  out.ipDstOffset = -1;
  out.ipTtl = -1;
  out.ipId = -1;
  out.ipDscp = -1;
  out.ipEcn = -1;
  out.ipFlowLabel = -1;
  out.ipProto = -1;
  out.ipFragOffset = -1;
  out.ipMoreFragments = false;
  out.ipDontFragment = false;
  out.ipHasOptions = false;
  out.ipChecksum = -1;
  out.l4Offset = -1;
  out.srcPort = -1;
  out.dstPort = -1;
  out.udpLength = -1;
  out.payloadOffset = -1;
  out.payloadLength = 0;
  out.payloadClaimedLength = 0;
  out.etherType = -1;
}
