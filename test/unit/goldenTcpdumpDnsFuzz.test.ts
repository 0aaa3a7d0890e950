/**
 * DNS text against the real tcpdump 4.99 on DNS messages that no resolver sends: seeded mutations of
 * the DNS bytes of every packet of the real DNS captures (test/fixtures/capture/dns*.pcap), each cut
 * at a random length or kept whole, and built messages covering every opcode, rcode (with an OPT
 * record's extended bits), header flag, short messages and OPT records among the answers with each
 * EDNS option. All go into one file that tcpdump -nn reads; every line must equal ours (bad pointers,
 * escaped bytes, bit labels, walks that run off the captured bytes included).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter } from '../../src/core/pcap/pcapWriter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { formatterLines, tcpdumpLines } from '../support/tcpdumpReference';
import { seededRandom } from './pcapTestTools';

const DIR = join(__dirname, '..', 'fixtures', 'capture');
// tcpdump's text of 6000 frames stays under spawnSync's 1 MiB output buffer (tcpdumpReference).
const CASES = 6000;
const INTERESTING = [0x00, 0xff, 0xc0, 0xc1, 0x3f, 0x40, 0x41, 0x80, 0x01, 0x02, 0x05, 0x0c, 0x0f, 0x10, 0x1c, 0x21, 0x29, 0x7f];

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hopscope-dnsfuzz-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

interface Frame { data: Uint8Array; origLen: number }

async function writePcap(name: string, frames: Frame[]): Promise<string> {
  const file = join(dir, name);
  const fd = openSync(file, 'w');
  const w = new PcapWriter(fd, { linkType: 1, snaplen: 262144, nanosecond: false });
  frames.forEach((f, i) => w.writeRecord(1_800_000_000 + i, 0, f.data, f.origLen));
  await w.close();
  closeSync(fd);
  return file;
}

/** Compares every line of tcpdump -nn and ours on `file`; returns the differing ones. */
async function differences(file: string): Promise<{ lines: number; differing: string[] }> {
  const want = tcpdumpLines(['-nn'], file);
  const got = await formatterLines(file, {});
  assert.equal(got.length, want.length, 'line count');
  const differing: string[] = [];
  want.forEach((line, k) => { if (got[k] !== line) differing.push(`frame ${k + 1}:\n  tcpdump: ${line}\n  ours:    ${got[k]}`); });
  return { lines: want.length, differing };
}

/** An Ethernet/IPv4/UDP frame from port 53 carrying `dns`. */
function udp53(dns: Uint8Array): Frame {
  const f = new Uint8Array(42 + dns.length);
  const v = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  v.setUint16(12, 0x0800);
  f[14] = 0x45; v.setUint16(16, 28 + dns.length); f[22] = 64; f[23] = 17;
  f.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  v.setUint16(34, 53); v.setUint16(36, 40000); v.setUint16(38, 8 + dns.length);
  f.set(dns, 42);
  return { data: f, origLen: f.length };
}

const u16 = (n: number): number[] => [n >> 8, n & 0xff];
/** Header + one question `a.` (type A, class IN). */
const message = (id: number, flags: number, counts: [number, number, number, number], rest: number[] = []): Uint8Array =>
  Uint8Array.from([...u16(id), ...u16(flags), ...counts.flatMap(u16), 1, 0x61, 0, 0, 1, 0, 1, ...rest]);

