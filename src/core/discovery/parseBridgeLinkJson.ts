/** Parses `bridge -j link show` into Linux bridges and their ports (with STP port state). */
import type { LinuxBridge } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { parseJsonArray, readString } from './jsonFieldReaders';

export function parseBridgeLinkJson(text: string): LinuxBridge[] {
  const byName = new Map<string, LinuxBridge>();
  parseJsonArray('bridge-link', text).forEach((o, i) => {
    const name = readString(o, 'ifname');
    const master = readString(o, 'master');
    if (name === undefined || master === undefined) {
      throw new DiscoveryParseError('bridge-link', `entry ${i} has no ifname/master`, JSON.stringify(o));
    }
    let bridge = byName.get(master);
    if (bridge === undefined) {
      bridge = { name: master, ports: [] };
      byName.set(master, bridge);
    }
    const state = readString(o, 'state');
    bridge.ports.push(state === undefined ? { name } : { name, state });
  });
  return [...byName.values()];
}
