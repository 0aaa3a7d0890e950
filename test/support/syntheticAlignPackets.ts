/**
 * Synthetic packets for the alignment engine's unit tests: Ethernet/IPv4 frames built byte by byte
 * and the PacketFields a dissector would fill for them (set here by hand, since the unit under test
 * is the aligner, not the dissector; the real dissector is exercised by the real-capture tests).
 */
import { PacketFields } from '../../src/core/decode/packetFields';
import { CaptureColumns } from '../../src/core/align/captureColumns';
import { PacketIdentity, computePacketIdentity } from '../../src/core/align/packetIdentity';

export interface SyntheticPacket {
  kind: 'echo-request' | 'echo-reply' | 'tcp' | 'arp-request' | 'arp-reply';
  src: string;
  dst: string;
  ipId?: number;
  ttl?: number;
  icmpId?: number;
  seq?: number;
  ack?: number;
  tcpFlags?: number;
  sport?: number;
  dport?: number;
  payload?: number;
  srcMac?: number;
  dstMac?: number;
}

function ip4(s: string): number[] { return s.split('.').map(Number); }

function putMac(b: Uint8Array, p: number, v: number): void {
  for (let i = 5; i >= 0; i--) { b[p + i] = v % 256; v = Math.floor(v / 256); }
}

/** Builds the frame and the fields. */
export function buildPacket(p: SyntheticPacket, f: PacketFields): Uint8Array {
  f.reset();
  const payload = p.payload ?? (p.kind.startsWith('echo') ? 56 : 0);
  if (p.kind === 'arp-request' || p.kind === 'arp-reply') {
    const b = new Uint8Array(42);
    putMac(b, 0, p.dstMac ?? 0xffffffffffff); putMac(b, 6, p.srcMac ?? 0x020000000001);
    b[12] = 0x08; b[13] = 0x06;
    b[21] = p.kind === 'arp-request' ? 1 : 2;
    putMac(b, 22, p.srcMac ?? 0x020000000001); b.set(ip4(p.src), 28); b.set(ip4(p.dst), 38);
    Object.assign(f, {
      linkType: 1, capLength: 42, ethOffset: 0, dstMacOffset: 0, srcMacOffset: 6, etherType: 0x0806,
      arpOp: b[21], arpSenderMacOffset: 22, arpSenderIpOffset: 28, arpTargetMacOffset: 32, arpTargetIpOffset: 38,
    });
    return b;
  }
  const l4 = p.kind === 'tcp' ? 20 : 8;
  const len = 14 + 20 + l4 + payload;
  const b = new Uint8Array(len);
  putMac(b, 0, p.dstMac ?? 0x020000000002); putMac(b, 6, p.srcMac ?? 0x020000000001);
  b[12] = 0x08; b[13] = 0x00; b[14] = 0x45;
  b.set(ip4(p.src), 26); b.set(ip4(p.dst), 30);
  for (let i = 0; i < payload; i++) b[14 + 20 + l4 + i] = (i * 7 + (p.seq ?? 0)) & 0xff;
  Object.assign(f, {
    linkType: 1, capLength: len, ethOffset: 0, dstMacOffset: 0, srcMacOffset: 6, etherType: 0x0800,
    ipVersion: 4, ipOffset: 14, ipHeaderLength: 20, ipTotalLength: len - 14, ipSrcOffset: 26, ipDstOffset: 30,
    ipTtl: p.ttl ?? 64, ipId: p.ipId ?? 0, ipDscp: 0, ipEcn: 0, l4Offset: 34,
    payloadOffset: 34 + l4, payloadLength: payload, payloadClaimedLength: payload,
  });
  if (p.kind === 'tcp') {
    Object.assign(f, {
      ipProto: 6, srcPort: p.sport ?? 40000, dstPort: p.dport ?? 80, tcpSeq: p.seq ?? 0, tcpAck: p.ack ?? 0,
      tcpFlags: p.tcpFlags ?? 0x10, tcpHeaderLength: 20,
    });
  } else {
    Object.assign(f, {
      ipProto: 1, icmpType: p.kind === 'echo-request' ? 8 : 0, icmpCode: 0, icmpId: p.icmpId ?? 1, icmpSeq: p.seq ?? 0,
    });
  }
  return b;
}

/** A capture being built: push packets at given times (seconds since an epoch base). */
export class SyntheticCapture {
  readonly columns: CaptureColumns;
  private readonly f = new PacketFields();
  private readonly id = new PacketIdentity();
  constructor(name: string, host = 'host') { this.columns = new CaptureColumns(name, host); }
  private readonly pending: { p: SyntheticPacket; t: number }[] = [];
  /** Queues a packet seen at `timeSec`; `finish` writes them in time order, as a capture file would. */
  add(p: SyntheticPacket, timeSec: number): void { this.pending.push({ p, t: timeSec }); }
  finish(): CaptureColumns {
    this.pending.sort((a, b) => a.t - b.t);
    for (const { p, t } of this.pending) this.push(p, t);
    this.pending.length = 0;
    return this.columns;
  }
  push(p: SyntheticPacket, timeSec: number): void {
    const data = buildPacket(p, this.f);
    computePacketIdentity(this.f, data, this.id);
    const t = 1_790_000_000 + timeSec;
    const sec = Math.floor(t);
    this.columns.push(this.id, sec, Math.round((t - sec) * 1e9));
  }
}
