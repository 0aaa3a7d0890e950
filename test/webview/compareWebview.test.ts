/**
 * The Compare Captures front-end bundle in real Chromium under the extension's CSP, fed a view
 * model the way the host sends it (the host-side adapter from the alignment engine is tested
 * separately). Checks what an engineer reads: verdicts, missing cells, slow segments, badges,
 * escaping of packet-derived strings, reordering, clock edits and reveal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { CompareRow, HostToCompareMessage } from '../../src/protocol/compareProtocol';

const HOSTILE = '<img src=x onerror="globalThis.__pwned=1">';
const columns = [
  { id: 0, label: 'eth0@vm1', host: 'vm1', file: 'vm1-eth0.pcap' },
  { id: 1, label: 'tap1@hv1', host: 'hv1', file: 'hv1-tap1.pcap' },
  { id: 2, label: 'eth0@hv2', host: 'hv2', file: 'hv2-eth0.pcap' },
];
const rows: CompareRow[] = [
  { id: 0, direction: 'forward', flow: 'icmp 10.0.0.1 > 10.0.0.2', summary: 'ICMP echo request id 7 seq 1', cells: [
    { timeNs: 0, packetNumber: 1 }, { timeNs: 40_000, hopDelayNs: 40_000, packetNumber: 1 }, { timeNs: 150_000, hopDelayNs: 110_000, packetNumber: 1 }] },
  { id: 1, direction: 'forward', flow: 'icmp 10.0.0.1 > 10.0.0.2', summary: 'ICMP echo request id 7 seq 2', cells: [
    { timeNs: 1e9, packetNumber: 2 }, { timeNs: 1e9 + 41_000, hopDelayNs: 41_000, packetNumber: 2 }, null],
    verdict: { kind: 'lost', text: 'lost between tap1@hv1 and eth0@hv2' } },
  { id: 2, direction: 'reverse', flow: 'icmp 10.0.0.2 > 10.0.0.1', summary: `DNS A? ${HOSTILE}`, cells: [
    { timeNs: 2e9 + 120e6, hopDelayNs: 120e6, slow: true, packetNumber: 3 }, { timeNs: 2e9, hopDelayNs: 30_000, packetNumber: 3, copies: 1 },
    { timeNs: 2e9 - 30_000, packetNumber: 3, rewrite: `dst MAC ${HOSTILE}` }],
    verdict: { kind: 'delayed', text: 'delayed 120 ms between tap1@hv1 and eth0@vm1' } },
  { id: 3, direction: 'forward', flow: 'tcp 10.0.0.5:43210 > 10.0.0.2:80', summary: 'TCP 10.0.0.5.43210 > 10.0.0.2.80 [.] seq 1 len 20272', cells: [
    { timeNs: 3e9, packetNumber: 4 }, { timeNs: 3e9 + 40_000, hopDelayNs: 40_000, packetNumber: 4, nat: 'src 10.0.0.5:43210 → 203.0.113.7:43210' }, null],
    verdict: { kind: 'segmented', text: 'split into 14 segments (GSO/TSO) between tap1@hv1 and eth0@hv2' } },
];
const model: HostToCompareMessage = {
  type: 'model', columns,
  segments: [{ from: 1, to: 2, direction: 'forward', packets: 2, lost: 1, p50Ns: 110_000, p99Ns: 110_000, maxNs: 110_000 }],
  clocks: [{ host: 'hv2', offsetNs: 1_234_000_000, uncertaintyNs: 50_000, userSet: false }],
  verdicts: ['1 of 2 echo requests lost between tap1@hv1 and eth0@hv2', `rewritten ${HOSTILE}`],
  flows: ['icmp 10.0.0.1 > 10.0.0.2'],
};

describe('compare webview (real Chromium, host played by the test)', () => {
  let w: WebviewPage;
  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('compare.js', 'compare.css');
    await w.post(model);
    await w.post({ type: 'view', view: 1, count: rows.length });
    await w.page.waitForFunction(() => ((globalThis as unknown as { __sent: { type: string }[] }).__sent).some((m) => m.type === 'getRows'));
    await w.post({ type: 'rows', view: 1, start: 0, rows });
    await w.page.waitForSelector('.rows .grid-row[data-row="2"]');
  });
  after(async () => { await w?.close(); });

  it('shows verdicts, segment summary and the estimated clock offset', async () => {
    const verdicts = await w.page.locator('.verdicts li').allTextContents();
    assert.deepEqual(verdicts, model.type === 'model' ? model.verdicts : []);
    assert.match(await w.page.locator('.segment').first().textContent() ?? '', /tap1@hv1 → eth0@hv2.*lost 1 \(50\.0%\).*p50 110 µs/);
    assert.equal(await w.page.inputValue('.clocks input'), '1234.000');
    await w.page.screenshot({ path: 'test-results/compare-webview.png' });
  });

  it('marks the missing cell with the verdict, the slow hop, copies and rewrites', async () => {
    const lostRow = w.page.locator('.rows .grid-row[data-row="1"]');
    assert.equal(await lostRow.locator('.cell.missing').count(), 1);
    assert.equal(await lostRow.locator('.cell.missing').getAttribute('title'), 'lost between tap1@hv1 and eth0@hv2');
    const slowRow = w.page.locator('.rows .grid-row[data-row="2"]');
    assert.equal(await slowRow.locator('.cell.slow .delay').textContent(), '+120.0 ms');
    assert.equal(await slowRow.locator('.badge.copies').textContent(), '×2');
    assert.equal(await slowRow.locator('.badge.rewrite').getAttribute('title'), `dst MAC ${HOSTILE}`);
  });

  it('shows a NAT badge and a re-segmented (not lost) cell', async () => {
    const line = w.page.locator('.rows .grid-row[data-row="3"]');
    await line.waitFor();
    assert.equal(await line.locator('.badge.nat').textContent(), 'NAT');
    assert.equal(await line.locator('.badge.nat').getAttribute('title'), 'src 10.0.0.5:43210 → 203.0.113.7:43210');
    assert.equal(await line.locator('.cell.missing.covered').textContent(), '≈');
    assert.equal(await line.locator('.cell.missing.covered').getAttribute('title'), 'split into 14 segments (GSO/TSO) between tap1@hv1 and eth0@hv2');
    assert.equal(await w.page.locator('.rows .grid-row[data-row="1"] .cell.missing.covered').count(), 0, 'a lost cell stays marked lost');
  });

  it('escapes every packet-derived string', async () => {
    assert.equal(await w.page.locator('.rows .grid-row[data-row="2"] .summary .text').textContent(), `DNS A? ${HOSTILE}`);
    assert.equal(await w.page.locator('img').count(), 0);
    assert.equal(await w.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('clicking a cell asks the host to reveal that packet in that capture', async () => {
    await w.page.locator('.rows .grid-row[data-row="0"] .cell.present').nth(1).click();
    const sent = (await w.sent()) as { type: string; columnId?: number; packetNumber?: number }[];
    assert.deepEqual(sent.filter((m) => m.type === 'reveal').pop(), { type: 'reveal', columnId: 1, packetNumber: 1 });
  });

  it('reorders columns from the keyboard and edits a clock offset', async () => {
    await w.page.locator('.header .column').nth(2).focus();
    await w.page.keyboard.press('Alt+ArrowLeft');
    await w.page.fill('.clocks input', '1000.5');
    await w.page.press('.clocks input', 'Enter');
    const sent = (await w.sent()) as { type: string }[];
    assert.deepEqual(sent.find((m) => m.type === 'reorder'), { type: 'reorder', columnIds: [0, 2, 1] });
    assert.deepEqual(sent.filter((m) => m.type === 'setClockOffset').pop(), { type: 'setClockOffset', host: 'hv2', offsetNs: 1_000_500_000 });
  });

  it('sends filter changes and keeps them across a reload', async () => {
    await w.page.check('#only-anomalies');
    await w.page.selectOption('.direction', 'reverse');
    const sent = (await w.sent()) as { type: string }[];
    assert.deepEqual(sent.filter((m) => m.type === 'setFilters').pop(), { type: 'setFilters', filters: { onlyAnomalies: true, flow: '', direction: 'reverse' } });
    await w.page.reload();
    assert.equal(await w.page.isChecked('#only-anomalies'), true);
    assert.equal(await w.page.inputValue('.direction'), 'reverse');
  });
});
