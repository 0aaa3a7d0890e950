/** Parses `virsh list --all` (Id, Name, State; names may contain spaces, state may be "shut off"). */
import type { VirshListEntry, VmState } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';

const STATES: readonly VmState[] = ['running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended', 'dying'];
// Longest first, so "in shutdown" / "shut off" win over a name ending in "off".
const STATE_SUFFIX = new RegExp(`\\s+(${[...STATES].sort((a, b) => b.length - a.length).join('|').replace(/ /g, '\\s')})\\s*$`);

export function parseVirshList(text: string): VirshListEntry[] {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => /^\s*Id\s+Name\s+State\s*$/.test(l));
  if (header < 0) {
    if (text.trim() === '') return [];
    throw new DiscoveryParseError('virsh-list', 'no "Id Name State" header', text.trim());
  }
  const out: VirshListEntry[] = [];
  for (const raw of lines.slice(header + 1)) {
    const line = raw.trimEnd();
    if (line.trim() === '' || /^-+$/.test(line.trim())) continue;
    const m = /^\s*(\d+|-)\s+(.*)$/.exec(line);
    if (!m) throw new DiscoveryParseError('virsh-list', 'unexpected line', line);
    const rest = m[2];
    const s = STATE_SUFFIX.exec(rest);
    // A state virsh adds after this parser was written still yields the entry, as 'unknown'.
    const name = s ? rest.slice(0, s.index) : rest.replace(/\s{2,}\S+(\s\S+)?$/, '');
    const state: VmState = s ? (s[1].replace(/\s+/, ' ') as VmState) : 'unknown';
    if (name === '') throw new DiscoveryParseError('virsh-list', 'entry without a name', line);
    const entry: VirshListEntry = { name, state };
    if (m[1] !== '-') entry.id = Number(m[1]);
    out.push(entry);
  }
  return out;
}
