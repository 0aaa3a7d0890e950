/** Parses `ip -j addr show` into addresses per interface name. */
import type { HostAddress } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { isObject, parseJsonArray, readNumber, readString } from './jsonFieldReaders';

export function parseIpAddrJson(text: string): Map<string, HostAddress[]> {
  const out = new Map<string, HostAddress[]>();
  parseJsonArray('ip-addr', text).forEach((o, i) => {
    const name = readString(o, 'ifname');
    if (name === undefined) throw new DiscoveryParseError('ip-addr', `entry ${i} has no ifname`, JSON.stringify(o));
    const infos = Array.isArray(o.addr_info) ? o.addr_info : [];
    const addresses: HostAddress[] = [];
    for (const a of infos) {
      if (!isObject(a)) continue;
      const family = readString(a, 'family');
      const local = readString(a, 'local');
      const prefixLen = readNumber(a, 'prefixlen');
      if ((family !== 'inet' && family !== 'inet6') || local === undefined || prefixLen === undefined) continue;
      addresses.push({ family, local, prefixLen, scope: readString(a, 'scope') ?? 'global' });
    }
    out.set(name, addresses);
  });
  return out;
}
