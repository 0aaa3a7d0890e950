/**
 * The flat dissection (PacketFields) against tshark's fields for the same packets of the committed
 * real captures: addresses, TTL, IP id, ports, TCP seq/ack/flags/window/options, ICMP, VLAN,
 * SLL2, tunnel ids, DNS id, DHCP message type, and truncation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PacketFields, TunnelKind } from '../../src/core/decode/packetFields';
import { dissectPacket } from '../../src/core/decode/dissectPacket';
import { ipv4Text, ipv6Text } from '../../src/core/decode/addressText';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';

const dir = join(__dirname, '../fixtures/capture');
const FIELDS = [
  'ieee8021ad.id', 'vlan.id', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.id', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw',
  'tcp.flags', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.timestamp.tsval',
  'udp.srcport', 'udp.dstport', 'icmp.type', 'icmp.ident', 'icmp.seq', 'icmpv6.type', 'icmpv6.echo.identifier', 'vxlan.vni', 'geneve.vni',
  'gre.key', 'dns.id', 'dhcp.option.dhcp', 'sll.ifindex', 'sll.pkttype', 'arp.opcode',
] as const;
type Row = Record<(typeof FIELDS)[number], string[]>;

function tsharkRows(file: string): Row[] {
  const r = spawnSync('tshark', ['-r', file, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').slice(0, -1).map((line) => {
    const cols = line.split('\t');
    return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] === '' ? [] : cols[i].split(',')])) as Row;
  });
}

const num = (s: string | undefined): number => (s === undefined ? -1 : Number(s));
const last = (a: string[]): string | undefined => a[a.length - 1];

async function dissectAll(file: string): Promise<{ f: PacketFields; data: Uint8Array }[]> {
  const out: { f: PacketFields; data: Uint8Array }[] = [];
  await readCaptureFile(file, {
    onRecord: (r) => {
      const data = r.data.slice();
      out.push({ f: dissectPacket(data, r.caplen, r.linkType, new PacketFields()), data });
    },
  });
  return out;
}

describe('dissectPacket agrees with tshark on real captures', () => {
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort()) {
    it(file, async () => {
      const rows = tsharkRows(join(dir, file));
      const ours = await dissectAll(join(dir, file));
      assert.equal(ours.length, rows.length);
      ours.forEach(({ f, data }, i) => {
        const t = rows[i];
        const where = `${file} packet ${i + 1}`;
        // tshark names an 802.1ad (0x88a8) outer tag ieee8021ad.id, an 802.1Q one vlan.id.
        assert.deepEqual([f.vlanId0, f.vlanId1].filter((v) => v >= 0), [...t['ieee8021ad.id'], ...t['vlan.id']].map(Number), where);
        if (file === 'vlan.pcap' && i === 1) assert.deepEqual([f.vlanId0, f.vlanPcp0, f.vlanId1, f.vlanPcp1], [200, 3, 100, 0]);
        const icmpError = t['icmp.type'].length > 0 && t['icmp.type'][0] !== '0' && t['icmp.type'][0] !== '8';
        if (icmpError) {
          // tshark lists the quoted packet's fields last; compare the outer ICMP only.
          assert.equal(f.icmpType, num(t['icmp.type'][0]), where);
          assert.equal(ipv4Text(data, f.ipSrcOffset), t['ip.src'][0], where);
          assert.ok(f.icmpInnerOffset > 0, where);
          return;
        }
        if (f.ipVersion === 4) {
          assert.equal(ipv4Text(data, f.ipSrcOffset), last(t['ip.src']), where);
          assert.equal(ipv4Text(data, f.ipDstOffset), last(t['ip.dst']), where);
          assert.equal(f.ipTtl, num(last(t['ip.ttl'])), where);
          assert.equal(f.ipId, num(last(t['ip.id'])), where);
        } else if (f.ipVersion === 6) {
          assert.equal(ipv6Text(data, f.ipSrcOffset), last(t['ipv6.src']), where);
          assert.equal(ipv6Text(data, f.ipDstOffset), last(t['ipv6.dst']), where);
        } else {
          assert.equal(t['ip.src'].length + t['ipv6.src'].length - (f.tunnelKind ? 1 : 0), 0, where);
        }
        if (f.ipProto === 6) {
          assert.equal(f.srcPort, num(last(t['tcp.srcport'])), where);
          assert.equal(f.dstPort, num(last(t['tcp.dstport'])), where);
          assert.equal(f.tcpSeq, num(last(t['tcp.seq_raw'])), where);
          if (f.tcpFlags & 0x10) assert.equal(f.tcpAck, num(last(t['tcp.ack_raw'])), where);
          assert.equal(f.tcpFlags, num(last(t['tcp.flags'])) & 0xff, where);
          assert.equal(f.tcpWindow, num(last(t['tcp.window_size_value'])), where);
          assert.equal(f.tcpMss, num(last(t['tcp.options.mss_val'])), where);
          assert.equal(f.tcpWscale, num(last(t['tcp.options.wscale.shift'])), where);
          assert.equal(f.tcpTsVal, num(last(t['tcp.options.timestamp.tsval'])), where);
          if (file === 'tcp-snap60.pcap') assert.equal(f.truncatedAt, 'tcp', where);
          else assert.equal(f.truncatedAt, '', where);
        }
        if (f.ipProto === 17) {
          assert.equal(f.srcPort, num(last(t['udp.srcport'])), where);
          assert.equal(f.dstPort, num(last(t['udp.dstport'])), where);
        }
        if (f.ipProto === 1) {
          assert.equal(f.icmpType, num(last(t['icmp.type'])), where);
          assert.equal(f.icmpId, num(last(t['icmp.ident'])), where);
          assert.equal(f.icmpSeq, num(last(t['icmp.seq'])), where);
        }
        if (f.ipProto === 58) {
          assert.equal(f.icmpType, num(last(t['icmpv6.type'])), where);
          assert.equal(f.icmpId, num(last(t['icmpv6.echo.identifier'])), where);
        }
        const tunnelId = f.tunnelKind === TunnelKind.Vxlan ? t['vxlan.vni'][0] : f.tunnelKind === TunnelKind.Geneve ? t['geneve.vni'][0]
          : f.tunnelKind === TunnelKind.Gre ? t['gre.key'][0] : undefined;
        assert.equal(f.tunnelId, num(tunnelId), where);
        assert.equal(t['vxlan.vni'].length + t['geneve.vni'].length + t['gre.key'].length > 0, f.tunnelKind !== 0, where);
        assert.equal(f.dnsId, num(t['dns.id'][0]), where);
        assert.equal(f.dhcpMessageType, num(t['dhcp.option.dhcp'][0]), where);
        assert.equal(f.sllIfIndex, num(t['sll.ifindex'][0]), where);
        assert.equal(f.sllPacketType, num(t['sll.pkttype'][0]), where);
        assert.equal(f.arpOp, num(last(t['arp.opcode'])), where);
      });
    });
  }

  it('never throws and flags truncation on every cut of every packet', async () => {
    const f = new PacketFields();
    for (const file of readdirSync(dir).filter((n) => n.endsWith('.pcap'))) {
      for (const { data } of await dissectAll(join(dir, file))) {
        const full = dissectPacket(data, data.length, file === 'any.pcap' ? 276 : 1, new PacketFields());
        for (let cut = 0; cut < data.length; cut++) {
          dissectPacket(data, cut, file === 'any.pcap' ? 276 : 1, f);
          if (full.truncatedAt === '' && cut < Math.min(data.length, 14)) assert.notEqual(f.truncatedAt, '', `${file} cut ${cut}`);
        }
      }
    }
  });
});