describe('DNS text equals tcpdump on mutated and built messages', () => {
  it(`${CASES} seeded mutations of the real DNS packets, whole or cut at random`, async () => {
    const seeds: Uint8Array[] = [];
    for (const name of ['dns.pcap', 'dns-records.pcap']) {
      await readCaptureFile(join(DIR, name), { onRecord: (r) => { seeds.push(r.data.slice()); } });
    }
    assert.ok(seeds.length > 30);
    const random = seededRandom(0x0d45);
    const pick = (n: number): number => Math.floor(random() * n);
    const frames: Frame[] = [];
    for (let i = 0; i < CASES; i++) {
      const s = seeds[pick(seeds.length)].slice();
      const dns = s[12] === 0x86 ? 62 : 42; // after Ethernet + IPv6 / IPv4 + UDP
      for (let k = 1 + pick(4); k > 0; k--) s[dns + pick(s.length - dns)] = random() < 0.5 ? INTERESTING[pick(INTERESTING.length)] : pick(256);
      const caplen = random() < 0.5 ? s.length : dns + pick(s.length - dns);
      frames.push({ data: s.subarray(0, caplen), origLen: s.length });
    }
    const { lines, differing } = await differences(await writePcap('mutated.pcap', frames));
    assert.deepEqual(differing.slice(0, 10), [], `${differing.length} of ${lines} lines differ`);
  });

  it('every opcode, rcode (OPT-extended too) and flag bit; short messages; OPT answers with each EDNS option', async () => {
    const frames: Frame[] = [];
    let id = 0;
    for (let op = 0; op < 16; op++) for (const qr of [0, 0x8000]) frames.push(udp53(message(++id, qr | (op << 11), [1, 0, 0, 0])));
    for (let bit = 0; bit < 15; bit++) for (const qr of [0, 0x8000]) frames.push(udp53(message(++id, qr | (1 << bit), [1, 0, 0, 0])));
    for (const counts of [[0, 1, 0, 0], [2, 2, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [3, 0, 1, 1]] as [number, number, number, number][]) {
      frames.push(udp53(message(++id, 0x0800, counts)));
      frames.push(udp53(message(++id, 0x8180, counts)));
    }
    // An A answer, then an OPT record in the additional section whose TTL carries the rcode's high bits.
    const answer = [0xc0, 0x0c, ...u16(1), ...u16(1), 0, 0, 0, 60, ...u16(4), 10, 0, 0, 1];
    for (const ext of [0, 1, 2, 255]) {
      for (let rcode = 0; rcode < 16; rcode++) {
        frames.push(udp53(message(++id, 0x8180 | rcode, [1, 1, 0, 1], [...answer, 0, ...u16(41), ...u16(1232), ext, 0, 0, 0, ...u16(0)])));
      }
    }
    for (let n = 0; n < 12; n++) frames.push(udp53(message(++id, 0x8180, [1, 0, 0, 0]).subarray(0, n)));
    // OPT among the answers: UDP size, DO, and each option code with data of several lengths.
    const random = seededRandom(41);
    const optAnswer = (options: number[]): number[] => [0, ...u16(41), ...u16(1232), 0, 0, 0x80, 0, ...u16(options.length), ...options];
    for (let code = 0; code < 20; code++) {
      for (const len of [0, 1, 2, 4, 5, 8, 9, 16, 20, 41]) {
        const data = Array.from({ length: len }, () => Math.floor(random() * 256));
        frames.push(udp53(message(++id, 0x8180, [1, 1, 0, 0], optAnswer([...u16(code), ...u16(len), ...data]))));
      }
    }
    const subnets: number[][] = [[1, 24, 0, 10, 0, 1], [1, 32, 0, 10, 0, 1, 2], [2, 56, 0, 0xfd, 0, 2, 1, 0, 0, 1], [1, 25, 0, 10, 0, 1], [3, 8, 0, 1]];
    for (const [family, source, scope, ...address] of subnets) {
      const data = [...u16(family), source, scope, ...address];
      frames.push(udp53(message(++id, 0x8180, [1, 1, 0, 0], optAnswer([...u16(8), ...u16(data.length), ...data]))));
    }
    const algorithms = Array.from({ length: 256 }, (_, i) => i);
    frames.push(udp53(message(++id, 0x8180, [1, 1, 0, 0], optAnswer([...u16(5), ...u16(256), ...algorithms]))));
    frames.push(udp53(message(++id, 0x8180, [1, 1, 0, 0], optAnswer([...u16(6), ...u16(8), ...algorithms.slice(0, 8), ...u16(13), ...u16(5), 3, 0x61, 0x62, 0x63, 0]))));
    const { lines, differing } = await differences(await writePcap('built.pcap', frames));
    assert.ok(lines > 350, `${lines} lines`);
    assert.deepEqual(differing.slice(0, 10), [], `${differing.length} of ${lines} lines differ`);
  });
});
