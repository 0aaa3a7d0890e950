/**
 * One tcpdump output line (or the two-line `-v` form) back into a typed record, from the text
 * alone. Never throws: what it cannot read becomes `{ kind: 'unparsed', text }`.
 */
import { collectChecksums, parseTcpdumpPayload } from './parseTcpdumpPayload';
import { parseTcpdumpStatusLine } from './parseTcpdumpStatusLine';
import { parseTcpdumpTimestamp } from './parseTcpdumpTimestamp';
import type { TcpdumpEndpoint, TcpdumpIpDetails, TcpdumpLinkInfo, TcpdumpPacketRecord, TcpdumpRecord } from './tcpdumpRecord';

const MAC = '[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}';
// Pasted reports number lines with circled digits (❶); they are not tcpdump's.
const PASTE_MARKERS = /^[\u2460-\u24ff\u2776-\u2793]+/;
const IFACE_DIRECTION = /^(\S+)\s+(In|Out|B|M|P)\s+/;
const ANY_LINK = new RegExp(`^ifindex (\\d+) (${MAC}) `);
const ETHER_ADDRS = new RegExp(`^(${MAC})\\s*>\\s*(${MAC}),?\\s*`);
const ETHERTYPE = /^ethertype (\S+) \((0x[0-9a-fA-F]{4})\),?\s*(?:length (\d+):\s*)?/;
const VLAN = /^vlan (\d+), p (\d+),\s*/;
const IP_DETAILS = /^\(((?:[^()]|\([^()]*\))*)\)\s*/;
const GRE = /^GREv\d(?:, Flags \[[^\]]*\])?(?:, proto (\S+) \((0x[0-9a-fA-F]{4})\))?, length (\d+)(?:: (.*))?$/;
const ADDRESSES = /^(\S+?) > (\S+?):(?:\s+|(?=[A-Z[])|$)/;

function opt(re: RegExp, s: string): string | undefined {
  return re.exec(s)?.[1];
}

function optNum(re: RegExp, s: string): number | undefined {
  const v = opt(re, s);
  return v === undefined ? undefined : Number(v);
}

function parseIpDetails(inner: string): TcpdumpIpDetails {
  const d: TcpdumpIpDetails = {};
  const tos = opt(/\btos (0x[0-9a-f]+)/, inner);
  if (tos !== undefined) d.tos = Number(tos);
  d.ttl = optNum(/\bttl (\d+)/, inner);
  d.hopLimit = optNum(/\bhlim (\d+)/, inner);
  d.id = optNum(/\bid (\d+)/, inner);
  d.offset = optNum(/\boffset (\d+)/, inner);
  const flags = opt(/\bflags ?\[([^\]]*)\]/, inner);
  if (flags !== undefined) d.flags = flags.split(/[\s,]+/).filter(Boolean);
  const proto = /\b(?:proto|next-header) (\S+) \((\d+)\)/.exec(inner);
  if (proto) { d.protoName = proto[1]; d.protoNumber = Number(proto[2]); }
  d.length = optNum(/(?:^|, )length (\d+)/, inner);
  d.payloadLength = optNum(/payload length: (\d+)/, inner);
  const flow = opt(/\bflowlabel (0x[0-9a-f]+)/, inner);
  if (flow !== undefined) d.flowLabel = Number(flow);
  for (const k of Object.keys(d) as (keyof TcpdumpIpDetails)[]) if (d[k] === undefined) delete d[k];
  return d;
}

/** `10.0.0.1.80`, `fd00::1.57400`, `x.y.z.208.80` (anonymised), `10.0.0.1` (no port). */
export function parseTcpdumpEndpoint(text: string): TcpdumpEndpoint {
  if (text.includes(':')) {
    const tail = text.slice(text.lastIndexOf(':') + 1);
    const dots = tail.split('.').length - 1;
    const m = /^(.*)\.(\d+)$/.exec(text);
    if (m && (dots === 1 || dots === 4)) return { address: m[1], port: Number(m[2]) };
    return { address: text };
  }
  const parts = text.split('.');
  if (parts.length === 5 && /^\d+$/.test(parts[4])) return { address: parts.slice(0, 4).join('.'), port: Number(parts[4]) };
  return { address: text };
}

function parseArp(rec: TcpdumpPacketRecord, text: string): boolean {
  // -v adds the hardware/protocol address formats before the operation.
  const rest = text.replace(/^Ethernet \(len \d+\), IPv4 \(len \d+\),\s*/, '');
  const req = new RegExp(`^(?:Request )?who-has (\\S+)(?: \\((${MAC})\\))? tell (\\S+?)(?:,|\\s|$)`, 'i').exec(rest);
  if (req) {
    rec.arp = { op: 'request', whoHas: req[1], tell: req[3] };
  } else {
    const rep = new RegExp(`^Reply (\\S+) is-at (${MAC})`, 'i').exec(rest);
    if (!rep) return false;
    rec.arp = { op: 'reply', address: rep[1], isAt: rep[2] };
  }
  const len = /, length (\d+)/.exec(rest);
  if (len) rec.arp.length = Number(len[1]);
  rec.protocol = 'arp';
  return true;
}

function etherVersion(type: number): 4 | 6 | 'arp' | undefined {
  return type === 0x0800 ? 4 : type === 0x86dd ? 6 : type === 0x0806 ? 'arp' : undefined;
}

