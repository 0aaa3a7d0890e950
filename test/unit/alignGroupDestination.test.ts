/**
 * Group destinations on the committed real captures of test/fixtures/align/group (makeGroupFixtures.ts:
 * real `tcpdump -i any`, Linux cooked SLL2 without a destination MAC, at both ends of a veth pair and a
 * plain Ethernet capture, while ping -6 ff02::1, UDP to ff02::fb / 224.0.0.251, ND and MLD flow, and the
 * replies of a unicast ping -6 are dropped). tshark, run here, says which records went to a group.
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
import { GROUP_CAPTURE_NAMES, GROUP_NET6, UNICAST_PINGS, groupAlignArgs } from '../support/groupTrafficScenario';
import { alignJson } from '../support/runAlignCli';

const files = GROUP_CAPTURE_NAMES.map((n) => join(__dirname, '..', 'fixtures', 'align', 'group', n));
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
  it('a record is a group destination exactly when tshark says it went to a group (SLL2 and Ethernet)', async () => {
    for (const [i, file] of files.entries()) {
      const sll2 = i < 2;
      const cap = await loadCaptureColumns(file, GROUP_CAPTURE_NAMES[i], 'h', syncCaptureLoaders);
      assert.equal(cap.length, tsharkRecords(file, 'frame').length);
      const want = tsharkRecords(file, sll2 ? IP_GROUP : ETHERNET_GROUP);
      assert.deepEqual(groupRecords(cap), want, file);
      // Both kinds are there, IPv6 groups among them; on SLL2 no record has a destination MAC to go by.
      assert.ok(tsharkRecords(file, 'ipv6.dst == ff02::1 && icmpv6.type == 128').length >= 3, file);
      assert.ok(tsharkRecords(file, 'ipv6.dst == ff02::fb && udp').length >= 3, file);
      assert.ok(tsharkRecords(file, `ipv6.dst == ${GROUP_NET6}::2`).length >= UNICAST_PINGS, file);
      if (sll2) assert.ok(Array.from(cap.dstMac.subarray(0, cap.length)).every((m) => m === -1), file);
    }
  });

  it('the columns a worker thread sends back keep what marks a group destination', async () => {
    const specs = files.map((path, i) => ({ path, name: GROUP_CAPTURE_NAMES[i], host: 'h' }));
    const where: string[] = [];
    const caps = await loadCapturesInParallel(specs, syncCaptureLoaders, { minWorkerBytes: 0, maxWorkers: 1, onLoaded: (i, w) => { where[i] = w; } });
    assert.deepEqual(where, ['worker', 'worker', 'worker']);
    caps.forEach((cap, i) => assert.deepEqual(groupRecords(cap), tsharkRecords(files[i], i < 2 ? IP_GROUP : ETHERNET_GROUP), files[i]));
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
});
