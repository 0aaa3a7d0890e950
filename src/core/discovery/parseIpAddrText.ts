/** Text fallback for `ip addr show` (no `-j`): addresses per interface name. */
import type { HostAddress } from './hostInventory';
import { splitIpTextBlocks } from './ipTextBlocks';

export function parseIpAddrText(text: string): Map<string, HostAddress[]> {
  const out = new Map<string, HostAddress[]>();
  for (const b of splitIpTextBlocks('ip-addr', text)) {
    const addresses: HostAddress[] = [];
    for (const d of b.details) {
      if (d[0] !== 'inet' && d[0] !== 'inet6') continue;
      const m = /^([^/]+)\/(\d+)$/.exec(d[1] ?? '');
      if (!m) continue;
      const scopeAt = d.indexOf('scope');
      addresses.push({ family: d[0], local: m[1], prefixLen: Number(m[2]), scope: scopeAt >= 0 ? d[scopeAt + 1] ?? 'global' : 'global' });
    }
    out.set(b.name, addresses);
  }
  return out;
}
