/**
 * Which rule of an expanded nwfilter decides a frame, walking the chains the way libvirt's ebtables
 * rules do: root's entries (its rules and a jump per sub-chain, sorted by priority); a sub-chain is
 * entered only for its protocol (ipv4-* for IPv4, arp-* for ARP…); first matching rule wins, `return`
 * goes back to root. The LVS DR case: a real server answering from the VIP sends frames whose source
 * IP is not the VM's `$IP`, and no-ip-spoofing's final `drop` takes them on the host's vnet.
 */
import type { ExpandedChain, ExpandedNwfilter, ExpandedRule } from './expandNwfilter';

export interface NwfilterFrame {
  /** 'out' = sent by the VM (ebtables libvirt-I-vnetX), 'in' = towards the VM. */
  direction: 'in' | 'out';
  srcMac: string;
  dstMac?: string;
  etherType: number;
  srcIp?: string;
  dstIp?: string;
  /** IP protocol number (6 tcp, 17 udp, 1 icmp). */
  ipProtocol?: number;
  arpOpcode?: number;
  arpSenderMac?: string;
  arpSenderIp?: string;
  arpTargetIp?: string;
}

export interface NwfilterVerdict {
  /** 'none': no rule decided (the chain policy, ACCEPT in libvirt's chains, applies). */
  verdict: 'accept' | 'drop' | 'reject' | 'none';
  rule?: ExpandedRule;
  /** One line per rule or jump considered, for the report. */
  trace: string[];
}

const ETHER_TYPES: Record<string, number> = { ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806, rarp: 0x8035 };
const IP_PROTOCOLS: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, sctp: 132 };

function macValue(text: string): string | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

function ipv4Value(text: string): number | undefined {
  const p = text.split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function maskBits(mask: string | undefined): number {
  if (mask === undefined) return 32;
  if (/^\d{1,2}$/.test(mask)) return Number(mask);
  const v = ipv4Value(mask);
  if (v === undefined) return 32;
  let n = 0;
  for (let x = v; (x & 0x80000000) !== 0; x = (x << 1) >>> 0) n++;
  return n;
}

function ipMatches(ruleAddr: string, mask: string | undefined, actual: string | undefined): boolean | undefined {
  if (actual === undefined) return false;
  const r = ipv4Value(ruleAddr), a = ipv4Value(actual);
  if (r === undefined || a === undefined) return ruleAddr === actual ? true : undefined;
  const bits = maskBits(mask);
  const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((r & m) >>> 0) === ((a & m) >>> 0);
}

function protocolNumber(text: string, table: Record<string, number>): number | undefined {
  const t = text.toLowerCase();
  if (t in table) return table[t];
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t, 16);
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/** true/false, or a string naming an attribute this evaluator does not model. */
function elementMatches(protocol: string, attrs: Record<string, string>, f: NwfilterFrame): boolean | string {
  if (protocol === 'ip' && f.etherType !== 0x0800) return false;
  if (protocol === 'ipv6' && f.etherType !== 0x86dd) return false;
  if ((protocol === 'arp' || protocol === 'rarp') && f.etherType !== ETHER_TYPES[protocol]) return false;
  if (!['mac', 'ip', 'ipv6', 'arp', 'rarp', 'all', 'tcp', 'udp', 'icmp'].includes(protocol)) return `element <${protocol}>`;
  for (const [k, v] of Object.entries(attrs)) {
    let ok: boolean | undefined;
    switch (k) {
      case 'srcmacaddr': ok = macValue(v) === macValue(f.srcMac); break;
      case 'dstmacaddr': ok = f.dstMac !== undefined && macValue(v) === macValue(f.dstMac); break;
      case 'protocolid': ok = protocolNumber(v, ETHER_TYPES) === f.etherType; break;
      case 'srcipaddr': ok = ipMatches(v, attrs.srcipmask, f.srcIp); break;
      case 'dstipaddr': ok = ipMatches(v, attrs.dstipmask, f.dstIp); break;
      case 'srcipmask': case 'dstipmask': case 'srcmacmask': case 'comment': ok = true; break;
      case 'protocol': ok = f.ipProtocol !== undefined && protocolNumber(v, IP_PROTOCOLS) === f.ipProtocol; break;
      case 'arpsrcmacaddr': ok = f.arpSenderMac !== undefined && macValue(v) === macValue(f.arpSenderMac); break;
      case 'arpsrcipaddr': ok = ipMatches(v, undefined, f.arpSenderIp); break;
      case 'arpdstipaddr': ok = ipMatches(v, undefined, f.arpTargetIp); break;
      case 'opcode': ok = f.arpOpcode !== undefined && (v.toLowerCase() === 'request' ? 1 : v.toLowerCase() === 'reply' ? 2 : Number(v)) === f.arpOpcode; break;
      default: return `attribute ${k}`;
    }
    if (ok === undefined) return `value ${k}='${v}'`;
    if (!ok) return false;
  }
  return true;
}

function chainApplies(chain: ExpandedChain, f: NwfilterFrame): boolean {
  const proto = chain.name.split('-')[0];
  if (proto === 'mac' || chain.name === 'root') return true;
  if (proto === 'vlan') return f.etherType === 0x8100;
  if (proto === 'stp') return false;
  const et = ETHER_TYPES[proto];
  return et === undefined ? true : et === f.etherType;
}

function describe(r: ExpandedRule): string {
  const m = r.matches.map((x) => `<${x.protocol}${Object.entries(x.attributes).map(([k, v]) => ` ${k}='${v}'`).join('')}/>`).join(' ');
  return `${r.filter} [${r.chain}] ${r.direction} ${r.action} prio ${r.priority}${m ? ` ${m}` : ''}`;
}

type Step = { kind: 'rule'; rule: ExpandedRule } | { kind: 'jump'; chain: ExpandedChain };

export function nwfilterVerdictForFrame(expanded: ExpandedNwfilter, f: NwfilterFrame): NwfilterVerdict {
  const trace: string[] = [];
  const root = expanded.chains[0];
  const steps: (Step & { priority: number })[] = [
    ...root.rules.map((rule) => ({ kind: 'rule' as const, rule, priority: rule.priority })),
    ...expanded.chains.slice(1).map((chain) => ({ kind: 'jump' as const, chain, priority: chain.priority })),
  ].sort((a, b) => a.priority - b.priority);

  const tryRule = (rule: ExpandedRule): 'accept' | 'drop' | 'reject' | 'return' | undefined => {
    if (rule.direction !== 'inout' && rule.direction !== f.direction) return undefined;
    for (const m of rule.matches) {
      const r = elementMatches(m.protocol, m.attributes, f);
      if (typeof r === 'string') { trace.push(`  skipped (cannot evaluate ${r}): ${describe(rule)}`); return undefined; }
      if (!r) return undefined;
    }
    trace.push(`  matched: ${describe(rule)}`);
    const a = rule.action.toLowerCase();
    return a === 'accept' || a === 'drop' || a === 'reject' || a === 'return' ? a : undefined;
  };

  for (const step of steps) {
    if (step.kind === 'rule') {
      const v = tryRule(step.rule);
      if (v && v !== 'return') return { verdict: v, rule: step.rule, trace };
      continue;
    }
    if (!chainApplies(step.chain, f)) continue;
    trace.push(`jump ${step.chain.name} (prio ${step.chain.priority})`);
    for (const rule of step.chain.rules) {
      const v = tryRule(rule);
      if (v === 'return') break;
      if (v) return { verdict: v, rule, trace };
    }
  }
  return { verdict: 'none', trace };
}
