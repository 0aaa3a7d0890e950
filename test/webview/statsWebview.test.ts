/**
 * The pcap editor's Statistics tab in real Chromium under the extension's CSP, on a real capture
 * (test/fixtures/stats/stats-mix.pcap, made by test/fixtures/makeStatsCapture.sh from kernel traffic).
 * The host side is played by the test with the extension's real code: CaptureBrowser for rows and
 * filters, sendCaptureStatistics (the stats engine) for the tab. The page's numbers are checked against
 * tshark's taps on the same file (one tshark run).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';
import { CaptureStatisticsCache, sendCaptureStatistics } from '../../src/extension/pcapEditor/captureStatistics';
import type { StatsHostMessage } from '../../src/protocol/captureStatisticsProtocol';
import type { EditorToHostMessage } from '../../src/protocol/pcapEditorProtocol';
import { runTsharkStats, tsharkSizeText, type TsharkStats } from '../unit/tsharkStatsTables';
import { openWebview, type WebviewPage } from './support/webviewPage';

const FIXTURE = join(__dirname, '..', 'fixtures', 'stats', 'stats-mix.pcap');
const HOSTILE_NAME = '<img src=x onerror=window.__pwned=1>';

describe('pcap editor Statistics tab (real Chromium, real capture, host = the extension\'s code)', () => {
  let w: WebviewPage;
  let tshark: TsharkStats;
  const browser = new CaptureBrowser(FIXTURE);
  const cache = new CaptureStatisticsCache();
  const documentKey = {};
  const cspViolations: string[] = [];
  let answered = 0;
  const hostPosts: StatsHostMessage[] = [];
  let lastView = { view: 0, count: 0 };

  /** Answers every message the page has sent since the last call, as the extension host would. */
  async function serve(): Promise<void> {
    const sent = (await w.sent()) as EditorToHostMessage[];
    for (const m of sent.slice(answered)) {
      if (m.type === 'getRows') await w.post({ type: 'rows', view: m.view, start: m.start, rows: await browser.rows(m.view, m.start, m.count) });
      else if (m.type === 'applyFilter') {
        const { view, count } = await browser.applyFilter(m.text);
        lastView = { view, count };
        await w.post({ type: 'view', view, count, filter: m.text });
      } else if (m.type === 'getStats') {
        const posts: Promise<void>[] = [];
        await sendCaptureStatistics(cache, documentKey, FIXTURE, (x) => { hostPosts.push(x); posts.push(w.post(x)); });
        await Promise.all(posts);
      }
    }
    answered = sent.length;
  }

  /** Waits until the page asks for rows it has not been answered yet (after a view change). */
  const waitForRowRequest = (): Promise<unknown> => w.page.waitForFunction((n) =>
    (globalThis as unknown as { __sent: { type: string }[] }).__sent.slice(n).some((m) => m.type === 'getRows'), answered);

  const lastFilter = async (): Promise<string | undefined> =>
    ((await w.sent()) as EditorToHostMessage[]).filter((m) => m.type === 'applyFilter').map((m) => (m as { text: string }).text).pop();

  /** Cells' raw values (data-value) of a stats table, row by row. */
  const tableValues = (id: string): Promise<string[][]> => w.page.$$eval(`table[data-table="${id}"] tbody tr`,
    (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.value ?? '')));

  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    tshark = runTsharkStats(FIXTURE);
    const index = await browser.open();
    w = await openWebview('pcapEditor.js', 'pcapEditor.css');
    w.page.on('console', (msg) => { if (/Content Security Policy|Refused to/i.test(msg.text())) cspViolations.push(msg.text()); });
    await w.post({ type: 'init', fileName: 'stats-mix.pcap', firstTsSec: index.firstTsSec, firstTsNsec: index.firstTsNsec });
    await w.post({ type: 'progress', packetCount: index.count, done: true });
    await serve();
    await w.page.waitForSelector('.rows .row[data-number="1"]');
  });
  after(async () => { await w?.close(); });

  it('the Statistics toggle asks the host once, shows progress, then the tables', async () => {
    await w.page.click('.stats-toggle');
    assert.equal(await w.page.getAttribute('.stats-toggle', 'aria-pressed'), 'true');
    assert.ok(await w.page.isHidden('.viewport'), 'the packet list is hidden behind the Statistics tab');
    const asked = ((await w.sent()) as EditorToHostMessage[]).filter((m) => m.type === 'getStats');
    assert.equal(asked.length, 1);
    await serve();
    await w.page.waitForSelector('table[data-table="endpoints"]');
    const progress = hostPosts.filter((m) => m.type === 'statsProgress');
    assert.ok(progress.length >= 1 && progress.every((m) => m.totalBytes === statSync(FIXTURE).size), 'progress in bytes of the file');
    assert.equal(hostPosts.at(-1)?.type, 'stats');
    assert.ok(await w.page.isHidden('.stats-progress'), 'progress bar gone once done');
    assert.match(await w.page.locator('.stats-status').textContent() ?? '', /^339 packets, /);
  });

  it('top talkers: packets and bytes as tshark -z endpoints, IPv4 counts as -z ip_hosts,tree, % of all frames', async () => {
    const rows = await tableValues('endpoints');
    const totalFrames = tshark.intervals.reduce((s, i) => s + i.frames, 0);
    const totalBytes = tshark.intervals.reduce((s, i) => s + i.bytes, 0);
    const ours = rows.map(([address, packets, pctPackets, bytes, pctBytes, txp, txb, rxp, rxb]) => {
      assert.ok(Math.abs(Number(pctPackets) - (100 * Number(packets)) / totalFrames) < 1e-9, `% packets of ${address}`);
      assert.ok(Math.abs(Number(pctBytes) - (100 * Number(bytes)) / totalBytes) < 1e-9, `% bytes of ${address}`);
      return `${address} ${packets} ${bytes} ${txp} ${txb} ${rxp} ${rxb}`;
    }).sort();
    assert.deepEqual(ours, tshark.endpoints.map((e) => `${e.address} ${e.packets} ${e.bytes} ${e.txPackets} ${e.txBytes} ${e.rxPackets} ${e.rxBytes}`).sort());
    const v4 = rows.filter((r) => !r[0].includes(':')).map((r) => `${r[0]} ${r[1]}`).sort();
    assert.deepEqual(v4, [...tshark.ipHosts].map(([a, n]) => `${a} ${n}`).sort());
    assert.ok(rows.length >= 4, 'IPv4 and IPv6 talkers');
    // The percentage is shown as text too.
    const firstPct = await w.page.locator('table[data-table="endpoints"] tbody tr').first().locator('td').nth(2).textContent();
    assert.match(firstPct ?? '', /^\d+\.\d\d%$/);
  });

  it('IP conversations as tshark -z conv,ip (frames and bytes each way)', async () => {
    const rows = await tableValues('ip-conversations');
    // Columns: A, B, packets, %, bytes, A→B packets, A→B bytes, B→A packets, B→A bytes, start, duration.
    const side = (x: string, n: string, b: string): string => `${x} sends ${n}/${tsharkSizeText(Number(b))}`;
    const text = (l: string, r: string): string => (l < r ? `${l} | ${r}` : `${r} | ${l}`);
    const ours = rows.map((r) => text(side(r[0], r[5], r[6]), side(r[1], r[7], r[8]))).sort();
    const theirs = tshark.ipConversations.map((c) => text(`${c.a} sends ${c.aToBFrames}/${c.aToBBytes}`, `${c.b} sends ${c.bToAFrames}/${c.bToABytes}`)).sort();
    assert.deepEqual(ours, theirs);
  });

  it('per-second chart: one bar per tshark -z io,stat,1 interval, heights by packets, the burst marked as a spike', async () => {
    const bars = w.page.locator('.stats-chart.per-second rect.bar');
    assert.equal(await bars.count(), tshark.intervals.length);
    const titles = await w.page.$$eval('.stats-chart.per-second rect.bar > title', (ts) => ts.map((t) => t.textContent ?? ''));
    assert.deepEqual(titles.map((t) => /: ([\d,]+) packets, ([\d,]+) bytes/.exec(t)?.slice(1).map((x) => Number(x.replace(/,/g, '')))),
      tshark.intervals.map((i) => [i.frames, i.bytes]));
    const spikes = await w.page.$$eval('.stats-chart.per-second rect.bar.spike', (rs) => rs.map((r) => Number(r.getAttribute('data-index'))));
    const busiest = tshark.intervals.reduce((best, i, k) => (i.frames > tshark.intervals[best].frames ? k : best), 0);
    assert.deepEqual(spikes, [busiest]);
    const heights = await w.page.$$eval('.stats-chart.per-second rect.bar', (rs) => rs.map((r) => Number(r.getAttribute('height'))));
    assert.equal(heights.indexOf(Math.max(...heights)), busiest);
  });

  it('ICMP echo RTT series: one bar per answered echo, summary with the counts', async () => {
    const rtt = w.page.locator('.stats-chart.rtt rect.bar');
    const n = await rtt.count();
    // 4 + 150 + 2 IPv4 echoes and 2 ICMPv6 ones, all answered on a veth pair.
    assert.equal(n, 158);
    assert.match(await w.page.locator('.stats-rtt-summary').textContent() ?? '', /^158 requests, 158 replies, 0 unanswered; min [\d.]+ ms/);
  });

  it('sorts a column: a click on Packets turns the order ascending', async () => {
    const header = w.page.locator('table[data-table="endpoints"] th', { hasText: /^Packets$/ });
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const packets = (await tableValues('endpoints')).map((r) => Number(r[1]));
    assert.deepEqual(packets, [...packets].sort((a, b) => a - b));
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
  });

  it('every talker\'s and IP conversation\'s filter selects exactly its packets (the filter engine on the file)', async () => {
    // Packets column: 1 for talkers (after Address), 2 for conversations (after A and B).
    for (const [id, column] of [['endpoints', 1], ['ip-conversations', 2]] as const) {
      const rows = await w.page.$$eval(`table[data-table="${id}"] tbody tr`, (trs, col) => trs.map((tr) => ({
        filter: tr.getAttribute('data-filter') ?? '',
        packets: Number(tr.querySelectorAll('td')[col].getAttribute('data-value')),
      })), column);
      assert.ok(rows.length > 0);
      for (const r of rows) {
        const { count } = await browser.applyFilter(r.filter);
        assert.equal(count, r.packets, r.filter);
      }
    }
  });

  it('clicking a talker applies its display filter to the packet list', async () => {
    const row = w.page.locator('table[data-table="endpoints"] tbody tr[data-filter="ip.addr == 10.225.1.2"]');
    const packets = Number(await row.locator('td').nth(1).getAttribute('data-value'));
    await row.click();
    assert.equal(await lastFilter(), 'ip.addr == 10.225.1.2');
    assert.equal(await w.page.inputValue('.filter'), 'ip.addr == 10.225.1.2');
    assert.ok(await w.page.isVisible('.viewport'), 'back on the packet list');
    await serve();
    assert.equal(lastView.count, packets);
    await w.page.waitForFunction(`document.querySelector('.status')?.textContent === '${packets} packets match'`);
  });

  it('clicking a second of the chart filters to that second\'s packets', async () => {
    await w.page.click('.stats-toggle');
    const busiest = tshark.intervals.reduce((best, i, k) => (i.frames > tshark.intervals[best].frames ? k : best), 0);
    await w.page.locator(`.stats-chart.per-second rect.bar[data-index="${busiest}"]`).click();
    const m = /^frame\.number >= (\d+) && frame\.number <= (\d+)$/.exec(await lastFilter() ?? '');
    assert.ok(m, `filter: ${await lastFilter()}`);
    assert.equal(Number(m[2]) - Number(m[1]) + 1, tshark.intervals[busiest].frames);
    await serve();
    assert.equal(lastView.count, tshark.intervals[busiest].frames);
  });

  it('the per-second chart by keyboard: Tab reaches it, arrows move a highlighted second read out, Enter filters as a click does', async () => {
    const clickFilter = await lastFilter();
    await w.page.click('.stats-toggle');
    const chart = w.page.locator('.stats-chart.per-second');
    assert.equal(await chart.getAttribute('role'), 'slider');
    await w.page.focus('.stats-metric');
    await w.page.keyboard.press('Tab');
    assert.ok(await w.page.evaluate("document.activeElement?.classList.contains('per-second')"), 'Tab from the metric lands on the chart');
    const busiest = tshark.intervals.reduce((best, i, k) => (i.frames > tshark.intervals[best].frames ? k : best), 0);
    const spoken = (k: number): RegExp => new RegExp(`^second ${k}: ${tshark.intervals[k].frames} packets, [\\d,]+ bytes`);
    // The second clicked in the previous test stays highlighted; Home goes to the first.
    assert.match(await chart.getAttribute('aria-valuetext') ?? '', spoken(busiest), 'the clicked second is still the highlighted one');
    await w.page.keyboard.press('Home');
    assert.match(await chart.getAttribute('aria-valuetext') ?? '', spoken(0));
    await w.page.keyboard.press('End');
    assert.equal(await chart.getAttribute('aria-valuenow'), String(tshark.intervals.length - 1));
    await w.page.keyboard.press('Home');
    for (let k = 0; k < busiest; k++) await w.page.keyboard.press('ArrowRight');
    assert.equal(await chart.getAttribute('aria-valuenow'), String(busiest));
    assert.match(await chart.getAttribute('aria-valuetext') ?? '', spoken(busiest));
    assert.match(await w.page.locator('.stats-chart-readout').first().textContent() ?? '', spoken(busiest), 'the readout shows it too');
    assert.deepEqual(await w.page.$$eval('.stats-chart.per-second rect.bar.current', (rs) => rs.map((r) => r.getAttribute('data-index'))), [String(busiest)]);
    await w.page.keyboard.press('ArrowLeft');
    await w.page.keyboard.press('ArrowRight');
    const before = ((await w.sent()) as EditorToHostMessage[]).filter((m) => m.type === 'applyFilter').length;
    await w.page.keyboard.press('Enter');
    const after = ((await w.sent()) as EditorToHostMessage[]).filter((m) => m.type === 'applyFilter').length;
    assert.equal(after, before + 1);
    assert.equal(await lastFilter(), clickFilter, 'the same filter a click on that second applies');
    await serve();
    assert.equal(lastView.count, tshark.intervals[busiest].frames);
  });

  it('clicking a conversation filters to both addresses', async () => {
    await w.page.click('.stats-toggle');
    await w.page.locator('table[data-table="ip-conversations"] tbody tr').first().click();
    assert.match(await lastFilter() ?? '', /^(ip|ipv6)\.addr == \S+ && (ip|ipv6)\.addr == \S+$/);
    await serve();
  });

  it('a DNS name made of markup stays text in the packet list; no CSP violation on the way', async () => {
    await w.page.fill('.filter', 'dns');
    await w.page.press('.filter', 'Enter');
    await serve();
    await waitForRowRequest();
    await serve();
    const info = w.page.locator('.rows .row .cell', { hasText: HOSTILE_NAME }).first();
    await info.waitFor();
    assert.match(await info.textContent() ?? '', /A\? <img src=x onerror=window\.__pwned=1>\.example\./);
    assert.equal(await w.page.locator('img').count(), 0);
    assert.equal(await w.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(cspViolations, []);
  });

  it('keeps the Statistics tab across a reload and asks again (the host caches per document)', async () => {
    await w.page.click('.stats-toggle');
    await w.page.reload();
    answered = 0;
    await w.page.waitForFunction(() => ((globalThis as unknown as { __sent: { type: string }[] }).__sent).some((m) => m.type === 'getStats'));
    assert.equal(await w.page.getAttribute('.stats-toggle', 'aria-pressed'), 'true');
  });

  it('a 10,000-second capture (synthetic stats message): bars of 4 seconds, a click filters to their packets', async () => {
    const view = await cache.get(documentKey, FIXTURE);
    const n = 10_000;
    const long = structuredClone(view);
    long.stats.perSecond.buckets = Array.from({ length: n }, (_, second) => ({ second, packets: 1, bytes: 60, spike: second === 5 }));
    long.secondPackets = Array.from({ length: n }, (_, second) => ({ first: second + 1, last: second + 1 }));
    if (await w.page.getAttribute('.stats-toggle', 'aria-pressed') !== 'true') await w.page.click('.stats-toggle');
    await w.post({ type: 'stats', view: long });
    const bars = w.page.locator('.stats-chart.per-second rect.bar');
    await w.page.locator('.stats-axis', { hasText: '10000 s (4 s per bar)' }).waitFor();
    assert.equal(await bars.count(), n / 4);
    assert.deepEqual(await w.page.$$eval('.stats-chart.per-second rect.bar.spike', (rs) => rs.map((r) => r.getAttribute('data-index'))), ['1']);
    await bars.nth(1).click();
    assert.equal(await lastFilter(), 'frame.number >= 5 && frame.number <= 8');
  });
});
