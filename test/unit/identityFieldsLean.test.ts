/**
 * dissectIdentityFieldsAt (the lean dissection of plain Ethernet/IPv4/IPv6 TCP/UDP/ICMP frames) must give the
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

test('dissectForIdentityAt falls back to the full dissector (ARP, IPv6 extension headers, tunnels, SLL)', () => {
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

/**
 * Ethernet (optionally one 802.1Q tag) + IPv6 + TCP (a 40-byte header with a timestamp option), UDP
 * to `dstPort` or ICMPv6 (type `dstPort`), then `payload` bytes; `extension` puts a 8-byte extension header of that type (0
 * hop-by-hop, 44 fragment, 60 destination options) between the fixed header and L4.
 */
function ipv6Frame(l4: 'tcp' | 'udp' | 'icmp6', dstPort: number, payload: number, vlan: boolean, extension = -1): Uint8Array {
  const l4Length = (l4 === 'tcp' ? 40 : 8) + payload;
  const ext = extension >= 0 ? 8 : 0;
  const eth = vlan ? 18 : 14;
  const b = new Uint8Array(eth + 40 + ext + l4Length);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  if (vlan) b.set([0x81, 0x00, 0x20, 0x0a], 12);
  b.set([0x86, 0xdd], eth - 2);
  const proto = l4 === 'tcp' ? 6 : l4 === 'udp' ? 17 : 58;
  const plen = ext + l4Length;
  b.set([0x6b, 0x81, 0x23, 0x45, plen >> 8, plen & 0xff, extension >= 0 ? extension : proto, 63], eth);
  for (let i = 0; i < 32; i++) b[eth + 8 + i] = i < 16 ? 0xfd : 0x10 + i;
  b[eth + 24] = 0xfd;
  let p = eth + 40;
  if (extension >= 0) {
    // Next header, then a length of 0 (8 bytes); a fragment header: offset 0, more fragments, id 0x01020304.
    b.set(extension === 44 ? [proto, 0, 0, 1, 1, 2, 3, 4] : [proto, 0, 1, 4, 0, 0, 0, 0], p);
    p += 8;
  }
  if (l4 === 'tcp') {
    b.set([0x9c, 0x40, dstPort >> 8, dstPort & 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0xa0, 0x18, 0x01, 0xf6, 0, 0, 0, 0], p);
    b.set([2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9, 1, 3, 3, 7], p + 20);
    p += 40;
  } else if (l4 === 'udp') {
    b.set([0xc3, 0x50, dstPort >> 8, dstPort & 0xff, l4Length >> 8, l4Length & 0xff, 0, 0], p);
    p += 8;
  } else {
    b.set([dstPort, 0, 0x12, 0x34, 0x12, 0x34, 0, 7], p);
    p += 8;
  }
  for (let i = p; i < b.length; i++) b[i] = i & 0xff;
  return b;
}

test('the lean identity fields take plain IPv6 TCP/UDP/ICMPv6 (DNS and DHCP ports too) and match on their mutations', () => {
  const frames: Uint8Array[] = [];
  for (const vlan of [false, true]) {
    for (const payload of [0, 3, 16, 100]) {
      frames.push(ipv6Frame('tcp', 443, payload, vlan));
      for (const port of [5000, 53, 67, 547]) frames.push(ipv6Frame('udp', port, payload, vlan));
      // Echo request and reply, unreachable (quotes a packet), neighbour solicitation.
      for (const type of [128, 129, 1, 135]) frames.push(ipv6Frame('icmp6', type, payload + 40, vlan));
    }
  }
  for (const f of frames) assert.ok(compare(f, 0, f.length, 1, 'plain IPv6'), 'the lean path takes plain IPv6 TCP/UDP/ICMPv6');
  // Extension headers (a fragment among them) and tunnels: the full dissector.
  const fallbacks = [0, 44, 60].map((e) => ipv6Frame('tcp', 443, 20, false, e));
  fallbacks.push(ipv6Frame('udp', 4789, 20, false), ipv6Frame('udp', 6081, 20, true));
  for (const f of fallbacks) assert.equal(compare(f, 0, f.length, 1, 'IPv6 fallback'), false);
  const random = seededRandom(0x6d6);
  const interesting = [0x00, 0x01, 0x06, 0x08, 0x0a, 0x11, 0x14, 0x28, 0x2c, 0x35, 0x3a, 0x3c, 0x43, 0x50, 0x60, 0x6f, 0x81, 0x86, 0xa0, 0xdd, 0xf0, 0xff];
  let took = 0;
  for (let n = 0; n < 20000; n++) {
    const b = frames[Math.floor(random() * frames.length)].slice();
    const flips = 1 + Math.floor(random() * 3);
    for (let i = 0; i < flips; i++) {
      // The Ethernet, VLAN, IPv6 and L4 headers (the first 98 bytes) nearly always.
      const at = Math.floor(random() * Math.min(b.length, random() < 0.95 ? 98 : b.length));
      b[at] = random() < 0.6 ? interesting[Math.floor(random() * interesting.length)] : Math.floor(random() * 256);
    }
    const caplen = random() < 0.3 ? Math.floor(random() * (b.length + 1)) : b.length;
    if (compare(b, 0, caplen, 1, `IPv6 mutation ${n}`)) took++;
  }
  assert.ok(took > 3000, `lean path took ${took} mutated IPv6 frames`);
});
