// End-to-end: Follow TCP/UDP Stream in the pcap editor of a real VS Code 1.100 (code-server) through
// Debian's Chromium. Capture: test/fixtures/follow/follow.pcap (real loopback traffic,
// test/fixtures/follow/makeFollowCapture.sh): two TCP connections on the same ports, a UDP exchange.
// Expected packet counts come from tshark's tcp.stream / udp.stream on the same file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import { hopscopeWebview } from './support/webviewFrames';
import type { Workbench } from './support/workbench';

const FIXTURE = join(__dirname, '..', 'fixtures', 'follow', 'follow.pcap');

function tsharkCount(file: string, filter: string): number {
  return execFileSync('tshark', ['-r', file, '-Y', filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l.trim() !== '').length;
}

/** Lines of the editors that show text (the pcap editor is a webview: only the stream document is Monaco). */
async function textEditorLines(wb: Workbench): Promise<string[]> {
  return wb.page.locator('.monaco-editor .view-line').evaluateAll((elements) => elements
    .map((element) => ({ top: Number.parseFloat((element as unknown as { style: { top: string } }).style.top), text: element.textContent ?? '' }))
    .sort((a, b) => a.top - b.top).map((line) => line.text.replace(/\u00a0/g, ' ')));
}

describe('Follow TCP/UDP Stream in the pcap editor (code-server + Chromium)', () => {
  const run = createE2eRun('follow-e2e');
  const capture = join(run.workspace, 'follow.pcap');
  before(() => run.start({ prepare: (workspace) => { copyFileSync(FIXTURE, join(workspace, 'follow.pcap')); } }));
  after(() => run.finish());

  it('the detail pane button filters the list to the second connection on reused ports and opens its stream beside it', () =>
    run.scenario('follow-stream-button', async (wb) => {
      await wb.runCommand('View: Show Explorer');
      const file = wb.treeRow('follow.pcap');
      await file.waitFor({ state: 'visible' });
      await file.dblclick();
      const page = hopscopeWebview(wb);
      await page.locator('.status', { hasText: '28 packets' }).waitFor({ state: 'visible' });
      await page.locator('.viewport .row[data-number="24"]').click();
      const button = page.locator('.details button.follow-stream', { hasText: 'Follow TCP Stream' });
      await button.waitFor({ state: 'visible' });
      await button.click();
      const expected = tsharkCount(capture, 'tcp.stream == 1');
      assert.equal(expected, 10);
      await page.locator('.status', { hasText: `${expected} packets match` }).waitFor({ state: 'visible' });
      assert.match(await page.locator('input.filter').inputValue(), /^tcp and ip\.addr == 10\.228\.1\.1 .* and frame\.number >= 19 and frame\.number <= 28$/);
      await wb.page.locator('.tabs-container .tab[aria-label*="tcp stream of packet 24"]').waitFor({ state: 'visible' });
      await wb.page.locator('.monaco-editor .view-line', { hasText: '< bye' }).waitFor({ state: 'visible' });
      const lines = await textEditorLines(wb);
      assert.ok(lines.includes('> second connection'), lines.join('\n'));
      assert.ok(lines.some((l) => /^> client 10\.228\.1\.1:40101 -> 10\.228\.1\.2:40100: 6 packets, 17 payload bytes$/.test(l)), lines.join('\n'));
    }));

  it('the packet list context menu follows the UDP conversation of the row', () =>
    run.scenario('follow-stream-context-menu', async (wb) => {
      const page = hopscopeWebview(wb);
      const filter = page.locator('input.filter');
      await filter.fill('');
      await filter.press('Enter');
      await page.locator('.status', { hasText: '28 packets' }).waitFor({ state: 'visible' });
      await wb.contextMenu(page.locator('.viewport .row[data-number="16"]'), 'Follow TCP/UDP Stream');
      const expected = tsharkCount(capture, 'udp.stream == 0');
      await page.locator('.status', { hasText: `${expected} packets match` }).waitFor({ state: 'visible' });
      await wb.page.locator('.monaco-editor .view-line', { hasText: '< answer: udp question one' }).waitFor({ state: 'visible' });
    }));
});
