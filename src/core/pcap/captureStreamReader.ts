/**
 * Streaming reader for classic pcap (µs and ns, both byte orders) and pcapng (several sections, both
 * byte orders). Bytes arrive in chunks cut anywhere; complete records are parsed in place inside the
 * chunk, and only the unfinished tail is copied into one reused buffer that grows up to a bound.
 */
import { open } from 'node:fs/promises';
import type { CaptureFormat, CaptureInterface, CaptureRecord } from './captureRecord';
import { CaptureFormatError } from './captureFormatError';
import { splitUnitsTimestamp, type SplitTimestamp } from './captureTimestamp';
import { packetComments, parseInterfaceDescription, sectionComments, u32 } from './pcapngBlockOptions';

export interface CaptureReaderHandlers {
  /** `rec` and `rec.data` are reused: valid only during the call. */
  onRecord(rec: CaptureRecord): void;
  /** `id` is the file-wide interface index (the same as `rec.interfaceId`). */
  onInterface?(iface: CaptureInterface, id: number): void;
  /** pcapng shb_comment. */
  onSectionComment?(comment: string): void;
}

export interface CaptureReaderOptions {
  /** Largest caplen accepted; larger ones are 'bad-caplen'. Default 262144 (tcpdump's maximum). */
  maxCaplen?: number;
}

const DEFAULT_MAX_CAPLEN = 262144;
/**
 * File read size. On a 674 MB, 1M-packet file (page cache warm), plain reads took ~100 ms with 512 KiB
 * chunks and ~310 ms with 8 MiB ones (a chunk that no longer fits the CPU cache goes through main memory
 * twice); bench/recordData.ts: read + parse + rec.data 322 CPU ms with 512 KiB, 472 with 8 MiB.
 */
const DEFAULT_CHUNK_SIZE = 512 * 1024;
/** Room for pcapng options besides the packet bytes in one buffered block. */
const BLOCK_OPTIONS_ALLOWANCE = 65536;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_MAGIC_US_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NS_SWAPPED = 0x4d3cb2a1;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_OPB = 2;
const PCAPNG_SPB = 3;
const PCAPNG_EPB = 6;

function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}

export class CaptureStreamReader {
  private readonly handlers: CaptureReaderHandlers;
  private readonly maxCaplen: number;
  private readonly maxBlockLength: number;
  private fmt: CaptureFormat | undefined;
  private readonly ifaces: CaptureInterface[] = [];
  private section = -1;
  /** Index in `ifaces` of the first interface of the current pcapng section. */
  private sectionBase = 0;
  private littleEndian = true;
  /** Classic pcap: caplen limit (min of maxCaplen and the file's snaplen) and fraction-to-ns factor. */
  private caplenLimit = 0;
  private fractionToNs = 1000;
  private readonly rec: CaptureRecord;
  /** Where the current record's bytes are; `rec.data` is a view made only when someone reads it. */
  private recView: Uint8Array | undefined;
  private readonly ts: SplitTimestamp = { sec: 0, nsec: 0 };
  /** Unfinished unit carried across chunks: pending[0, pendingLength). */
  private pending = new Uint8Array(65536);
  private pendingLength = 0;
  /** Bytes of an oversized unknown pcapng block still to discard. */
  private skipRemaining = 0;
  private skipBlockStart = 0;
  /** Stream offset of the first byte not yet consumed (start of the unit being parsed). */
  private offset = 0;
  private pushed = 0;
  private records = 0;
  /** What the last "need more bytes" answer was waiting for, for the truncation message. */
  private needWhat = 'file header';

  constructor(handlers: CaptureReaderHandlers, options?: CaptureReaderOptions) {
    this.handlers = handlers;
    this.maxCaplen = options?.maxCaplen ?? DEFAULT_MAX_CAPLEN;
    this.maxBlockLength = this.maxCaplen + BLOCK_OPTIONS_ALLOWANCE;
    // `data` is an own enumerable accessor: `{ ...rec }` and JSON still see it, and a consumer that
    // only needs `bytes`/`dataOffset` (or no bytes at all) never pays for a subarray. bench/recordData
    // on 1M packets: 322 CPU ms through rec.data, 268 through bytes/dataOffset, 244 touching no bytes.
    const rec = {
      caplen: 0, origLen: 0, tsSec: 0, tsNsec: 0, linkType: 0, interfaceId: 0, comments: undefined, fileOffset: 0, index: 0,
      bytes: new Uint8Array(0), dataOffset: 0,
    } as CaptureRecord & { bytes: Uint8Array; dataOffset: number };
    Object.defineProperty(rec, 'data', {
      enumerable: true,
      get: (): Uint8Array => (this.recView ??= rec.bytes.subarray(rec.dataOffset, rec.dataOffset + rec.caplen)),
      set: (v: Uint8Array): void => { this.recView = v; },
    });
    this.rec = rec;
  }

