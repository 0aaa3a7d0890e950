/**
 * Group destinations on the committed real captures of test/fixtures/align/group (makeGroupFixtures.ts:
 * real `tcpdump -i any`, Linux cooked SLL2 without a destination MAC, at both ends of a veth pair and a
 * plain Ethernet capture, while ping -6 ff02::1, UDP to ff02::fb / 224.0.0.251, ND and MLD flow, and the
 * replies of a unicast ping -6 are dropped; the same traffic out of a tun device, captured there as raw
 * IP and by `-i any`, with nothing answering). tshark, run here, says which records went to a group.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isGroupDestination } from '../../src/core/align/groupDestination';
import { loadCaptureColumns } from '../../src/core/align/loadCaptureColumns';
import { loadCapturesInParallel } from '../../src/core/align/loadCapturesInParallel';
import { syncCaptureLoaders } from '../../src/core/align/syncCaptureLoaders';
import type { CaptureColumns } from '../../src/core/align/captureColumns';
import { GROUP_CAPTURE_NAMES, GROUP_NET6, RAW_IP_CAPTURE_NAMES, RAW_IP_NET6, UNICAST_PINGS, groupAlignArgs } from '../support/groupTrafficScenario';
import { alignJson } from '../support/runAlignCli';

const fixture = (n: string): string => join(__dirname, '..', 'fixtures', 'align', 'group', n);
/** -i any (SLL2) in ns, -i any in the peer, the peer's interface (Ethernet). */
const files = GROUP_CAPTURE_NAMES.map(fixture);
/** The tun device (raw IP), -i any (SLL2) in its namespace. */
const rawFiles = RAW_IP_CAPTURE_NAMES.map(fixture);
/** Every capture with its link type as tshark names it and whether it has destination MACs. */
const ALL: [file: string, encapsulation: string, macs: boolean][] = [
  [files[0], 'Linux cooked-mode capture v2', false], [files[1], 'Linux cooked-mode capture v2', false], [files[2], 'Ethernet', true],
  [rawFiles[0], 'Raw IP', false], [rawFiles[1], 'Linux cooked-mode capture v2', false],
];
const IP_GROUP = 'ipv6.dst == ff00::/8 || ip.dst == 224.0.0.0/4 || ip.dst == 255.255.255.255';
/** A destination MAC with the group bit counts too where there is one (ARP is never a group destination). */
const ETHERNET_GROUP = `${IP_GROUP} || (eth.dst.ig == 1 && !arp)`;

/** Record indexes (0-based) of the frames tshark selects with `filter`. */
function tsharkRecords(file: string, filter: string): number[] {
  const out = execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l).map((l) => Number(l) - 1);
}

function groupRecords(cap: CaptureColumns): number[] {
  return Array.from({ length: cap.length }, (_, rec) => rec).filter((rec) => isGroupDestination(cap, rec));
}

describe('align: group destinations on real captures without a destination MAC', () => {
  it('a record is a group destination exactly when tshark says it went to a group (SLL2, raw IP, Ethernet)', async () => {
    for (const [file, encapsulation, macs] of ALL) {
      assert.match(execFileSync('capinfos', ['-E', file], { encoding: 'utf8' }), new RegExp(`File encapsulation: +${encapsulation}\n`), file);
      const cap = await loadCaptureColumns(file, file, 'h', syncCaptureLoaders);
      assert.equal(cap.length, tsharkRecords(file, 'frame').length);
      assert.deepEqual(groupRecords(cap), tsharkRecords(file, macs ? ETHERNET_GROUP : IP_GROUP), file);
      // Group and unicast records are both there, IPv6 groups among them; without MACs none is read.
      assert.ok(tsharkRecords(file, 'ipv6.dst == ff02::1 && icmpv6.type == 128').length >= 3, file);
      assert.ok(tsharkRecords(file, 'ipv6.dst == ff02::fb && udp').length >= 3, file);
      assert.ok(tsharkRecords(file, 'ipv6.dst == fd00::/8 && icmpv6.type == 128').length >= UNICAST_PINGS, file);
      if (!macs) assert.ok(Array.from(cap.dstMac.subarray(0, cap.length)).every((m) => m === -1), file);
    }
  });

  it('the columns a worker thread sends back keep what marks a group destination', async () => {
    const specs = ALL.map(([path]) => ({ path, name: path, host: 'h' }));
    const where: string[] = [];
    const caps = await loadCapturesInParallel(specs, syncCaptureLoaders, { minWorkerBytes: 0, maxWorkers: 1, onLoaded: (i, w) => { where[i] = w; } });
    assert.deepEqual(where, ALL.map(() => 'worker'));
    caps.forEach((cap, i) => assert.deepEqual(groupRecords(cap), tsharkRecords(ALL[i][0], ALL[i][2] ? ETHERNET_GROUP : IP_GROUP), ALL[i][0]));
  });

  for (const [label, order] of [['-i any captures first', [0, 1, 2]], ['the Ethernet capture first', [2, 0]], ['-i any captures only', [0, 1]]] as const) {
    it(`align reports the dropped unicast replies and nothing about group traffic (${label})`, async () => {
      // The fault is in the data: requests to the peer's unicast address on every capture, no reply on any.
      for (const f of files) {
        assert.equal(tsharkRecords(f, `ipv6.dst == ${GROUP_NET6}::2 && icmpv6.type == 128`).length, UNICAST_PINGS);
        assert.equal(tsharkRecords(f, `ipv6.src == ${GROUP_NET6}::2 && icmpv6.type == 129`).length, 0);
      }
      const r = await alignJson(groupAlignArgs(files, order));
      const request = `ICMP echo request ${GROUP_NET6}::1 > ${GROUP_NET6}::2 id `;
      assert.deepEqual(r.verdicts.map((v) => [v.kind, v.count, v.rows[0]?.description.startsWith(request)]).sort(), [
        ['one-way', UNICAST_PINGS, true],
        ['reply-missing', UNICAST_PINGS, true],
      ], JSON.stringify(r.verdicts.map((v) => [v.kind, v.count, v.rows[0]?.description])));
    });
  }

  for (const [label, order] of [['raw IP first', [0, 1]], ['-i any first', [1, 0]]] as const) {
    it(`align reports the unanswered unicast ping and nothing about group traffic on raw IP (${label})`, async () => {
      for (const f of rawFiles) assert.equal(tsharkRecords(f, `ipv6.dst == ${RAW_IP_NET6}::2 && icmpv6.type == 128`).length, UNICAST_PINGS);
      const ordered = order.map((i) => rawFiles[i]);
      const r = await alignJson(['--host', `T=${ordered.join(',')}`, ...ordered]);
      const request = `ICMP echo request ${RAW_IP_NET6}::1 > ${RAW_IP_NET6}::2 id `;
      assert.deepEqual(r.verdicts.map((v) => [v.kind, v.count, v.rows[0]?.description.startsWith(request)]).sort(), [
        ['one-way', UNICAST_PINGS, true],
        ['reply-missing', UNICAST_PINGS, true],
      ], JSON.stringify(r.verdicts.map((v) => [v.kind, v.count, v.rows[0]?.description])));
    });
  }
});
