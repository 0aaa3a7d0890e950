// End-to-end: the pcap custom editor and Compare Captures in a real VS Code 1.100 workbench
// (code-server) driven through Debian's Chromium. Needs test/e2e/installCodeServer.sh to have run.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { createE2eRun } from './support/e2eRun';
import type { Workbench } from './support/workbench';
import { writePingCapture } from './support/pingCapture';
import { expectedFindings, type CaptureAddresses } from '../support/captureTextExpectations';

const DROP_FIXTURES = join(__dirname, '..', 'fixtures', 'align', 'drop');
const LSP_FIXTURES = join(__dirname, '..', 'fixtures', 'languageServer');

/** tcpdump's own lines for a file (default clock format, which the editor's Info drops). */
function tcpdumpLines(file: string, ...filter: string[]): string[] {
  return execFileSync('tcpdump', ['-nn', '-r', file, ...filter], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } })
    .toString().trimEnd().split('\n');
}

/** The page of the visible Hopscope webview (outer iframe, then the page's own frame). */
function webview(wb: Workbench): FrameLocator {
  return wb.page.frameLocator('iframe.webview.ready[src*="extensionId=hopscope.hopscope"]:visible').frameLocator('iframe#active-frame');
}

/** Two webviews can be visible side by side: the first element matching `selector` in any of them. */
async function visibleInSomeWebview(wb: Workbench, selector: string, timeoutMs = 15_000): Promise<Locator> {
  const outer = 'iframe.webview.ready[src*="extensionId=hopscope.hopscope"]';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await wb.page.locator(outer).count();
    for (let i = 0; i < n; i++) {
      const l = wb.page.frameLocator(outer).nth(i).frameLocator('iframe#active-frame').locator(selector).first();
      if (await l.isVisible().catch(() => false)) return l;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await wb.page.waitForTimeout(100); // polling the frames: no event tells when a webview's content changed
  }
}

