/**
 * VLAN, VXLAN and GRE lines: this kernel has no 8021q module and the lab has no overlay, so the
 * frames are built here byte by byte and written to a pcap; the text comes from the real
 * `tcpdump -r` and the expected values from the real `tshark` on the same file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTcpdumpText } from '../../src/core/tcpdumpText/parseTcpdumpText';
import type { TcpdumpPacketRecord } from '../../src/core/tcpdumpText/tcpdumpRecord';

function checksum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) + (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s >>> 16) + (s & 0xffff);
  return ~s & 0xffff;
}

function ipv4(src: number[], dst: number[], proto: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt8(0x45, 0);
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(0x4000, 6);
  h.writeUInt8(64, 8);
  h.writeUInt8(proto, 9);
  Buffer.from(src).copy(h, 12);
  Buffer.from(dst).copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function icmpEcho(id: number, seq: number): Buffer {
  const b = Buffer.concat([Buffer.from([8, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255]), Buffer.from('hopscope'.repeat(4))]);
  b.writeUInt16BE(checksum(b), 2);
  return b;
}

const macA = Buffer.from('020000cf0001', 'hex');
const macB = Buffer.from('020000cf0002', 'hex');
const ether = (type: number, payload: Buffer): Buffer => Buffer.concat([macB, macA, Buffer.from([type >> 8, type & 255]), payload]);
const outerA = [10, 207, 7, 1];
const outerB = [10, 207, 7, 2];
const inner = ipv4([192, 168, 7, 1], [192, 168, 7, 2], 1, icmpEcho(77, 5));

function frames(): Buffer[] {
  const vlan = Buffer.concat([macB, macA, Buffer.from([0x81, 0x00, 0x00, 100, 0x08, 0x00]), ipv4(outerA, outerB, 1, icmpEcho(42, 1))]);
  const vxlanHeader = Buffer.from([0x08, 0, 0, 0, 0, 0, 100, 0]);
  const vxlanPayload = Buffer.concat([vxlanHeader, ether(0x0800, inner)]);
  const udp = Buffer.concat([Buffer.from([0x9c, 0x40, 0x12, 0xb5, (8 + vxlanPayload.length) >> 8, (8 + vxlanPayload.length) & 255, 0, 0]), vxlanPayload]);
  const gre = Buffer.concat([Buffer.from([0, 0, 0x08, 0x00]), inner]);
  return [vlan, ether(0x0800, ipv4(outerA, outerB, 17, udp)), ether(0x0800, ipv4(outerA, outerB, 47, gre))];
}

function pcap(list: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  const parts: Buffer[] = [head];
  list.forEach((f, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1795437000 + i, 0);
    rec.writeUInt32LE(123456, 4);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, f);
  });
  return Buffer.concat(parts);
}

describe('tunnels and VLAN tags in tcpdump text, checked against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-tunnels-'));
  const file = join(dir, 'tunnels.pcap');
  let golden: string[][];
  before(() => {
    writeFileSync(file, pcap(frames()));
    const fields = ['vlan.id', 'vxlan.vni', 'ip.src', 'ip.dst', 'ip.proto', 'icmp.ident', 'icmp.seq'];
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|'];
    for (const f of fields) args.push('-e', f);
    const r = spawnSync('tshark', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    golden = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const flags of [[], ['-e'], ['-v'], ['-vvv', '-e']]) {
    it(`tcpdump -r ${flags.join(' ') || '(default)'}: VLAN id, VXLAN vni, GRE and the inner packets`, () => {
      const r = spawnSync('tcpdump', ['-n', '-r', file, ...flags], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const records = parseTcpdumpText(r.stdout).map((x) => x.record);
      assert.deepEqual(records.filter((x) => x.kind === 'unparsed'), []);
      const [vlan, vxlan, gre] = records as TcpdumpPacketRecord[];
      assert.equal(records.length, 3);
      const [vlanId, , srcs, dsts, , idents, seqs] = golden[0];
      if (flags.includes('-e')) assert.deepEqual(vlan.link?.vlans, [{ id: Number(vlanId), priority: 0 }]);
      assert.equal(vlan.src?.address, srcs);
      assert.equal(vlan.dst?.address, dsts);
      assert.equal(vlan.icmp?.id, Number(idents));
      assert.equal(vlan.icmp.seq, Number(seqs));
      for (const [rec, row, kind] of [[vxlan, golden[1], 'vxlan'], [gre, golden[2], 'gre']] as const) {
        const [, vni, src, dst, , ident, seq] = row;
        assert.equal(rec.tunnel?.kind, kind);
        if (kind === 'vxlan') assert.equal(rec.tunnel.vni, Number(vni));
        // tshark lists outer then inner addresses; tcpdump prints the inner packet apart.
        assert.equal(rec.src?.address, src.split('|')[0]);
        assert.equal(rec.dst?.address, dst.split('|')[0]);
        const innerRec = rec.tunnel.inner;
        assert.ok(innerRec, `${kind} carries an inner packet`);
        assert.equal(innerRec.src?.address, src.split('|')[1]);
        assert.equal(innerRec.dst?.address, dst.split('|')[1]);
        assert.equal(innerRec.icmp?.id, Number(ident));
        assert.equal(innerRec.icmp.seq, Number(seq));
        if (flags.includes('-v')) assert.equal(innerRec.ip?.ttl, 64);
      }
    });
  }
});
