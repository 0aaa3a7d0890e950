/**
 * pcapng writer: one section (SHB with a metadata comment), one IDB per interface (if_tsresol 9, or the
 * decimal resolution asked for), EPBs (with opt_comment options when a packet has comments).
 */
import { CaptureSinkBuffer, type CaptureSink } from './captureSinkBuffer';
import {
  IF_DESCRIPTION, IF_FCSLEN, IF_FILTER, IF_HARDWARE, IF_NAME, IF_OS, IF_TSRESOL, OPT_COMMENT, SHB_USERAPPL,
} from './pcapngBlockOptions';

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
  /**
   * Timestamp units per second: 10^0 … 10^9 is written as that if_tsresol (so a microsecond interface
   * stays one); anything else, or none, as nanoseconds. Timestamps given to writeRecord are cut to it.
   */
  tsUnitsPerSecond?: number;
  /** if_filter (as text), if_os, if_hardware, if_fcslen and opt_comment, copied from an input's IDB. */
  filter?: string;
  os?: string;
  hardware?: string;
  fcsBytes?: number;
  comments?: readonly string[];
}

interface EncodedOption { code: number; value: Uint8Array }

const encoder = new TextEncoder();
const MAX_OPTION_BYTES = 65535;

/** UTF-8 bytes of an option's text, cut (at a character boundary) to what an option can hold. */
function textOption(code: number, text: string, prefix?: number): EncodedOption {
  const bytes = encoder.encode(text);
  const room = MAX_OPTION_BYTES - (prefix === undefined ? 0 : 1);
  let n = Math.min(bytes.length, room);
  while (n < bytes.length && n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
  if (prefix === undefined) return { code, value: bytes.subarray(0, n) };
  const value = new Uint8Array(n + 1);
  value[0] = prefix;
  value.set(bytes.subarray(0, n), 1);
  return { code, value };
}

/** if_tsresol value for `units` per second: 10^k for k in 0..9, else undefined. */
function decimalTsresol(units: number | undefined): number | undefined {
  if (units === undefined) return undefined;
  for (let k = 0, u = 1; k <= 9; k++, u *= 10) if (u === units) return k;
  return undefined;
}

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

function optionsLength(options: EncodedOption[]): number {
  let n = 4; // opt_endofopt
  for (const o of options) n += 4 + ((o.value.length + 3) & ~3);
  return n;
}

/** Writes `options` and opt_endofopt at bytes[q…] (which must already be zeroed, for the padding). */
function writeOptions(v: DataView, bytes: Uint8Array, q: number, options: EncodedOption[]): void {
  for (const o of options) {
    v.setUint16(q, o.code, true);
    v.setUint16(q + 2, o.value.length, true);
    bytes.set(o.value, q + 4);
    q += 4 + ((o.value.length + 3) & ~3);
  }
  // opt_endofopt: the 4 zero bytes that follow.
}

export class PcapngWriter {
  private readonly out: CaptureSinkBuffer;
  private readonly snaplens: number[] = [];
  /** Per interface: timestamp units per second and nanoseconds per unit (both 1e9/1 for nanoseconds). */
  private readonly units: number[] = [];
  private readonly nsPerUnit: number[] = [];
  private count = 0;

  constructor(sink: CaptureSink, options: PcapngWriterOptions = {}) {
    this.out = new CaptureSinkBuffer(sink, options.bufferSize);
    const opts: EncodedOption[] = [];
    for (const c of options.sectionComments ?? []) if (c) opts.push(textOption(OPT_COMMENT, c));
    if (options.comment) opts.push(textOption(OPT_COMMENT, options.comment));
    opts.push(textOption(SHB_USERAPPL, options.userApplication ?? 'hopscope'));
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
    const tsresol = decimalTsresol(iface.tsUnitsPerSecond) ?? 9;
    const opts: EncodedOption[] = [];
    for (const c of iface.comments ?? []) opts.push(textOption(OPT_COMMENT, c));
    if (iface.name) opts.push(textOption(IF_NAME, iface.name));
    if (iface.description) opts.push(textOption(IF_DESCRIPTION, iface.description));
    opts.push({ code: IF_TSRESOL, value: Uint8Array.of(tsresol) });
    if (iface.filter) opts.push(textOption(IF_FILTER, iface.filter, 0));
    if (iface.os) opts.push(textOption(IF_OS, iface.os));
    if (iface.fcsBytes !== undefined) opts.push({ code: IF_FCSLEN, value: Uint8Array.of(iface.fcsBytes) });
    if (iface.hardware) opts.push(textOption(IF_HARDWARE, iface.hardware));
    this.writeBlock(1, 8, opts, (v, p) => {
      v.setUint16(p, iface.linkType, true);
      v.setUint16(p + 2, 0, true);
      v.setUint32(p + 4, snaplen, true);
    });
    this.snaplens.push(snaplen);
    this.units.push(10 ** tsresol);
    this.nsPerUnit.push(10 ** (9 - tsresol));
    return this.snaplens.length - 1;
  }

  /**
   * Appends one Enhanced Packet Block (synchronously, into the buffer), with an opt_comment option per
   * entry of `comments`.
   */
  writeRecord(
    interfaceId: number, tsSec: number, tsNsec: number, data: Uint8Array, origLen: number = data.length, comments?: readonly string[],
  ): void {
    const snaplen = this.snaplens[interfaceId];
    if (snaplen === undefined) throw new Error(`pcapng writer: no interface ${interfaceId}`);
    const caplen = Math.min(data.length, snaplen);
    const padded = (caplen + 3) & ~3;
    const opts = comments?.length ? comments.map((c) => textOption(OPT_COMMENT, c)) : undefined;
    const length = 32 + padded + (opts ? optionsLength(opts) : 0);
    const out = this.out;
    const p = out.reserve(length);
    const v = out.view;
    // tsSec * units + fraction exceeds 2^53: build the 64-bit value from pieces that stay exact
    // (units <= 1e9 < 2^30, so every partial product below stays under 2^53).
    const units = this.units[interfaceId];
    const fraction = Math.floor(tsNsec / this.nsPerUnit[interfaceId]);
    const secHigh = Math.floor(tsSec / 65536);
    const secLow = tsSec - secHigh * 65536;
    const b = secHigh * units;
    const bHigh = Math.floor(b / 65536);
    const rest = (b - bHigh * 65536) * 65536 + secLow * units + fraction;
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
    if (opts) {
      out.bytes.fill(0, p + 28 + padded, p + length - 4);
      writeOptions(v, out.bytes, p + 28 + padded, opts);
    }
    v.setUint32(p + length - 4, length, true);
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
    writeOptions(v, out.bytes, p + 8 + fixedLength, options);
    v.setUint32(p + length - 4, length, true);
    out.length += length;
  }
}
