/**
 * Puts one conversation's payload in order (the reassembly half of Follow Stream). UDP: each datagram
 * is a chunk. TCP: per direction, bytes are placed by sequence number relative to the first one seen;
 * bytes already delivered are dropped, segments past a hole wait in `pending` until the hole is filled,
 * acknowledged by the other side (then it is reported missing, as Wireshark does) or the capture ends.
 */
import type { PacketFields } from '../decode/packetFields';

export interface FollowStreamChunk {
  /** 0: from nodes[0] (the client), 1: from nodes[1]. */
  direction: 0 | 1;
  /** Packet number (1-based) the bytes came from (for a gap: the packet after it). */
  firstPacket: number;
  bytes: Uint8Array;
  /** Set on a gap: this many bytes are not in the capture (`bytes` is then empty). */
  missing?: number;
}

interface PendingSegment {
  /** Sequence number relative to the direction's base (may exceed 2^32 after wrap: kept as a float). */
  rel: number;
  bytes: Uint8Array;
  packet: number;
}

interface DirectionState {
  /** Absolute sequence number that rel 0 stands for; -1 until the first segment or SYN. */
  base: number;
  /** Relative sequence number of the next byte to deliver. */
  next: number;
  /** Last relative position seen, to extend across 32-bit wrap. */
  lastRel: number;
  pending: PendingSegment[];
  bytes: number;
}

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;
const TWO32 = 2 ** 32;

export class FollowStreamAssembler {
  readonly chunks: FollowStreamChunk[] = [];
  truncated = false;
  private collected = 0;
  private readonly dirs: [DirectionState, DirectionState] = [
    { base: -1, next: 0, lastRel: 0, pending: [], bytes: 0 },
    { base: -1, next: 0, lastRel: 0, pending: [], bytes: 0 },
  ];

  constructor(private readonly protocol: 'tcp' | 'udp', private readonly maxBytes: number) {}

  bytesPerDirection(): [number, number] {
    return [this.dirs[0].bytes, this.dirs[1].bytes];
  }

  add(dir: 0 | 1, packet: number, f: PacketFields, data: Uint8Array): void {
    const payload = f.payloadOffset >= 0 && f.payloadLength > 0
      ? data.subarray(f.payloadOffset, f.payloadOffset + f.payloadLength) : new Uint8Array(0);
    if (this.protocol === 'udp') {
      if (payload.length > 0) this.deliver(dir, packet, payload);
      return;
    }
    const d = this.dirs[dir];
    const syn = (f.tcpFlags & TCP_SYN) !== 0;
    if (d.base === -1) d.base = syn ? (f.tcpSeq + 1) >>> 0 : f.tcpSeq;
    // The other side's acknowledgement tells that a hole in our view of its data was sent and lost
    // by the capture, not still in flight.
    if ((f.tcpFlags & TCP_ACK) !== 0) this.acknowledged(1 - dir as 0 | 1, packet, f.tcpAck);
    if (payload.length === 0) return;
    const start = this.relative(d, syn ? (f.tcpSeq + 1) >>> 0 : f.tcpSeq);
    this.place(dir, d, start, payload, packet);
  }

  /** Flushes what still waits behind a hole (reported missing) and returns the chunks. */
  finish(): FollowStreamChunk[] {
    for (const dir of [0, 1] as const) {
      const d = this.dirs[dir];
      while (d.pending.length > 0) this.fillHole(dir, d, d.pending[0].packet);
    }
    return this.chunks;
  }

  private relative(d: DirectionState, seq: number): number {
    // distance from the base modulo 2^32, then unwrapped next to the last position seen
    let rel = (seq - d.base) >>> 0;
    const epoch = Math.floor(d.lastRel / TWO32);
    rel += epoch * TWO32;
    if (rel - d.lastRel > TWO32 / 2) rel -= TWO32;
    else if (d.lastRel - rel > TWO32 / 2) rel += TWO32;
    if (rel > d.lastRel) d.lastRel = rel;
    return rel;
  }

  private place(dir: 0 | 1, d: DirectionState, start: number, payload: Uint8Array, packet: number): void {
    const end = start + payload.length;
    if (end <= d.next) return; // all of it was delivered already
    if (start > d.next) {
      if (!this.room(payload.length)) return;
      // keep a copy: the reader reuses the record's bytes
      const seg = { rel: start, bytes: payload.slice(), packet };
      // segments after a hole mostly come in order: append without a search
      const last = d.pending.length > 0 ? d.pending[d.pending.length - 1] : undefined;
      const at = last === undefined || last.rel <= start ? -1 : d.pending.findIndex((p) => p.rel > start);
      if (at < 0) d.pending.push(seg); else d.pending.splice(at, 0, seg);
      return;
    }
    this.deliver(dir, packet, payload.subarray(d.next - start));
    d.next = end;
    this.drain(dir, d);
  }

  /** Delivers pending segments that the delivered bytes have reached. */
  private drain(dir: 0 | 1, d: DirectionState): void {
    let used = 0;
    while (used < d.pending.length && d.pending[used].rel <= d.next) {
      const seg = d.pending[used++];
      const end = seg.rel + seg.bytes.length;
      this.collected -= seg.bytes.length;
      if (end <= d.next) continue;
      // counted by room() when it was buffered: delivered even after the cap was reached
      const bytes = seg.bytes.subarray(d.next - seg.rel);
      this.collected += bytes.length;
      this.dirs[dir].bytes += bytes.length;
      this.chunks.push({ direction: dir, firstPacket: seg.packet, bytes });
      d.next = end;
    }
    if (used > 0) d.pending.splice(0, used);
  }

  private acknowledged(dir: 0 | 1, packet: number, ack: number): void {
    const d = this.dirs[dir];
    if (d.base === -1 || d.pending.length === 0) return;
    const rel = this.relative(d, ack);
    while (d.pending.length > 0 && d.pending[0].rel < rel) this.fillHole(dir, d, packet);
  }

  /** Reports the hole before the first pending segment as missing and delivers what follows it. */
  private fillHole(dir: 0 | 1, d: DirectionState, packet: number): void {
    const gap = d.pending[0].rel - d.next;
    if (gap > 0) this.chunks.push({ direction: dir, firstPacket: packet, bytes: new Uint8Array(0), missing: gap });
    d.next = d.pending[0].rel;
    this.drain(dir, d);
  }

  private room(length: number): boolean {
    if (this.truncated) return false;
    if (this.collected + length > this.maxBytes) {
      this.truncated = true;
      return false;
    }
    this.collected += length;
    return true;
  }

  private deliver(dir: 0 | 1, packet: number, bytes: Uint8Array): void {
    if (!this.room(bytes.length)) return;
    this.dirs[dir].bytes += bytes.length;
    this.chunks.push({ direction: dir, firstPacket: packet, bytes: bytes.slice() });
  }
}
