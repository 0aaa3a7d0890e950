/**
 * Follow Stream against tshark's `-z follow,<tcp|udp>,<ascii|raw>,<stream>` on real captures (one tshark
 * run per file), and the conversation filter against tshark's tcp.stream / udp.stream packet sets.
 *
 * test/fixtures/follow/follow.pcap is real loopback traffic (makeFollowCapture.sh), with two TCP connections
 * on the same ports (packets 1-14 and 19-28). The variants with a
 * hole, out-of-order data, a retransmission and reused ports are cut and pasted from it here with
 * editcap/mergecap (real packets, only their order changed):
 *   gap.pcap    editcap follow.pcap gap.pcap 8                      (client segment seq 25 lost)
 *   ooo.pcap    packets 1-7, 10, 8-9, 11-18 (mergecap -a)           (client segment 64 before 25)
 *   retx.pcap   packets 1-11, 8, 12-18                              (segment 25 again, after 64)
 * align/any/hostA-any.pcap (Linux "any" capture) has every packet twice: each byte must show once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followStream, FollowStreamError, type FollowStreamResult } from '../../src/core/browse/followStream';
import { formatFollowDocument, formatFollowTshark, missingText } from '../../src/core/browse/followStreamText';
import { FrameClock } from '../../src/core/filter/frameClock';
import { compileDisplayFilter } from '../../src/core/filter/compileDisplayFilter';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { buildCaptureIndex } from '../../src/core/pcap/captureIndex';
import { dissectPacket } from '../../src/core/decode/dissectPacket';
import { PacketFields } from '../../src/core/decode/packetFields';

const FIXTURES = join(__dirname, '..', 'fixtures');
const FOLLOW = join(FIXTURES, 'follow', 'follow.pcap');

interface Case { packet: number; protocol: 'tcp' | 'udp'; stream: number }

interface TsharkRun {
  /** frame.number -> [tcp.stream, udp.stream, icmp.type or icmpv6.type] ('' when absent) */
  streams: Map<number, [string, string, string]>;
  /** "tcp,ascii,0" -> body from "Node 0:" on */
  bodies: Map<string, string>;
}

function runTshark(file: string, cases: Case[]): TsharkRun {
  const args = ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'udp.stream', '-e', 'icmp.type', '-e', 'icmpv6.type'];
  for (const c of cases) for (const m of ['ascii', 'raw']) args.push('-z', `follow,${c.protocol},${m},${c.stream}`);
  const out = execFileSync('tshark', args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const sep = '\n===================================================================\n';
  const firstSep = out.indexOf(sep);
  const streams = new Map<number, [string, string, string]>();
  for (const line of out.slice(0, firstSep).split('\n')) {
    const [n, t, u, i4, i6] = line.split('\t');
    if (n) streams.set(Number(n), [t ?? '', u ?? '', `${i4 ?? ''}${i6 ?? ''}`]);
  }
  const bodies = new Map<string, string>();
  for (const block of out.slice(firstSep).split(sep)) {
    const m = /^Follow: (\w+,\w+)\nFilter: \w+\.stream eq (\d+)\n/.exec(block);
    if (m) bodies.set(`${m[1]},${m[2]}`, `${block.slice(m[0].length).replace(/\n=+\n*$/, '')}\n`);
  }
  return { streams, bodies };
}

/** tshark writes a hole as the text "[N bytes missing in capture file]" plus a NUL, as if it were payload. */
function normaliseGaps(body: string, mode: 'ascii' | 'raw'): string {
  if (mode === 'ascii') return body.replace(/^(\t?)\d+\n\[(\d+) bytes missing in capture file\]\.$/gm, (_m, tab: string, n: string) => `${tab}${missingText(Number(n)).length}\n${missingText(Number(n))}`);
  return body.replace(/^(\t?)([0-9a-f]+)$/gm, (line, tab: string, hex: string) => {
    const text = Buffer.from(hex, 'hex').toString('latin1');
    const m = /^\[(\d+) bytes missing in capture file\]\0$/.exec(text);
    return m ? `${tab}[${m[1]} bytes missing in capture]` : line;
  });
}

