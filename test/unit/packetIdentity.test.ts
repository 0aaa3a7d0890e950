/** Packet identity: what must match across hops and what must not. Fields filled by hand (test/support). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PacketFields } from '../../src/core/decode/packetFields';
import { PacketIdentity, computePacketIdentity } from '../../src/core/align/packetIdentity';
import { buildPacket, type SyntheticPacket } from '../support/syntheticAlignPackets';

function identity(p: SyntheticPacket, tweak?: (f: PacketFields) => void): PacketIdentity {
  const f = new PacketFields();
  const data = buildPacket(p, f);
  tweak?.(f);
  const id = new PacketIdentity();
  computePacketIdentity(f, data, id);
  return id;
}

const req: SyntheticPacket = { kind: 'echo-request', src: '10.205.1.1', dst: '10.205.1.2', icmpId: 9, seq: 4, ipId: 77 };

describe('packet identity', () => {
  it('ignores MACs, TTL, VLAN and DSCP but keeps them in the rewrite signature', () => {
    const a = identity(req);
    const b = identity({ ...req, srcMac: 0x02aabbccddee, dstMac: 0x021122334455, ttl: 63 }, (f) => { f.vlanId0 = 100; f.ipDscp = 46; });
    assert.deepEqual([a.idA, a.idB, a.flow], [b.idA, b.idB, b.flow]);
    assert.notEqual(a.dstMac, b.dstMac);
    assert.deepEqual([a.ttl, b.ttl, a.vlan, b.vlan, b.dscp], [64, 63, -1, 100, 46]);
  });

  it('tells apart what changes between packets: seq, IP id, payload, addresses', () => {
    const a = identity(req);
    for (const other of [{ ...req, seq: 5 }, { ...req, ipId: 78 }, { ...req, dst: '10.205.1.3' }]) {
      const b = identity(other);
      assert.ok(a.idA !== b.idA || a.idB !== b.idB, JSON.stringify(other));
    }
    const c = identity(req, (f) => { f.payloadLength = 8; });
    assert.ok(a.idA !== c.idA || a.idB !== c.idB);
  });

  it('gives a request and its reply one flow, opposite directions and one pair key', () => {
    const q = identity(req);
    const r = identity({ ...req, kind: 'echo-reply', src: req.dst, dst: req.src, ipId: 5 });
    assert.equal(q.flow, r.flow);
    assert.notEqual(q.dir, r.dir);
    assert.equal(q.pairKey, r.pairKey);
    assert.deepEqual([q.pairRole, r.pairRole], [1, 2]);
  });

  it('pairs a TCP SYN with its SYN-ACK, ignores PSH, keeps the TS value', () => {
    const syn = identity({ kind: 'tcp', src: '10.205.1.1', dst: '10.205.1.2', sport: 40000, dport: 80, seq: 1000, tcpFlags: 0x02 });
    const synAck = identity({ kind: 'tcp', src: '10.205.1.2', dst: '10.205.1.1', sport: 80, dport: 40000, seq: 555, ack: 1001, tcpFlags: 0x12 });
    assert.equal(syn.pairKey, synAck.pairKey);
    assert.deepEqual([syn.pairRole, synAck.pairRole], [1, 2]);
    const data: SyntheticPacket = { kind: 'tcp', src: '10.205.1.1', dst: '10.205.1.2', seq: 1001, ack: 556, tcpFlags: 0x10, payload: 100 };
    const a = identity(data);
    const psh = identity({ ...data, tcpFlags: 0x18 });
    assert.deepEqual([a.idA, a.idB], [psh.idA, psh.idB]);
    const ts = identity(data, (f) => { f.tcpTsVal = 12345; });
    assert.ok(a.idA !== ts.idA || a.idB !== ts.idB);
  });

  it('identifies ARP by op and addresses, not by the Ethernet destination', () => {
    const arp: SyntheticPacket = { kind: 'arp-request', src: '10.205.1.1', dst: '10.205.1.254', srcMac: 0x020000000001 };
    const a = identity(arp);
    const b = identity({ ...arp, dstMac: 0x020000000002 });
    const reply = identity({ kind: 'arp-reply', src: '10.205.1.254', dst: '10.205.1.1', srcMac: 0x020000000009 });
    assert.deepEqual([a.idA, a.idB], [b.idA, b.idB]);
    assert.equal(a.pairKey, reply.pairKey);
    assert.notEqual(a.idA, reply.idA);
  });
});
