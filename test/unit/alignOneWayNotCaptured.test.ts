/**
 * The `one-way` and `not-captured` verdicts on real captures: the committed six-hop set
 * (test/fixtures/align/none, real tcpdump in namespaces) cut down by the real tcpdump/editcap the way
 * the field saw it — vm-unreachable-driver (inbound SYNs reach the host's tap, never the VM, no answer)
 * and a capture point that missed one packet seen before and after it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignJson } from '../support/runAlignCli';
import { describeRecord } from '../../src/core/align/describeRow';
import { loadCaptureColumns } from '../../src/core/align/loadCaptureColumns';
import { syncCaptureLoaders } from '../../src/core/align/syncCaptureLoaders';

const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const source = (n: string): string => join(__dirname, '..', 'fixtures', 'align', 'none', `${n}.pcap`);

describe('align: one-way and not-captured verdicts on real captures', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hopscope-oneway-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('SYNs that reach the host but not the VM: lost before the VM and one-way on that flow; no reply-missing (they never reached the VM)', async () => {
    const files = SIX.map((n, i) => {
      const out = join(dir, `syn-${n}.pcap`);
      // the VM (last hop) sees the pings but none of the SYNs; no hop sees an answer to them
      execFileSync('tcpdump', ['-r', source(n), '-w', out, i === 5 ? 'icmp' : 'icmp or tcp[tcpflags] == tcp-syn'], { stdio: 'ignore' });
      return out;
    });
    const r = await alignJson(files);
    const syn = (v: { rows: { description: string }[] }): boolean => v.rows.every((row) => /^TCP 10\.205\.1\.1\.\d+ > 10\.205\.1\.2\.8080 \[S\]/.test(row.description));
    const oneWay = r.verdicts.filter((v) => v.kind === 'one-way' && syn(v));
    assert.equal(oneWay.length, 1, JSON.stringify(r.verdicts.map((v) => [v.kind, v.detail, v.rows[0]?.description])));
    assert.equal(oneWay[0].count, 1);
    assert.equal(r.hopOrder.directions[oneWay[0].direction].label, '10.205.1.1 -> 10.205.1.2');
    const lost = r.verdicts.filter((v) => v.kind === 'lost');
    assert.deepEqual(lost.map((v) => [v.captures, v.count, syn(v)]), [[['syn-hostB-tap.pcap', 'syn-vmB-eth0.pcap'], 1, true]]);
    assert.ok(!r.verdicts.some((v) => v.kind === 'reply-missing' && syn(v)));
  });

  it('a packet missing on a middle capture but seen before and after it is not-captured there, not lost', async () => {
    const files = SIX.map((n) => {
      const out = join(dir, `nc-${n}.pcap`);
      // editcap -r keeps the listed frames: drop frame 7 (echo request seq 4) from hostA's uplink capture only
      execFileSync('editcap', n === 'hostA-upl' ? ['-r', source(n), out, '1-6', '8-100000'] : [source(n), out], { stdio: 'ignore' });
      return out;
    });
    const r = await alignJson(files);
    const nc = r.verdicts.filter((v) => v.kind === 'not-captured');
    assert.deepEqual(nc.map((v) => [v.captures, v.count]), [[['nc-hostA-upl.pcap'], 1]]);
    assert.match(nc[0].rows[0].description, /^ICMP echo request 10\.205\.1\.1 > 10\.205\.1\.2 id \d+ seq 4$/);
    assert.deepEqual(nc[0].rows[0].cells.map((c) => c.capture), ['nc-vmA-eth0.pcap', 'nc-hostA-tap.pcap', 'nc-hostB-upl.pcap', 'nc-hostB-tap.pcap', 'nc-vmB-eth0.pcap']);
    assert.deepEqual(r.verdicts.filter((v) => v.kind === 'lost'), []);
  });

  it('a multicast report with no answer by design is not one-way; its 0.0.0.0 source is printed as such', async () => {
    // The clean set holds one IGMPv3 report (0.0.0.0 > 224.0.0.22) seen on all six hops, which nothing answers.
    const clean = await alignJson(SIX.map(source));
    assert.deepEqual(clean.verdicts.map((v) => [v.kind, v.rows[0]?.description]), []);
    const cap = await loadCaptureColumns(source('hostA-upl'), 'hostA-upl', 'A', syncCaptureLoaders);
    const reports = Array.from({ length: cap.length }, (_, rec) => describeRecord(cap, rec)).filter((d) => d.includes('224.0.0.22'));
    assert.deepEqual(reports, ['IP 0.0.0.0 > 224.0.0.22']); // as tcpdump prints it, not "(ipv6)"
  });
});
