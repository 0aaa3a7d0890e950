/**
 * One capture as the aligner sees it: one entry per record (entry index = record index in the file,
 * so a UI can reveal the packet), stored column-wise in growable typed arrays (about 60 bytes per
 * packet, no object per packet). Built by streaming records through `push`.
 */
import { ipv6Text } from '../decode/addressText';
import type { PacketIdentity } from './packetIdentity';

type ColumnArray = Float64Array | Uint32Array | Uint16Array | Uint8Array | Int16Array | Int8Array;

const COLUMN_NAMES = [
  'time', 'idA', 'idB', 'flow', 'pairKey', 'meta', 'src4', 'dst4', 'port1', 'port2', 'tcpSeq', 'l4Length', 'flags',
  'srcMac', 'dstMac', 'ttl', 'vlan', 'dscp', 'natKey',
] as const satisfies readonly (keyof CaptureColumns)[];

/** CaptureColumns as structured-clone data (see CaptureColumns.toTransfer). */
export interface TransferredColumns {
  name: string;
  host: string;
  length: number;
  baseSec: number;
  arrays: Record<string, ColumnArray>;
  ipv6Flows?: Map<number, readonly [string, string]>;
}

export class CaptureColumns {
  length = 0;
  /** Whole seconds of the first record: times are stored relative to it for ns precision. */
  baseSec = -1;
  time = new Float64Array(0);
  idA = new Uint32Array(0);
  idB = new Uint32Array(0);
  flow = new Uint32Array(0);
  pairKey = new Uint32Array(0);
  /** bit0 dir, bits1-2 pair role, bits 3-6 kind, bit7 IP destination is a group (PacketIdentity.dstGroup). */
  meta = new Uint8Array(0);
  src4 = new Uint32Array(0);
  dst4 = new Uint32Array(0);
  port1 = new Uint16Array(0);
  port2 = new Uint16Array(0);
  tcpSeq = new Uint32Array(0);
  l4Length = new Uint32Array(0);
  flags = new Uint8Array(0);
  srcMac = new Float64Array(0);
  dstMac = new Float64Array(0);
  ttl = new Int16Array(0);
  vlan = new Int16Array(0);
  dscp = new Int8Array(0);
  /** PacketIdentity.natKey (0 when not IP). */
  natKey = new Uint32Array(0);
  /**
   * IPv6 address texts per flow, the lower-sorting address first (a flow's `dir` 0 sends from it): the
   * columns keep IPv4 addresses only, and a flow's pair is formatted once, when the flow is first seen.
   */
  ipv6Flows = new Map<number, readonly [string, string]>();

