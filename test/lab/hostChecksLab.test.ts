/** ip -s -s -j link counters on a real veth, before and after known traffic, through the built command. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIpStatsCommand, diffInterfaceCounters, parseIpStatsJson } from '../../src/core/hostChecks/interfaceCounters';
import { createVethNamespacePair, type VethNamespacePair } from './support/vethNamespacePair';

let pair: VethNamespacePair | undefined;
after(() => pair?.destroy());

test('real ip -s -s -j output: 20 pings between snapshots show as >= 20 tx and rx packets on the veth, no drops', async () => {
  pair = await createVethNamespacePair({ prefix: 'hst', tag: 'hc', ipv4Net: '10.210.2' });
  const p = pair;
  const snapshot = (): ReturnType<typeof parseIpStatsJson>[number] => {
    const [c] = parseIpStatsJson(p.exec('ns', ['/bin/sh', '-c', buildIpStatsCommand(p.iface)]));
    return c;
  };
  const before = snapshot();
  assert.equal(before.ifname, p.iface);
  p.exec('ns', ['ping', '-n', '-q', '-c', '20', '-i', '0.01', '-s', '200', p.peerAddress]);
  const afterSnap = snapshot();
  const d = diffInterfaceCounters(before, afterSnap);
  // 20 echo requests out, 20 replies in, plus at most a couple of ARP/ND frames.
  assert.ok(d.delta.txPackets >= 20 && d.delta.txPackets <= 24, `tx ${d.delta.txPackets}`);
  assert.ok(d.delta.rxPackets >= 20 && d.delta.rxPackets <= 24, `rx ${d.delta.rxPackets}`);
  // Each 200-byte ping is 242 bytes on the wire.
  assert.ok(d.delta.txBytes >= 20 * 242, `tx bytes ${d.delta.txBytes}`);
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.wrapped, []);
});
