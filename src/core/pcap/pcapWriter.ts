/** Classic pcap writer (µs or ns timestamps, little-endian), for saved and live captures. */
import { CaptureSinkBuffer, type CaptureSink } from './captureSinkBuffer';

export interface PcapWriterOptions {
  /** LINKTYPE_* of every record (1 = Ethernet). */
  linkType: number;
  /** Written in the header; records longer than this are cut to it. Default 262144. */
  snaplen?: number;
  /** Nanosecond timestamps (magic a1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  /** Bytes buffered before a forced flush (see CaptureSinkBuffer for the flush policy). */
  bufferSize?: number;
}

export class PcapWriter {
  private readonly out: CaptureSinkBuffer;
  private readonly snaplen: number;
  private readonly nanosecond: boolean;
  private count = 0;

  constructor(sink: CaptureSink, options: PcapWriterOptions) {
    this.out = new CaptureSinkBuffer(sink, options.bufferSize);
    this.snaplen = options.snaplen ?? 262144;
    this.nanosecond = options.nanosecond ?? false;
    const p = this.out.reserve(24);
    const v = this.out.view;
    v.setUint32(p, this.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, true);
    v.setUint16(p + 4, 2, true);
    v.setUint16(p + 6, 4, true);
    v.setInt32(p + 8, 0, true);
    v.setUint32(p + 12, 0, true);
    v.setUint32(p + 16, this.snaplen, true);
    v.setUint32(p + 20, options.linkType, true);
    this.out.length += 24;
  }

  get recordCount(): number { return this.count; }

  /** Appends one record (synchronously, into the buffer). `data` may be reused by the caller afterwards. */
  writeRecord(tsSec: number, tsNsec: number, data: Uint8Array, origLen: number = data.length): void {
    const caplen = Math.min(data.length, this.snaplen);
    const out = this.out;
    const p = out.reserve(16 + caplen);
    const v = out.view;
    v.setUint32(p, tsSec, true);
    v.setUint32(p + 4, this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000), true);
    v.setUint32(p + 8, caplen, true);
    v.setUint32(p + 12, Math.max(origLen, caplen), true);
    out.bytes.set(caplen === data.length ? data : data.subarray(0, caplen), p + 16);
    out.length += 16 + caplen;
    this.count++;
  }

  flush(): void { this.out.flush(); }

  close(): Promise<void> { return this.out.close(); }
}
