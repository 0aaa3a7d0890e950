/**
 * The firewall rules that apply to one vNIC backend device (vnet0, tap…): what libvirt's nwfilter
 * actually instantiated. ebtables (libvirt's L2/L3 chains `libvirt-I-<dev>`, `I-<dev>-ipv4-ip`… and the
 * PREROUTING/POSTROUTING jumps with `-i/-o <dev>`, with --Lc counters), iptables (`FI-/FO-/HI-<dev>`,
 * `--physdev-in/out <dev>`) and nft (chains and rules naming the device). Each tool is independent: a
 * missing one or one that needs root is reported in its own section and the others still show.
 */
import type { CommandRunner } from '../discovery/runHostDiscovery';
import { validateInterfaceName } from '../capture/validateCaptureInput';
import { parseEbtablesList, type EbtablesListing } from './parseEbtablesList';
import { HostToolError, runHostTool, type HostToolFailure, type HostToolOptions } from './runHostTool';

export interface FirewallSection {
  tool: 'ebtables' | 'iptables' | 'nft';
  /** The command line shown to the user. */
  command: string;
  status: 'ok' | HostToolFailure;
  message?: string;
  /** The rules that concern the device, as the tool prints them (chain headers included). */
  lines: string[];
  ebtables?: EbtablesListing;
}

function escapeRe(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

/** Whether text names the device as a whole word (vnet0 in I-vnet0-mac, not in vnet01 or vnet0.100). */
export function mentionsDevice(device: string): (text: string) => boolean {
  const re = new RegExp(`(^|[^A-Za-z0-9_.])${escapeRe(device)}($|[^A-Za-z0-9_.])`);
  return (t) => re.test(t);
}

export function ebtablesLinesForDevice(listing: EbtablesListing, device: string): string[] {
  const named = mentionsDevice(device);
  const out: string[] = [];
  for (const c of listing.chains) {
    const own = named(c.name);
    const rules = own ? c.rules : c.rules.filter((r) => r.inIface === device || r.outIface === device);
    if (rules.length === 0 && !own) continue;
    out.push(`Bridge chain: ${c.name}, entries: ${c.entries}, policy: ${c.policy}`);
    for (const r of rules) out.push(`  ${r.text}${r.packets !== undefined ? `   [pcnt ${r.packets}, bcnt ${r.bytes ?? 0}]` : ''}`);
  }
  return out;
}

export function iptablesLinesForDevice(text: string, device: string): string[] {
  const named = mentionsDevice(device);
  return text.split('\n').filter((l) => l.trim() !== '' && named(l));
}

/** Chains of `nft list ruleset` that are named after the device or hold a rule naming it (whole chain). */
export function nftLinesForDevice(text: string, device: string): string[] {
  const named = mentionsDevice(device);
  const out: string[] = [];
  let table = '';
  let chain: { header: string; lines: string[]; hit: boolean } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const t = /^table (\S+ \S+) \{$/.exec(line);
    if (t) { table = t[1]; continue; }
    const c = /^chain (\S+) \{$/.exec(line);
    if (c) { chain = { header: `table ${table} chain ${c[1]}`, lines: [], hit: named(c[1]) }; continue; }
    if (!chain) continue;
    if (line === '}') {
      if (chain.hit) out.push(chain.header, ...chain.lines.map((l) => `  ${l}`));
      chain = undefined;
      continue;
    }
    if (line === '') continue;
    chain.lines.push(line);
    if (named(line)) chain.hit = true;
  }
  return out;
}

export async function fetchBackendFirewallRules(run: CommandRunner, device: string, o: HostToolOptions): Promise<FirewallSection[]> {
  const dev = validateInterfaceName(device);
  const section = async (tool: FirewallSection['tool'], argv: string[], pick: (stdout: string, s: FirewallSection) => void): Promise<FirewallSection> => {
    const s: FirewallSection = { tool, command: argv.join(' '), status: 'ok', lines: [] };
    try {
      pick(await runHostTool(run, argv, o), s);
    } catch (e) {
      s.status = e instanceof HostToolError ? e.failure : 'failed';
      s.message = e instanceof Error ? e.message : String(e);
    }
    return s;
  };
  return Promise.all([
    section('ebtables', ['ebtables', '-t', 'nat', '-L', '--Lc'], (out, s) => {
      s.ebtables = parseEbtablesList(out);
      s.lines = ebtablesLinesForDevice(s.ebtables, dev);
    }),
    section('iptables', ['iptables', '-S'], (out, s) => { s.lines = iptablesLinesForDevice(out, dev); }),
    section('nft', ['nft', 'list', 'ruleset'], (out, s) => { s.lines = nftLinesForDevice(out, dev); }),
  ]);
}
