/**
 * The decode tree of one packet for the pcap editor: one node per layer with its fields, each node
 * carrying the byte range it covers so the hex view can highlight it.
 */
import type { DecodedLayer } from '../decode/decodedLayer';
import type { LayerNode } from '../../protocol/pcapEditorProtocol';

const LAYER_TITLES: Record<DecodedLayer['kind'], string> = {
  ethernet: 'Ethernet II', vlan: '802.1Q VLAN', sll: 'Linux cooked capture', arp: 'Address Resolution Protocol',
  ipv4: 'Internet Protocol Version 4', ipv6: 'Internet Protocol Version 6', icmp: 'Internet Control Message Protocol',
  icmpv6: 'Internet Control Message Protocol v6', tcp: 'Transmission Control Protocol', udp: 'User Datagram Protocol',
  dns: 'Domain Name System', dhcp: 'Dynamic Host Configuration Protocol', vxlan: 'Virtual eXtensible LAN',
  geneve: 'Generic Network Virtualization Encapsulation', gre: 'Generic Routing Encapsulation', payload: 'Data',
};

const SKIP = new Set(['kind', 'offset', 'length', 'truncated', 'malformed']);

function valueText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function fieldNodes(layer: DecodedLayer): LayerNode[] {
  const nodes: LayerNode[] = [];
  for (const [k, v] of Object.entries(layer)) {
    if (SKIP.has(k) || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      nodes.push({ label: `${k} (${v.length})`, start: -1, length: 0, children: v.map((item: unknown) => {
        const range = item && typeof item === 'object' && 'offset' in item && 'length' in item
          ? { start: Number((item as { offset: number }).offset), length: Number((item as { length: number }).length) }
          : { start: -1, length: 0 };
        return { label: valueText(item), ...range };
      }) });
    } else {
      nodes.push({ label: `${k}: ${valueText(v)}`, start: -1, length: 0 });
    }
  }
  return nodes;
}

export function packetLayerTree(layers: readonly DecodedLayer[], frame: { number: number; length: number; capLength: number }): LayerNode[] {
  const out: LayerNode[] = [{
    label: `Frame ${frame.number}: ${frame.length} bytes on wire, ${frame.capLength} bytes captured`, start: 0, length: frame.capLength,
  }];
  for (const l of layers) {
    const flags = `${l.truncated ? ' [truncated]' : ''}${l.malformed ? ' [malformed]' : ''}`;
    out.push({ label: `${LAYER_TITLES[l.kind]}${flags}`, start: l.offset, length: l.length, children: fieldNodes(l) });
  }
  return out;
}
