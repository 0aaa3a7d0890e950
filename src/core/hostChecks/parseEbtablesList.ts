/**
 * Parses `ebtables -t nat -L --Lc` (ebtables 2.0 legacy and ebtables-nft print the same layout):
 * chains with their policy and rules, each rule's interfaces, protocol, MAC/IP matches, target and
 * (with --Lc) its packet/byte counters — the place libvirt's nwfilter drops show up
 * (`I-vnet0-ipv4-ip`'s `-j DROP` counting the LVS DR replies from the VIP).
 */
import { quoteShellArg } from '../capture/shellQuote';
import { HostCheckParseError } from './hostCheckParseError';

export interface EbtablesRule {
  /** The rule text without counters, as printed. */
  text: string;
  target: string;
  inIface?: string;
  outIface?: string;
  /** -p value: IPv4, ARP, 0x8035… */
  protocol?: string;
  srcMac?: string;
  dstMac?: string;
  ipSrc?: string;
  ipDst?: string;
  ipProto?: string;
  packets?: number;
  bytes?: number;
}

export interface EbtablesChain {
  name: string;
  policy: string;
  entries: number;
  rules: EbtablesRule[];
}

export interface EbtablesListing {
  table: string;
  chains: EbtablesChain[];
  /** Inconsistencies worth showing (a chain header's entry count that differs from its rules). */
  warnings: string[];
}

const TABLES = ['filter', 'nat', 'broute'];

export function buildEbtablesListCommand(table = 'nat'): string {
  if (!TABLES.includes(table)) throw new Error(`unknown ebtables table '${table}'`);
  return `ebtables -t ${quoteShellArg(table)} -L --Lc`;
}

function option(tokens: string[], names: string[]): string | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (names.includes(tokens[i])) return tokens[i + 1] === '!' ? `! ${tokens[i + 2]}` : tokens[i + 1];
  }
  return undefined;
}

export function parseEbtablesList(text: string): EbtablesListing {
  const listing: EbtablesListing = { table: '', chains: [], warnings: [] };
  let chain: EbtablesChain | undefined;
  for (const raw of text.split('\n')) {
    // Transcribed listings sometimes carry "# note" annotations; ebtables never prints " #".
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '') continue;
    let m = /^Bridge table: (\S+)$/.exec(line);
    if (m) { listing.table = m[1]; continue; }
    m = /^Bridge chain: ([^,]+), entries: (\d+), policy: (\S+)$/.exec(line);
    if (m) {
      chain = { name: m[1], entries: Number(m[2]), policy: m[3], rules: [] };
      listing.chains.push(chain);
      continue;
    }
    if (!chain) throw new HostCheckParseError('ebtables', 'rule before any "Bridge chain:" line', line);
    m = /^(?:\d+\.\s+)?(.*?)\s*(?:,\s*pcnt = (\d+) -- bcnt = (\d+))?$/.exec(line);
    const body = m?.[1] ?? line;
    const tokens = body.split(/\s+/);
    const target = option(tokens, ['-j', '--jump']);
    if (target === undefined) throw new HostCheckParseError('ebtables', `rule without -j in chain ${chain.name}`, line);
    const rule: EbtablesRule = { text: body, target };
    const set = <K extends keyof EbtablesRule>(key: K, v: EbtablesRule[K] | undefined): void => { if (v !== undefined) rule[key] = v; };
    set('inIface', option(tokens, ['-i', '--in-interface', '--in-if']));
    set('outIface', option(tokens, ['-o', '--out-interface', '--out-if']));
    set('protocol', option(tokens, ['-p', '--protocol']));
    set('srcMac', option(tokens, ['-s', '--source', '--src']));
    set('dstMac', option(tokens, ['-d', '--destination', '--dst']));
    set('ipSrc', option(tokens, ['--ip-src', '--ip-source']));
    set('ipDst', option(tokens, ['--ip-dst', '--ip-destination']));
    set('ipProto', option(tokens, ['--ip-proto', '--ip-protocol']));
    if (m?.[2] !== undefined) { rule.packets = Number(m[2]); rule.bytes = Number(m[3]); }
    chain.rules.push(rule);
  }
  if (listing.table === '') throw new HostCheckParseError('ebtables', 'no "Bridge table:" line', text.trim());
  for (const c of listing.chains) {
    if (c.rules.length !== c.entries) listing.warnings.push(`chain ${c.name} says ${c.entries} entries but lists ${c.rules.length} rules`);
  }
  return listing;
}

/** Rules of `after` whose packet counter grew since `before` (same chain and rule text). */
export function ebtablesCounterGrowth(before: EbtablesListing, after: EbtablesListing): { chain: string; rule: EbtablesRule; packets: number; bytes: number }[] {
  const old = new Map<string, EbtablesRule>();
  for (const c of before.chains) c.rules.forEach((r, i) => old.set(`${c.name}\n${i}\n${r.text}`, r));
  const out: { chain: string; rule: EbtablesRule; packets: number; bytes: number }[] = [];
  for (const c of after.chains) {
    c.rules.forEach((r, i) => {
      const o = old.get(`${c.name}\n${i}\n${r.text}`);
      const packets = (r.packets ?? 0) - (o?.packets ?? 0);
      if (packets > 0) out.push({ chain: c.name, rule: r, packets, bytes: (r.bytes ?? 0) - (o?.bytes ?? 0) });
    });
  }
  return out;
}
