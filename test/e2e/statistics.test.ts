// End-to-end: the pcap editor's Statistics tab and Export Packets (time window) in a real VS Code 1.100
// workbench (code-server) driven through Debian's Chromium. Needs test/e2e/installCodeServer.sh.
// Capture: test/fixtures/stats/stats-mix.pcap (real kernel traffic, test/fixtures/makeStatsCapture.sh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import { hopscopeWebview } from './support/webviewFrames';
import { runTsharkStats } from '../unit/tsharkStatsTables';

const FIXTURE = join(__dirname, '..', 'fixtures', 'stats', 'stats-mix.pcap');
const MERGE_INPUTS = ['ping4.pcap', 'tcp.pcap'].map((f) => join(__dirname, '..', 'fixtures', 'capture', f));

/** `tcpdump -r -tt -n` epoch timestamps, one per packet. */
function tcpdumpTimes(file: string, ...filter: string[]): string[] {
  return execFileSync('tcpdump', ['-r', file, '-tt', '-n', ...filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' ')[0]);
}

describe('pcap editor Statistics tab and Export Packets (code-server + Chromium)', () => {
  const run = createE2eRun('e2e-statistics');
  const workspace = run.workspace;
  const capture = join(workspace, 'stats-mix.pcap');
  const scenario = run.scenario;

  before(() => run.start({
    prepare: () => {
      copyFileSync(FIXTURE, capture);
      mkdirSync(join(workspace, 'merge'));
      for (const f of MERGE_INPUTS) copyFileSync(f, join(workspace, 'merge', f.split('/').pop() ?? ''));
    },
  }));
  after(() => run.finish());

  it('(f) Statistics tab: tables and chart as tshark counts them; a click on a talker filters the packet list', () =>
    scenario('f-statistics-tab', async (wb) => {
      const tshark = runTsharkStats(capture);
      await wb.runCommand('View: Show Explorer');
      const row = wb.treeRow('stats-mix.pcap');
      await row.waitFor({ state: 'visible' });
      await row.dblclick();
      await wb.page.locator('.tabs-container .tab.active[aria-label*="stats-mix.pcap"]').waitFor({ state: 'visible' });
      const page = hopscopeWebview(wb);
      await page.locator('.status', { hasText: '339 packets' }).waitFor({ state: 'visible' });
      await page.locator('.stats-toggle').click();
      const talker = page.locator('table[data-table="endpoints"] tbody tr[data-filter="ip.addr == 10.225.1.2"]');
      await talker.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await page.locator('.stats-chart.per-second rect.bar').count(), tshark.intervals.length);
      assert.equal(await page.locator('.stats-chart.per-second rect.bar.spike').count(), 1);
      const packets = Number(await talker.locator('td').nth(1).getAttribute('data-value'));
      assert.equal(packets, tshark.ipHosts.get('10.225.1.2'));
      await wb.screenshot('f-statistics-tables');
      await talker.click();
      const expected = tcpdumpTimes(capture, 'ip host 10.225.1.2').length;
      assert.equal(expected, packets);
      await page.locator('.status', { hasText: `${expected} packets match` }).waitFor({ state: 'visible' });
      assert.equal(await page.locator('input.filter').inputValue(), 'ip.addr == 10.225.1.2');
      assert.ok(await page.locator('.viewport').isVisible());
    }));

  it('(g) Export Packets of a time window writes a pcap that tcpdump reads, and opens it in the pcap editor', () =>
    scenario('g-export-time-window', async (wb) => {
      await wb.page.locator('.tabs-container .tab.active[aria-label*="stats-mix.pcap"]').click();
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      const timeWindow = wb.page.locator('.quick-input-widget .monaco-list-row[aria-label^="A time window"]');
      // The pcap editor's webview can take the focus back after the tab click, late on a loaded machine,
      // and a quick pick closes when it loses focus: ask again until the choice stays open.
      for (let attempt = 1; ; attempt++) {
        await wb.runCommand('Hopscope: Export Packets…');
        const shown = await timeWindow.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
        if (shown) break;
        assert.ok(attempt < 3, 'the Export Packets choice never stayed open');
      }
      await input.fill('A time window');
      await input.press('Enter');
      await wb.page.locator('.quick-input-widget', { hasText: 'From (inclusive' }).waitFor({ state: 'visible' });
      await input.fill('+1');
      await input.press('Enter');
      await wb.page.locator('.quick-input-widget', { hasText: 'To (exclusive' }).waitFor({ state: 'visible' });
      await input.fill('+2');
      await input.press('Enter');
      // code-server's save dialog is VS Code's simple dialog: the proposed path, Enter accepts it.
      await wb.page.waitForFunction("document.querySelector('.quick-input-widget .quick-input-box input')?.value?.endsWith('stats-mix-window.pcap')");
      await input.press('Enter');
      const all = tcpdumpTimes(capture);
      const us = (t: string): number => Math.round(Number(t) * 1e6);
      const expected = all.filter((t) => us(t) >= us(all[0]) + 1_000_000 && us(t) < us(all[0]) + 2_000_000);
      // The notification says how many packets were written, of how many, and the format.
      await wb.page.locator('.notifications-toasts', { hasText: `Wrote ${expected.length} packets of ${all.length} to stats-mix-window.pcap (pcap).` })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await wb.page.locator('.tabs-container .tab.active[aria-label*="stats-mix-window.pcap"]').waitFor({ state: 'visible', timeout: 30_000 });
      const out = join(workspace, 'stats-mix-window.pcap');
      const got = tcpdumpTimes(out);
      assert.equal(got.length, expected.length);
      assert.equal(got[0], expected[0]);
      assert.equal(got.at(-1), expected.at(-1));
      await hopscopeWebview(wb).locator('.status', { hasText: `${expected.length} packets` }).waitFor({ state: 'visible' });
    }));

  it('(h) Merge Captures by Time from an Explorer multi-selection: mergecap\'s packets in time order, opened', () =>
    scenario('h-merge-captures', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('View: Show Explorer');
      await wb.treeRow('merge').click();
      const first = wb.treeRow('ping4.pcap');
      await first.waitFor({ state: 'visible' });
      await first.click();
      await wb.page.locator('.tabs-container .tab.active[aria-label^="ping4.pcap"]').waitFor({ state: 'visible' });
      const selectedRows = wb.page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"].selected');
      for (let attempt = 0; attempt < 3 && (await selectedRows.count()) < 2; attempt++) {
        await wb.treeRow('tcp.pcap').click({ modifiers: ['Control'] });
        await selectedRows.nth(1).waitFor({ state: 'attached', timeout: 3_000 }).catch(() => undefined);
      }
      assert.equal(await selectedRows.count(), 2);
      await wb.contextMenu(wb.treeRow('tcp.pcap'), 'Merge Captures by Time');
      await wb.page.waitForFunction("document.querySelector('.quick-input-widget .quick-input-box input')?.value?.endsWith('merged.pcap')");
      await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
      await wb.page.locator('.tabs-container .tab.active[aria-label^="merged.pcap"]').waitFor({ state: 'visible', timeout: 30_000 });
      const merged = join(workspace, 'merge', 'merged.pcap');
      const mergecap = join(run.runDir, 'mergecap.pcap');
      execFileSync('mergecap', ['-w', mergecap, ...MERGE_INPUTS]);
      assert.deepEqual(tcpdumpTimes(merged), tcpdumpTimes(mergecap));
      await hopscopeWebview(wb).locator('.status', { hasText: `${tcpdumpTimes(mergecap).length} packets` }).waitFor({ state: 'visible' });
    }));
});