  constructor(readonly name: string, readonly host: string, initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  get capacity(): number { return this.time.length; }

  private grow(cap: number): void {
    const n = this.length;
    const g = <T extends { length: number; set(a: T): void; subarray(a: number, b: number): T }>(old: T, make: (c: number) => T): T => {
      const a = make(cap);
      a.set(old.subarray(0, n));
      return a;
    };
    this.time = g(this.time, (c) => new Float64Array(c));
    this.idA = g(this.idA, (c) => new Uint32Array(c));
    this.idB = g(this.idB, (c) => new Uint32Array(c));
    this.flow = g(this.flow, (c) => new Uint32Array(c));
    this.pairKey = g(this.pairKey, (c) => new Uint32Array(c));
    this.meta = g(this.meta, (c) => new Uint8Array(c));
    this.src4 = g(this.src4, (c) => new Uint32Array(c));
    this.dst4 = g(this.dst4, (c) => new Uint32Array(c));
    this.port1 = g(this.port1, (c) => new Uint16Array(c));
    this.port2 = g(this.port2, (c) => new Uint16Array(c));
    this.tcpSeq = g(this.tcpSeq, (c) => new Uint32Array(c));
    this.l4Length = g(this.l4Length, (c) => new Uint32Array(c));
    this.flags = g(this.flags, (c) => new Uint8Array(c));
    this.srcMac = g(this.srcMac, (c) => new Float64Array(c));
    this.dstMac = g(this.dstMac, (c) => new Float64Array(c));
    this.ttl = g(this.ttl, (c) => new Int16Array(c));
    this.vlan = g(this.vlan, (c) => new Int16Array(c));
    this.dscp = g(this.dscp, (c) => new Int8Array(c));
    this.natKey = g(this.natKey, (c) => new Uint32Array(c));
  }

  /** Appends one record. `tsSec`/`tsNsec` as in CaptureRecord. */
  push(id: PacketIdentity, tsSec: number, tsNsec: number): void {
    if (this.length === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    if (this.baseSec < 0) this.baseSec = tsSec;
    const i = this.length++;
    this.time[i] = (tsSec - this.baseSec) + tsNsec / 1e9;
    this.idA[i] = id.idA;
    this.idB[i] = id.idB;
    this.flow[i] = id.flow;
    this.pairKey[i] = id.pairKey;
    this.meta[i] = (id.dir & 1) | ((id.pairRole & 3) << 1) | ((id.kind & 15) << 3) | ((id.dstGroup & 1) << 7);
    this.src4[i] = id.src4;
    this.dst4[i] = id.dst4;
    this.port1[i] = id.port1;
    this.port2[i] = id.port2;
    this.tcpSeq[i] = id.tcpSeq;
    this.l4Length[i] = id.l4Length;
    this.flags[i] = id.flags;
    this.srcMac[i] = id.srcMac;
    this.dstMac[i] = id.dstMac;
    this.ttl[i] = id.ttl;
    this.vlan[i] = id.vlan;
    this.dscp[i] = id.dscp;
    this.natKey[i] = id.natKey;
  }

  /**
   * The columns as plain typed arrays, for a worker thread to post (their buffers transferred, not
   * copied): a CaptureColumns is built back on the other side with fromTransfer.
   */
  toTransfer(): TransferredColumns {
    const arrays: Record<string, ColumnArray> = {};
    for (const k of COLUMN_NAMES) arrays[k] = this[k];
    return { name: this.name, host: this.host, length: this.length, baseSec: this.baseSec, arrays, ipv6Flows: this.ipv6Flows };
  }

  /** The buffers toTransfer's arrays live in (each its own: `grow` allocates every column apart). */
  static transferList(t: TransferredColumns): ArrayBuffer[] {
    return COLUMN_NAMES.map((k) => t.arrays[k].buffer as ArrayBuffer);
  }

  static fromTransfer(t: TransferredColumns): CaptureColumns {
    const cols = new CaptureColumns(t.name, t.host, 0);
    const target = cols as unknown as Record<string, ColumnArray>;
    for (const k of COLUMN_NAMES) {
      const a = t.arrays[k];
      if (a === undefined || a.constructor !== cols[k].constructor || a.length < t.length) throw new Error(`column ${k} missing or malformed`);
      target[k] = a;
    }
    cols.length = t.length;
    cols.baseSec = t.baseSec;
    if (t.ipv6Flows instanceof Map) cols.ipv6Flows = t.ipv6Flows;
    return cols;
  }

  /** Notes an IPv6 packet's addresses (offsets into `d`) under its flow, once per flow. */
  noteIpv6Flow(flow: number, dir: number, d: Uint8Array, srcOffset: number, dstOffset: number): void {
    if (this.ipv6Flows.has(flow)) return;
    const src = ipv6Text(d, srcOffset);
    const dst = ipv6Text(d, dstOffset);
    this.ipv6Flows.set(flow, dir === 0 ? [src, dst] : [dst, src]);
  }

  /** Source and destination of an IPv6 record as text, or undefined (IPv4, or not noted). */
  ipv6Addresses(i: number): readonly [string, string] | undefined {
    const pair = this.ipv6Flows.get(this.flow[i]);
    if (pair === undefined || this.src4[i] !== 0 || this.dst4[i] !== 0) return undefined;
    return this.dir(i) === 0 ? pair : [pair[1], pair[0]];
  }

  dir(i: number): number { return this.meta[i] & 1; }
  pairRole(i: number): number { return (this.meta[i] >> 1) & 3; }
  kind(i: number): number { return (this.meta[i] >> 3) & 15; }
  /** Whether the IP destination is a group address (see PacketIdentity.dstGroup). */
  ipGroupDestination(i: number): boolean { return this.meta[i] >= 0x80; }
}
