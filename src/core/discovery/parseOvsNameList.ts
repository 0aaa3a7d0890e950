/** Parses `ovs-vsctl list-br` and `ovs-vsctl list-ports <br>`: one name per line. */
import type { DiscoverySource } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

function parseNameList(source: DiscoverySource, text: string): string[] {
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  for (const n of names) {
    // Interface names are at most 15 bytes without spaces (OVS bridges follow the same rule).
    if (/\s/.test(n) || n.length > 15 || n.includes(':')) throw new DiscoveryParseError(source, 'not a bridge or port name', n);
  }
  return names;
}

export function parseOvsListBr(text: string): string[] {
  return parseNameList('ovs-list-br', text);
}

export function parseOvsListPorts(text: string): string[] {
  return parseNameList('ovs-list-ports', text);
}
