/** ByteTextWriter against the string functions the layer-tree formatter uses (same text, byte for byte). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ByteTextWriter } from '../../src/core/format/byteTextWriter';
import { ipv4Text, ipv6Text, macText } from '../../src/core/decode/addressText';

const out = (fill: (w: ByteTextWriter) => void): string => {
  const w = new ByteTextWriter(new Uint8Array(256));
  fill(w);
  return Buffer.from(w.buf.subarray(0, w.pos)).toString('latin1');
};

describe('ByteTextWriter', () => {
  it('writes decimals like String(n), including the int32 and uint32 edges', () => {
    const values = [0, 9, 10, 99, 100, 999, 1000, 65535, 99999, 100000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1e15 + 7];
    let x = 12345;
    for (let i = 0; i < 2000; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; values.push(x, x % 1000, x % 100000); }
    for (const v of values) assert.equal(out((w) => w.dec(v)), String(v));
    assert.equal(out((w) => w.decPadded(42, 6)), '000042');
  });

  it('writes IPv4, MAC and IPv6 (RFC 5952 zero runs, v4-mapped) like addressText', () => {
    const cases: number[][] = [
      [], [0xfd, 0, 0, 0xc8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0x5e, 0xff, 0xfe, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1], [0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
      [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], Array.from({ length: 16 }, () => 0),
    ];
    let x = 7;
    for (let i = 0; i < 500; i++) {
      // Random addresses with many zero groups, to exercise the zero-run choice.
      cases.push(Array.from({ length: 16 }, () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return (x >>> 16) % 3 === 0 ? (x >>> 8) & 255 : 0; }));
    }
    for (const c of cases) {
      const d = new Uint8Array(16);
      d.set(c);
      assert.equal(out((w) => w.ipv6(d, 0)), ipv6Text(d, 0), ipv6Text(d, 0));
      assert.equal(out((w) => w.ipv4(d, 12)), ipv4Text(d, 12));
      assert.equal(out((w) => w.mac(d, 2)), macText(d, 2));
    }
  });
});
