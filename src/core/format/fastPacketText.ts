/**
 * The common packets' tcpdump text built straight from PacketFields and the bytes, without the layer
 * tree: Ethernet (one 802.1Q tag at most), LINUX_SLL and SLL2 → IPv4 (unfragmented) / IPv6 (no
 * extension headers) → TCP (options mss, wscale, sackOK, TS, nop, eol), UDP on ports no decoder
 * claims, ICMP / ICMPv6 echo; and ARP. Everything else (tunnels, DNS, DHCP, ICMP errors, snaplen cuts,
 * SACK blocks, QinQ, `-e` on cooked captures...) writes nothing and answers false, and the caller
 * falls back to the layer-tree formatter. The text goes straight into bytes (ByteTextWriter).
 * test/unit/fastPacketText.test.ts requires both paths to print the same text.
 */
import type { PacketFields } from '../decode/packetFields';
import { udpPortDecoder } from '../decode/decoderTable';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/linkTypes';
import type { TcpSequenceTracker } from './tcpSequenceTracker';
import type { ByteTextWriter } from './byteTextWriter';
import { etherTypeText, sllPacketTypeText } from './protocolNames';

const FLAG_CHARS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];
/** `: Flags [S.]` for every flags byte. */
const FLAGS_TEXT: string[] = Array.from({ length: 256 }, (_, f) => {
  let s = '';
  for (const [bit, c] of FLAG_CHARS) if (f & bit) s += c;
  return `: Flags [${s === '' ? 'none' : s}]`;
});

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;

/** Longest text the fast path writes for one packet (IPv6 addresses, all TCP options, `-e`, SLL2 name). */
export const FAST_TEXT_MAX_BYTES = 1024;

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
  if (f.truncatedAt !== '' || f.malformedAt !== '' || f.tunnelKind !== 0 || f.appKind !== 0 || f.capLength !== origLen) return false;
  const t = f.etherType;
  if (t !== ETHERTYPE_IPV4 && t !== ETHERTYPE_IPV6 && t !== ETHERTYPE_ARP) return false;
  const mark = w.pos;
  const start = f.packetOffset;
  if (f.linkType === LINKTYPE_ETHERNET) {
    if (f.ethOffset !== start || f.vlanCount > 1) return false;
    if (o.eflag) {
      if (f.vlanCount === 1 && u16(bytes, start + 12) !== ETHERTYPE_VLAN) return false;
      w.mac(bytes, start + 6); w.str(' > '); w.mac(bytes, start);
      w.str(', ethertype '); w.str(etherTypeText(f.vlanCount === 1 ? ETHERTYPE_VLAN : t)); w.str(', length '); w.dec(origLen); w.str(': ');
      if (f.vlanCount === 1) {
        const tci = u16(bytes, start + 14);
        w.str('vlan '); w.dec(tci & 0xfff); w.str(', p '); w.dec(tci >> 13);
        if ((tci >> 12) & 1) w.str(', DEI');
        w.str(', ethertype '); w.str(etherTypeText(t)); w.str(', ');
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
  if (!o.eflag) w.str('ARP, ');
  if (f.arpOp === 1) {
    const tm = f.arpTargetMacOffset;
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < 6; i++) { if (d[tm + i] === 0) zeros++; else if (d[tm + i] === 0xff) ones++; }
    w.str('Request who-has '); w.ipv4(d, f.arpTargetIpOffset);
    if (zeros !== 6 && ones !== 6) { w.str(' ('); w.mac(d, tm); w.byte(41); }
    w.str(' tell '); w.ipv4(d, f.arpSenderIpOffset);
  } else {
    w.str('Reply '); w.ipv4(d, f.arpSenderIpOffset); w.str(' is-at '); w.mac(d, f.arpSenderMacOffset);
  }
  w.str(', length '); w.dec(len);
  return true;
}

function ipText(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, v4: boolean): boolean {
  if (v4 ? f.ipFragOffset !== -1 : f.ipHeaderLength !== 40) return false;
  // A header claiming more than was captured: leave the text of odd cases to the full formatter.
  if (f.ipOffset + f.ipTotalLength > f.packetOffset + f.capLength) return false;
  const proto = f.ipProto;
  if (proto === 6) return tcpText(o, w, d, f, v4);
  if (proto === 17) {
    if (f.udpLength < 0 || udpPortDecoder(f.srcPort, f.dstPort) !== undefined) return false;
    addresses(o, w, d, f, v4, true);
    w.str(': UDP, length '); w.dec(f.udpLength - 8);
    return true;
  }
  let what: string;
  if (proto === 1 && v4 && f.icmpId >= 0 && (f.icmpType === 8 || f.icmpType === 0)) what = f.icmpType === 8 ? ': ICMP echo request, id ' : ': ICMP echo reply, id ';
  else if (proto === 58 && !v4 && f.icmpId >= 0 && (f.icmpType === 128 || f.icmpType === 129)) what = f.icmpType === 128 ? ': ICMP6, echo request, id ' : ': ICMP6, echo reply, id ';
  else return false;
  addresses(o, w, d, f, v4, false);
  w.str(what); w.dec(f.icmpId); w.str(', seq '); w.dec(f.icmpSeq); w.str(', length '); w.dec(f.payloadClaimedLength + 8);
  return true;
}

/** `IP src.port > dst.port` (without the colon). */
function addresses(o: FastTextOptions, w: ByteTextWriter, d: Uint8Array, f: PacketFields, v4: boolean, ports: boolean): void {
  if (v4) {
    if (!o.eflag) w.str('IP ');
    w.ipv4(d, f.ipSrcOffset);
  } else {
    if (!o.eflag) w.str('IP6 ');
    w.ipv6(d, f.ipSrcOffset);
  }
  if (ports) { w.byte(46); w.dec(f.srcPort); }
  w.str(' > ');
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
  w.str(', options [');
  let first = true;
  while (p < end) {
    const kind = d[p];
    if (!first) w.byte(44);
    first = false;
    if (kind === 0) { w.str('eol'); break; }
    if (kind === 1) { w.str('nop'); p++; continue; }
    if (kind === 2) { w.str('mss '); w.dec(u16(d, p + 2)); }
    else if (kind === 3) { w.str('wscale '); w.dec(d[p + 2]); }
    else if (kind === 4) w.str('sackOK');
    else { w.str('TS val '); w.dec(u32(d, p + 2)); w.str(' ecr '); w.dec(u32(d, p + 6)); }
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
  w.str(FLAGS_TEXT[flags]);
  const seq = REL[0];
  if (len > 0) { w.str(', seq '); w.dec(seq); w.byte(58); w.dec((seq + len) >>> 0); }
  else if ((flags & 0x07) !== 0) { w.str(', seq '); w.dec(seq); }
  if (flags & 0x10) { w.str(', ack '); w.dec(REL[1]); }
  w.str(', win '); w.dec(f.tcpWindow);
  if (flags & 0x20) { w.str(', urg '); w.dec(u16(d, l4 + 18)); }
  if (hl > 20) tcpOptionsText(w, d, l4 + 20, l4 + hl);
  w.str(', length '); w.dec(len);
  return true;
}
