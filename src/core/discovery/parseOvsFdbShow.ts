/** Parses `ovs-appctl fdb/show <bridge>`: ` port  VLAN  MAC                Age` then one row per MAC. */
import type { OvsFdbEntry } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

export function parseOvsFdbShow(text: string): OvsFdbEntry[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!/^\s*port\s+VLAN\s+MAC\s+Age\s*$/.test(lines[0])) {
    throw new DiscoveryParseError('ovs-fdb', 'no "port VLAN MAC Age" header', lines[0]);
  }
  return lines.slice(1).map((line) => {
    // Age is a number of seconds, or "static" for entries added with fdb/add.
    const m = /^\s*(\S+)\s+(\d+)\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})\s+(\d+|static)\s*$/i.exec(line);
    if (!m) throw new DiscoveryParseError('ovs-fdb', 'unexpected row', line);
    return { port: m[1], vlan: Number(m[2]), mac: m[3].toLowerCase(), ageSeconds: m[4] === 'static' ? -1 : Number(m[4]) };
  });
}
