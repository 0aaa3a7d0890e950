/**
 * `hopscope align` on the committed real capture sets (test/fixtures/align, made by
 * makeAlignFixtures.ts with real tcpdump in namespaces): verdicts, text output, errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { alignJson, runAlignCli } from '../support/runAlignCli';

function tcpdumpLines(file: string): string[] {
  const r = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8' });
  return r.stdout.split('\n');
}

const fx = (set: string, ...names: string[]): string[] => names.map((n) => join(__dirname, '..', 'fixtures', 'align', set, `${n}.pcap`));
const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const HOSTS = (set: string): string[] => ['--host', `A=${fx(set, 'vmA-eth0', 'hostA-tap', 'hostA-upl').join(',')}`, '--host', `B=${fx(set, 'hostB-upl', 'hostB-tap', 'vmB-eth0').join(',')}`];

describe('hopscope align on committed real captures', () => {
  it('orders the six hops and finds the nft drop between hostB’s uplink and tap', async () => {
    const r = await alignJson([...HOSTS('drop'), ...fx('drop', ...SIX)]);
    const req = r.hopOrder.directions.findIndex((d) => d.label === '10.205.1.1 -> 10.205.1.2');
    assert.deepEqual(r.hopOrder.directions[req].order, SIX.map((n) => `${n}.pcap`));
    const lost = r.verdicts.filter((v) => v.kind === 'lost');
    assert.deepEqual(lost.map((v) => [v.direction, v.captures, v.count]), [[req, ['hostB-upl.pcap', 'hostB-tap.pcap'], 2]]);
    const seg = r.segments.find((s) => s.direction === req && s.from === 'hostB-upl.pcap');
    assert.equal(seg?.lost, 2);
    // Every cell of the proving rows points at the dropped echo requests, as tcpdump itself numbers them.
    const seqs = new Set<string>();
    for (const row of lost[0].rows) {
      for (const cell of row.cells) {
        const lines = tcpdumpLines(fx('drop', cell.capture.replace(/\.pcap$/, ''))[0]);
        const m = /ICMP echo request, id \d+, seq (\d+)/.exec(lines[cell.record]);
        assert.ok(m, lines[cell.record]);
        seqs.add(m[1]);
      }
    }
    assert.deepEqual([...seqs].sort(), ['17', '5']);
  });

  it('with four hosts whose offsets are estimated (±tens of µs, hops µs apart) the order and the drop stay right', async () => {
    const hosts = ['--host', `vmA=${fx('drop', 'vmA-eth0')[0]}`, '--host', `hostA=${fx('drop', 'hostA-tap', 'hostA-upl').join(',')}`,
      '--host', `hostB=${fx('drop', 'hostB-upl', 'hostB-tap').join(',')}`, '--host', `vmB=${fx('drop', 'vmB-eth0')[0]}`];
    const r = await alignJson([...hosts, ...fx('drop', ...SIX)]);
    const req = r.hopOrder.directions.findIndex((d) => d.label === '10.205.1.1 -> 10.205.1.2');
    assert.deepEqual(r.hopOrder.directions[req].order, SIX.map((n) => `${n}.pcap`));
    assert.deepEqual(r.verdicts.filter((v) => v.kind === 'lost').map((v) => v.captures), [['hostB-upl.pcap', 'hostB-tap.pcap']]);
  });

  it('does not call link-local multicast (an IGMP report the bridge keeps to itself) lost', async () => {
    // The clean capture set holds one IGMP report to 224.0.0.22 on every hop; a bridge with IGMP
    // snooping forwards it to router ports only. Keep it on the VM's side and its tap only (tcpdump -w).
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-igmp-'));
    try {
      const files = fx('none', ...SIX).map((f, i) => {
        if (i <= 1) return f;
        const out = join(dir, `${SIX[i]}.pcap`);
        const r = spawnSync('tcpdump', ['-r', f, '-w', out, 'not dst net 224.0.0.0/24'], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return out;
      });
      const r = await alignJson(files);
      assert.deepEqual(r.verdicts.filter((v) => v.kind === 'lost'), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the MAC rewrite in the text report, pasteable into a ticket', async () => {
    const r = await runAlignCli([...HOSTS('mac-rewrite'), ...fx('mac-rewrite', ...SIX)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\* rewritten between hostB-upl\.pcap and hostB-tap\.pcap \(10\.205\.1\.1 -> 10\.205\.1\.2\): 1 packet; dst-mac 02:05:00:00:00:0b -> 02:05:00:00:00:99/);
    assert.match(r.stdout, /ICMP echo request 10\.205\.1\.1 > 10\.205\.1\.2 id \d+ seq 9 {2}\[vmA-eth0\.pcap#\d+ /);
    assert.match(r.stdout, /\* reply-missing/);
  });

  it('counts `-i any` copies as duplicates on that capture', async () => {
    const r = await alignJson(fx('any', 'vmA-eth0', 'hostA-any', 'hostB-upl', 'vmB-eth0'));
    const dup = r.verdicts.filter((v) => v.kind === 'duplicated');
    assert.deepEqual(dup.map((v) => v.captures), [['hostA-any.pcap']]);
    assert.equal(r.rows.duplicates, dup[0].count);
  });

  it('obeys --order and reports the clocks of one host as exact', async () => {
    const order = [...SIX].reverse().map((n) => `${n}.pcap`);
    const r = await alignJson(['--order', order.join(','), ...fx('none', ...SIX)]);
    assert.equal(r.hopOrder.overridden, true);
    assert.deepEqual(r.hopOrder.directions[0].order, order);
    assert.deepEqual(r.clocks.map((c) => [c.host, c.offsetSec]), [['host', 0]]);
  });

  it('refuses a single capture, an unreadable one, and captures with nothing in common', async () => {
    const one = await runAlignCli(fx('none', 'vmA-eth0'));
    assert.equal(one.code, 2);
    assert.match(one.stderr, /at least two captures/);
    const tmp = mkdtempSync(join(tmpdir(), 'hopscope-align-cli-'));
    try {
      const bad = join(tmp, 'bad.pcap');
      writeFileSync(bad, 'not a capture at all, just text\n');
      const unreadable = await runAlignCli([...fx('none', 'vmA-eth0'), bad]);
      assert.equal(unreadable.code, 1);
      assert.match(unreadable.stderr, /cannot read .*bad\.pcap/);
      const missing = await runAlignCli([...fx('none', 'vmA-eth0'), join(tmp, 'nope.pcap')]);
      assert.equal(missing.code, 1);
      const empty = join(tmp, 'empty.pcap');
      const hdr = Buffer.alloc(24);
      hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(65535, 16); hdr.writeUInt32LE(1, 20);
      writeFileSync(empty, hdr);
      const nothing = await runAlignCli([...fx('none', 'vmA-eth0'), empty]);
      assert.equal(nothing.code, 1);
      assert.match(nothing.stderr, /no packet in common/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
