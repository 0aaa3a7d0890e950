/**
 * The common packets' tcpdump text built straight from PacketFields and the bytes, without the layer
 * tree: Ethernet (one 802.1Q tag at most), LINUX_SLL and SLL2 → IPv4 (unfragmented) / IPv6 (no
 * extension headers) → TCP (options mss, wscale, sackOK, TS, nop, eol), UDP on ports no decoder
 * claims, plain DNS queries and A/AAAA answers, ICMP / ICMPv6 echo; and ARP. Everything else (tunnels, DNS, DHCP, ICMP errors, snaplen cuts,
 * SACK blocks, QinQ, `-e` on cooked captures...) writes nothing and answers false, and the caller
 * falls back to the layer-tree formatter. The text goes straight into bytes (ByteTextWriter).
 * test/unit/fastPacketText.test.ts requires both paths to print the same text.
 */
import { AppKind, type PacketFields } from '../decode/packetFields';
import { udpPortDecoder } from '../decode/decoderTable';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/linkTypes';
import type { TcpSequenceTracker } from './tcpSequenceTracker';
import { asciiBytes, type ByteTextWriter } from './byteTextWriter';
import { dnsTypeText, etherTypeText, sllPacketTypeText } from './protocolNames';
import { dnsExtendedRcode } from '../decode/dns';
import { skipDnsName } from '../decode/dnsNameText';

const FLAG_CHARS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];
/** `: Flags [S.]` for every flags byte. */
const FLAGS_TEXT: Uint8Array[] = Array.from({ length: 256 }, (_, f) => {
  let s = '';
  for (const [bit, c] of FLAG_CHARS) if (f & bit) s += c;
  return asciiBytes(`: Flags [${s === '' ? 'none' : s}]`);
});

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;

/** Longest text the fast path writes for one packet (IPv6 addresses, all TCP options, `-e`, SLL2 name). */
export const FAST_TEXT_MAX_BYTES = 1024;

// Constant text pre-encoded (ByteTextWriter.bytes).
const T_ACK = asciiBytes(', ack ');
const T_ARP = asciiBytes('ARP, ');
const T_DEI = asciiBytes(', DEI');
const T_ECR = asciiBytes(' ecr ');
const T_EOL = asciiBytes('eol');
const T_ETHERTYPE = asciiBytes(', ethertype ');
const T_ICMP6_ECHO_REPLY_ID = asciiBytes(': ICMP6, echo reply, id ');
const T_ICMP6_ECHO_REQUEST_ID = asciiBytes(': ICMP6, echo request, id ');
const T_ICMP_ECHO_REPLY_ID = asciiBytes(': ICMP echo reply, id ');
const T_ICMP_ECHO_REQUEST_ID = asciiBytes(': ICMP echo request, id ');
const T_IP = asciiBytes('IP ');
const T_IP6 = asciiBytes('IP6 ');
const T_IS_AT = asciiBytes(' is-at ');
const T_LENGTH = asciiBytes(', length ');
const T_MSS = asciiBytes('mss ');
const T_NOP = asciiBytes('nop');
const T_OPTIONS = asciiBytes(', options [');
const T_P = asciiBytes(', p ');
const T_REPLY = asciiBytes('Reply ');
const T_REQUEST_WHO_HAS = asciiBytes('Request who-has ');
const T_SACKOK = asciiBytes('sackOK');
const T_SEP = asciiBytes(' > ');
const T_DNS_A = asciiBytes(' A ');
const T_DNS_AAAA = asciiBytes(' AAAA ');
const T_COLON = asciiBytes(': ');
const T_COMMA = asciiBytes(', ');
const T_OPEN_PAREN = asciiBytes(' (');
const T_SEQ = asciiBytes(', seq ');
const T_TELL = asciiBytes(' tell ');
const T_TS_VAL = asciiBytes('TS val ');
const T_UDP_LENGTH = asciiBytes(': UDP, length ');
const T_URG = asciiBytes(', urg ');
const T_VLAN = asciiBytes('vlan ');
const T_WIN = asciiBytes(', win ');
const T_WSCALE = asciiBytes('wscale ');

const REL: number[] = [0, 0, 0, 0, 0];

function u16(d: Uint8Array, p: number): number { return (d[p] << 8) | d[p + 1]; }
function u32(d: Uint8Array, p: number): number { return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0; }