describe('pcap editor and Compare Captures (code-server + Chromium)', () => {
  const run = createE2eRun('editors-e2e');
  const workspace = run.workspace;
  const capture = join(workspace, 'ping-lo.pcap');
  const scenario = run.scenario;

  before(() => run.start({
    prepare: async () => {
      mkdirSync(join(workspace, 'drop'), { recursive: true });
      for (const f of readdirSync(DROP_FIXTURES)) copyFileSync(join(DROP_FIXTURES, f), join(workspace, 'drop', f));
      copyFileSync(join(LSP_FIXTURES, 'client.tcpdump'), join(workspace, 'client.tcpdump'));
      await writePingCapture(capture, 3, 'hsy');
      // Cut inside the sixth record: header (24) + five records of 16 + 98 bytes + part of the sixth.
      writeFileSync(join(workspace, 'ping-cut.pcap'), readFileSync(capture).subarray(0, 24 + 5 * 114 + 40));
    },
  }));
  after(() => run.finish());

  it('(d) a pcap opens in the packet list: rows and fields as tcpdump reads them, decode tree, display filter', () =>
    scenario('d-pcap-editor', async (wb) => {
      // (Clicking the activity-bar icon would hide the Explorer when it is already shown.)
      await wb.runCommand('View: Show Explorer');
      const row = wb.treeRow('ping-lo.pcap');
      await row.waitFor({ state: 'visible' });
      await row.dblclick();
      await wb.page.locator('.tabs-container .tab.active[aria-label*="ping-lo.pcap"]').waitFor({ state: 'visible' });
      const page = webview(wb);
      const expected = tcpdumpLines(capture);
      assert.equal(expected.length, 6);
      await page.locator('.status', { hasText: '6 packets' }).waitFor({ state: 'visible' });
      const rows = page.locator('.viewport .row');
      await rows.nth(5).waitFor({ state: 'visible' });
      assert.equal(await rows.count(), 6);
      for (let i = 0; i < 6; i++) {
        const cells = await rows.nth(i).locator('.cell').allInnerTexts();
        assert.equal(cells[0], String(i + 1));
        assert.deepEqual(cells.slice(2, 5), ['127.0.0.1', '127.0.0.1', 'ICMP']);
        // tcpdump's line without its clock (`12:00:00.123456 `) is the Info column.
        assert.equal(cells[6], expected[i].slice(16));
      }
      await rows.nth(1).click();
      const tree = page.locator('.tree');
      await tree.locator('.label', { hasText: 'Internet Control Message Protocol' }).first().waitFor({ state: 'visible' });
      const labels = await tree.locator(':scope > .node > .label').allInnerTexts();
      assert.deepEqual(labels.map((l) => l.split(/[:,]/)[0]), ['Frame 2', 'Ethernet II', 'Internet Protocol Version 4', 'Internet Control Message Protocol']);
      assert.ok((await page.locator('.hex .byte').count()) >= 98);

      const filter = page.locator('input.filter');
      await filter.fill('icmp.type == 8');
      await filter.press('Enter');
      const requests = tcpdumpLines(capture, 'icmp[icmptype] == 8').length;
      await page.locator('.status', { hasText: `${requests} packets match` }).waitFor({ state: 'visible' });
      assert.equal(await rows.count(), requests);
      await filter.fill('icmp');
      await filter.press('Enter');
      await page.locator('.status', { hasText: `${tcpdumpLines(capture, 'icmp').length} packets match` }).waitFor({ state: 'visible' });
      await filter.fill('icmp.type ==');
      await filter.press('Enter');
      await page.locator('.filter-error', { hasText: '^' }).waitFor({ state: 'visible' });
    }));

  it('(d) a truncated capture shows its good packets and says where the file is damaged', () =>
    scenario('d-pcap-editor-truncated', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
      const row = wb.treeRow('ping-cut.pcap');
      await row.waitFor({ state: 'visible' });
      await row.dblclick();
      const page = webview(wb);
      await page.locator('.filter-error.file-error').waitFor({ state: 'visible' });
      assert.match(await page.locator('.filter-error').innerText(), /the 5 packets before it are shown/);
      await page.locator('.status', { hasText: '5 packets' }).waitFor({ state: 'visible' });
      await page.locator('.viewport .row').nth(4).waitFor({ state: 'visible' });
      assert.equal(await page.locator('.viewport .row').count(), 5);
    }));

  it('(c-lite) Compare Captures from an Explorer multi-selection names the segment the packets were lost on', () =>
    scenario('c-lite-compare', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
      const folder = wb.treeRow('drop');
      await folder.click();
      const first = wb.treeRow('hostA-tap.pcap');
      await first.waitFor({ state: 'visible' });
      await first.click();
      // A single click opens the capture in the pcap editor: let it take the focus before extending the selection.
      await wb.page.locator('.tabs-container .tab.active[aria-label^="hostA-tap.pcap"]').waitFor({ state: 'visible' });
      await webview(wb).locator('.status', { hasText: '68 packets' }).waitFor({ state: 'visible' });
      const selectedRows = wb.page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"].selected');
      for (let attempt = 0; attempt < 3 && (await selectedRows.count()) < 6; attempt++) {
        await wb.treeRow('vmB-eth0.pcap').click({ modifiers: ['Shift'] });
        await selectedRows.nth(5).waitFor({ state: 'attached', timeout: 3_000 }).catch(() => undefined);
      }
      assert.equal(await selectedRows.count(), 6);
      await wb.contextMenu(wb.treeRow('vmB-eth0.pcap'), 'Compare Captures');
      await wb.page.locator('.tabs-container .tab.active[aria-label*="Compare"]').waitFor({ state: 'visible' });
      const page = webview(wb);
      await page.locator('.verdicts li', { hasText: 'lost between hostB-upl@drop and hostB-tap@drop' }).waitFor({ state: 'visible' });
      const verdicts = await page.locator('.verdicts li').allInnerTexts();
      assert.ok(verdicts.includes('2 packets lost between hostB-upl@drop and hostB-tap@drop (10.205.1.1 -> 10.205.1.2)'), verdicts.join('\n'));
      const header = await page.locator('.grid-row.header .cell.column').allInnerTexts();
      assert.equal(header.length, 6);
      assert.ok(header.indexOf('hostB-upl@drop') >= 0 && Math.abs(header.indexOf('hostB-upl@drop') - header.indexOf('hostB-tap@drop')) === 1, header.join());
      await page.locator('#only-anomalies').check();
      const lostRows = page.locator('.grid-row.verdict-lost');
      await lostRows.nth(1).waitFor({ state: 'visible' });
      assert.equal(await lostRows.count(), 2);
      // The verdict's own text; its "why?" link (.explain-loss, a child of .verdict) is not part of it.
      const verdictText = await lostRows.first().locator('.verdict').evaluate((e) => e.firstChild?.textContent ?? '');
      assert.match(verdictText, /^lost between hostB-upl@drop and hostB-tap@drop$/);
      await wb.screenshot('c-lite-compare-lost-rows');
      // A cell reveals its packet in the pcap editor beside (frame 9 of hostB-upl: seq 5, as tcpdump numbers it).
      const uplColumn = header.indexOf('hostB-upl@drop');
      await lostRows.first().locator('.cell').nth(uplColumn + 1).click();
      await wb.page.locator('.tabs-container .tab.active[aria-label^="hostB-upl.pcap"]').waitFor({ state: 'visible' });
      const selected = await visibleInSomeWebview(wb, '.viewport .row.selected');
      assert.equal(await selected.locator('.cell').first().innerText(), '9');
      assert.match(await selected.locator('.cell').nth(6).innerText(), /ICMP echo request, id \d+, seq 5,/);
      assert.match(tcpdumpLines(join(workspace, 'drop', 'hostB-upl.pcap'))[8], /ICMP echo request, id \d+, seq 5,/);
    }));

  it('(e) the language server\'s diagnostics show on a tcpdump capture with retransmissions', () =>
    scenario('e-language-server-diagnostics', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('View: Show Explorer');
      const row = wb.treeRow('client.tcpdump');
      await row.waitFor({ state: 'visible' });
      await row.dblclick();
      await wb.page.locator('.tabs-container .tab.active[aria-label*="client.tcpdump"]').waitFor({ state: 'visible' });
      // Expected findings come from the text by plain regular expressions (test/support), not from our parser.
      const text = readFileSync(join(LSP_FIXTURES, 'client.tcpdump'), 'utf8');
      const addr = JSON.parse(readFileSync(join(LSP_FIXTURES, 'addresses.json'), 'utf8')) as CaptureAddresses;
      const codes = [...new Set(expectedFindings(text, addr).map((f) => f.code))];
      assert.ok(codes.includes('HS101') && codes.includes('HS102'), codes.join());
      await wb.page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
      // The status bar's problems item opens the Problems panel.
      await wb.page.locator('#status\\.problems').click();
      const markers = wb.page.locator('.markers-panel .monaco-list-row');
      await markers.first().waitFor({ state: 'visible', timeout: 30_000 });
      const panelText = (await wb.page.locator('.markers-panel').innerText()).replace(/\u00a0/g, ' ');
      for (const code of ['HS101', 'HS102']) assert.match(panelText, new RegExp(code), `Problems view lacks ${code}`);
      assert.match(panelText, /tcp-retransmission|tcp-syn-retransmission/);
    }));
});
