/** pcapng writer: one section (SHB with a metadata comment), one IDB per interface (if_tsresol=9), EPBs. */
import { CaptureSinkBuffer, type CaptureSink } from './captureSinkBuffer';
import { IF_DESCRIPTION, IF_NAME, IF_TSRESOL, SHB_COMMENT, SHB_USERAPPL } from './pcapngBlockOptions';

export interface PcapngWriterOptions {
  /** shb_comment: free-text capture metadata, e.g. `hopscope host=hv1 iface=vnet0 filter="icmp"`. */
  comment?: string;
  /** More shb_comment options, written before `comment` (e.g. the comments of a file being sliced). */
  sectionComments?: readonly string[];
  /** shb_userappl; default "hopscope". */
  userApplication?: string;
  bufferSize?: number;
}

export interface PcapngInterfaceOptions {
  linkType: number;
  name?: string;
  description?: string;
  /** Default 262144; records longer than this are cut to it. */
  snaplen?: number;
}

const encoder = new TextEncoder();

/**
 * The shb_comment text for capture metadata: `hopscope host=hv1 iface=vnet0 filter="icmp"`. Values
 * with spaces, quotes, backslashes or '=' (or empty ones) are double-quoted with \" and \\ escapes, so
 * the text splits back unambiguously; keys keep their order.
 */
export function formatCaptureComment(metadata: Record<string, string | number | undefined>): string {
  const parts = ['hopscope'];
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined) continue;
    const text = String(value);
    parts.push(`${key}=${/^[^\s"\\=]+$/.test(text) ? text : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`}`);
  }
  return parts.join(' ');
}
const TWO32 = 4294967296;

interface EncodedOption { code: number; value: Uint8Array }

function optionsLength(options: EncodedOption[]): number {
  let n = 4; // opt_endofopt
  for (const o of options) n += 4 + ((o.value.length + 3) & ~3);
  return n;
}

export class PcapngWriter {
  private readonly out: CaptureSinkBuffer;
  private readonly snaplens: number[] = [];
  private count = 0;

  constructor(sink: CaptureSink, options: PcapngWriterOptions = {}) {
    this.out = new CaptureSinkBuffer(sink, options.bufferSize);
    const opts: EncodedOption[] = [];
    for (const c of options.sectionComments ?? []) if (c) opts.push({ code: SHB_COMMENT, value: encoder.encode(c) });
    if (options.comment) opts.push({ code: SHB_COMMENT, value: encoder.encode(options.comment) });
    opts.push({ code: SHB_USERAPPL, value: encoder.encode(options.userApplication ?? 'hopscope') });
    this.writeBlock(0x0a0d0d0a, 16, opts, (v, p) => {
      v.setUint32(p, 0x1a2b3c4d, true);
      v.setUint16(p + 4, 1, true);
      v.setUint16(p + 6, 0, true);
      v.setInt32(p + 8, -1, true); // section length unknown (streamed)
      v.setInt32(p + 12, -1, true);
    });
  }

  get recordCount(): number { return this.count; }

  /** Writes an Interface Description Block and returns the interface id for writeRecord. */
  addInterface(iface: PcapngInterfaceOptions): number {
    const snaplen = iface.snaplen ?? 262144;
    const opts: EncodedOption[] = [];
    if (iface.name) opts.push({ code: IF_NAME, value: encoder.encode(iface.name) });
    if (iface.description) opts.push({ code: IF_DESCRIPTION, value: encoder.encode(iface.description) });
    opts.push({ code: IF_TSRESOL, value: Uint8Array.of(9) });
    this.writeBlock(1, 8, opts, (v, p) => {
      v.setUint16(p, iface.linkType, true);
      v.setUint16(p + 2, 0, true);
      v.setUint32(p + 4, snaplen, true);
    });
    this.snaplens.push(snaplen);
    return this.snaplens.length - 1;
  }

  /** Appends one Enhanced Packet Block (synchronously, into the buffer). */
  writeRecord(interfaceId: number, tsSec: number, tsNsec: number, data: Uint8Array, origLen: number = data.length): void {
    const snaplen = this.snaplens[interfaceId];
    if (snaplen === undefined) throw new Error(`pcapng writer: no interface ${interfaceId}`);
    const caplen = Math.min(data.length, snaplen);
    const padded = (caplen + 3) & ~3;
    const length = 32 + padded;
    const out = this.out;
    const p = out.reserve(length);
    const v = out.view;
    // tsSec * 1e9 + tsNsec exceeds 2^53: build the 64-bit value from pieces that stay exact.
    const secHigh = Math.floor(tsSec / 65536);
    const secLow = tsSec - secHigh * 65536;
    const b = secHigh * 1e9;
    const bHigh = Math.floor(b / 65536);
    const rest = (b - bHigh * 65536) * 65536 + secLow * 1e9 + tsNsec;
    const restHigh = Math.floor(rest / TWO32);
    v.setUint32(p, 6, true);
    v.setUint32(p + 4, length, true);
    v.setUint32(p + 8, interfaceId, true);
    v.setUint32(p + 12, bHigh + restHigh, true);
    v.setUint32(p + 16, rest - restHigh * TWO32, true);
    v.setUint32(p + 20, caplen, true);
    v.setUint32(p + 24, Math.max(origLen, caplen), true);
    out.bytes.set(caplen === data.length ? data : data.subarray(0, caplen), p + 28);
    out.bytes.fill(0, p + 28 + caplen, p + 28 + padded);
    v.setUint32(p + 28 + padded, length, true);
    out.length += length;
    this.count++;
  }

  flush(): void { this.out.flush(); }

  close(): Promise<void> { return this.out.close(); }

  private writeBlock(type: number, fixedLength: number, options: EncodedOption[], fixed: (v: DataView, p: number) => void): void {
    const length = 8 + fixedLength + optionsLength(options) + 4;
    const out = this.out;
    const p = out.reserve(length);
    const v = out.view;
    out.bytes.fill(0, p, p + length);
    v.setUint32(p, type, true);
    v.setUint32(p + 4, length, true);
    fixed(v, p + 8);
    let q = p + 8 + fixedLength;
    for (const o of options) {
      v.setUint16(q, o.code, true);
      v.setUint16(q + 2, o.value.length, true);
      out.bytes.set(o.value, q + 4);
      q += 4 + ((o.value.length + 3) & ~3);
    }
    q += 4; // opt_endofopt (zeros)
    v.setUint32(q, length, true);
    out.length += length;
  }
}
