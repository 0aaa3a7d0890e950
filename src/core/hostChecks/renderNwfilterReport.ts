/**
 * The read-only "nwfilter of a vNIC" text: the expanded filter as a table per chain (libvirt's
 * evaluation order, `$VAR`s substituted, which filter each rule comes from), filters the host does not
 * define, an optional verdict for one frame, then the ebtables/iptables/nft rules instantiated for the
 * backend device. Returns the line of every rule so an editor can mark the one a verdict names.
 */
import type { ExpandedNwfilter, ExpandedRule } from './expandNwfilter';
import type { NwfilterFrame, NwfilterVerdict } from './nwfilterVerdict';
import type { FirewallSection } from './backendFirewallRules';

export interface NwfilterReportInput {
  host: string;
  vm: string;
  device: string;
  filter: string;
  parameters: readonly { name: string; value: string }[];
  expanded: ExpandedNwfilter;
  problems: readonly { filter: string; message: string }[];
  firewall: readonly FirewallSection[];
  verdict?: { frame: NwfilterFrame; result: NwfilterVerdict };
}

export interface NwfilterReport {
  text: string;
  /** 0-based line of each expanded rule. */
  ruleLines: Map<ExpandedRule, number>;
  /** 0-based line of the rule the verdict names, when there is one. */
  verdictRuleLine?: number;
}

export function describeMatch(r: ExpandedRule): string {
  if (r.matches.length === 0) return '(any)';
  return r.matches.map((m) => [m.protocol, ...Object.entries(m.attributes).map(([k, v]) => `${k}=${v}`)].join(' ')).join('; ');
}

export function describeFrame(f: NwfilterFrame): string {
  const et = f.etherType === 0x0800 ? 'IPv4' : f.etherType === 0x0806 ? 'ARP' : f.etherType === 0x86dd ? 'IPv6' : `0x${f.etherType.toString(16).padStart(4, '0')}`;
  const ip = f.srcIp !== undefined ? ` ${f.srcIp} > ${f.dstIp ?? '?'}${f.ipProtocol !== undefined ? ` proto ${f.ipProtocol}` : ''}` : '';
  return `${f.direction === 'out' ? 'sent by the VM' : 'towards the VM'}: ${f.srcMac} > ${f.dstMac ?? '?'} ${et}${ip}`;
}

function pad(s: string, n: number): string { return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length); }

export function renderNwfilterReport(input: NwfilterReportInput): NwfilterReport {
  const lines: string[] = [];
  const ruleLines = new Map<ExpandedRule, number>();
  const params = input.parameters.map((p) => `${p.name}=${p.value}`).join(' ');
  lines.push(`nwfilter of vNIC ${input.device} — ${input.vm} on ${input.host}`,
    `filterref ${input.filter}${params ? `   ${params}` : ''}`,
    'Rules in the order libvirt evaluates them (root, then each chain by priority; first match wins, return goes back to root).',
    '$VARs are substituted from the filterref parameters; "from" is the filter holding the rule, then the filters that led to it.',
    '');
  const e = input.expanded;
  for (const chain of e.chains) {
    lines.push(`chain ${chain.name}${chain.name === 'root' ? '' : `   (priority ${chain.priority})`}`);
    if (chain.rules.length === 0) { lines.push('    (no rules)', ''); continue; }
    lines.push(`    ${pad('prio', 6)}${pad('dir', 6)}${pad('action', 8)}${pad('match', 48)}from`);
    for (const r of chain.rules) {
      ruleLines.set(r, lines.length);
      const from = [...r.path].reverse().join(' ← ');
      lines.push(`    ${pad(String(r.priority), 6)}${pad(r.direction, 6)}${pad(r.action, 8)}${pad(describeMatch(r), 48)}${from}`);
    }
    lines.push('');
  }
  const undefinedFilters = [...new Set([...e.unresolved, ...input.problems.map((p) => p.filter)])];
  if (undefinedFilters.length > 0) {
    lines.push(`Referenced but not readable on ${input.host} (their rules are missing above):`);
    for (const f of undefinedFilters) lines.push(`    ${f}: ${input.problems.find((p) => p.filter === f)?.message ?? 'not defined'}`);
    lines.push('');
  }
  if (e.cycles.length > 0) lines.push(`Reference cycles (skipped): ${e.cycles.join(', ')}`, '');
  if (e.unboundVariables.length > 0) lines.push(`Variables without a value (rules using them left out, as libvirt refuses them): ${e.unboundVariables.map((v) => `$${v}`).join(', ')}`, '');

  let verdictRuleLine: number | undefined;
  if (input.verdict) {
    const { frame, result } = input.verdict;
    lines.push(`Verdict for the frame ${describeFrame(frame)}`);
    if (result.rule) {
      verdictRuleLine = ruleLines.get(result.rule);
      lines.push(`    ${result.verdict.toUpperCase()} by ${result.rule.filter} [chain ${result.rule.chain}] priority ${result.rule.priority}: ${describeMatch(result.rule)}${verdictRuleLine !== undefined ? `   (line ${verdictRuleLine + 1})` : ''}`);
    } else {
      lines.push('    no rule decides it: the chain policy (ACCEPT) applies');
    }
    for (const t of result.trace) lines.push(`    ${t}`);
    lines.push('');
  }

  lines.push(`Rules instantiated on ${input.device}`, '');
  for (const s of input.firewall) {
    lines.push(`${s.command}`);
    if (s.status !== 'ok') lines.push(`    ${s.status === 'missing' ? 'not available' : s.status === 'refused' ? 'not allowed' : 'failed'}: ${s.message ?? ''}`);
    else if (s.lines.length === 0) lines.push(`    (no rule names ${input.device})`);
    else for (const l of s.lines) lines.push(`    ${l}`);
    for (const w of s.ebtables?.warnings ?? []) lines.push(`    warning: ${w}`);
    lines.push('');
  }
  return { text: lines.join('\n'), ruleLines, verdictRuleLine };
}
