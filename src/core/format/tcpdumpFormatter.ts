/**
 * One line of tcpdump 4.99 text per packet (`-nn`, optionally `-tttt` and `-e`). Stateful: keeps
 * tcpdump's per-conversation TCP sequence bases, so feed it the packets of one file in order.
 * SLL2 (`-i any`) stores interface indexes of the capturing host: pass `interfaceNames`
 * (index → name, e.g. from that host's `ip -j link`); without a name the text says `ifindex N`.
 */
import type { CaptureRecord } from '../pcap/captureRecord';
import type { ArpLayer, DecodedLayer, EthernetLayer, Ipv4Layer, Ipv6Layer, SllLayer } from '../decode/decodedLayer';
import { describePacket, dissectPacketAt } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { FAST_TEXT_MAX_BYTES, writeFastPacketText, type FastTextOptions } from './fastPacketText';
import { ByteTextWriter } from './byteTextWriter';
import type { FormatContext } from './formatContext';
import { TcpSequenceTracker } from './tcpSequenceTracker';
import { transportText } from './formatTransport';
import { etherTypeText, sllPacketTypeText } from './protocolNames';
import { loopbackRawHeaderText } from './loopbackRawHeaderText';
import { clockTimeText, dateTimeText, writeTimeText } from './timestampText';

export interface TcpdumpFormatOptions {
  /** 'clock': `12:00:00.123456` (default); 'date': `-tttt`. Always UTC. */
  time?: 'clock' | 'date';
  /** tcpdump -e. */
  linkHeaders?: boolean;
  interfaceNames?: ReadonlyMap<number, string>;
  /**
   * Build the common packets' text straight from the flat dissection (fastPacketText), the layer tree
   * only for the rest. Default true; false forces the layer tree for every packet (tests compare both).
   */
  fastPath?: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Room formatInto needs in its writer for one line. */
export const FAST_LINE_MAX_BYTES = FAST_TEXT_MAX_BYTES + 64;

export class TcpdumpFormatter implements FormatContext {
  eflag: boolean;
  data: Uint8Array = new Uint8Array(0);
  layers: DecodedLayer[] = [];
  readonly tcp = new TcpSequenceTracker();
  private readonly dateTime: boolean;
  private readonly interfaceNames: ReadonlyMap<number, string>;
  /** Wire end of the frame being printed (outer frame, then a tunnel's inner frame). */
  private wireEnd = 0;
  private readonly fast: FastTextOptions | undefined;
  private readonly fields = new PacketFields();
  /** For format(): the fast path writes bytes, turned into the returned string. */
  private readonly scratchBytes = Buffer.allocUnsafe(FAST_TEXT_MAX_BYTES + 64);
  private readonly scratch = new ByteTextWriter(this.scratchBytes);

  constructor(options: TcpdumpFormatOptions = {}) {
    this.eflag = options.linkHeaders ?? false;
    this.dateTime = options.time === 'date';
    this.interfaceNames = options.interfaceNames ?? new Map();
    this.fast = options.fastPath === false ? undefined : { eflag: this.eflag, interfaceNames: this.interfaceNames, tcp: this.tcp };
  }

  /** The packet's text without the trailing newline (tunnels may contain one, as in tcpdump). */
  format(rec: CaptureRecord): string {
    const w = this.scratch;
    w.pos = 0;
    if (this.writeFast(rec, w)) return this.scratchBytes.toString('latin1', 0, w.pos);
    return this.formatTree(rec);
  }

  /**
   * The packet's line (with its newline) written into `w`, which must have FAST_LINE_MAX_BYTES of
   * room, when the fast path covers the packet; false (nothing written) when it needs formatTree.
   */
  formatInto(rec: CaptureRecord, w: ByteTextWriter): boolean {
    if (!this.writeFast(rec, w)) return false;
    w.byte(10);
    return true;
  }

  private writeFast(rec: CaptureRecord, w: ByteTextWriter): boolean {
    if (!this.fast) return false;
    // The reader's buffer and offset when there are (no view per record), else the record's own bytes.
    const inBuffer = rec.bytes !== undefined && rec.dataOffset !== undefined;
    const bytes = inBuffer ? rec.bytes! : rec.data;
    dissectPacketAt(bytes, inBuffer ? rec.dataOffset! : 0, rec.caplen, rec.linkType, this.fields);
    const mark = w.pos;
    writeTimeText(w, rec.tsSec, rec.tsNsec, this.dateTime);
    w.byte(32);
    if (writeFastPacketText(this.fast, w, bytes, this.fields, rec.origLen)) return true;
    w.pos = mark;
    return false;
  }

  /** format() through the layer tree only (the packets formatInto declines). */
  formatTree(rec: CaptureRecord): string {
    const time = this.dateTime ? dateTimeText(rec.tsSec, rec.tsNsec) : clockTimeText(rec.tsSec, rec.tsNsec);
    this.data = rec.data;
    this.layers = describePacket(rec.data, rec.caplen, rec.linkType, rec.origLen);
    this.wireEnd = rec.origLen;
    return `${time} ${this.body(rec)}`;
  }

  private body(rec: CaptureRecord): string {
    const first = this.layers[0];
    if (!first || first.kind === 'payload') return this.unknownLink(rec);
    if (first.kind === 'sll') return this.sll(first, rec.origLen);
    const header = this.eflag ? loopbackRawHeaderText(rec.linkType, rec.data, rec.caplen, rec.origLen) : '';
    return header + this.dispatch(0, rec.origLen);
  }

