/**
 * Parses `ovs-vsctl --format=json list Interface`: `{headings, data}` where cells use OVSDB's JSON
 * encoding (`["map", [[k, v]…]]`, `["set", […]]`, `["uuid", "…"]`, or a bare atom).
 */
import type { OvsInterface } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { isObject, parseJsonOutput } from './jsonFieldReaders';

export function parseOvsInterfaceJson(text: string): OvsInterface[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const doc = parseJsonOutput('ovs-interface', trimmed);
  if (!isObject(doc) || !Array.isArray(doc.headings) || !Array.isArray(doc.data)) {
    throw new DiscoveryParseError('ovs-interface', 'expected {"headings": [...], "data": [...]}', trimmed);
  }
  const headings = doc.headings.map(String);
  const col = (name: string): number => headings.indexOf(name);
  if (col('name') < 0) throw new DiscoveryParseError('ovs-interface', 'no "name" column', trimmed);
  return doc.data.map((row, i) => {
    if (!Array.isArray(row)) throw new DiscoveryParseError('ovs-interface', `row ${i} is not an array`, JSON.stringify(row));
    const cell = (name: string): unknown => (col(name) < 0 ? undefined : row[col(name)]);
    const name = atom(cell('name'));
    if (name === undefined) throw new DiscoveryParseError('ovs-interface', `row ${i} has no name`, JSON.stringify(row));
    const out: OvsInterface = { name };
    const type = atom(cell('type'));
    if (type !== undefined && type !== '') out.type = type;
    const ofport = cell('ofport');
    if (typeof ofport === 'number') out.ofport = ofport;
    const ext = ovsdbMap(cell('external_ids'));
    if (Object.keys(ext).length > 0) out.externalIds = ext;
    const options = ovsdbMap(cell('options'));
    if (Object.keys(options).length > 0) out.options = options;
    const error = atom(cell('error'));
    if (error !== undefined) out.error = error;
    const mac = atom(cell('mac_in_use'));
    if (mac !== undefined) out.mac = mac.toLowerCase();
    const linkState = atom(cell('link_state'));
    if (linkState !== undefined) out.linkState = linkState;
    return out;
  });
}

/** A string atom; an empty OVSDB set (`["set", []]`) or anything else reads as undefined. */
function atom(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v[0] === 'set' && Array.isArray(v[1]) && typeof v[1][0] === 'string') return v[1][0];
  return undefined;
}

function ovsdbMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(v) || v[0] !== 'map' || !Array.isArray(v[1])) return out;
  for (const pair of v[1]) {
    if (Array.isArray(pair) && typeof pair[0] === 'string') out[pair[0]] = typeof pair[1] === 'string' ? pair[1] : JSON.stringify(pair[1]);
  }
  return out;
}
