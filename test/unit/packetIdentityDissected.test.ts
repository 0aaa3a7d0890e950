/**
 * Packet identity on frames run through the real dissector (the hash reads the packet bytes at the
 * offsets dissectPacket found): equal across a VLAN tag, other MACs and a lower TTL, as a bridge or
 * router hands the packet on; different for a retransmission that differs only in the IP id.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PacketFields } from '../../src/core/decode/packetFields';
import { dissectPacket } from '../../src/core/decode/dissectPacket';
import { PacketIdentity, computePacketIdentity } from '../../src/core/align/packetIdentity';

interface FrameSpec { vlan?: number; srcMac?: number; dstMac?: number; ttl?: number; ipId?: number; v6?: boolean; payload?: string }

/** Ethernet (+ optional 802.1Q) + IPv4 or IPv6 + TCP (seq 1000, ack 2000, PSH|ACK) + payload. */
function frame(s: FrameSpec): Uint8Array {
  const payload = Buffer.from(s.payload ?? 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const l2 = 14 + (s.vlan !== undefined ? 4 : 0);
  const l3 = s.v6 ? 40 : 20;
  const b = Buffer.alloc(l2 + l3 + 20 + payload.length);
  b.writeUIntBE(s.dstMac ?? 0x020000000002, 0, 6);
  b.writeUIntBE(s.srcMac ?? 0x020000000001, 6, 6);
  let p = 12;
  if (s.vlan !== undefined) { b.writeUInt16BE(0x8100, p); b.writeUInt16BE(s.vlan, p + 2); p += 4; }
  b.writeUInt16BE(s.v6 ? 0x86dd : 0x0800, p); p += 2;
  if (s.v6) {
    b[p] = 0x60; b.writeUInt16BE(20 + payload.length, p + 4); b[p + 6] = 6; b[p + 7] = s.ttl ?? 64;
    b.writeUInt32BE(0xfd000221, p + 8); b.writeUInt32BE(1, p + 20);
    b.writeUInt32BE(0xfd000221, p + 24); b.writeUInt32BE(2, p + 36);
  } else {
    b[p] = 0x45; b.writeUInt16BE(20 + 20 + payload.length, p + 2); b.writeUInt16BE(s.ipId ?? 0x1234, p + 4);
    b[p + 6] = 0x40; b[p + 8] = s.ttl ?? 64; b[p + 9] = 6;
    b.writeUInt32BE(0x0add0101, p + 12); b.writeUInt32BE(0x0add0202, p + 16);
  }
  p += l3;
  b.writeUInt16BE(40000, p); b.writeUInt16BE(80, p + 2); b.writeUInt32BE(1000, p + 4); b.writeUInt32BE(2000, p + 8);
  b[p + 12] = 0x50; b[p + 13] = 0x18; b.writeUInt16BE(502, p + 14);
  payload.copy(b, p + 20);
  return new Uint8Array(b);
}

function identityOf(s: FrameSpec): PacketIdentity {
  const data = frame(s);
  const f = dissectPacket(data, data.length, 1, new PacketFields());
  assert.equal(f.ipProto, 6, 'dissected as TCP');
  const id = new PacketIdentity();
  computePacketIdentity(f, data, id);
  return id;
}

describe('packet identity from dissected bytes', () => {
  for (const v6 of [false, true]) {
    it(`IPv${v6 ? 6 : 4}: same identity and flow with a VLAN tag, other MACs and TTL − 1; the signature shows them`, () => {
      const a = identityOf({ v6 });
      const b = identityOf({ v6, vlan: 100, srcMac: 0x0200000000aa, dstMac: 0x0200000000bb, ttl: 63 });
      assert.deepEqual([b.idA, b.idB, b.flow, b.dir], [a.idA, a.idB, a.flow, a.dir]);
      assert.deepEqual([a.vlan, b.vlan, a.ttl, b.ttl], [-1, 100, 64, 63]);
      assert.deepEqual([a.srcMac, b.srcMac, b.dstMac], [0x020000000001, 0x0200000000aa, 0x0200000000bb]);
    });
  }

  it('a retransmission with another IP id is another packet (same flow)', () => {
    const a = identityOf({ ipId: 0x1234 });
    const b = identityOf({ ipId: 0x1235 });
    assert.ok(a.idA !== b.idA && a.idB !== b.idB, 'both hash lanes differ');
    assert.equal(a.flow, b.flow);
  });

  it('payload bytes past the first 16 do not count, the first 16 do (one byte each)', () => {
    const base = identityOf({ payload: 'abcdefghijklmnopqrstuvwxyz' });
    const late = identityOf({ payload: 'abcdefghijklmnopQrstuvwxyz' });
    assert.deepEqual([late.idA, late.idB], [base.idA, base.idB]);
    for (let i = 0; i < 16; i++) {
      const p = 'abcdefghijklmnopqrstuvwxyz'.split('');
      p[i] = '#';
      const other = identityOf({ payload: p.join('') });
      assert.ok(other.idA !== base.idA || other.idB !== base.idB, `byte ${i}`);
    }
  });
});
