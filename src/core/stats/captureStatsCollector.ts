/**
 * Accumulates capture statistics one dissected packet at a time. Every per-key counter lives in typed
 * arrays behind ByteKeyTables, so the per-packet path allocates nothing once the keys are known.
 *
 * Like Wireshark's IP/TCP/UDP taps, every IP layer of a packet is counted: a VXLAN/GENEVE/GRE packet
 * adds to its underlay conversation and to the inner one (tshark -z conv,ip shows both).
 */
import type { PacketFields } from '../decode/packetFields';
import { TunnelKind } from '../decode/packetFields';
import { grow } from './byteKeyTable';
import { KeyedCounters } from './keyedCounters';

// Endpoint columns.
export const EP_TX_PACKETS = 0, EP_TX_BYTES = 1, EP_RX_PACKETS = 2, EP_RX_BYTES = 3;
// Conversation columns (a < b by key order).
export const CV_AB_PACKETS = 0, CV_AB_BYTES = 1, CV_BA_PACKETS = 2, CV_BA_BYTES = 3, CV_FIRST_NS = 4, CV_LAST_NS = 5;
// Echo columns.
export const EC_REQUEST_NS = 0, EC_REPLY_NS = 1, EC_ORDER = 2;
export const PROTO_NAMES = ['tcp', 'udp', 'icmp', 'arp', 'other'] as const;

export class CaptureStatsCollector {
  packets = 0;
  bytes = 0;
  firstSec = -1;
  firstNsec = 0;
  lastRelNs = 0;
  maxRelNs = 0;
  readonly endpoints = new KeyedCounters(4);
  readonly ipConversations = new KeyedCounters(6);
  readonly tcpConversations = new KeyedCounters(6);
  /**
   * Per TCP 5-tuple: generation, and each direction's base sequence number (set flag + value), to split
   * a reused 5-tuple into separate conversations the way Wireshark numbers tcp.stream: a SYN (no ACK)
   * whose seq differs from its direction's base starts a new stream (packet-tcp.c, TA_PORTS_REUSED).
   */
  readonly tcpStreams = new KeyedCounters(5);
  private tcpSeq = -1;
  private tcpAck = -1;
  private tcpFlags = -1;
  readonly udpConversations = new KeyedCounters(6);
  /** Key [proto, port hi, port lo]; columns packets, bytes. */
  readonly ports = new KeyedCounters(2);
  /** Key [version, request src, request dst, id, seq]. */
  readonly echo = new KeyedCounters(3);
  echoRequests = 0;
  echoReplies = 0;
  readonly protoPackets = new Float64Array(5);
  readonly protoBytes = new Float64Array(5);
  secPackets = new Float64Array(64);
  secBytes = new Float64Array(64);
  lastSecond = -1;

  add(f: PacketFields, d: Uint8Array, frameLength: number, tsSec: number, tsNsec: number): void {
    if (this.firstSec < 0) { this.firstSec = tsSec; this.firstNsec = tsNsec; }
    const relNs = (tsSec - this.firstSec) * 1e9 + (tsNsec - this.firstNsec);
    this.lastRelNs = relNs;
    if (relNs > this.maxRelNs) this.maxRelNs = relNs;
    this.packets++;
    this.bytes += frameLength;

    const second = relNs > 0 ? Math.floor(relNs / 1e9) : 0;
    if (second >= this.secPackets.length) {
      let n = this.secPackets.length;
      while (n <= second) n *= 2;
      this.secPackets = grow(this.secPackets, n);
      this.secBytes = grow(this.secBytes, n);
    }
    this.secPackets[second]++;
    this.secBytes[second] += frameLength;
    if (second > this.lastSecond) this.lastSecond = second;

    const proto = f.etherType === 0x0806 ? 3 : f.ipProto === 6 ? 0 : f.ipProto === 17 ? 1 : f.ipProto === 1 || f.ipProto === 58 ? 2 : 4;
    this.protoPackets[proto]++;
    this.protoBytes[proto] += frameLength;

    if (f.tunnelKind !== TunnelKind.None && f.outerIpVersion !== 0 && f.outerIpSrcOffset >= 0) {
      const udp = f.tunnelKind === TunnelKind.Vxlan || f.tunnelKind === TunnelKind.Geneve;
      this.addIpLayer(d, f.outerIpVersion, f.outerIpSrcOffset, f.outerIpDstOffset, udp ? 17 : 47, udp && f.outerSrcPort >= 0,
        udp ? f.outerSrcPort : -1, udp ? f.outerDstPort : -1, frameLength, relNs);
    }
    if ((f.ipVersion === 4 || f.ipVersion === 6) && f.ipSrcOffset >= 0 && f.ipDstOffset >= 0) {
      const hasPorts = f.srcPort >= 0 && f.l4Offset >= 0 && (f.ipProto === 6
        ? f.tcpHeaderLength >= 20 && f.l4Offset + f.tcpHeaderLength <= f.capLength
        : f.ipProto === 17 && f.l4Offset + 8 <= f.capLength);
      this.tcpSeq = f.tcpSeq; this.tcpAck = f.tcpAck; this.tcpFlags = f.tcpFlags;
      this.addIpLayer(d, f.ipVersion, f.ipSrcOffset, f.ipDstOffset, f.ipProto, hasPorts, f.srcPort, f.dstPort, frameLength, relNs);
      if (f.icmpId >= 0 && f.icmpSeq >= 0) this.addEcho(f, d, relNs);
    }
  }

