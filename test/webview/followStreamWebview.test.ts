/**
 * Follow Stream in the pcap editor's page (real Chromium, host played by the test): the detail pane's
 * button follows the packet shown (enabled for TCP/UDP only), rows carry the context the
 * `webview/context` menu passes to hopscope.pcapEditor.followStream, and the host's answer filters the
 * list (or shows why not) — packet text stays text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { PacketRow } from '../../src/protocol/pcapEditorProtocol';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function rows(start: number, count: number): PacketRow[] {
  return Array.from({ length: Math.max(0, Math.min(30, start + count) - start) }, (_, k) => ({
    number: start + k + 1, tsSec: 1700000000, tsNsec: k, source: '10.228.1.1', destination: '10.228.1.2',
    protocol: 'TCP', length: 66, info: `40101 → 40100 ${HOSTILE}`,
  }));
}

describe('Follow Stream in the pcap editor webview (real Chromium)', () => {
  let w: WebviewPage;
  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('pcapEditor.js', 'pcapEditor.css');
    await w.post({ type: 'init', fileName: 'follow.pcap', firstTsSec: 1700000000, firstTsNsec: 0 });
    await w.post({ type: 'progress', packetCount: 30, done: true });
    const sent = (await w.sent()) as { type: string; start: number; count: number }[];
    for (const m of sent) if (m.type === 'getRows') await w.post({ type: 'rows', view: 0, start: m.start, rows: rows(m.start, m.count) });
    await w.page.waitForSelector('.rows .row[data-number="4"]');
  });
  after(async () => { await w?.close(); });

  const followSent = async (): Promise<unknown[]> => ((await w.sent()) as { type: string }[]).filter((m) => m.type === 'followStream');

  it('gives each row the context the webview/context menu passes to the follow command', async () => {
    const context = await w.page.locator('.rows .row[data-number="4"]').getAttribute('data-vscode-context');
    assert.deepEqual(JSON.parse(context ?? 'null'), { webviewSection: 'packetRow', packetNumber: 4, preventDefaultContextMenuItems: true });
  });

  it('keeps the button disabled until a TCP or UDP packet is shown', async () => {
    const button = w.page.locator('.details button.follow-stream');
    assert.equal(await button.isDisabled(), true);
    await w.post({ type: 'detail', number: 1, layers: [{ label: 'Frame 1', start: 0, length: 42 }, { label: 'Address Resolution Protocol', start: 14, length: 28 }], bytesBase64: '' });
    await w.page.locator('.tree .label').first().waitFor();
    assert.equal(await button.isDisabled(), true);
    await button.click({ force: true });
    assert.deepEqual(await followSent(), []);
  });

  it('posts followStream with the packet shown when the button is clicked', async () => {
    await w.page.locator('.rows .row[data-number="4"]').click();
    await w.post({ type: 'detail', number: 4, bytesBase64: '', layers: [
      { label: 'Frame 4', start: 0, length: 90 }, { label: 'Internet Protocol Version 4', start: 14, length: 20 },
      { label: 'Transmission Control Protocol', start: 34, length: 32 },
    ] });
    const button = w.page.locator('.details button.follow-stream');
    await w.page.locator('.details button.follow-stream:not([disabled])').waitFor();
    assert.equal(await button.textContent(), 'Follow TCP Stream');
    await button.click();
    assert.deepEqual(await followSent(), [{ type: 'followStream', number: 4 }]);
  });

  it('applies the filter the host answers with, and shows an error as text', async () => {
    const filter = 'tcp and ip.addr == 10.228.1.1 and ip.addr == 10.228.1.2 and tcp.port == 40101 and tcp.port == 40100';
    await w.post({ type: 'followed', number: 4, filter });
    await w.page.waitForFunction((f) => (globalThis as unknown as { __sent: { type: string; text?: string }[] }).__sent.some((m) => m.type === 'applyFilter' && m.text === f), filter);
    assert.equal(await w.page.locator('input.filter').inputValue(), filter);
    await w.post({ type: 'followed', number: 1, error: `Follow Stream: ${HOSTILE}` });
    assert.equal(await w.page.locator('.filter-error').textContent(), `Follow Stream: ${HOSTILE}`);
    assert.equal(await w.page.locator('.filter-error img, .rows img').count(), 0);
    assert.equal(await w.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  });
});