async function filteredNumbers(file: string, filter: string): Promise<number[]> {
  const pred = compileDisplayFilter(filter);
  const f = new PacketFields();
  const out: number[] = [];
  const clock = new FrameClock();
  await readCaptureFile(file, {
    onRecord(rec) {
      const frame = clock.next(rec.index + 1, rec.tsSec, rec.tsNsec, rec.origLen, rec.caplen);
      if (pred(dissectPacket(rec.data, rec.caplen, rec.linkType, f), rec.data, frame)) { clock.displayed(); out.push(frame.number); }
    },
  });
  return out;
}

let tmp = '';
const files: Record<string, string> = {};

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hopscope-follow-'));
  const part = (name: string, range: string): string => {
    const p = join(tmp, `${name}.pcap`);
    execFileSync('editcap', ['-r', FOLLOW, p, range], { stdio: 'ignore' });
    return p;
  };
  const merge = (name: string, parts: string[]): void => {
    files[name] = join(tmp, `${name}.pcap`);
    execFileSync('mergecap', ['-a', '-w', files[name], ...parts], { stdio: 'ignore' });
  };
  files.gap = join(tmp, 'gap.pcap');
  execFileSync('editcap', [FOLLOW, files.gap, '8'], { stdio: 'ignore' });
  merge('ooo', [part('a', '1-7'), part('b', '10'), part('c', '8-9'), part('d', '11-28')]);
  merge('retx', [part('e', '1-11'), part('f', '8'), part('g', '12-28')]);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const SUITES: { name: string; file: () => string; cases: Case[] }[] = [
  {
    name: 'follow.pcap (ports reused)', file: () => FOLLOW,
    cases: [{ packet: 4, protocol: 'tcp', stream: 0 }, { packet: 16, protocol: 'udp', stream: 0 }, { packet: 24, protocol: 'tcp', stream: 1 }, { packet: 19, protocol: 'tcp', stream: 1 }],
  },
  { name: 'gap.pcap (segment lost)', file: () => files.gap, cases: [{ packet: 1, protocol: 'tcp', stream: 0 }] },
  { name: 'ooo.pcap (out of order)', file: () => files.ooo, cases: [{ packet: 9, protocol: 'tcp', stream: 0 }] },
  { name: 'retx.pcap (retransmission)', file: () => files.retx, cases: [{ packet: 12, protocol: 'tcp', stream: 0 }] },
  { name: 'hostA-any.pcap (every packet twice)', file: () => join(FIXTURES, 'align', 'any', 'hostA-any.pcap'), cases: [{ packet: 131, protocol: 'tcp', stream: 0 }] },
  { name: 'stats-mix.pcap', file: () => join(FIXTURES, 'stats', 'stats-mix.pcap'), cases: [] },
  { name: 'dns.pcap', file: () => join(FIXTURES, 'capture', 'dns.pcap'), cases: [{ packet: 2, protocol: 'udp', stream: 0 }] },
];

