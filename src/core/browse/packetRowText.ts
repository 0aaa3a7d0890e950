/**
 * The pcap editor's list columns for one packet, from its decoded layers: source and destination of
 * the innermost network layer (ARP addresses, else MACs), the highest protocol, and tcpdump's text
 * as the Info column.
 */
import type { DecodedLayer } from '../decode/decodedLayer';

const PROTOCOL_NAMES: Partial<Record<DecodedLayer['kind'], string>> = {
  dns: 'DNS', dhcp: 'DHCP', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6', arp: 'ARP',
  ipv4: 'IPv4', ipv6: 'IPv6', vlan: '802.1Q', ethernet: 'Ethernet', sll: 'SLL', gre: 'GRE', vxlan: 'VXLAN', geneve: 'GENEVE',
};

export interface RowColumns { source: string; destination: string; protocol: string }

export function packetRowColumns(layers: readonly DecodedLayer[]): RowColumns {
  let source = '';
  let destination = '';
  let protocol = '';
  for (const l of layers) {
    const name = PROTOCOL_NAMES[l.kind];
    if (name) protocol = name;
    if (l.kind === 'ipv4' || l.kind === 'ipv6') { source = l.src; destination = l.dst; }
    else if (l.kind === 'arp') { source = l.senderIp; destination = l.targetIp; }
    else if (l.kind === 'ethernet' && !source) { source = l.src; destination = l.dst; }
  }
  return { source, destination, protocol: protocol || 'DATA' };
}