  /** `hasPorts`: a complete TCP/UDP header (Wireshark taps no conversation for a cut one). */
  private addIpLayer(d: Uint8Array, version: number, src: number, dst: number, proto: number, hasPorts: boolean,
    srcPort: number, dstPort: number, frameLength: number, relNs: number): void {
    const alen = version === 4 ? 4 : 16;
    // Endpoints: source tx, destination rx.
    let k = this.endpoints.table.scratch;
    k[0] = version;
    for (let i = 0; i < alen; i++) k[1 + i] = d[src + i];
    let id = this.endpoints.intern(1 + alen);
    this.endpoints.column(EP_TX_PACKETS)[id]++;
    this.endpoints.column(EP_TX_BYTES)[id] += frameLength;
    for (let i = 0; i < alen; i++) k[1 + i] = d[dst + i];
    id = this.endpoints.intern(1 + alen);
    this.endpoints.column(EP_RX_PACKETS)[id]++;
    this.endpoints.column(EP_RX_BYTES)[id] += frameLength;

    // Equal addresses (loopback to itself) count as one direction, as in Wireshark.
    const srcFirstIp = compareEndpoints(d, src, 0, dst, 0, alen) <= 0;
    k = this.ipConversations.table.scratch;
    k[0] = version;
    for (let i = 0; i < alen; i++) { k[1 + i] = d[(srcFirstIp ? src : dst) + i]; k[1 + alen + i] = d[(srcFirstIp ? dst : src) + i]; }
    this.tickConversation(this.ipConversations, this.ipConversations.intern(1 + 2 * alen), srcFirstIp, frameLength, relNs);

    if (!hasPorts) return;
    const srcFirst = compareEndpoints(d, src, srcPort, dst, dstPort, alen) <= 0;
    const a = srcFirst ? src : dst;
    const b = srcFirst ? dst : src;
    const table = proto === 6 ? this.tcpConversations : this.udpConversations;
    const pa = srcFirst ? srcPort : dstPort;
    const pb = srcFirst ? dstPort : srcPort;
    k = table.table.scratch;
    k[0] = version;
    for (let i = 0; i < alen; i++) { k[1 + i] = d[a + i]; k[3 + alen + i] = d[b + i]; }
    k[1 + alen] = pa >> 8; k[2 + alen] = pa & 0xff;
    k[3 + 2 * alen] = pb >> 8; k[4 + 2 * alen] = pb & 0xff;
    let keyLength = 5 + 2 * alen;
    if (proto === 6) {
      const sk = this.tcpStreams.table.scratch;
      for (let i = 0; i < keyLength; i++) sk[i] = k[i];
      const gen = this.tcpGeneration(this.tcpStreams.intern(keyLength), srcFirst);
      k[keyLength] = gen >>> 24; k[keyLength + 1] = (gen >>> 16) & 0xff; k[keyLength + 2] = (gen >>> 8) & 0xff; k[keyLength + 3] = gen & 0xff;
      keyLength += 4;
    }
    this.tickConversation(table, table.intern(keyLength), srcFirst, frameLength, relNs);

    k = this.ports.table.scratch;
    k[0] = proto; k[1] = dstPort >> 8; k[2] = dstPort & 0xff;
    id = this.ports.intern(3);
    this.ports.column(0)[id]++;
    this.ports.column(1)[id] += frameLength;
  }

