/**
 * pcap editor page in real Chromium (host played by the test): the Time column in its three modes,
 * "Go to packet" (asks the host, then selects and scrolls to the row the host reveals) and the hex
 * highlight of a field nested inside a layer (not only of a whole layer).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { PacketRow } from '../../src/protocol/pcapEditorProtocol';

const TOTAL = 5000;
const T0 = 1_700_000_000;
/** Packet n (1-based) is at T0 + 0.0001 s + the sum of gaps 0.25 s, 1.0005 s, 0.25 s, 1.0005 s, ... */
function timeOf(n: number): { tsSec: number; tsNsec: number } {
  let ns = 100_000;
  for (let k = 2; k <= n; k++) ns += k % 2 === 0 ? 250_000_000 : 1_000_500_000;
  return { tsSec: T0 + Math.floor(ns / 1e9), tsNsec: ns % 1e9 };
}

function makeRows(start: number, count: number): PacketRow[] {
  const rows: PacketRow[] = [];
  for (let i = start; i < Math.min(TOTAL, start + count); i++) {
    rows.push({ number: i + 1, ...timeOf(i + 1), source: '10.0.0.1', destination: '10.0.0.2', protocol: 'ICMP', length: 98, info: `echo request, seq ${i}` });
  }
  return rows;
}

describe('pcap editor webview: time modes, go to packet, field bytes (real Chromium)', () => {
  let w: WebviewPage;
  let answered = 0;
  async function serveRows(): Promise<void> {
    const sent = (await w.sent()) as { type: string; start: number; count: number; view: number }[];
    for (const m of sent.slice(answered)) if (m.type === 'getRows') await w.post({ type: 'rows', view: m.view, start: m.start, rows: makeRows(m.start, m.count) });
    answered = sent.length;
  }
  const timeCell = (n: number): Promise<string | null> => w.page.locator(`.rows .row[data-number="${n}"] .cell`).nth(1).textContent();

  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('pcapEditor.js', 'pcapEditor.css');
    await w.post({ type: 'init', fileName: 't.pcap', firstTsSec: T0, firstTsNsec: 100_000 });
    await w.post({ type: 'progress', packetCount: TOTAL, done: true });
    await serveRows();
    await w.page.waitForSelector('.rows .row[data-number="3"]');
  });
  after(async () => { await w?.close(); });

  it('Time column: absolute (UTC, like -tttt), since the first packet, since the previous one', async () => {
    assert.equal(await w.page.inputValue('.time-format'), 'absolute');
    assert.deepEqual([await timeCell(1), await timeCell(3)], ['2023-11-14 22:13:20.000100', '2023-11-14 22:13:21.250600']);
    await w.page.selectOption('.time-format', 'relative');
    assert.deepEqual([await timeCell(1), await timeCell(2), await timeCell(3)], ['0.000000', '0.250000', '1.250500']);
    await w.page.selectOption('.time-format', 'delta');
    assert.deepEqual([await timeCell(1), await timeCell(2), await timeCell(3)], ['0.000000', '0.250000', '1.000500']);
  });

  it('Go to packet: asks the host, then selects and shows the row it reveals; a hidden packet is said so', async () => {
    await w.page.fill('.goto', '4000');
    await w.page.press('.goto', 'Enter');
    const sent = (await w.sent()) as { type: string; number?: number }[];
    assert.deepEqual(sent.filter((m) => m.type === 'goto').pop(), { type: 'goto', number: 4000 });
    await w.post({ type: 'reveal', number: 4000, index: 3999 });
    await serveRows();
    await w.page.waitForSelector('.rows .row.selected[data-number="4000"]');
    const inView = await w.page.locator('.rows .row[data-number="4000"]').evaluate((row) => {
      const vp = row.closest('.viewport')?.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      // 1 px slack: the viewport's height is fractional, scrollTop whole pixels
      return vp !== undefined && r.top >= vp.top - 1 && r.bottom <= vp.bottom + 1;
    });
    assert.ok(inView, 'the revealed row is scrolled into view');
    await w.post({ type: 'reveal', number: 7, index: -1 });
    assert.match(await w.page.locator('.filter-error').textContent() ?? '', /packet 7 is not in the current view/);
  });

  it('clicking a field inside a layer highlights only that field\'s bytes', async () => {
    const bytes = Buffer.alloc(42, 0xab);
    await w.post({ type: 'detail', number: 1, bytesBase64: bytes.toString('base64'), layers: [{ label: 'Ethernet II', start: 0, length: 14, children: [
      { label: 'Destination: 02:00:00:00:00:02', start: 0, length: 6 }, { label: 'Type: ARP (0x0806)', start: 12, length: 2 }] }] });
    await w.page.locator('.tree .label', { hasText: 'Type: ARP' }).click();
    assert.deepEqual(await w.page.locator('.hex .byte.hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-i'))), ['12', '13']);
    await w.page.locator('.tree .label', { hasText: 'Destination' }).click();
    assert.equal(await w.page.locator('.hex .byte.hl').count(), 6);
  });
});
