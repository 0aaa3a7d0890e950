/**
 * The Compare Captures view model and its Markdown/CSV export on the committed real capture sets
 * (test/fixtures/align: real tcpdump in namespaces, an nft drop, a MAC rewrite, an `-i any` capture).
 * Frame numbers and MACs are checked against tcpdump's own reading of the same files.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compareCaptures, describeCaptureFiles, loadCompareCaptures, captureHostAndInterface } from '../../src/core/align/compareCaptures';
import { compareToCsv, compareToMarkdown } from '../../src/core/align/compareExport';
import { defaultCaptureLoaders } from '../../src/core/align/defaultCaptureLoaders';

const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const fx = (set: string, names: string[]): string[] => names.map((n) => join(__dirname, '..', 'fixtures', 'align', set, `${n}.pcap`));

/** tcpdump -e line of frame `n` (1-based). */
function tcpdumpFrame(file: string, n: number): string {
  const r = spawnSync('tcpdump', ['-nn', '-e', '-r', file, '-c', String(n)], { encoding: 'utf8' });
  return r.stdout.trimEnd().split('\n')[n - 1] ?? '';
}

async function model(set: string, names: string[], order?: number[]): Promise<ReturnType<typeof compareCaptures>> {
  // Shuffled input: the columns must come back in hop order anyway.
  const files = fx(set, names);
  return compareCaptures(files, await loadCompareCaptures(files, defaultCaptureLoaders), { order });
}