  get format(): CaptureFormat | undefined { return this.fmt; }
  get interfaces(): readonly CaptureInterface[] { return this.ifaces; }
  /** Bytes of complete units (headers, records, blocks) parsed so far. */
  get bytesConsumed(): number { return this.offset; }
  get recordCount(): number { return this.records; }

  /** Parses what `chunk` completes. After a CaptureFormatError the reader is done: do not push again. */
  push(chunk: Uint8Array): void {
    this.pushed += chunk.length;
    let off = 0;
    const end = chunk.length;
    if (this.skipRemaining > 0) {
      const n = Math.min(this.skipRemaining, end);
      this.skipRemaining -= n;
      this.offset += n;
      off = n;
    }
    if (this.pendingLength > 0) {
      // Complete the carried unit with just the bytes it needs, then parse the rest of the chunk in place.
      for (;;) {
        const r = this.parseUnit(this.pending, 0, this.pendingLength);
        if (r > 0) {
          this.offset += r;
          this.pendingLength = 0;
          break;
        }
        const need = -r;
        const take = Math.min(need - this.pendingLength, end - off);
        this.ensurePending(need);
        this.pending.set(chunk.subarray(off, off + take), this.pendingLength);
        this.pendingLength += take;
        off += take;
        if (this.pendingLength < need) return;
      }
      if (this.skipRemaining > 0) {
        const n = Math.min(this.skipRemaining, end - off);
        this.skipRemaining -= n;
        this.offset += n;
        off += n;
      }
    }
    while (off < end) {
      const r = this.fmt === 'pcap' || this.fmt === 'pcap-nsec' ? this.parsePcapRun(chunk, off, end) : this.parseUnit(chunk, off, end - off);
      if (r > 0) {
        this.offset += r;
        off += r;
        if (this.skipRemaining > 0) {
          const n = Math.min(this.skipRemaining, end - off);
          this.skipRemaining -= n;
          this.offset += n;
          off += n;
        }
        continue;
      }
      const rest = end - off;
      this.ensurePending(rest);
      this.pending.set(chunk.subarray(off, end), 0);
      this.pendingLength = rest;
      return;
    }
  }

  /** Throws if the stream ended inside a unit, after every complete record was delivered by push. */
  end(): void {
    if (this.pushed === 0) throw new CaptureFormatError('empty', 0, 'empty file: no capture header');
    if (this.skipRemaining > 0) {
      throw new CaptureFormatError('truncated', this.skipBlockStart,
        `truncated block at byte ${this.skipBlockStart} (${this.skipRemaining} bytes of it missing)`);
    }
    if (this.pendingLength > 0) {
      const need = -this.parseUnit(this.pending, 0, this.pendingLength);
      throw new CaptureFormatError('truncated', this.offset,
        `truncated ${this.needWhat} at byte ${this.offset} (needed ${need} bytes, have ${this.pendingLength})`);
    }
  }

  private ensurePending(size: number): void {
    if (size <= this.pending.length) return;
    // Callers never ask for more than maxBlockLength (checked before), so growth is bounded.
    const grown = new Uint8Array(Math.min(Math.max(size, this.pending.length * 2), this.maxBlockLength + 64));
    grown.set(this.pending.subarray(0, this.pendingLength));
    this.pending = grown;
  }

  /**
   * Parses one unit at b[p, p+avail): returns the bytes consumed (> 0), or minus the total bytes the
   * unit needs when `avail` is not enough (nothing consumed). Throws CaptureFormatError.
   */
  private parseUnit(b: Uint8Array, p: number, avail: number): number {
    if (this.fmt === 'pcap' || this.fmt === 'pcap-nsec') return this.parsePcapRecord(b, p, avail);
    if (this.fmt === 'pcapng') return this.parsePcapngBlock(b, p, avail);
    return this.parseFileStart(b, p, avail);
  }