function parsePacket(line: string, secondLine: string | undefined, text: string): TcpdumpRecord {
  const rec: TcpdumpPacketRecord = { kind: 'packet', text, protocol: 'other', checksums: [], detailLines: [], awaitsSecondLine: false };
  let s = line.replace(PASTE_MARKERS, '').trimEnd();
  const ts = parseTcpdumpTimestamp(s);
  if (ts) { rec.timestamp = ts.timestamp; s = s.slice(ts.consumed); }
  s = s.trimStart();
  let m = IFACE_DIRECTION.exec(s);
  if (m) { rec.iface = { name: m[1], direction: m[2] }; s = s.slice(m[0].length); }

  let l3: 4 | 6 | 'arp' | undefined;
  let link: TcpdumpLinkInfo | undefined;
  m = ANY_LINK.exec(s);
  if (m) { link = { ifIndex: Number(m[1]), srcMac: m[2].toLowerCase(), vlans: [] }; s = s.slice(m[0].length); }
  m = ETHER_ADDRS.exec(s);
  if (m) { link = { srcMac: m[1].toLowerCase(), dstMac: m[2].toLowerCase(), vlans: [] }; s = s.slice(m[0].length); }
  if (link) {
    for (;;) {
      const et = ETHERTYPE.exec(s);
      if (!et) break;
      link.etherTypeName = et[1];
      link.etherType = Number(et[2]);
      if (et[3] !== undefined) link.length = Number(et[3]);
      s = s.slice(et[0].length);
      const vl = VLAN.exec(s);
      if (!vl) break;
      link.vlans.push({ id: Number(vl[1]), priority: Number(vl[2]) });
      s = s.slice(vl[0].length);
    }
    rec.link = link;
    if (link.etherType !== undefined) l3 = etherVersion(link.etherType);
  }
  if (l3 === undefined) {
    m = /^(IP6?|ARP,|arp)\s*/.exec(s);
    if (!m) return { kind: 'unparsed', text };
    l3 = m[1] === 'IP' ? 4 : m[1] === 'IP6' ? 6 : 'arp';
    s = s.slice(m[0].length);
  }
  if (l3 === 'arp') return parseArp(rec, s) ? finish(rec, s) : { kind: 'unparsed', text };

  rec.ipVersion = l3;
  m = IP_DETAILS.exec(s);
  if (m) {
    rec.ip = parseIpDetails(m[1]);
    s = s.slice(m[0].length);
    if (s === '') {
      if (secondLine === undefined) { rec.awaitsSecondLine = true; return rec; }
      s = secondLine.trim();
    }
  }
  m = ADDRESSES.exec(s);
  if (!m) return rec.ip ? finish(rec, s) : { kind: 'unparsed', text };
  rec.src = parseTcpdumpEndpoint(m[1]);
  rec.dst = parseTcpdumpEndpoint(m[2]);
  const payload = s.slice(m[0].length);
  const gre = GRE.exec(payload);
  if (gre) {
    rec.protocol = 'gre';
    rec.tunnel = { kind: 'gre', length: Number(gre[3]) };
    if (gre[4]) {
      // With -e the inner packet has no `IP` word: the GRE protocol field says what it is.
      const innerText = /^(?:IP6?|ARP)\b/.test(gre[4]) ? gre[4] : `${gre[1] === 'IPv6' ? 'IP6' : 'IP'} ${gre[4]}`;
      const inner = parsePacket(innerText, undefined, gre[4]);
      if (inner.kind === 'packet') rec.tunnel.inner = inner;
    }
    return finish(rec, payload.slice(0, payload.length - (gre[4]?.length ?? 0)));
  }
  parseTcpdumpPayload(rec, payload);
  return finish(rec, payload);
}

function finish(rec: TcpdumpPacketRecord, payload: string): TcpdumpPacketRecord {
  if (rec.protocol === 'other' && rec.ip?.protoName) {
    const p = rec.ip.protoName.toLowerCase();
    if (p === 'tcp' || p === 'udp' || p === 'icmp') rec.protocol = p;
    else if (p === 'icmpv6') rec.protocol = 'icmp6';
  }
  rec.checksums = collectChecksums(payload, rec.protocol);
  const trunc = /\[\|(\w+)\]/.exec(payload);
  if (trunc) rec.truncatedAt = trunc[1];
  return rec;
}

/** Adds an indented detail line (`-v` options, DHCP options) to the record it belongs to. */
export function addTcpdumpDetailLine(rec: TcpdumpPacketRecord, line: string): void {
  rec.detailLines.push(line);
  rec.text += `\n${line}`;
  const dhcp = /DHCP-Message \(53\), length \d+: (\S+)/.exec(line);
  if (dhcp && rec.dhcp) rec.dhcp.message = dhcp[1];
  for (const c of collectChecksums(line, rec.protocol)) rec.checksums.push(c);
}

/**
 * Parses one line; pass the indented second line of the `-v` IPv4 form as `secondLine` (or parse
 * the first alone and see `awaitsSecondLine`).
 */
export function parseTcpdumpLine(line: string, secondLine?: string): TcpdumpRecord {
  const text = secondLine === undefined ? line : `${line}\n${secondLine}`;
  try {
    const status = parseTcpdumpStatusLine(line);
    if (status) return status;
    return parsePacket(line, secondLine, text);
  } catch {
    return { kind: 'unparsed', text };
  }
}
