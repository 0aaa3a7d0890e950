/**
 * dissectIdentityFieldsAt (the lean dissection of plain Ethernet/IPv4 TCP/UDP frames) must give the
 * same packet identity as the full dissector, field by field: on every packet of every committed
 * capture (golden tcpdump captures, align fixtures, reader fixtures) and on seeded mutations of their
 * headers and caplens (the fuzz idea applied to the bytes the lean path reads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFileSync } from '../../src/core/pcap/captureFileSync';
import { PacketFields } from '../../src/core/decode/packetFields';
import { dissectPacketAt } from '../../src/core/decode/dissectPacket';
import { dissectForIdentityAt, dissectIdentityFieldsAt } from '../../src/core/decode/identityFields';
import { PacketIdentity, computePacketIdentity } from '../../src/core/align/packetIdentity';
import { seededRandom } from './pcapTestTools';

const FIXTURES = join(__dirname, '..', 'fixtures');

function captureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captureFiles(p));
    else if (/\.(pcap|pcapng)$/.test(name)) out.push(p);
  }
  return out;
}

interface Packet { bytes: Uint8Array; linkType: number }

function packetsOf(file: string): Packet[] {
  const packets: Packet[] = [];
  try {
    readCaptureFileSync(file, { onRecord: (rec) => { packets.push({ bytes: rec.data.slice(), linkType: rec.linkType }); } });
  } catch { /* a deliberately broken fixture: its complete records are enough */ }
  return packets;
}

const KEYS = Object.keys(new PacketIdentity()) as (keyof PacketIdentity)[];
const lean = new PacketFields();
const full = new PacketFields();
const idLean = new PacketIdentity();
const idFull = new PacketIdentity();

/** Compares the two paths on bytes[start, start + caplen); returns whether the lean path took the packet. */
function compare(bytes: Uint8Array, start: number, caplen: number, linkType: number, what: string): boolean {
  dissectPacketAt(bytes, start, caplen, linkType, full);
  computePacketIdentity(full, bytes, idFull);
  // Stale values from the previous packet must not matter: the lean path writes what identity reads.
  const took = dissectIdentityFieldsAt(bytes, start, caplen, linkType, lean);
  if (!took) return false;
  computePacketIdentity(lean, bytes, idLean);
  for (const k of KEYS) assert.equal(idLean[k], idFull[k], `${what}: ${k}`);
  return true;
}

const packets = captureFiles(FIXTURES).flatMap((f) => packetsOf(f).map((p, i) => ({ ...p, what: `${f.slice(FIXTURES.length + 1)} #${i + 1}` })));

test('the lean identity fields give the full dissector\'s identity on every committed capture', () => {
  let took = 0;
  for (const p of packets) {
    // At offset 0 and inside a larger buffer (the reader's rec.bytes + rec.dataOffset).
    if (compare(p.bytes, 0, p.bytes.length, p.linkType, p.what)) took++;
    const padded = new Uint8Array(p.bytes.length + 37);
    padded.set(p.bytes, 21);
    compare(padded, 21, p.bytes.length, p.linkType, `${p.what} at 21`);
  }
  // The fixtures are mostly loopback, "any" (SLL) and ICMP captures: still, the lean path must take a fair share.
  assert.ok(packets.length > 200, `${packets.length} packets`);
  assert.ok(took >= 200, `lean path took ${took} of ${packets.length}`);
});

test('dissectForIdentityAt falls back to the full dissector (ARP, IPv6, ICMP, tunnels, DNS, SLL)', () => {
  const f = new PacketFields();
  const id = new PacketIdentity();
  for (const p of packets) {
    dissectForIdentityAt(p.bytes, 0, p.bytes.length, p.linkType, f);
    computePacketIdentity(f, p.bytes, id);
    dissectPacketAt(p.bytes, 0, p.bytes.length, p.linkType, full);
    computePacketIdentity(full, p.bytes, idFull);
    for (const k of KEYS) assert.equal(id[k], idFull[k], `${p.what}: ${k}`);
  }
});

test('the lean identity fields match on mutated headers and cut caplens (seeded)', () => {
  const random = seededRandom(0x1dfe);
  const interesting = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x11, 0x20, 0x3f, 0x40, 0x45, 0x46, 0x4f, 0x50, 0x60, 0x80, 0x81, 0xa0, 0xf0, 0xff];
  const ethernet = packets.filter((p) => p.linkType === 1 && p.bytes.length >= 34);
  let cases = 0;
  let took = 0;
  for (let n = 0; n < 40000; n++) {
    const p = ethernet[Math.floor(random() * ethernet.length)];
    const b = p.bytes.slice();
    // Mutate 1-3 bytes: half in the TCP options of an untagged frame (bytes 54-77), else mostly in the
    // first 80 (the headers the lean path reads).
    const flips = 1 + Math.floor(random() * 3);
    for (let i = 0; i < flips; i++) {
      const r = random();
      const at = r < 0.5 ? Math.min(b.length - 1, 54 + Math.floor(random() * 24))
        : Math.floor(random() * Math.min(b.length, r < 0.95 ? 80 : b.length));
      b[at] = random() < 0.6 ? interesting[Math.floor(random() * interesting.length)] : Math.floor(random() * 256);
    }
    const caplen = random() < 0.3 ? Math.floor(random() * (b.length + 1)) : b.length;
    if (compare(b, 0, caplen, 1, `mutation ${n} of ${p.what}`)) took++;
    cases++;
  }
  assert.equal(cases, 40000);
  assert.ok(took > 1000, `lean path took ${took} mutated packets`);
});

/** Ethernet + IPv4 + TCP with a 60-byte TCP header (40 option bytes) and 24 payload bytes. */
function tcpFrameWithOptions(options: number[], dataOffsetWords: number): Uint8Array {
  const b = new Uint8Array(14 + 20 + 60 + 24);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], 0);
  b.set([0x45, 0, 0, 20 + 60 + 24, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  b.set([0x9c, 0x40, 0x01, 0xbb, 1, 2, 3, 4, 5, 6, 7, 8, dataOffsetWords << 4, 0x18, 0x01, 0xf6, 0, 0, 0, 0], 34);
  b.set(options, 54);
  for (let i = 94; i < b.length; i++) b[i] = i;
  return b;
}

test('the lean identity fields match on TCP option walks (kinds and lengths past the header end)', () => {
  const random = seededRandom(0x7cb);
  const alphabet = [0, 1, 1, 1, 2, 3, 4, 8, 8, 8, 9, 10, 10, 10, 11];
  let tsSeen = 0;
  for (let n = 0; n < 20000; n++) {
    const options = Array.from({ length: 40 }, () => alphabet[Math.floor(random() * alphabet.length)]);
    const frame = tcpFrameWithOptions(options, 5 + Math.floor(random() * 11));
    const caplen = random() < 0.2 ? 54 + Math.floor(random() * 64) : frame.length;
    assert.ok(compare(frame, 0, caplen, 1, `options ${options.join(',')} caplen ${caplen}`) || caplen < frame.length);
    if (idFull.flags !== 0 && full.tcpTsVal >= 0) tsSeen++;
  }
  assert.ok(tsSeen > 1000, `${tsSeen} walks found a timestamp`);
});