  private parseFileStart(b: Uint8Array, p: number, avail: number): number {
    this.needWhat = 'file header';
    if (avail < 4) return -4;
    const magic = u32(b, p, false);
    if (magic === PCAPNG_SHB) return this.parsePcapngBlock(b, p, avail);
    let nsec: boolean;
    if (magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_US_SWAPPED) nsec = false;
    else if (magic === PCAP_MAGIC_NS || magic === PCAP_MAGIC_NS_SWAPPED) nsec = true;
    else {
      throw new CaptureFormatError('not-a-capture', 0,
        `not a capture file: unknown magic 0x${magic.toString(16).padStart(8, '0')} at byte 0`);
    }
    if (avail < 24) return -24;
    const le = magic === PCAP_MAGIC_US_SWAPPED || magic === PCAP_MAGIC_NS_SWAPPED;
    const major = u16(b, p + 4, le);
    const minor = u16(b, p + 6, le);
    if (major !== 2) {
      throw new CaptureFormatError('unsupported-version', 4, `unsupported pcap version ${major}.${minor} at byte 4`);
    }
    const snaplen = u32(b, p + 16, le);
    const linkField = u32(b, p + 20, le);
    const iface: CaptureInterface = { linkType: linkField & 0xffff, snaplen, tsUnitsPerSecond: nsec ? 1e9 : 1e6, section: 0 };
    // Link-type field: bit 28 says the 3 top bits hold the FCS length in 16-bit words.
    if (linkField & 0x10000000) iface.fcsBytes = (linkField >>> 29) * 2;
    this.littleEndian = le;
    this.fmt = nsec ? 'pcap-nsec' : 'pcap';
    this.fractionToNs = nsec ? 1 : 1000;
    this.caplenLimit = snaplen > 0 ? Math.min(snaplen, this.maxCaplen) : this.maxCaplen;
    this.rec.linkType = iface.linkType;
    this.ifaces.push(iface);
    this.handlers.onInterface?.(iface, 0);
    return 24;
  }

  private parsePcapRecord(b: Uint8Array, p: number, avail: number): number {
    this.needWhat = 'record';
    if (avail < 16) return -16;
    const le = this.littleEndian;
    const caplen = u32(b, p + 8, le);
    if (caplen > this.caplenLimit) this.badCaplen(caplen);
    const total = 16 + caplen;
    if (avail < total) return -total;
    const rec = this.rec;
    const nsec = u32(b, p + 4, le) * this.fractionToNs;
    if (nsec < 1e9) {
      rec.tsSec = u32(b, p, le);
      rec.tsNsec = nsec;
    } else {
      // A fraction of a second of one second or more (corrupt or odd writer): carry it into seconds.
      rec.tsSec = u32(b, p, le) + Math.floor(nsec / 1e9);
      rec.tsNsec = nsec % 1e9;
    }
    rec.caplen = caplen;
    rec.origLen = u32(b, p + 12, le);
    rec.bytes = b;
    rec.dataOffset = p + 16;
    this.recView = undefined;
    rec.fileOffset = this.offset;
    rec.index = this.records++;
    this.handlers.onRecord(rec);
    return total;
  }

  /**
   * Classic pcap hot loop: every complete record of b[start, end) in one call (same checks and
   * results as parsePcapRecord, without a call and format dispatch per record). Returns the bytes
   * consumed, or minus what the first record needs when it is incomplete.
   */
  private parsePcapRun(b: Uint8Array, start: number, end: number): number {
    this.needWhat = 'record';
    const le = this.littleEndian;
    const limit = this.caplenLimit;
    const toNs = this.fractionToNs;
    const rec = this.rec;
    const handlers = this.handlers;
    const base = this.offset - start;
    let p = start;
    while (end - p >= 16) {
      const caplen = le
        ? (b[p + 8] | (b[p + 9] << 8) | (b[p + 10] << 16) | (b[p + 11] << 24)) >>> 0
        : ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0;
      if (caplen > limit) { this.offset = base + p; this.badCaplen(caplen); }
      if (end - p - 16 < caplen) break;
      const sec = u32(b, p, le);
      const nsec = u32(b, p + 4, le) * toNs;
      if (nsec < 1e9) {
        rec.tsSec = sec;
        rec.tsNsec = nsec;
      } else {
        rec.tsSec = sec + Math.floor(nsec / 1e9);
        rec.tsNsec = nsec % 1e9;
      }
      rec.caplen = caplen;
      rec.origLen = u32(b, p + 12, le);
      rec.bytes = b;
      rec.dataOffset = p + 16;
      this.recView = undefined;
      rec.fileOffset = base + p;
      rec.index = this.records++;
      handlers.onRecord(rec);
      p += 16 + caplen;
    }
    if (p > start) return p - start;
    return end - p < 16 ? -16 : -(16 + u32(b, p + 8, le));
  }

