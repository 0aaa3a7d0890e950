/** TCP, UDP, ICMP, ICMPv6, GRE text (what follows `src > dst: `). */
import type { IcmpLayer, Icmpv6Layer, TcpLayer, TcpOption, UdpLayer } from '../decode/decodedLayer';
import type { FormatContext } from './formatContext';
import { dhcpText, dnsText } from './formatApplication';
import { tunnelText } from './formatTunnel';
import { ipProtocolText } from './protocolNames';

const FLAG_CHARS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];

function tcpFlagsText(flags: number): string {
  let s = '';
  for (const [bit, c] of FLAG_CHARS) if (flags & bit) s += c;
  return s === '' ? 'none' : s;
}

const TRUNCATED_OPTION_NAMES = new Map<number, string>([[2, 'mss'], [3, 'wscale'], [5, 'sack'], [8, 'TS']]);

function optionText(o: TcpOption, rel: number[]): string {
  switch (o.kind) {
    case 'mss': return `mss ${o.value}`;
    case 'wscale': return `wscale ${o.value}`;
    case 'sackOK': return 'sackOK';
    case 'ts': return `TS val ${o.val} ecr ${o.ecr}`;
    case 'nop': return 'nop';
    case 'eol': return 'eol';
    case 'sack': {
      const base = rel[2] ? rel[3] : rel[4];
      return `sack ${o.blocks.length} ${o.blocks.map(([s, e]) => `{${(s - base) >>> 0}:${(e - base) >>> 0}}`).join('')}`;
    }
    case 'unknown': return `unknown-${o.code}`;
    case 'truncated': return o.lengthKnown ? `${TRUNCATED_OPTION_NAMES.get(o.code) ?? `unknown-${o.code}`} [|tcp]>` : ' [|tcp]';
  }
}

const REL: number[] = [0, 0, 0, 0, 0];

export function tcpText(ctx: FormatContext, ipIndex: number, t: TcpLayer): string {
  if (t.seq < 0) return '[|tcp]';
  const ip = ctx.layers[ipIndex];
  if (ip.kind !== 'ipv4' && ip.kind !== 'ipv6') return '[|tcp]';
  const v4 = ip.kind === 'ipv4';
  ctx.tcp.relative(ip.src, ip.dst, t.srcPort, t.dstPort, ctx.data, ip.offset + (v4 ? 12 : 8), ip.offset + (v4 ? 16 : 24), v4 ? 4 : 16,
    t.seq, t.ack, t.flags, REL);
  const seq = REL[0];
  const len = t.payloadLength;
  let s = `Flags [${tcpFlagsText(t.flags)}]`;
  if (len > 0 || (t.flags & 0x07) !== 0) s += len > 0 ? `, seq ${seq}:${(seq + len) >>> 0}` : `, seq ${seq}`;
  if (t.flags & 0x10) s += `, ack ${REL[1]}`;
  s += `, win ${t.window}`;
  if (t.flags & 0x20) s += `, urg ${t.urgent}`;
  if (t.options.length > 0) {
    s += ', options [';
    for (let i = 0; i < t.options.length; i++) {
      const o = t.options[i];
      if (o.kind === 'truncated') return s + (i > 0 ? ',' : '') + optionText(o, REL);
      s += (i > 0 ? ',' : '') + optionText(o, REL);
    }
    s += ']';
  }
  if (t.truncated) return `${s} [|tcp]`;
  return `${s}, length ${len}`;
}

export function udpText(ctx: FormatContext, i: number, u: UdpLayer): string {
  const next = ctx.layers[i + 1];
  if (next?.kind === 'dns') return dnsText(next);
  if (next?.kind === 'dhcp') return dhcpText(next, ctx.data);
  if (next?.kind === 'vxlan' || next?.kind === 'geneve') return tunnelText(ctx, i + 1);
  if (u.udpLength < 0) return ' [|udp]';
  return `UDP, length ${u.udpLength - 8}`;
}

function unreachableText(l: IcmpLayer): string {
  const q = l.quoted;
  // the quoted header not captured: tcpdump stops before naming anything
  if (!q) return ' [|icmp]';
  switch (l.code) {
    case 0: return `ICMP net ${q.dst} unreachable`;
    case 1: return `ICMP host ${q.dst} unreachable`;
    case 2: return `ICMP ${q.dst} protocol ${q.proto} unreachable`;
    case 3: return q.dstPort >= 0 ? `ICMP ${q.dst} ${ipProtocolText(q.proto)} port ${q.dstPort} unreachable` : `ICMP ${q.dst} port unreachable`;
    case 13: return `ICMP host ${q.dst} unreachable - admin prohibited filter`;
    default: return `ICMP ${q.dst} unreachable - code ${l.code}`;
  }
}

export function icmpText(l: IcmpLayer): string {
  if (l.type < 0 || (l.truncated && l.id < 0 && l.type !== 3 && l.type !== 11)) return ' [|icmp]';
  switch (l.type) {
    case 0: return `ICMP echo reply, id ${l.id}, seq ${l.seq}, length ${l.messageLength}`;
    case 8: return `ICMP echo request, id ${l.id}, seq ${l.seq}, length ${l.messageLength}`;
    case 3: return l.quoted ? `${unreachableText(l)}, length ${l.messageLength}` : unreachableText(l);
    case 11: return `ICMP time exceeded in-${l.code === 0 ? 'transit' : 'reassembly'}, length ${l.messageLength}`;
    default: return `ICMP type-#${l.type}, length ${l.messageLength}`;
  }
}

export function icmpv6Text(l: Icmpv6Layer): string {
  const n = `length ${l.messageLength}`;
  switch (l.type) {
    case 128: return `ICMP6, echo request, id ${l.id}, seq ${l.seq}, ${n}`;
    case 129: return `ICMP6, echo reply, id ${l.id}, seq ${l.seq}, ${n}`;
    case 133: return `ICMP6, router solicitation, ${n}`;
    case 134: return `ICMP6, router advertisement, ${n}`;
    case 135: return l.target ? `ICMP6, neighbor solicitation, who has ${l.target}, ${n}` : 'ICMP6, neighbor solicitation [|icmp6]';
    case 136: return l.target ? `ICMP6, neighbor advertisement, tgt is ${l.target}, ${n}` : 'ICMP6, neighbor advertisement [|icmp6]';
    case 143: return l.length < 8 ? 'ICMP6, multicast listener report v2 [|icmp6]' : `ICMP6, multicast listener report v2, ${l.groupRecords ?? 0} group record(s), ${n}`;
    case 1: return `ICMP6, destination unreachable, ${n}`;
    case 3: return `ICMP6, time exceeded in-transit, ${n}`;
    default: return `ICMP6, type-#${l.type}, ${n}`;
  }
}

/** The text after `src > dst: ` for the layer after IP (index `i`). */
export function transportText(ctx: FormatContext, ipIndex: number, proto: number): string {
  const l = ctx.layers[ipIndex + 1];
  if (!l) return ipProtocolText(proto);
  switch (l.kind) {
    case 'tcp': return tcpText(ctx, ipIndex, l);
    case 'udp': return udpText(ctx, ipIndex + 1, l);
    case 'icmp': return icmpText(l);
    case 'icmpv6': return icmpv6Text(l);
    case 'gre': return tunnelText(ctx, ipIndex + 1);
    default: return `${ipProtocolText(proto)} ${l.kind === 'payload' ? l.wireLength : l.length}`;
  }
}
