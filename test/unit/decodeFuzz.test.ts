/**
 * Fuzzes the decoders (pcapFuzz.test.ts covers the reader): seeded mutations of every packet of the
 * real captures in test/fixtures/capture (Ethernet, VLAN/QinQ, SLL2, ICMPv6 ND, TCP options, DNS,
 * DHCP, VXLAN, GENEVE, GRE), also re-framed as NULL, LOOP, raw IP and SLL, go through dissectPacket,
 * packet identity, describePacket and the tcpdump formatter (plain, -e, -tttt). Properties: nothing
 * throws, every case returns (a hang times the test out), memory stays bounded. Bounded in time for CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import type { CaptureRecord } from '../../src/core/pcap/captureRecord';
import { describePacket, dissectPacket } from '../../src/core/decode/dissectPacket';
import { PacketFields } from '../../src/core/decode/packetFields';
import { computePacketIdentity, PacketIdentity } from '../../src/core/align/packetIdentity';
import { TcpdumpFormatter } from '../../src/core/format/tcpdumpFormatter';
import { seededRandom } from './pcapTestTools';

const DIR = join(__dirname, '..', 'fixtures', 'capture');
const TIME_BUDGET_MS = 10000;
const MAX_CASES = 200000;
const LINK_TYPES = [0, 1, 101, 108, 113, 228, 229, 276];
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x05, 0x06, 0x11, 0x2f, 0x3a, 0x81, 0x88, 0x86, 0xdd, 0x08, 0x40];

interface Seed { data: Uint8Array; linkType: number }

/** The IP packet of an Ethernet frame re-framed for another link type (the header tcpdump expects there). */
function reframe(frame: Uint8Array, linkType: number): Uint8Array | undefined {
  const etherType = (frame[12] << 8) | frame[13];
  if (frame.length < 34 || (etherType !== 0x0800 && etherType !== 0x86dd)) return undefined;
  const ip = frame.subarray(14);
  const v6 = etherType === 0x86dd;
  let header: number[];
  if (linkType === 0) header = [v6 ? 30 : 2, 0, 0, 0]; // host byte order (little endian here)
  else if (linkType === 108) header = [0, 0, 0, v6 ? 24 : 2]; // network byte order
  else if (linkType === 113) header = [0, 0, 0, 1, 0, 6, ...frame.subarray(6, 12), 0, 0, frame[12], frame[13]];
  else header = [];
  const out = new Uint8Array(header.length + ip.length);
  out.set(header);
  out.set(ip, header.length);
  return out;
}

async function loadSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [];
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.pcap')).sort()) {
    await readCaptureFile(join(DIR, name), { onRecord: (r) => {
      const data = r.data.slice();
      seeds.push({ data, linkType: r.linkType });
      if (r.linkType !== 1) return;
      for (const lt of [0, 101, 108, 113]) {
        const re = reframe(data, lt);
        if (re) seeds.push({ data: re, linkType: lt });
      }
    } });
  }
  return seeds;
}

function mutate(seed: Seed, rnd: () => number): Seed {
  const b = seed.data.slice();
  const edits = 1 + Math.floor(rnd() * 6);
  for (let k = 0; k < edits && b.length > 0; k++) {
    // mostly inside the headers, where lengths, types and offsets live
    const at = Math.floor(rnd() * Math.min(b.length, rnd() < 0.8 ? 96 : b.length));
    const how = rnd();
    if (how < 0.4) b[at] = INTERESTING[Math.floor(rnd() * INTERESTING.length)];
    else if (how < 0.8) b[at] ^= 1 << Math.floor(rnd() * 8);
    else b[at] = Math.floor(rnd() * 256);
  }
  const cut = rnd() < 0.3 ? Math.floor(rnd() * (b.length + 1)) : b.length;
  const linkType = rnd() < 0.05 ? LINK_TYPES[Math.floor(rnd() * LINK_TYPES.length)] : seed.linkType;
  return { data: b.subarray(0, cut), linkType };
}

test('decoder fuzz: mutated real packets never throw in dissect, identity, describe or format', { timeout: 120000 }, async () => {
  const seeds = await loadSeeds();
  assert.ok(seeds.length > 100, `seeds: ${seeds.length}`);
  assert.deepEqual([...new Set(seeds.map((s) => s.linkType))].sort((a, b) => a - b), [0, 1, 101, 108, 113, 276]);
  const fields = new PacketFields();
  const identity = new PacketIdentity();
  const formatters = [new TcpdumpFormatter(), new TcpdumpFormatter({ linkHeaders: true }), new TcpdumpFormatter({ time: 'date' })];
  const rnd = seededRandom(20261124);
  const rec: CaptureRecord = { data: new Uint8Array(0), caplen: 0, origLen: 0, tsSec: 1795437634, tsNsec: 0, linkType: 1, interfaceId: 0, fileOffset: 0, index: 0 };
  const baseline = process.memoryUsage().rss;
  const started = Date.now();
  let cases = 0;
  for (; cases < MAX_CASES && Date.now() - started < TIME_BUDGET_MS; cases++) {
    const { data, linkType } = mutate(seeds[cases % seeds.length], rnd);
    // a snaplen cut: origLen stays the seed's, as a reader would report it
    const origLen = seeds[cases % seeds.length].data.length;
    try {
      dissectPacket(data, data.length, linkType, fields);
      computePacketIdentity(fields, data, identity);
      describePacket(data, data.length, linkType, origLen);
      Object.assign(rec, { data, caplen: data.length, origLen, linkType, index: cases });
      for (const f of formatters) assert.equal(typeof f.format(rec), 'string');
    } catch (e) {
      assert.fail(`case ${cases} (link type ${linkType}): ${e instanceof Error ? e.stack : String(e)}\npacket (hex): ${Buffer.from(data).toString('hex')}`);
    }
  }
  const grownMb = (process.memoryUsage().rss - baseline) / 1e6;
  console.log(`decoder fuzz: ${cases} cases from ${seeds.length} seed packets, rss +${grownMb.toFixed(0)} MB`);
  assert.ok(cases >= 5000, `only ${cases} cases ran`);
  assert.ok(grownMb < 300, `rss grew by ${grownMb} MB`);
});