  private badCaplen(caplen: number, snaplen = this.fmt === 'pcapng' ? 0 : this.ifaces[0].snaplen): never {
    const limit = snaplen > 0 && snaplen <= this.maxCaplen ? `snaplen ${snaplen}` : `maximum ${this.maxCaplen}`;
    throw new CaptureFormatError('bad-caplen', this.offset,
      `bad caplen ${caplen} at byte ${this.offset} (above the ${limit})`);
  }

  private badBlock(message: string): never {
    throw new CaptureFormatError('bad-block', this.offset, `${message} at byte ${this.offset}`);
  }

  private parsePcapngBlock(b: Uint8Array, p: number, avail: number): number {
    this.needWhat = 'block';
    if (avail < 8) return -8;
    const rawType = u32(b, p, this.littleEndian);
    if (rawType === PCAPNG_SHB) return this.parseSectionHeader(b, p, avail);
    const le = this.littleEndian;
    const length = u32(b, p + 4, le);
    if (length < 12 || length % 4 !== 0) this.badBlock(`bad block length ${length} (type 0x${rawType.toString(16)})`);
    if (rawType === PCAPNG_EPB || rawType === PCAPNG_OPB || rawType === PCAPNG_SPB) {
      return this.parsePacketBlock(rawType, length, b, p, avail);
    }
    if (length > this.maxBlockLength) {
      if (rawType === PCAPNG_IDB) this.badBlock(`interface description block of ${length} bytes is too large`);
      // Unknown big block (e.g. a huge name resolution block): discard it as it streams by.
      if (avail >= length) return length;
      this.skipRemaining = length - avail;
      this.skipBlockStart = this.offset;
      return avail;
    }
    if (avail < length) return -length;
    this.checkTrailer(b, p, length);
    if (rawType === PCAPNG_IDB) {
      const iface = parseInterfaceDescription(b, p + 8, p + length - 4, le, this.section, this.offset);
      const id = this.ifaces.length;
      this.ifaces.push(iface);
      this.handlers.onInterface?.(iface, id);
    }
    // NRB, ISB, DSB, custom and unknown blocks: skipped by their length.
    return length;
  }

  private checkTrailer(b: Uint8Array, p: number, length: number): void {
    const trailer = u32(b, p + length - 4, this.littleEndian);
    if (trailer !== length) this.badBlock(`block trailer length ${trailer} differs from header length ${length}`);
  }

  private parseSectionHeader(b: Uint8Array, p: number, avail: number): number {
    if (avail < 12) return -12;
    const bom = u32(b, p + 8, true);
    let le: boolean;
    if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
    else if (bom === 0x4d3c2b1a) le = false;
    else if (this.fmt === undefined) {
      throw new CaptureFormatError('not-a-capture', this.offset, `not a capture file: pcapng section header without byte-order magic at byte ${this.offset}`);
    } else this.badBlock('section header block without byte-order magic');
    const length = u32(b, p + 4, le);
    if (length < 28 || length % 4 !== 0) this.badBlock(`bad section header block length ${length}`);
    if (length > this.maxBlockLength) this.badBlock(`section header block of ${length} bytes is too large`);
    if (avail < 16) return -16;
    const major = u16(b, p + 12, le);
    if (major !== 1) {
      throw new CaptureFormatError('unsupported-version', this.offset,
        `unsupported pcapng version ${major}.${u16(b, p + 14, le)} at byte ${this.offset}`);
    }
    if (avail < length) return -length;
    this.littleEndian = le;
    this.checkTrailer(b, p, length);
    this.fmt = 'pcapng';
    this.section++;
    this.sectionBase = this.ifaces.length;
    const comments = sectionComments(b, p + 24, p + length - 4, le, this.offset);
    if (this.handlers.onSectionComment) for (const c of comments) this.handlers.onSectionComment(c);
    return length;
  }

