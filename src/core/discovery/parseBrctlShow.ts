/**
 * Parses `brctl show`: one line per bridge (name, bridge id, STP, first port), further ports on
 * continuation lines that start with whitespace. Columns are tab-separated in bridge-utils, but
 * transcriptions (as in field reports) often have spaces, so fields are split on any whitespace.
 */
import type { LinuxBridge } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

export function parseBrctlShow(text: string): LinuxBridge[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!/^bridge name\s+bridge id\s+STP enabled\s+interfaces\s*$/.test(lines[0].trim())) {
    throw new DiscoveryParseError('brctl', 'no "bridge name / bridge id / STP enabled / interfaces" header', lines[0]);
  }
  const bridges: LinuxBridge[] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (/^\s/.test(line)) {
      const current = bridges.at(-1);
      if (current === undefined || fields.length !== 1) throw new DiscoveryParseError('brctl', 'unexpected continuation line', line);
      current.ports.push({ name: fields[0] });
      continue;
    }
    // "br0  8000.001122334455  no  eth0" or, for a bridge without ports, the first three fields.
    if (fields.length < 3 || fields.length > 4 || !/^[0-9a-f]{4}\.[0-9a-f]{12}$/i.test(fields[1]) || !/^(yes|no)$/.test(fields[2])) {
      throw new DiscoveryParseError('brctl', 'unexpected bridge line', line);
    }
    bridges.push({
      name: fields[0],
      bridgeId: fields[1],
      stp: fields[2] === 'yes',
      ports: fields[3] === undefined ? [] : [{ name: fields[3] }],
    });
  }
  return bridges;
}
