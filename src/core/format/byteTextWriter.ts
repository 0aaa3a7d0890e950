/**
 * Writes tcpdump text as bytes straight into an output block (one byte per character: the text is
 * ASCII). The fast print path builds whole lines here without creating strings: in `hopscope print`
 * the strings' garbage collection and their copy into the block (Buffer.write flattens each
 * concatenated string first) cost more than making the text.
 */
const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

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

  byte(c: number): void { this.buf[this.pos++] = c; }

  /** A non-negative integer below 2^53 in decimal. */
  dec(n: number): void {
    const b = this.buf;
    if (n < 10) { b[this.pos++] = 48 + n; return; }
    if (n < 100) { b[this.pos] = 48 + ((n / 10) | 0); b[this.pos + 1] = 48 + (n % 10); this.pos += 2; return; }
    let digits = 3;
    for (let m = 1000; m <= n && digits < 16; m *= 10) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (digits-- > 0) { const q = Math.floor(n / 10); b[--p] = 48 + (n - q * 10); n = q; }
  }

  /** `n` (0 <= n < 10^width) zero-padded to `width` digits. */
  decPadded(n: number, width: number): void {
    const b = this.buf;
    let p = this.pos + width;
    this.pos = p;
    for (let i = 0; i < width; i++) { const q = Math.floor(n / 10); b[--p] = 48 + (n - q * 10); n = q; }
  }

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