  /** Link type we cannot decode: the bytes in hex, like tcpdump's default for unknown links. */
  private unknownLink(rec: CaptureRecord): string {
    let s = `[|unknown link type ${rec.linkType}] length ${rec.origLen}`;
    const n = Math.min(rec.caplen, rec.data.length);
    for (let i = 0; i < n; i += 16) {
      s += `\n\t0x${i.toString(16).padStart(4, '0')}: `;
      for (let j = i; j < Math.min(n, i + 16); j += 2) s += ` ${HEX[rec.data[j]]}${j + 1 < n ? HEX[rec.data[j + 1]] : ''}`;
    }
    return s;
  }

  private sll(l: SllLayer, origLen: number): string {
    let s = '';
    if (l.version === 2) {
      const name = this.interfaceNames.get(l.ifIndex) ?? `ifindex ${l.ifIndex}`;
      s = `${name.padEnd(5)} ${sllPacketTypeText(l.packetType).padEnd(3)} `;
      if (this.eflag) s += `ifindex ${l.ifIndex} `;
    } else if (this.eflag) s = `${sllPacketTypeText(l.packetType).padStart(3)} `; // SLL v1: tcpdump's %3s, right-aligned
    if (l.truncated) return `${s}[|sll]`;
    if (this.eflag) s += `${l.address} ethertype ${etherTypeText(l.protocol)}, length ${origLen}: `;
    return s + this.afterLink(1, l.protocol);
  }

  dispatch(i: number, wireLength: number): string {
    const l = this.layers[i];
    if (!l) return '';
    if (l.kind === 'ethernet') return this.ethernet(i, l, wireLength);
    return this.afterLink(i, -1);
  }

  private ethernet(i: number, e: EthernetLayer, wireLength: number): string {
    if (e.truncated) return '[|ether]';
    this.wireEnd = e.offset + wireLength;
    let s = this.eflag ? `${e.src} > ${e.dst}, ethertype ${etherTypeText(e.etherType)}, length ${wireLength}: ` : '';
    let k = i + 1;
    let etherType = e.etherType;
    for (let l = this.layers[k]; l?.kind === 'vlan'; l = this.layers[++k]) {
      if (l.truncated) return `${s}[|vlan]`;
      if (this.eflag) s += `vlan ${l.id}, p ${l.pcp}${l.dei ? ', DEI' : ''}, ethertype ${etherTypeText(l.etherType)}, `;
      etherType = l.etherType;
    }
    return s + this.afterLink(k, etherType);
  }

  /** Network layer at index `i` (IP, IPv6, ARP) with tcpdump's protocol prefix when not `-e`. */
  private afterLink(i: number, etherType: number): string {
    const l = this.layers[i];
    if (!l) return etherType >= 0 && !this.eflag ? `ethertype ${etherTypeText(etherType)}, length 0` : '';
    switch (l.kind) {
      case 'ipv4': return (this.eflag || l.length === 0 ? '' : 'IP ') + this.ipv4(i, l);
      // tcpdump checks the IPv6 / ARP header before printing its name; IPv4 only its first byte
      case 'ipv6': return (this.eflag || l.src === '' ? '' : 'IP6 ') + this.ipv6(i, l);
      case 'arp': return (this.eflag || l.senderIp === '' ? '' : 'ARP, ') + this.arp(l);
      case 'payload': return this.eflag ? '' : `ethertype ${etherTypeText(etherType)}, length ${l.wireLength}: `;
      default: return '';
    }
  }

  private ipv4(i: number, ip: Ipv4Layer): string {
    if (ip.malformed) return '[|ip]';
    if (ip.truncated) return ' [|ip]'; // tcpdump's marker has its own leading space: `IP  [|ip]`
    const next = this.layers[i + 1];
    if (ip.fragOffset > 0) return `${ip.src} > ${ip.dst}: ip-proto-${ip.proto}`;
    if ((next?.kind === 'tcp' || next?.kind === 'udp') && next.srcPort >= 0) {
      return `${ip.src}.${next.srcPort} > ${ip.dst}.${next.dstPort}: ${transportText(this, i, ip.proto)}`;
    }
    return `${ip.src} > ${ip.dst}: ${transportText(this, i, ip.proto)}`;
  }

  private ipv6(i: number, ip: Ipv6Layer): string {
    if (ip.src === '') return ' [|ip6]';
    let ext = '';
    for (const x of ip.extensions) {
      if (x.type === 0) ext += 'HBH ';
      else if (x.type === 60) ext += 'DSTOPT ';
      else if (x.type === 43) ext += 'srcrt ';
      else if (x.type === 44 && ip.fragment) ext += `frag (${ip.fragment.offset}|${ip.payloadLength - (x.offset + 8 - ip.offset - 40)}) `;
    }
    if (ip.truncated) return `${ip.src} > ${ip.dst}: ${ext}[|ip6]`;
    const next = this.layers[i + 1];
    if ((next?.kind === 'tcp' || next?.kind === 'udp') && next.srcPort >= 0) {
      return `${ip.src}.${next.srcPort} > ${ip.dst}.${next.dstPort}: ${ext}${transportText(this, i, ip.proto)}`;
    }
    return `${ip.src} > ${ip.dst}: ${ext}${transportText(this, i, ip.proto)}`;
  }

  private arp(a: ArpLayer): string {
    if (a.senderIp === '') return ' [|arp]';
    const len = this.wireEnd - a.offset;
    if (a.op === 1) {
      const known = a.targetMac !== '00:00:00:00:00:00' && a.targetMac !== 'ff:ff:ff:ff:ff:ff';
      return `Request who-has ${a.targetIp}${known ? ` (${a.targetMac})` : ''} tell ${a.senderIp}, length ${len}`;
    }
    if (a.op === 2) return `Reply ${a.senderIp} is-at ${a.senderMac}, length ${len}`;
    return `Unknown opcode ${a.op}, length ${len}`;
  }

}
