/**
 * Expands a libvirt nwfilter the way libvirt instantiates it on a vNIC: `<filterref>`s followed
 * recursively (each filter once; a reference back into the current path is a cycle, reported and
 * skipped), `$VAR` substituted from the vNIC's `<filterref>` parameters (a variable given several
 * values, like several `IP`s, instantiates the rule once per value), and rules gathered into chains:
 * a filter's `chain` attribute (root, mac, ipv4-ip, arp-mac…) with the filter's priority, or the
 * protocol's default priority (libvirt: stp -810, mac -800, vlan -750, ipv4 -700, ipv6 -600, arp -500,
 * rarp -400). Filters in the root chain add their rules to root itself.
 */
import type { NwfilterDefinition, NwfilterParameter, NwfilterRule } from '../discovery/hostInventory';

export interface ExpandedRule {
  /** The filter that holds the rule, and the path of filterrefs that led to it. */
  filter: string;
  path: string[];
  chain: string;
  action: string;
  direction: string;
  priority: number;
  /** Match elements with every `$VAR` replaced. */
  matches: { protocol: string; attributes: Record<string, string> }[];
}

export interface ExpandedChain {
  name: string;
  /** Position among root's entries (jumps are sorted with root's rules by priority). */
  priority: number;
  rules: ExpandedRule[];
}

export interface ExpandedNwfilter {
  root: string;
  /** 'root' first, then the other chains by priority. */
  chains: ExpandedChain[];
  /** Every rule, in evaluation order within its chain. */
  rules: ExpandedRule[];
  /** Referenced filters the lookup does not know (e.g. not dumped from the host). */
  unresolved: string[];
  /** Reference cycles, as "a > b > a". */
  cycles: string[];
  /** `$VAR`s used by rules with no parameter value: those rules are left out (libvirt refuses them). */
  unboundVariables: string[];
}

const DEFAULT_CHAIN_PRIORITY: Record<string, number> = { stp: -810, mac: -800, vlan: -750, ipv4: -700, ipv6: -600, arp: -500, rarp: -400 };

function chainPriority(chain: string, filterPriority: number | undefined): number {
  if (filterPriority !== undefined) return filterPriority;
  return DEFAULT_CHAIN_PRIORITY[chain.split('-')[0]] ?? 0;
}

const VAR = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

function variablesOf(rule: NwfilterRule): string[] {
  const names = new Set<string>();
  for (const m of rule.matches) for (const v of Object.values(m.attributes)) for (const x of v.matchAll(VAR)) names.add(x[1]);
  return [...names];
}

/** Every combination of values for `names` (cartesian product). */
function bindings(names: string[], values: Map<string, string[]>): Map<string, string>[] {
  let out: Map<string, string>[] = [new Map()];
  for (const n of names) {
    const vs = values.get(n) ?? [];
    out = out.flatMap((b) => vs.map((v) => new Map(b).set(n, v)));
  }
  return out;
}

export function expandNwfilter(
  name: string,
  params: readonly NwfilterParameter[],
  lookup: (filterName: string) => NwfilterDefinition | undefined,
): ExpandedNwfilter {
  const values = new Map<string, string[]>();
  for (const p of params) values.set(p.name, [...(values.get(p.name) ?? []), p.value]);
  const chains = new Map<string, ExpandedChain>([['root', { name: 'root', priority: 0, rules: [] }]]);
  const result: ExpandedNwfilter = { root: name, chains: [], rules: [], unresolved: [], cycles: [], unboundVariables: [] };
  const done = new Set<string>();

  const visit = (filterName: string, path: string[]): void => {
    if (path.includes(filterName)) { result.cycles.push([...path, filterName].join(' > ')); return; }
    if (done.has(filterName)) return;
    const def = lookup(filterName);
    if (!def) { if (!result.unresolved.includes(filterName)) result.unresolved.push(filterName); return; }
    done.add(filterName);
    const here = [...path, filterName];
    const chainName = def.chain ?? 'root';
    let chain = chains.get(chainName);
    if (!chain) chains.set(chainName, chain = { name: chainName, priority: chainPriority(chainName, def.priority), rules: [] });
    for (const entry of def.entries) {
      if (entry.kind === 'filterref') { visit(entry.filter, here); continue; }
      const rule = entry.rule;
      const names = variablesOf(rule);
      const missing = names.filter((n) => !values.has(n));
      if (missing.length > 0) {
        for (const n of missing) if (!result.unboundVariables.includes(n)) result.unboundVariables.push(n);
        continue;
      }
      for (const b of bindings(names, values)) {
        chain.rules.push({
          filter: filterName, path: here, chain: chainName, action: rule.action, direction: rule.direction,
          priority: rule.priority ?? 500,
          matches: rule.matches.map((m) => ({
            protocol: m.protocol,
            attributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, v.replace(VAR, (_, n: string) => b.get(n) ?? '')])),
          })),
        });
      }
    }
  };
  visit(name, []);
  // Stable sort: equal priorities keep document order, as libvirt does.
  for (const c of chains.values()) c.rules.sort((a, b) => a.priority - b.priority);
  const root = chains.get('root') as ExpandedChain;
  const others = [...chains.values()].filter((c) => c.name !== 'root').sort((a, b) => a.priority - b.priority);
  result.chains = [root, ...others];
  result.rules = result.chains.flatMap((c) => c.rules);
  return result;
}
