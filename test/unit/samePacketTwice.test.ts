/**
 * HS402 ("the same packet twice") only on evidence that one packet was seen twice, never on a
 * sender's repeats. The packets are built here and written to a pcap; the text the analysis reads
 * is real tcpdump's (`tcpdump -n -S -r` in the default, -v, -e and -e -v forms, once per form).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureTextDocument } from '../../src/core/textAnalysis/captureTextDocument';

interface Frame {
  /** Microseconds after the first frame. */
  us: number;
  srcMac?: string;
  dstMac?: string;
  ipId: number;
  ttl?: number;
  proto: 'udp' | 'icmp' | 'tcp';
  /** ICMP echo seq, or TCP seq. */
  seq?: number;
  payload?: number;
}

const A = [10, 224, 0, 1];
const B = [10, 224, 0, 2];
const mac = (s: string): number[] => s.split(':').map((h) => parseInt(h, 16));

function checksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

function frameBytes(f: Frame): number[] {
  const data = new Array<number>(f.payload ?? 16).fill(0x61);
  let l4: number[];
  let proto: number;
  if (f.proto === 'udp') {
    proto = 17;
    l4 = [...u16(40000), ...u16(5000), ...u16(8 + data.length), 0, 0, ...data];
  } else if (f.proto === 'icmp') {
    proto = 1;
    const head = [8, 0, 0, 0, ...u16(77), ...u16(f.seq ?? 1), ...data];
    const c = checksum(head);
    l4 = [...head.slice(0, 2), ...u16(c), ...head.slice(4)];
  } else {
    proto = 6;
    const hdr = [...u16(40000), ...u16(5000), ...u32(f.seq ?? 1000), ...u32(2000), 0x50, 0x18, ...u16(502), 0, 0, 0, 0];
    const pseudo = [...A, ...B, 0, 6, ...u16(hdr.length + data.length)];
    const c = checksum([...pseudo, ...hdr, ...data]);
    l4 = [...hdr.slice(0, 16), ...u16(c), ...hdr.slice(18), ...data];
  }
  const ip = [0x45, 0, ...u16(20 + l4.length), ...u16(f.ipId), 0x40, 0, f.ttl ?? 64, proto, 0, 0, ...A, ...B];
  const c = checksum(ip);
  ip[10] = c >> 8;
  ip[11] = c & 0xff;
  return [...mac(f.dstMac ?? '02:00:00:00:00:02'), ...mac(f.srcMac ?? '02:00:00:00:00:01'), 0x08, 0x00, ...ip, ...l4];
}

function pcapOf(frames: Frame[]): Buffer {
  const out: number[] = [];
  const le32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  out.push(...le32(0xa1b2c3d4), 2, 0, 4, 0, ...le32(0), ...le32(0), ...le32(65535), ...le32(1));
  const t0 = 1_795_000_000;
  for (const f of frames) {
    const b = frameBytes(f);
    out.push(...le32(t0 + Math.floor(f.us / 1e6)), ...le32(f.us % 1e6), ...le32(b.length), ...le32(b.length), ...b);
  }
  return Buffer.from(out);
}

const FORMS: string[][] = [[], ['-v'], ['-e'], ['-e', '-v']];

describe('HS402: the same packet twice, never a repeat', () => {
  const dir = mkdtempSync(join(tmpdir(), `hs2l-dup-${process.pid}-`));
  let n = 0;
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(() => assert.equal(spawnSync('tcpdump', ['--version']).status, 0));

  /** HS402 lines (zero-based) per form, and every finding code. */
  function findings(frames: Frame[]): Record<string, { dup: number[]; codes: string[] }> {
    const file = join(dir, `${n++}.pcap`);
    writeFileSync(file, pcapOf(frames));
    const out: Record<string, { dup: number[]; codes: string[] }> = {};
    for (const flags of FORMS) {
      // -S: absolute TCP sequence numbers (tcpdump makes a flow's later segments relative to its first).
      const r = spawnSync('tcpdump', ['-n', '-S', ...flags, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
      assert.equal(r.status, 0, r.stderr);
      const f = new CaptureTextDocument(r.stdout).analyzer.allFindings();
      out[flags.join(' ') || 'default'] = { dup: f.filter((x) => x.code === 'HS402').map((x) => x.line), codes: f.map((x) => x.code) };
    }
    return out;
  }
  const dupLines = (r: Record<string, { dup: number[] }>): Record<string, number[]> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.dup]));

  it('two datagrams alike 200 µs apart (id 0, as Linux sends DF datagrams): a repeat in every form', () => {
    const r = findings([{ us: 0, ipId: 0, proto: 'udp' }, { us: 200, ipId: 0, proto: 'udp' }]);
    assert.deepEqual(dupLines(r), { default: [], '-v': [], '-e': [], '-e -v': [] });
  });

  it('two datagrams alike 100 µs apart with different IP ids: never a copy', () => {
    const r = findings([{ us: 0, ipId: 4711, proto: 'udp' }, { us: 100, ipId: 4712, proto: 'udp' }]);
    assert.deepEqual(dupLines(r), { default: [], '-v': [], '-e': [], '-e -v': [] });
  });

  it('a ping flood (seq 1, 2, 3 every 300 µs): never a copy', () => {
    const r = findings([1, 2, 3].map((seq, i) => ({ us: i * 300, ipId: 100 + i, proto: 'icmp' as const, seq })));
    assert.deepEqual(dupLines(r), { default: [], '-v': [], '-e': [], '-e -v': [] });
  });

  it('a TCP segment sent again 500 µs later (new IP id): a retransmission (HS101), not a copy', () => {
    const r = findings([{ us: 0, ipId: 300, proto: 'tcp', seq: 1000 }, { us: 500, ipId: 301, proto: 'tcp', seq: 1000 }]);
    for (const [form, v] of Object.entries(r)) {
      assert.deepEqual(v.dup, [], form);
      assert.ok(v.codes.includes('HS101'), `${form}: ${v.codes.join()}`);
    }
  });

  it('one frame recorded twice 30 µs apart: -v shows the same non-zero IP id (a copy); without -v nothing tells', () => {
    const r = findings([{ us: 0, ipId: 4711, proto: 'udp' }, { us: 30, ipId: 4711, proto: 'udp' }]);
    const secondLine = { default: 1, '-v': 2, '-e': 1, '-e -v': 2 };
    assert.deepEqual(dupLines(r), { default: [], '-v': [secondLine['-v']], '-e': [], '-e -v': [secondLine['-e -v']] });
  });

  it('the same IP id 5 ms apart on one interface: too far apart for a copy', () => {
    const r = findings([{ us: 0, ipId: 4711, proto: 'udp' }, { us: 5000, ipId: 4711, proto: 'udp' }]);
    assert.deepEqual(dupLines(r), { default: [], '-v': [], '-e': [], '-e -v': [] });
  });

  it('a frame forwarded on this host (new MACs, TTL - 1, same IP id) 40 µs later: -e shows the copy', () => {
    const r = findings([
      { us: 0, ipId: 4711, proto: 'tcp', seq: 1000 },
      { us: 40, ipId: 4711, ttl: 63, srcMac: '02:00:00:00:00:03', dstMac: '02:00:00:00:00:04', proto: 'tcp', seq: 1000 },
    ]);
    assert.deepEqual(dupLines(r), { default: [], '-v': [2], '-e': [1], '-e -v': [2] });
    // The copy is reported as that and nothing else (not a retransmission).
    for (const form of ['-v', '-e', '-e -v']) assert.deepEqual(r[form].codes, ['HS402'], form);
  });
});