export interface FastTextOptions {
  eflag: boolean;
  interfaceNames: ReadonlyMap<number, string>;
  tcp: TcpSequenceTracker;
}

/**
 * Writes the text after the timestamp and space (at most FAST_TEXT_MAX_BYTES) and answers true, or
 * writes nothing and answers false when the packet needs the layer-tree formatter. `f` is `bytes`
 * dissected with dissectPacketAt (offsets index `bytes`); `origLen` is the wire length.
 */
export function writeFastPacketText(o: FastTextOptions, w: ByteTextWriter, bytes: Uint8Array, f: PacketFields, origLen: number): boolean {
  if (f.truncatedAt !== '' || f.malformedAt !== '' || f.tunnelKind !== 0 || (f.appKind !== 0 && f.appKind !== AppKind.Dns) || f.capLength !== origLen) return false;
  const t = f.etherType;
  if (t !== ETHERTYPE_IPV4 && t !== ETHERTYPE_IPV6 && t !== ETHERTYPE_ARP) return false;
  const mark = w.pos;
  const start = f.packetOffset;
  if (f.linkType === LINKTYPE_ETHERNET) {
    if (f.ethOffset !== start || f.vlanCount > 1) return false;
    if (o.eflag) {
      if (f.vlanCount === 1 && u16(bytes, start + 12) !== ETHERTYPE_VLAN) return false;
      w.mac(bytes, start + 6); w.bytes(T_SEP); w.mac(bytes, start);
      w.bytes(T_ETHERTYPE); w.str(etherTypeText(f.vlanCount === 1 ? ETHERTYPE_VLAN : t)); w.bytes(T_LENGTH); w.dec(origLen); w.bytes(T_COLON);
      if (f.vlanCount === 1) {
        const tci = u16(bytes, start + 14);
        w.bytes(T_VLAN); w.dec(tci & 0xfff); w.bytes(T_P); w.dec(tci >> 13);
        if ((tci >> 12) & 1) w.bytes(T_DEI);
        w.bytes(T_ETHERTYPE); w.str(etherTypeText(t)); w.bytes(T_COMMA);
      }
    }
  } else if (f.linkType === LINKTYPE_LINUX_SLL2 && !o.eflag) {
    const name = o.interfaceNames.get(f.sllIfIndex) ?? `ifindex ${f.sllIfIndex}`;
    w.str(`${name.padEnd(5)} ${sllPacketTypeText(f.sllPacketType).padEnd(3)} `);
  } else if (f.linkType !== LINKTYPE_LINUX_SLL || o.eflag) return false;
  const ok = t === ETHERTYPE_ARP ? arpText(o, w, bytes, f, origLen) : ipText(o, w, bytes, f, t === ETHERTYPE_IPV4);
  if (!ok) w.pos = mark;
  return ok;
}

function arpText(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, origLen: number): boolean {
  if (f.arpSenderIpOffset < 0 || (f.arpOp !== 1 && f.arpOp !== 2)) return false;
  const len = origLen - (f.arpSenderMacOffset - 8 - f.packetOffset);
  if (!o.eflag) w.bytes(T_ARP);
  if (f.arpOp === 1) {
    const tm = f.arpTargetMacOffset;
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < 6; i++) { if (d[tm + i] === 0) zeros++; else if (d[tm + i] === 0xff) ones++; }
    w.bytes(T_REQUEST_WHO_HAS); w.ipv4(d, f.arpTargetIpOffset);
    if (zeros !== 6 && ones !== 6) { w.bytes(T_OPEN_PAREN); w.mac(d, tm); w.byte(41); }
    w.bytes(T_TELL); w.ipv4(d, f.arpSenderIpOffset);
  } else {
    w.bytes(T_REPLY); w.ipv4(d, f.arpSenderIpOffset); w.bytes(T_IS_AT); w.mac(d, f.arpSenderMacOffset);
  }
  w.bytes(T_LENGTH); w.dec(len);
  return true;
}