describe('followStream matches tshark -z follow', () => {
  for (const suite of SUITES) {
    it(`${suite.name}: payload (ascii and raw) and the conversation filter`, async () => {
      const file = suite.file();
      let cases = suite.cases;
      if (cases.length === 0) {
        // stats-mix: follow its TCP and DNS conversations, whatever their packet numbers
        const numbers = execFileSync('tshark', ['-r', file, '-Y', '(tcp.len > 0 and tcp.stream == 0) or (udp.stream == 0)', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('\t'));
        const tcp = numbers.find((l) => l[1] === '0');
        const udp = numbers.find((l) => l[1] === '');
        assert.ok(tcp && udp, 'stats-mix has a TCP and a UDP conversation');
        cases = [{ packet: Number(tcp[0]), protocol: 'tcp', stream: 0 }, { packet: Number(udp[0]), protocol: 'udp', stream: 0 }];
      }
      const ts = runTshark(file, cases);
      for (const c of cases) {
        const r = await followStream(file, c.packet);
        assert.equal(r.protocol, c.protocol);
        for (const mode of ['ascii', 'raw'] as const) {
          const golden = ts.bodies.get(`${c.protocol},${mode},${c.stream}`);
          assert.ok(golden !== undefined, `tshark printed follow,${c.protocol},${mode},${c.stream}`);
          assert.equal(formatFollowTshark(r, mode), normaliseGaps(golden, mode), `${suite.name} packet ${c.packet} ${mode}`);
        }
        const col = c.protocol === 'tcp' ? 0 : 1;
        const expected = [...ts.streams].filter(([, s]) => s[col] === String(c.stream)).map(([n]) => n);
        assert.deepEqual(await filteredNumbers(file, r.filter), expected, `${suite.name} filter ${r.filter}`);
        // the stream's own packets; the filter also selects ICMP errors quoting them, as tshark's stream does
        const own = expected.filter((n) => ts.streams.get(n)?.[2] === '');
        assert.equal(r.packets[0] + r.packets[1], own.length);
        assert.equal(r.firstPacket, own[0]);
        assert.equal(r.lastPacket, own[own.length - 1]);
      }
    });
  }
});

describe('followStream edge cases', () => {
  it('counts each direction once and marks the hole in the document', async () => {
    const r: FollowStreamResult = await followStream(files.gap, 4);
    assert.deepEqual(r.nodes, [{ address: '10.228.1.1', port: 40101 }, { address: '10.228.1.2', port: 40100 }]);
    assert.deepEqual(r.bytes, [24 + 23, 35 + 50 + 34]);
    assert.ok(r.chunks.some((c) => c.missing === 39));
    const doc = formatFollowDocument(r, { file: 'gap.pcap', packet: 4 });
    assert.match(doc, /^> client 10\.228\.1\.1:40101 -> 10\.228\.1\.2:40100: 7 packets, 47 payload bytes$/m);
    assert.match(doc, /^< server 10\.228\.1\.2:40100 -> 10\.228\.1\.1:40101: 6 packets, 119 payload bytes$/m);
    assert.match(doc, /^> \[39 bytes missing in capture\]$/m);
    assert.match(doc, /^< reply 1: \.{10}$/m);
    assert.match(doc, /^> hello server$/m);
  });

  it('cuts the payload at maxBytes and says so', async () => {
    const r = await followStream(FOLLOW, 4, { maxBytes: 60 });
    assert.equal(r.truncated, true);
    assert.ok(r.chunks.reduce((n, c) => n + c.bytes.length, 0) <= 60);
    assert.match(formatFollowDocument(r, { file: 'f', packet: 4 }), /Payload cut at 60 bytes/);
  });

  it('refuses a packet that is not TCP/UDP or not in the file, with the reason', async () => {
    await assert.rejects(followStream(join(FIXTURES, 'capture', 'ping4.pcap'), 3), (e: unknown) => e instanceof FollowStreamError && /neither TCP nor UDP/.test(e.message));
    await assert.rejects(followStream(FOLLOW, 99), (e: unknown) => e instanceof FollowStreamError && /has 28 packets, no packet 99/.test(e.message));
    await assert.rejects(followStream(FOLLOW, 0), FollowStreamError);
  });

  it('with the file index (as the pcap editor has it), finds the same stream without the first pass', async () => {
    const index = await buildCaptureIndex(FOLLOW);
    for (const packet of [4, 20, 24]) assert.deepEqual(await followStream(FOLLOW, packet, { index }), await followStream(FOLLOW, packet));
    await assert.rejects(followStream(FOLLOW, 99, { index }), (e: unknown) => e instanceof FollowStreamError && /has 28 packets, no packet 99/.test(e.message));
  });
});
