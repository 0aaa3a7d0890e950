/**
 * The common packets' tcpdump text built straight from PacketFields and the bytes, without the layer
 * tree: Ethernet (one 802.1Q tag at most), LINUX_SLL and SLL2 → IPv4 (unfragmented) / IPv6 (no
 * extension headers) → TCP (options mss, wscale, sackOK, TS, nop, eol), UDP on ports no decoder
 * claims, ICMP / ICMPv6 echo; and ARP. Everything else (tunnels, DNS, DHCP, ICMP errors, snaplen cuts,
 * SACK blocks, QinQ, `-e` on cooked captures...) answers undefined and the caller falls back to the
 * layer-tree formatter. test/unit/fastPacketText.test.ts requires both paths to print the same text.
 */
import type { PacketFields } from '../decode/packetFields';
import { udpPortDecoder } from '../decode/decoderTable';
import { ipv4Text, ipv6Text, macText } from '../decode/addressText';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/linkTypes';
import type { TcpSequenceTracker } from './tcpSequenceTracker';
import { etherTypeText, sllPacketTypeText } from './protocolNames';

const FLAG_CHARS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];
/** `Flags [S.], ` for every flags byte. */
const FLAGS_TEXT: string[] = Array.from({ length: 256 }, (_, f) => {
  let s = '';
  for (const [bit, c] of FLAG_CHARS) if (f & bit) s += c;
  return `Flags [${s === '' ? 'none' : s}]`;
});

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;

const REL: number[] = [0, 0, 0, 0, 0];

function u16(d: Uint8Array, p: number): number { return (d[p] << 8) | d[p + 1]; }
function u32(d: Uint8Array, p: number): number { return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0; }

export interface FastTextOptions {
  eflag: boolean;
  interfaceNames: ReadonlyMap<number, string>;
  tcp: TcpSequenceTracker;
}

/**
 * Text after the timestamp and space, or undefined when the packet needs the layer-tree formatter.
 * `f` is `bytes` dissected with dissectPacketAt (offsets index `bytes`); `origLen` is the wire length.
 */
export function fastPacketText(o: FastTextOptions, bytes: Uint8Array, f: PacketFields, origLen: number): string | undefined {
  if (f.truncatedAt !== '' || f.malformedAt !== '' || f.tunnelKind !== 0 || f.appKind !== 0 || f.capLength !== origLen) return undefined;
  const t = f.etherType;
  if (t !== ETHERTYPE_IPV4 && t !== ETHERTYPE_IPV6 && t !== ETHERTYPE_ARP) return undefined;
  let link: string;
  const start = f.packetOffset;
  if (f.linkType === LINKTYPE_ETHERNET) {
    if (f.ethOffset !== start || f.vlanCount > 1) return undefined;
    if (!o.eflag) link = '';
    else if (f.vlanCount === 0) link = `${macText(bytes, start + 6)} > ${macText(bytes, start)}, ethertype ${etherTypeText(t)}, length ${origLen}: `;
    else {
      if (u16(bytes, start + 12) !== ETHERTYPE_VLAN) return undefined;
      const tci = u16(bytes, start + 14);
      link = `${macText(bytes, start + 6)} > ${macText(bytes, start)}, ethertype ${etherTypeText(ETHERTYPE_VLAN)}, length ${origLen}: `
        + `vlan ${tci & 0xfff}, p ${tci >> 13}${(tci >> 12) & 1 ? ', DEI' : ''}, ethertype ${etherTypeText(t)}, `;
    }
  } else if (f.linkType === LINKTYPE_LINUX_SLL && !o.eflag) {
    link = '';
  } else if (f.linkType === LINKTYPE_LINUX_SLL2 && !o.eflag) {
    const name = o.interfaceNames.get(f.sllIfIndex) ?? `ifindex ${f.sllIfIndex}`;
    link = `${name.padEnd(5)} ${sllPacketTypeText(f.sllPacketType).padEnd(3)} `;
  } else return undefined;
  if (t === ETHERTYPE_ARP) {
    const a = arpText(bytes, f, origLen);
    return a === undefined ? undefined : link + (o.eflag ? '' : 'ARP, ') + a;
  }
  const ip = ipText(o, bytes, f);
  return ip === undefined ? undefined : link + (o.eflag ? '' : t === ETHERTYPE_IPV4 ? 'IP ' : 'IP6 ') + ip;
}

function arpText(d: Uint8Array, f: PacketFields, origLen: number): string | undefined {
  if (f.arpSenderIpOffset < 0) return undefined;
  const len = origLen - (f.arpSenderMacOffset - 8 - f.packetOffset);
  const senderIp = ipv4Text(d, f.arpSenderIpOffset);
  if (f.arpOp === 1) {
    const tm = f.arpTargetMacOffset;
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < 6; i++) { if (d[tm + i] === 0) zeros++; else if (d[tm + i] === 0xff) ones++; }
    const known = zeros !== 6 && ones !== 6;
    return `Request who-has ${ipv4Text(d, f.arpTargetIpOffset)}${known ? ` (${macText(d, tm)})` : ''} tell ${senderIp}, length ${len}`;
  }
  if (f.arpOp === 2) return `Reply ${senderIp} is-at ${macText(d, f.arpSenderMacOffset)}, length ${len}`;
  return undefined;
}