function ipText(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, v4: boolean): boolean {
  if (v4 ? f.ipFragOffset !== -1 : f.ipHeaderLength !== 40) return false;
  // A header claiming more than was captured: leave the text of odd cases to the full formatter.
  if (f.ipOffset + f.ipTotalLength > f.packetOffset + f.capLength) return false;
  const proto = f.ipProto;
  if (proto === 6) return tcpText(o, w, d, f, v4);
  if (proto === 17) {
    if (f.udpLength < 0) return false;
    if (f.appKind === AppKind.Dns && f.truncatedAt === '') {
      const mark = w.pos;
      addresses(o, w, d, f, v4, true);
      w.bytes(T_COLON);
      if (dnsText(w, d, f)) return true;
      w.pos = mark;
      return false;
    }
    if (udpPortDecoder(f.srcPort, f.dstPort) !== undefined) return false;
    addresses(o, w, d, f, v4, true);
    w.bytes(T_UDP_LENGTH); w.dec(f.udpLength - 8);
    return true;
  }
  let what: Uint8Array;
  if (proto === 1 && v4 && f.icmpId >= 0 && (f.icmpType === 8 || f.icmpType === 0)) what = f.icmpType === 8 ? T_ICMP_ECHO_REQUEST_ID : T_ICMP_ECHO_REPLY_ID;
  else if (proto === 58 && !v4 && f.icmpId >= 0 && (f.icmpType === 128 || f.icmpType === 129)) what = f.icmpType === 128 ? T_ICMP6_ECHO_REQUEST_ID : T_ICMP6_ECHO_REPLY_ID;
  else return false;
  addresses(o, w, d, f, v4, false);
  w.bytes(what); w.dec(f.icmpId); w.bytes(T_SEQ); w.dec(f.icmpSeq); w.bytes(T_LENGTH); w.dec(f.payloadClaimedLength + 8);
  return true;
}

/** `IP src.port > dst.port` (without the colon). */
function addresses(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, v4: boolean, ports: boolean): void {
  if (v4) {
    if (!o.eflag) w.bytes(T_IP);
    w.ipv4(d, f.ipSrcOffset);
  } else {
    if (!o.eflag) w.bytes(T_IP6);
    w.ipv6(d, f.ipSrcOffset);
  }
  if (ports) { w.byte(46); w.dec(f.srcPort); }
  w.bytes(T_SEP);
  if (v4) w.ipv4(d, f.ipDstOffset);
  else w.ipv6(d, f.ipDstOffset);
  if (ports) { w.byte(46); w.dec(f.dstPort); }
}

/** Whether the TCP options are all kinds this path prints (not SACK blocks, unknown or cut ones). */
function tcpOptionsSimple(d: Uint8Array, p: number, end: number): boolean {
  while (p < end) {
    const kind = d[p];
    if (kind === 0) return true;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) return false;
    const len = d[p + 1];
    if (len < 2 || p + len > end) return false;
    if (!((kind === 2 && len === 4) || (kind === 3 && len === 3) || (kind === 4 && len === 2) || (kind === 8 && len === 10))) return false;
    p += len;
  }
  return true;
}

function tcpOptionsText(w: ByteTextWriter, d: Uint8Array, p: number, end: number): void {
  w.bytes(T_OPTIONS);
  let first = true;
  while (p < end) {
    const kind = d[p];
    if (!first) w.byte(44);
    first = false;
    if (kind === 0) { w.bytes(T_EOL); break; }
    if (kind === 1) { w.bytes(T_NOP); p++; continue; }
    if (kind === 2) { w.bytes(T_MSS); w.dec(u16(d, p + 2)); }
    else if (kind === 3) { w.bytes(T_WSCALE); w.dec(d[p + 2]); }
    else if (kind === 4) w.bytes(T_SACKOK);
    else { w.bytes(T_TS_VAL); w.dec(u32(d, p + 2)); w.bytes(T_ECR); w.dec(u32(d, p + 6)); }
    p += d[p + 1];
  }
  w.byte(93);
}

function tcpText(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, v4: boolean): boolean {
  const l4 = f.l4Offset;
  const hl = f.tcpHeaderLength;
  if (hl > 20 && !tcpOptionsSimple(d, l4 + 20, l4 + hl)) return false;
  const flags = f.tcpFlags;
  o.tcp.relative('', '', f.srcPort, f.dstPort, d, f.ipSrcOffset, f.ipDstOffset, v4 ? 4 : 16, f.tcpSeq, f.tcpAck, flags, REL);
  const len = f.payloadClaimedLength;
  addresses(o, w, d, f, v4, true);
  w.bytes(FLAGS_TEXT[flags]);
  const seq = REL[0];
  if (len > 0) { w.bytes(T_SEQ); w.dec(seq); w.byte(58); w.dec((seq + len) >>> 0); }
  else if ((flags & 0x07) !== 0) { w.bytes(T_SEQ); w.dec(seq); }
  if (flags & 0x10) { w.bytes(T_ACK); w.dec(REL[1]); }
  w.bytes(T_WIN); w.dec(f.tcpWindow);
  if (flags & 0x20) { w.bytes(T_URG); w.dec(u16(d, l4 + 18)); }
  if (hl > 20) tcpOptionsText(w, d, l4 + 20, l4 + hl);
  w.bytes(T_LENGTH); w.dec(len);
  return true;
}

