/**
 * Our tcpdump text on the link types without Ethernet headers — BSD loopback (NULL in either host byte
 * order, LOOP), raw IP (RAW, IPV4, IPV6) and Linux cooked SLL v1 — against the real tcpdump 4.99 on the
 * same files: the IP packets of the committed real captures (test/fixtures/capture) re-framed with the
 * header each link type carries, in plain -nn, -tttt and -e modes, line by line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatterLines, TCPDUMP_MODES, tcpdumpLines } from '../support/tcpdumpReference';

const SOURCES = ['ping4', 'ping6', 'tcp-snap60', 'dns'];
const FRAMINGS: { name: string; linkType: number; header(v6: boolean, frame: Buffer): number[]; only?: 4 | 6 }[] = [
  { name: 'null-le', linkType: 0, header: (v6) => [v6 ? 30 : 2, 0, 0, 0] },
  { name: 'null-be', linkType: 0, header: (v6) => [0, 0, 0, v6 ? 28 : 2] },
  { name: 'loop', linkType: 108, header: (v6) => [0, 0, 0, v6 ? 24 : 2] },
  { name: 'raw', linkType: 101, header: () => [] },
  { name: 'ipv4', linkType: 228, header: () => [], only: 4 },
  { name: 'ipv6', linkType: 229, header: () => [], only: 6 },
  // packet type: 0 (to us) for even packets, 4 (outgoing) for odd ones; ARPHRD_ETHER, source MAC
  { name: 'sll', linkType: 113, header: (_v6, f) => [0, 0, 0, 1, 0, 6, ...f.subarray(6, 12), 0, 0, f[12], f[13]] },
];

/** A little-endian µs pcap of the IP packets of an Ethernet pcap, each with `header` instead of its Ethernet one (undefined: none). */
function reframe(source: Buffer, framing: (typeof FRAMINGS)[number]): Buffer | undefined {
  assert.equal(source.readUInt32LE(0), 0xa1b2c3d4);
  const parts: Buffer[] = [Buffer.from(source.subarray(0, 24))];
  parts[0].writeUInt32LE(framing.linkType, 20);
  let n = 0;
  for (let o = 24; o < source.length;) {
    const caplen = source.readUInt32LE(o + 8);
    const origLen = source.readUInt32LE(o + 12);
    const frame = source.subarray(o + 16, o + 16 + caplen);
    o += 16 + caplen;
    const etherType = frame.readUInt16BE(12);
    const v6 = etherType === 0x86dd;
    if (caplen < 15 || (etherType !== 0x0800 && !v6) || (framing.only === 4 && v6) || (framing.only === 6 && !v6)) continue;
    const header = Buffer.from(framing.header(v6, frame));
    if (framing.linkType === 113 && n % 2 === 1) header[1] = 4;
    const record = Buffer.alloc(16);
    source.copy(record, 0, o - 16 - caplen, o - 8 - caplen);
    record.writeUInt32LE(header.length + caplen - 14, 8);
    record.writeUInt32LE(header.length + origLen - 14, 12);
    parts.push(record, header, frame.subarray(14));
    n++;
  }
  return n === 0 ? undefined : Buffer.concat(parts);
}

describe('tcpdump text matches real tcpdump on loopback, raw IP and SLL link types', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hopscope-linktypes-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  for (const framing of FRAMINGS) {
    it(`${framing.name} (link type ${framing.linkType}): plain, -tttt and -e`, async () => {
      let lines = 0;
      for (const src of SOURCES) {
        const file = join(dir, `${src}-${framing.name}.pcap`);
        const bytes = reframe(readFileSync(join(__dirname, '..', 'fixtures', 'capture', `${src}.pcap`)), framing);
        if (!bytes) continue; // no packet of this family (IPV4 / IPV6 link types)
        writeFileSync(file, bytes);
        for (const { flags, options } of TCPDUMP_MODES) {
          const want = tcpdumpLines(flags, file);
          lines += want.length;
          assert.deepEqual(await formatterLines(file, options), want, `${src} ${flags.join(' ')}`);
        }
      }
      assert.ok(lines > 30, `tcpdump read ${lines} lines`);
    });
  }
});
