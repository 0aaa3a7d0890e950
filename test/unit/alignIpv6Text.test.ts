/**
 * IPv6 packets in verdict texts and Compare's flow labels carry their real addresses (the columns keep
 * IPv4 only; each IPv6 flow's pair is noted once), also when the capture was parsed in a worker thread.
 * Real capture: test/fixtures/capture/ping6.pcap (ping -6 between namespaces); the addresses expected
 * are tcpdump's own text of the same packets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCaptures } from '../../src/core/align/compareCaptures';
import { describeRecord } from '../../src/core/align/describeRow';
import { loadCapturesInParallel } from '../../src/core/align/loadCapturesInParallel';
import { syncCaptureLoaders } from '../../src/core/align/syncCaptureLoaders';
import { alignJson } from '../support/runAlignCli';

const PING6 = join(__dirname, '..', 'fixtures', 'capture', 'ping6.pcap');

describe('align: IPv6 addresses in texts', () => {
  let dir = '';
  let a = '';
  let b = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hopscope-v6text-'));
    a = join(dir, 'a.pcap');
    b = join(dir, 'b.pcap');
    copyFileSync(PING6, a);
    // The second hop misses the echo requests.
    execFileSync('tcpdump', ['-r', PING6, '-w', b, 'not (icmp6 and ip6[40] == 128)'], { stdio: 'ignore' });
  });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('a lost IPv6 echo request is described with the addresses tcpdump prints', async () => {
    const text = execFileSync('tcpdump', ['-nn', '-r', a, 'icmp6 and ip6[40] == 128'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const expected = text.trim().split('\n').map((l) => {
      const m = /IP6 (\S+) > (\S+): ICMP6, echo request, id (\d+), seq (\d+)/.exec(l);
      assert.ok(m, l);
      return `ICMP echo request ${m[1]} > ${m[2].replace(/:$/, '')} id ${m[3]} seq ${m[4]}`;
    });
    const r = await alignJson(['--order', 'a.pcap,b.pcap', a, b]);
    const lost = r.verdicts.filter((v) => v.kind === 'lost');
    assert.deepEqual(lost.flatMap((v) => v.rows.map((row) => row.description)), expected);
    assert.equal(r.hopOrder.directions[lost[0].direction].label, expected[0].split(' ').slice(3, 6).join(' ').replace(' > ', ' -> '));
  });

  it('each IPv6 flow has its own label in Compare, in a worker and in-thread alike', async () => {
    for (const minWorkerBytes of [0, Number.MAX_SAFE_INTEGER]) {
      const caps = await loadCapturesInParallel([{ path: a, name: 'a.pcap', host: 'h' }, { path: b, name: 'b.pcap', host: 'h' }], syncCaptureLoaders, { minWorkerBytes });
      const m = compareCaptures([a, b], caps);
      assert.ok(m.flows.includes('icmp fd00:201:1::1 <> fd00:201:1::2'), JSON.stringify(m.flows));
      assert.ok(!m.flows.some((f) => f.includes('(ipv6)')), JSON.stringify(m.flows));
      // One label per flow, as tcpdump names its endpoints.
      const pairs = new Set(execFileSync('tcpdump', ['-nn', '-r', a, 'ip6'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim().split('\n').map((l) => /IP6 (\S+) > (\S+): /.exec(l)).filter((x) => x !== null).map((x) => [x[1], x[2]].sort().join(' <> ')));
      assert.deepEqual(new Set(m.flows.map((f) => f.replace(/^icmp /, '').split(' <> ').sort().join(' <> '))), pairs);
      const rec = [...Array(caps[0].length).keys()].find((i) => caps[0].kind(i) === 2); // the first echo request
      assert.equal(describeRecord(caps[0], rec ?? -1).split(' ').slice(3, 6).join(' '), 'fd00:201:1::1 > fd00:201:1::2');
    }
  });
});