  private parsePacketBlock(type: number, length: number, b: Uint8Array, p: number, avail: number): number {
    const le = this.littleEndian;
    const fixed = type === PCAPNG_SPB ? 16 : 32;
    if (length < fixed) this.badBlock(`packet block length ${length} is too short`);
    if (avail < fixed - 4) return -(fixed - 4);
    let ifaceIndex: number;
    let caplen: number;
    let origLen: number;
    if (type === PCAPNG_SPB) {
      ifaceIndex = 0;
      origLen = u32(b, p + 8, le);
      caplen = Math.min(origLen, length - 16);
    } else {
      ifaceIndex = type === PCAPNG_EPB ? u32(b, p + 8, le) : u16(b, p + 8, le);
      caplen = u32(b, p + 20, le);
      origLen = u32(b, p + 24, le);
    }
    const id = this.sectionBase + ifaceIndex;
    if (ifaceIndex >= this.ifaces.length - this.sectionBase) {
      this.badBlock(`packet block for interface ${ifaceIndex}, which the section has not described`);
    }
    const iface = this.ifaces[id];
    if (type === PCAPNG_SPB && iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    if (caplen > this.maxCaplen || (iface.snaplen > 0 && caplen > iface.snaplen)) this.badCaplen(caplen, iface.snaplen);
    if (caplen > length - fixed) this.badBlock(`caplen ${caplen} does not fit in a block of ${length} bytes`);
    if (length > this.maxBlockLength) this.badBlock(`packet block of ${length} bytes is too large`);
    if (avail < length) return -length;
    this.checkTrailer(b, p, length);
    const rec = this.rec;
    if (type === PCAPNG_SPB) {
      rec.tsSec = 0;
      rec.tsNsec = 0;
    } else {
      const ts = this.ts;
      splitUnitsTimestamp(u32(b, p + 12, le), u32(b, p + 16, le), iface.tsUnitsPerSecond, ts);
      rec.tsSec = iface.tsOffsetSec ? ts.sec + iface.tsOffsetSec : ts.sec;
      rec.tsNsec = ts.nsec;
    }
    const dataStart = p + fixed - 4;
    // Options follow the padded packet bytes; most blocks have none, and then nothing is parsed.
    const optionsStart = dataStart + ((caplen + 3) & ~3);
    rec.comments = type !== PCAPNG_SPB && optionsStart < p + length - 4 ? packetComments(b, optionsStart, p + length - 4, le) : undefined;
    rec.caplen = caplen;
    rec.origLen = origLen;
    rec.bytes = b;
    rec.dataOffset = dataStart;
    this.recView = undefined;
    rec.linkType = iface.linkType;
    rec.interfaceId = id;
    rec.fileOffset = this.offset;
    rec.index = this.records++;
    this.handlers.onRecord(rec);
    return length;
  }
}

/**
 * Pushes a whole file into `reader` through one reused chunk buffer (memory stays bounded whatever the
 * file size), then calls end(). Throws CaptureFormatError after delivering every complete record; the
 * reader still tells what was read (format, interfaces, counts).
 */
export async function pumpCaptureFile(path: string, reader: CaptureStreamReader, chunkSize = DEFAULT_CHUNK_SIZE): Promise<void> {
  const chunk = new Uint8Array(chunkSize);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      reader.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  reader.end();
}

/** Reads a capture file (see pumpCaptureFile). */
export async function readCaptureFile(
  path: string,
  handlers: CaptureReaderHandlers,
  options?: CaptureReaderOptions & { chunkSize?: number },
): Promise<{ format: CaptureFormat; interfaces: CaptureInterface[]; records: number; bytes: number }> {
  const reader = new CaptureStreamReader(handlers, options);
  await pumpCaptureFile(path, reader, options?.chunkSize);
  return { format: reader.format ?? 'pcap', interfaces: [...reader.interfaces], records: reader.recordCount, bytes: reader.bytesConsumed };
}
