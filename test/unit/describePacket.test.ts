/**
 * The layer tree against tshark's protocol stack (frame.protocols) for every fixture packet, and
 * the byte ranges: in order, not overlapping, inside the captured bytes.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describePacket } from '../../src/core/decode/dissectPacket';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';

const dir = join(__dirname, '../fixtures/capture');
const TSHARK_KIND: Record<string, string> = {
  eth: 'ethernet', vlan: 'vlan', ieee8021ad: 'vlan', sll: 'sll', arp: 'arp', ip: 'ipv4', ipv6: 'ipv6', icmp: 'icmp', icmpv6: 'icmpv6',
  tcp: 'tcp', udp: 'udp', dns: 'dns', dhcp: 'dhcp', vxlan: 'vxlan', geneve: 'geneve', gre: 'gre',
};

function tsharkStacks(file: string): string[][] {
  const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' });
  return r.stdout.split('\n').slice(0, -1).map((line) => {
    const kinds: string[] = [];
    for (const p of line.split(':')) {
      const k = TSHARK_KIND[p];
      if (k) kinds.push(k);
      if (k === 'icmp' || k === 'icmpv6') break; // what follows is the quoted packet (a field of our icmp layer)
    }
    return kinds;
  });
}

it('layer kinds match tshark and byte ranges are ordered and inside the capture', async () => {
  let packets = 0;
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort()) {
    const want = tsharkStacks(join(dir, file));
    let i = 0;
    await readCaptureFile(join(dir, file), {
      onRecord: (r) => {
        const layers = describePacket(r.data, r.caplen, r.linkType, r.origLen);
        const where = `${file} packet ${i + 1}`;
        assert.deepEqual(layers.filter((l) => l.kind !== 'payload').map((l) => l.kind), want[i], where);
        let end = 0;
        for (const l of layers) {
          assert.ok(l.offset >= end && l.length >= 0 && l.offset + l.length <= r.caplen, `${where} ${l.kind} [${l.offset}+${l.length}]`);
          end = l.offset + l.length;
        }
        i++;
        packets++;
      },
    });
    assert.equal(i, want.length, file);
  }
  assert.ok(packets > 70);
});