/**
 * DNS as dnsText (formatApplication.ts) prints the plain cases: a standard query with one question
 * and nothing else, or a response with one question and A/AAAA answers only; false for the rest.
 */
function dnsText(w: ByteTextWriter, d: Uint8Array, f: PacketFields): boolean {
  const o = f.appOffset;
  const end = f.ipOffset + f.ipTotalLength < f.l4Offset + f.udpLength ? f.ipOffset + f.ipTotalLength : f.l4Offset + f.udpLength;
  if (o < 0 || end - o < 12 || end > f.packetOffset + f.capLength) return false;
  const flags = u16(d, o + 2);
  if (((flags >> 11) & 15) !== 0 || u16(d, o + 4) !== 1) return false;
  const an = u16(d, o + 6);
  const ns = u16(d, o + 8);
  const ar = u16(d, o + 10);
  const qEnd = skipDnsName(d, o + 12, end);
  // A class other than IN is printed (`TXT CHAOS?`): dnsText's case.
  if (qEnd < 0 || qEnd + 4 > end || u16(d, qEnd + 2) !== 1) return false;
  if ((flags & 0x8000) === 0) {
    if ((flags & 0x6cf) !== 0 || an !== 0 || ns !== 0 || ar !== 0) return false;
    // The name must be plain labels (a query names no earlier part of the message) of printable
    // ASCII: tcpdump escapes other bytes (M-, ^), which dnsText does.
    for (let p = o + 12; d[p] !== 0; p += 1 + d[p]) {
      if ((d[p] & 0xc0) !== 0) return false;
      for (let i = p + 1; i <= p + d[p]; i++) if (d[i] < 0x20 || d[i] > 0x7e) return false;
    }
    w.dec(u16(d, o));
    if (flags & 0x0100) w.byte(43);
    if (flags & 0x0010) w.byte(37);
    w.byte(32); w.str(dnsTypeText(u16(d, qEnd))); w.byte(63); w.byte(32);
    for (let p = o + 12; d[p] !== 0; p += 1 + d[p]) {
      for (let i = p + 1; i <= p + d[p]; i++) w.byte(d[i]);
      w.byte(46);
    }
    if (d[o + 12] === 0) w.byte(46);
  } else {
    // An OPT record may extend the rcode: tcpdump then prints a name (BadVers…), which only dnsText knows.
    if ((flags & 15) !== 0 || an === 0 || an > 8 || (ar > 0 && dnsExtendedRcode(d, o, end) !== 0)) return false;
    // Check every answer first: A or AAAA with the right length, all captured.
    let p = qEnd + 4;
    for (let i = 0; i < an; i++) {
      const n = skipDnsName(d, p, end);
      if (n < 0 || n + 10 > end) return false;
      const type = u16(d, n);
      const rdlen = u16(d, n + 8);
      if (!((type === 1 && rdlen === 4) || (type === 28 && rdlen === 16)) || u16(d, n + 2) !== 1 || n + 10 + rdlen > end) return false;
      p = n + 10 + rdlen;
    }
    w.dec(u16(d, o));
    if (flags & 0x0400) w.byte(42);
    if ((flags & 0x0080) === 0) w.byte(45);
    if (flags & 0x0200) w.byte(124);
    if (flags & 0x0020) w.byte(36);
    w.byte(32); w.dec(an); w.byte(47); w.dec(ns); w.byte(47); w.dec(ar);
    p = qEnd + 4;
    for (let i = 0; i < an; i++) {
      const n = skipDnsName(d, p, end);
      const rdlen = u16(d, n + 8);
      if (i > 0) w.byte(44);
      if (rdlen === 4) { w.bytes(T_DNS_A); w.ipv4(d, n + 10); } else { w.bytes(T_DNS_AAAA); w.ipv6(d, n + 10); }
      p = n + 10 + rdlen;
    }
  }
  w.byte(32); w.byte(40); w.dec(end - o); w.byte(41);
  return true;
}
