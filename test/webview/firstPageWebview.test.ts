/**
 * Start-up of both webviews as the extension now serves them (issue #6): bundle and stylesheet inline
 * in the HTML under the same CSP (nonce), the first page of rows pushed by the host with the end of
 * indexing (pcap editor) or with the view (Compare), so the page shows rows without asking for them,
 * and reports its start-up times (ready, rows painted) for the host's timeline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { PacketRow } from '../../src/protocol/pcapEditorProtocol';
import type { CompareRow, HostToCompareMessage } from '../../src/protocol/compareProtocol';

type Sent = { type: string; stage?: string; atMs?: number; loadedAtMs?: number; navigationAtMs?: number }[];

function packetRows(count: number): PacketRow[] {
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1, tsSec: 1700000000, tsNsec: i * 1000, source: '10.0.0.1', destination: '10.0.0.2', protocol: 'ICMP', length: 98, info: `echo request seq ${i}`,
  }));
}

async function sentOf(w: WebviewPage): Promise<Sent> { return (await w.sent()) as Sent; }

describe('webview start-up: inline bundle, first page pushed, timings reported (real Chromium)', () => {
  const pages: WebviewPage[] = [];
  before(() => { execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }); });
  after(async () => { for (const p of pages) await p.close(); });

  it('pcap editor: the inline bundle runs under the CSP, shows the pushed first page and asks for no rows', async () => {
    const w = await openWebview('pcapEditor.js', 'pcapEditor.css', { inline: true });
    pages.push(w);
    const before = Date.now();
    await w.post({ type: 'progress', packetCount: 0, done: false }); // indexing still running: nothing to ask for yet
    // The file's first rows, read while the index is being built, then the index's count and first page.
    await w.post({ type: 'progress', packetCount: 50_000, done: false, firstRows: packetRows(256) });
    await w.page.waitForSelector('.rows .row[data-number="1"]');
    assert.deepEqual((await sentOf(w)).filter((m) => m.type === 'getRows'), []);
    await w.post({ type: 'init', fileName: 'big.pcap', firstTsSec: 1700000000, firstTsNsec: 0 });
    await w.post({ type: 'progress', packetCount: 100_000, done: true, firstRows: packetRows(256) });
    await w.page.waitForFunction("document.querySelector('.status')?.textContent === '100,000 packets'");
    assert.equal(await w.page.locator('script[src], link[rel="stylesheet"]').count(), 0, 'nothing fetched by URI');
    const overflow = await w.page.locator('.viewport').evaluate((v) => (globalThis as unknown as { getComputedStyle(e: unknown): { overflowY: string } }).getComputedStyle(v).overflowY);
    assert.equal(overflow, 'auto', 'the inline stylesheet applies');
    await w.page.waitForFunction(() => (globalThis as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'timing'));
    const sent = await sentOf(w);
    assert.deepEqual(sent.filter((m) => m.type === 'getRows'), []);
    const ready = sent[0];
    assert.equal(ready.type, 'ready');
    assert.ok(ready.navigationAtMs !== undefined && ready.loadedAtMs !== undefined && ready.navigationAtMs <= ready.loadedAtMs && ready.loadedAtMs <= before);
    const painted = sent.find((m) => m.type === 'timing');
    assert.equal(painted?.stage, 'rowsPainted');
    assert.ok(painted?.atMs !== undefined && painted.atMs >= before);
  });

  it('Compare: the rows sent with the view show without a request', async () => {
    const w = await openWebview('compare.js', 'compare.css', { inline: true });
    pages.push(w);
    const model: HostToCompareMessage = {
      type: 'model', columns: [{ id: 0, label: 'eth0@a', host: 'a', file: 'a.pcap' }, { id: 1, label: 'eth0@b', host: 'b', file: 'b.pcap' }],
      segments: [], clocks: [], verdicts: [], flows: [],
    };
    const rows: CompareRow[] = Array.from({ length: 200 }, (_, i) => ({
      id: i, direction: 'forward', flow: 'icmp', summary: `ICMP echo request seq ${i}`,
      cells: [{ timeNs: i * 1000, packetNumber: i + 1 }, { timeNs: i * 1000 + 30_000, hopDelayNs: 30_000, packetNumber: i + 1 }],
    }));
    await w.post(model);
    await w.post({ type: 'view', view: 0, count: 100_000, rows });
    await w.page.waitForSelector('.rows .grid-row[data-row="0"]');
    await w.page.waitForFunction(() => (globalThis as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'timing'));
    assert.deepEqual((await sentOf(w)).filter((m) => m.type === 'getRows'), []);
    // Scrolling past the pushed page asks for the next one as before.
    await w.page.locator('.viewport').evaluate((v) => { v.scrollTop = 250 * 36; });
    await w.page.waitForFunction(() => (globalThis as unknown as { __sent: { type: string; start?: number }[] }).__sent.some((m) => m.type === 'getRows' && m.start === 200));
  });
});
