/**
 * Splits `ip link` / `ip addr` text (multi-line, or `-o` one-line with `\` joins) into one block per
 * link: the header fields (`3: name@lower: <FLAGS> mtu … master … state …`) and the detail lines.
 */
import { DiscoveryParseError } from './discoveryParseError';
import type { DiscoverySource } from './hostInventory';

export interface IpTextBlock {
  ifindex: number;
  name: string;
  /** `@if7` (peer in another namespace) is reported as undefined; `@bond0` as `bond0`. */
  lower?: string;
  flags: string[];
  /** `key value` pairs of the header after the flags (mtu, qdisc, master, state, mode, group, qlen). */
  header: Map<string, string>;
  details: string[][];
}

const HEADER = /^(\d+):\s+([^:@\s]+)(?:@([^:\s]+))?:\s+<([^>]*)>\s*(.*)$/;

export function splitIpTextBlocks(source: DiscoverySource, text: string): IpTextBlock[] {
  const lines = text.replace(/\s*\\\s+/g, '\n    ').split(/\r?\n/);
  const blocks: IpTextBlock[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const m = HEADER.exec(line);
    if (m) {
      const tokens = m[5].trim().split(/\s+/).filter((t) => t !== '');
      const header = new Map<string, string>();
      for (let i = 0; i + 1 < tokens.length; i += 2) header.set(tokens[i], tokens[i + 1]);
      const block: IpTextBlock = {
        ifindex: Number(m[1]),
        name: m[2],
        flags: m[4] === '' ? [] : m[4].split(','),
        header,
        details: [],
      };
      if (m[3] !== undefined && !/^if\d+$/.test(m[3]) && m[3] !== 'NONE') block.lower = m[3];
      blocks.push(block);
      continue;
    }
    const current = blocks.at(-1);
    if (current === undefined || !/^\s/.test(line)) throw new DiscoveryParseError(source, 'unexpected line', line);
    current.details.push(line.trim().split(/\s+/));
  }
  return blocks;
}