describe('compare view model on real captures', () => {
  it('names hosts and interfaces from captures/<host>/<iface>-… paths, else from the folder', () => {
    assert.deepEqual(captureHostAndInterface('/w/captures/hv1/vnet0-20261123T1200.pcap'), { host: 'hv1', iface: 'vnet0' });
    assert.deepEqual(captureHostAndInterface('/w/drop/hostB-tap.pcap'), { host: 'drop', iface: 'hostB-tap' });
    assert.deepEqual(describeCaptureFiles(['/a/x/eth0.pcap', '/b/x/eth0.pcap']).map((i) => i.label), ['eth0@x', 'eth0@x (2)']);
  });

  it('drop: columns in hop order, verdict and rows name the segment the packets were lost on', async () => {
    const m = await model('drop', [...SIX].reverse());
    const labels = m.columns.map((c) => c.label);
    const req = SIX.map((n) => `${n}@drop`);
    // Direction 0 is one of the two directions: the columns follow it, forwards or backwards.
    assert.ok(labels.join() === req.join() || labels.join() === [...req].reverse().join(), labels.join());
    const lostText = m.verdictTexts().filter((t) => t.includes('lost'));
    assert.deepEqual(lostText, ['2 packets lost between hostB-upl@drop and hostB-tap@drop (10.205.1.1 -> 10.205.1.2)']);
    const lostRows = m.rows(m.applyFilters({ onlyAnomalies: true, flow: '', direction: 'both' }).view, 0, 100)
      .filter((r) => r.verdict?.kind === 'lost');
    assert.equal(lostRows.length, 2);
    const tapCol = labels.indexOf('hostB-tap@drop');
    const uplCol = labels.indexOf('hostB-upl@drop');
    for (const r of lostRows) {
      assert.equal(r.verdict?.text, 'lost between hostB-upl@drop and hostB-tap@drop');
      assert.equal(r.cells[tapCol], null);
      const upl = r.cells[uplCol];
      assert.ok(upl);
      // The frame the cell reveals is that echo request in tcpdump's reading of the file.
      const seq = /seq (\d+)/.exec(r.summary)?.[1];
      assert.match(tcpdumpFrame(m.columns[uplCol].file, upl.packetNumber), new RegExp(`ICMP echo request, id \\d+, seq ${seq},`));
      assert.equal(upl.hopDelayNs !== undefined, true);
    }
    assert.deepEqual(lostRows.map((r) => /seq (\d+)/.exec(r.summary)?.[1]), ['5', '17']);
    const seg = m.segments().find((s) => s.lost > 0);
    assert.deepEqual(seg && [m.columns.find((c) => c.id === seg.from)?.label, m.columns.find((c) => c.id === seg.to)?.label, seg.lost, seg.packets],
      ['hostB-upl@drop', 'hostB-tap@drop', 2, 35]);
    // Filters make views of the right size.
    assert.equal(m.applyFilters({ onlyAnomalies: false, flow: '', direction: 'forward' }).count, 35);
    // hostA-upl saw every packet of both flows: tcpdump's count of its ICMP packets is the flow's size.
    const icmp = spawnSync('tcpdump', ['-nn', '-r', m.columns[labels.indexOf('hostA-upl@drop')].file, 'icmp'], { encoding: 'utf8' }).stdout.trimEnd().split('\n').length;
    assert.equal(m.applyFilters({ onlyAnomalies: false, flow: 'icmp 10.205.1.1 <> 10.205.1.2', direction: 'both' }).count, icmp);
    assert.deepEqual(m.flows, ['icmp 10.205.1.1 <> 10.205.1.2', 'tcp 10.205.1.1:40030 <> 10.205.1.2:8080']);
  });

  it('mac-rewrite: the rewritten cell shows the MAC before → after, as tcpdump -e reads both files', async () => {
    const m = await model('mac-rewrite', SIX);
    assert.ok(m.verdictTexts().includes('dst MAC 02:05:00:00:00:0b → 02:05:00:00:00:99 between hostB-upl@drop and hostB-tap@drop (1 packet) (10.205.1.1 -> 10.205.1.2)'.replace(/@drop/g, '@mac-rewrite')), m.verdictTexts().join('\n'));
    const rows = m.rows(0, 0, m.rowCount).filter((r) => r.verdict?.kind === 'rewritten');
    assert.equal(rows.length, 1);
    const labels = m.columns.map((c) => c.label);
    const tap = rows[0].cells[labels.indexOf('hostB-tap@mac-rewrite')];
    const upl = rows[0].cells[labels.indexOf('hostB-upl@mac-rewrite')];
    assert.ok(tap && upl);
    assert.equal(tap.rewrite, 'dst MAC 02:05:00:00:00:0b → 02:05:00:00:00:99');
    assert.match(tcpdumpFrame(fx('mac-rewrite', ['hostB-upl'])[0], upl.packetNumber), /> 02:05:00:00:00:0b,/);
    assert.match(tcpdumpFrame(fx('mac-rewrite', ['hostB-tap'])[0], tap.packetNumber), /> 02:05:00:00:00:99,/);
    assert.equal(rows[0].verdict?.text, 'rewritten between hostB-upl@mac-rewrite and hostB-tap@mac-rewrite: dst MAC 02:05:00:00:00:0b → 02:05:00:00:00:99');
  });

  it('any: copies of an `-i any` capture are counted on their cell', async () => {
    const m = await model('any', ['vmA-eth0', 'hostA-any', 'hostB-upl', 'vmB-eth0']);
    const anyCol = m.columns.findIndex((c) => c.label === 'hostA-any@any');
    const withCopies = m.rows(0, 0, m.rowCount).filter((r) => (r.cells[anyCol]?.copies ?? 0) > 0);
    assert.ok(withCopies.length > 0);
    assert.ok(m.verdictTexts().some((t) => /duplicated on hostA-any@any/.test(t)), m.verdictTexts().join('\n'));
  });

  it('a user hop order is kept in the columns', async () => {
    const m = await model('drop', SIX, [5, 4, 3, 2, 1, 0]);
    assert.deepEqual(m.columns.map((c) => c.id), [5, 4, 3, 2, 1, 0]);
  });

  it('Markdown for a ticket and CSV of the rows', async () => {
    const m = await model('drop', SIX);
    const md = compareToMarkdown(m);
    assert.match(md, /Hop order: `(vmA-eth0|vmB-eth0)@drop` → /);
    assert.match(md, /\| → \| hostB-upl@drop \| hostB-tap@drop \| 35 \| 2 \| 5\.7 \|/);
    assert.match(md, /- 2 packets lost between hostB-upl@drop and hostB-tap@drop/);
    assert.match(md, / {2}- `ICMP echo request 10\.205\.1\.1 > 10\.205\.1\.2 id \d+ seq 5` \(.*hostB-upl@drop#9/);
    const csv = compareToCsv(m).trimEnd().split('\r\n');
    assert.equal(csv.length, 1 + m.rowCount);
    assert.equal(csv[0].split(',').length, 5 + 3 * 6);
    const lost = csv.filter((l) => l.includes('lost between'));
    assert.equal(lost.length, 2);
  });
});