function ipText(o: FastTextOptions, d: Uint8Array, f: PacketFields): string | undefined {
  const v4 = f.ipVersion === 4;
  if (v4 ? f.ipFragOffset !== -1 : f.ipHeaderLength !== 40) return undefined;
  // A header claiming more than was captured: leave the text of odd cases to the full formatter.
  if (f.ipOffset + f.ipTotalLength > f.packetOffset + f.capLength) return undefined;
  const proto = f.ipProto;
  if (proto === 6) return tcpText(o, d, f, v4);
  if (proto === 17) {
    if (f.udpLength < 0 || udpPortDecoder(f.srcPort, f.dstPort) !== undefined) return undefined;
    return `${addresses(d, f, v4, true)}UDP, length ${f.udpLength - 8}`;
  }
  const messageLength = f.payloadClaimedLength + 8;
  if (proto === 1 && v4 && f.icmpId >= 0) {
    if (f.icmpType === 8) return `${addresses(d, f, v4, false)}ICMP echo request, id ${f.icmpId}, seq ${f.icmpSeq}, length ${messageLength}`;
    if (f.icmpType === 0) return `${addresses(d, f, v4, false)}ICMP echo reply, id ${f.icmpId}, seq ${f.icmpSeq}, length ${messageLength}`;
  } else if (proto === 58 && !v4 && f.icmpId >= 0) {
    if (f.icmpType === 128) return `${addresses(d, f, v4, false)}ICMP6, echo request, id ${f.icmpId}, seq ${f.icmpSeq}, length ${messageLength}`;
    if (f.icmpType === 129) return `${addresses(d, f, v4, false)}ICMP6, echo reply, id ${f.icmpId}, seq ${f.icmpSeq}, length ${messageLength}`;
  }
  return undefined;
}

function addresses(d: Uint8Array, f: PacketFields, v4: boolean, ports: boolean): string {
  const src = v4 ? ipv4Text(d, f.ipSrcOffset) : ipv6Text(d, f.ipSrcOffset);
  const dst = v4 ? ipv4Text(d, f.ipDstOffset) : ipv6Text(d, f.ipDstOffset);
  return ports ? `${src}.${f.srcPort} > ${dst}.${f.dstPort}: ` : `${src} > ${dst}: `;
}

/** TCP options as tcpdump prints them, or undefined for kinds left to the full formatter (SACK blocks, unknown, cut). */
function tcpOptionsText(d: Uint8Array, p: number, end: number): string | undefined {
  let s = '';
  while (p < end) {
    const kind = d[p];
    if (s !== '') s += ',';
    if (kind === 0) return `${s}eol`;
    if (kind === 1) { s += 'nop'; p++; continue; }
    if (p + 1 >= end) return undefined;
    const len = d[p + 1];
    if (len < 2 || p + len > end) return undefined;
    if (kind === 2 && len === 4) s += `mss ${u16(d, p + 2)}`;
    else if (kind === 3 && len === 3) s += `wscale ${d[p + 2]}`;
    else if (kind === 4 && len === 2) s += 'sackOK';
    else if (kind === 8 && len === 10) s += `TS val ${u32(d, p + 2)} ecr ${u32(d, p + 6)}`;
    else return undefined;
    p += len;
  }
  return s;
}

function tcpText(o: FastTextOptions, d: Uint8Array, f: PacketFields, v4: boolean): string | undefined {
  const l4 = f.l4Offset;
  let options = '';
  if (f.tcpHeaderLength > 20) {
    const text = tcpOptionsText(d, l4 + 20, l4 + f.tcpHeaderLength);
    if (text === undefined) return undefined;
    options = `, options [${text}]`;
  }
  const src = v4 ? ipv4Text(d, f.ipSrcOffset) : ipv6Text(d, f.ipSrcOffset);
  const dst = v4 ? ipv4Text(d, f.ipDstOffset) : ipv6Text(d, f.ipDstOffset);
  const flags = f.tcpFlags;
  o.tcp.relative(src, dst, f.srcPort, f.dstPort, d, f.ipSrcOffset, f.ipDstOffset, v4 ? 4 : 16, f.tcpSeq, f.tcpAck, flags, REL);
  const len = f.payloadClaimedLength;
  let s = `${src}.${f.srcPort} > ${dst}.${f.dstPort}: ${FLAGS_TEXT[flags]}`;
  const seq = REL[0];
  if (len > 0) s += `, seq ${seq}:${(seq + len) >>> 0}`;
  else if ((flags & 0x07) !== 0) s += `, seq ${seq}`;
  if (flags & 0x10) s += `, ack ${REL[1]}`;
  s += `, win ${f.tcpWindow}`;
  if (flags & 0x20) s += `, urg ${u16(d, l4 + 18)}`;
  return `${s}${options}, length ${len}`;
}
