/**
 * Writes tcpdump text as bytes straight into an output block (one byte per character: the text is
 * ASCII). The fast print path builds whole lines here without creating strings: in `hopscope print`
 * the strings' garbage collection and their copy into the block (Buffer.write flattens each
 * concatenated string first) cost more than making the text.
 */
import { readIpv6Groups } from '../decode/addressText';

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
/** "00" .. "99" as byte pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) { PAIRS[2 * i] = 48 + Math.floor(i / 10); PAIRS[2 * i + 1] = 48 + (i % 10); }

/** ASCII text as bytes, for ByteTextWriter.bytes. */
export function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export class ByteTextWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(buf: Uint8Array) { this.buf = buf; }

  /** ASCII / latin1 text (every char code below 256). */
  str(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Pre-encoded text (see asciiBytes): faster than str() for the constants of every line. */
  bytes(a: Uint8Array): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < a.length; i++) b[p++] = a[i];
    this.pos = p;
  }

  byte(c: number): void { this.buf[this.pos++] = c; }

  /** A non-negative integer below 2^53 in decimal. */
  dec(n: number): void {
    const b = this.buf;
    if (n < 10) { b[this.pos++] = 48 + n; return; }
    if (n < 100) { b[this.pos] = PAIRS[2 * n]; b[this.pos + 1] = PAIRS[2 * n + 1]; this.pos += 2; return; }
    if (n > 0x7fffffff) { this.decLarge(n); return; }
    const digits = n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7
      : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
    let p = this.pos + digits;
    this.pos = p;
    // Two digits per division, int32 arithmetic.
    while (n >= 100) {
      const q = (n / 100) | 0;
      const r = 2 * (n - q * 100);
      b[--p] = PAIRS[r + 1];
      b[--p] = PAIRS[r];
      n = q;
    }
    if (n >= 10) { b[--p] = PAIRS[2 * n + 1]; b[--p] = PAIRS[2 * n]; } else b[--p] = 48 + n;
  }

  private decLarge(n: number): void {
    const b = this.buf;
    let digits = 10;
    for (let m = 1e10; m <= n && digits < 16; m *= 10) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (digits-- > 0) { const q = Math.floor(n / 10); b[--p] = 48 + (n - q * 10); n = q; }
  }

  /** `n` (0 <= n < 10^width, width <= 9) zero-padded to `width` digits. */
  decPadded(n: number, width: number): void {
    const b = this.buf;
    let p = this.pos + width;
    this.pos = p;
    for (let i = 0; i < width; i++) { const q = (n / 10) | 0; b[--p] = 48 + (n - q * 10); n = q; }
  }

  /** RFC 5952 text of the 16-byte IPv6 address at `o`, as ipv6Text (addressText.ts) writes it. */
  ipv6(d: Uint8Array, o: number): void {
    const g = this.groups;
    const zeroRun = readIpv6Groups(d, o, g);
    const bestStart = zeroRun < 0 ? -1 : zeroRun >> 4;
    const bestLen = zeroRun < 0 ? 0 : zeroRun & 15;
    if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) { this.str('::ffff:'); this.ipv4(d, o + 12); return; }
    for (let i = 0; i < 8; i++) {
      if (i === bestStart) { this.byte(58); this.byte(58); i += bestLen - 1; continue; }
      if (i > 0 && !(bestStart >= 0 && i === bestStart + bestLen)) this.byte(58);
      const v = g[i];
      if (v >= 0x1000) this.byte(HEX[v >> 12]);
      if (v >= 0x100) this.byte(HEX[(v >> 8) & 15]);
      if (v >= 0x10) this.byte(HEX[(v >> 4) & 15]);
      this.byte(HEX[v & 15]);
    }
  }

  private readonly groups = new Uint16Array(8);

  hex2(v: number): void {
    this.buf[this.pos] = HEX[v >> 4];
    this.buf[this.pos + 1] = HEX[v & 15];
    this.pos += 2;
  }

  /** Dotted IPv4 address from 4 bytes. */
  ipv4(d: Uint8Array, o: number): void {
    this.dec(d[o]); this.byte(46); this.dec(d[o + 1]); this.byte(46); this.dec(d[o + 2]); this.byte(46); this.dec(d[o + 3]);
  }

  /** `02:00:5e:00:00:01`. */
  mac(d: Uint8Array, o: number): void {
    this.hex2(d[o]);
    for (let i = 1; i < 6; i++) { this.byte(58); this.hex2(d[o + i]); }
  }
}