  /** The stream generation of this packet's 5-tuple (see tcpStreams), updating the base sequences. */
  private tcpGeneration(sid: number, aToB: boolean): number {
    const t = this.tcpStreams;
    const flags = this.tcpFlags, seq = this.tcpSeq, ack = this.tcpAck;
    if (flags < 0 || seq < 0) return t.column(0)[sid];
    const fwdBase = t.column(aToB ? 1 : 3), fwdSet = t.column(aToB ? 2 : 4);
    const revBase = t.column(aToB ? 3 : 1), revSet = t.column(aToB ? 4 : 2);
    if ((flags & 0x12) === 0x02 && fwdSet[sid] === 1 && fwdBase[sid] !== seq) {
      t.column(0)[sid]++;
      fwdSet[sid] = 0;
      revSet[sid] = 0;
    }
    if (fwdSet[sid] === 0) { fwdBase[sid] = (flags & 0x02) !== 0 ? seq : (seq - 1) >>> 0; fwdSet[sid] = 1; }
    if (revSet[sid] === 0 && (flags & 0x10) !== 0 && ack >= 0) { revBase[sid] = (ack - 1) >>> 0; revSet[sid] = 1; }
    return t.column(0)[sid];
  }

  private tickConversation(t: KeyedCounters, id: number, aToB: boolean, frameLength: number, relNs: number): void {
    const packets = t.column(aToB ? CV_AB_PACKETS : CV_BA_PACKETS);
    const isNew = t.column(CV_AB_PACKETS)[id] + t.column(CV_BA_PACKETS)[id] === 0;
    packets[id]++;
    t.column(aToB ? CV_AB_BYTES : CV_BA_BYTES)[id] += frameLength;
    if (isNew || relNs < t.column(CV_FIRST_NS)[id]) t.column(CV_FIRST_NS)[id] = relNs;
    if (isNew || relNs > t.column(CV_LAST_NS)[id]) t.column(CV_LAST_NS)[id] = relNs;
  }

  private addEcho(f: PacketFields, d: Uint8Array, relNs: number): void {
    const request = f.ipVersion === 4 ? f.icmpType === 8 : f.icmpType === 128;
    const reply = f.ipVersion === 4 ? f.icmpType === 0 : f.icmpType === 129;
    if (!request && !reply) return;
    const alen = f.ipVersion === 4 ? 4 : 16;
    // The key is always the request's direction: a reply swaps its addresses back.
    const first = request ? f.ipSrcOffset : f.ipDstOffset;
    const second = request ? f.ipDstOffset : f.ipSrcOffset;
    const k = this.echo.table.scratch;
    k[0] = f.ipVersion;
    for (let i = 0; i < alen; i++) { k[1 + i] = d[first + i]; k[1 + alen + i] = d[second + i]; }
    const p = 1 + 2 * alen;
    k[p] = f.icmpId >> 8; k[p + 1] = f.icmpId & 0xff; k[p + 2] = f.icmpSeq >> 8; k[p + 3] = f.icmpSeq & 0xff;
    if (request) {
      this.echoRequests++;
      const before = this.echo.size;
      const id = this.echo.intern(p + 4);
      if (this.echo.size > before) {
        // Columns start at 0: store times + 1 so 0 keeps meaning "not seen".
        this.echo.column(EC_REQUEST_NS)[id] = relNs + 1;
        this.echo.column(EC_ORDER)[id] = this.echoRequests;
      }
    } else {
      this.echoReplies++;
      const id = this.echo.table.find(p + 4);
      if (id >= 0 && this.echo.column(EC_REPLY_NS)[id] === 0) this.echo.column(EC_REPLY_NS)[id] = relNs + 1;
    }
  }
}

/** Orders two (address, port) endpoints: address bytes first, then port. */
function compareEndpoints(d: Uint8Array, a: number, pa: number, b: number, pb: number, alen: number): number {
  for (let i = 0; i < alen; i++) {
    const x = d[a + i] - d[b + i];
    if (x !== 0) return x;
  }
  return pa - pb;
}
