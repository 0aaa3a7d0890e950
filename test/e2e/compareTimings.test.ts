// End-to-end figures in a real workbench (code-server + Chromium): a generated capture opened in the
// pcap editor (200k packets; 1M with HOPSCOPE_E2E_TIMINGS=1) and Compare Selected on four 100k-packet
// path captures from the Captures view, each timed from the command to the first rendered rows; then the
// host clock offset edited in the Compare panel moves the hop delays by exactly that much.
// The figures are printed and written to test-results/e2e-timings.json; they are never pass/fail.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { writeBenchCaptures } from '../../bench/alignBenchCaptures';
import { createE2eRun } from './support/e2eRun';
import { extensionHostCpuMs } from './support/extensionHostCpu';
import { activationFigure, hopscopeLogLines, readTimeline, type StageFigure } from './support/hopscopeTimeline';
import { TEST_RESULTS_DIR } from './support/paths';
import { hopscopeWebview } from './support/webviewFrames';

const LARGE_PACKETS = process.env.HOPSCOPE_E2E_TIMINGS === '1' ? 1_000_000 : 200_000;
const LARGE_FILE = `generated-${LARGE_PACKETS / 1000}k.pcap`;
const SMALL_PACKETS = 100;
const SMALL_FILE = 'generated-small.pcap';
const PATH_PACKETS = 100_000;
/** Host folder and interface of the four hops, in path order (alignBenchCaptures' hop order). */
const HOPS = [['hostA', 'tap0'], ['hostB', 'br0'], ['hostC', 'eth0'], ['hostD', 'eth1']] as const;

interface Figure {
  wallMs: number; extensionHostCpuMs: number;
  /** Per stage: wall ms since the test's start and extension host CPU ms since the host's start (startupTimeline). */
  stages?: Record<string, StageFigure>;
  [detail: string]: number | string | Record<string, StageFigure> | undefined;
}

describe('pcap editor and Compare figures (code-server + Chromium)', () => {
  const run = createE2eRun('e2e-timings');
  const figures: Record<string, Figure | string> = { machine: `${process.env.HOSTNAME ?? 'this machine'}, shared; wall times are not pass/fail` };

  /** Wall time from `start` (performance.now()) and the extension host's CPU since `cpu0`. */
  const measure = (start: number, cpu0: number): Figure => ({
    wallMs: Math.round(performance.now() - start), extensionHostCpuMs: extensionHostCpuMs(run.server.pid) - cpu0,
  });

  /** The Hopscope log lines of this run (the extension host's own timings). */
  const hopscopeLog = (): string[] => hopscopeLogLines(run.runDir);

  before(() => run.start({
    logPhases: true,
    prepare: (workspace) => {
      let t = performance.now();
      generateCapture(join(workspace, SMALL_FILE), SMALL_PACKETS);
      generateCapture(join(workspace, LARGE_FILE), LARGE_PACKETS);
      console.log(`generate ${LARGE_PACKETS} packets: ${Math.round(performance.now() - t)} ms`);
      t = performance.now();
      const paths = HOPS.map(([host, iface]) => {
        mkdirSync(join(workspace, 'captures', host), { recursive: true });
        return join(workspace, 'captures', host, `${iface}-20260101-120000.pcap`);
      });
      writeBenchCaptures(paths, PATH_PACKETS);
      console.log(`generate 4 x ${PATH_PACKETS} path packets: ${Math.round(performance.now() - t)} ms`);
    },
  }));

  after(async () => {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    writeFileSync(join(TEST_RESULTS_DIR, 'e2e-timings.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`e2e timings: ${JSON.stringify(figures)}`);
    await run.finish();
  });

  /** Opens `file` through Go to File and waits for the pcap editor's first rows and its packet count. */
  async function openTimed(file: string, packets: number): Promise<Figure> {
    const wb = run.workbench;
    await wb.runCommand('Go to File');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(file);
    await wb.page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${file}"]`).first().waitFor({ state: 'visible' });
    const cpu0 = extensionHostCpuMs(run.server.pid);
    const start = performance.now();
    const startEpoch = Date.now();
    await input.press('Enter');
    const page = hopscopeWebview(wb);
    await page.locator('.viewport .row').first().waitFor({ state: 'visible', timeout: 120_000 });
    const firstRows = measure(start, cpu0);
    await page.locator('.status', { hasText: `${packets.toLocaleString('en-US')} packets` }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await page.locator('.viewport .row').first().locator('.cell').first().innerText(), '1');
    return { ...firstRows, packets, bytes: statSync(join(run.workspace, file)).size, stages: await readTimeline(run.runDir, 'pcapEditor', startEpoch) };
  }

  it(`the pcap editor opens a ${LARGE_PACKETS / 1000}k-packet capture (timed to the first rows; a ${SMALL_PACKETS}-packet one first)`, () =>
    run.scenario('timing-pcap-editor-large', async (wb) => {
      // The first webview of the window pays for its start (service worker, frames): time it on its own.
      figures.pcapEditorOpenSmall = await openTimed(SMALL_FILE, SMALL_PACKETS);
      const activation = activationFigure(run.runDir);
      if (activation) figures.activation = { wallMs: activation.wallMs, extensionHostCpuMs: activation.cpuMs };
      await wb.runCommand('View: Close All Editors');
      const large = figures[`pcapEditorOpen${LARGE_PACKETS / 1000}k`] = await openTimed(LARGE_FILE, LARGE_PACKETS);
      console.log(`pcap editor: ${SMALL_PACKETS} packets: first rows after ${(figures.pcapEditorOpenSmall as Figure).wallMs} ms wall; ` +
        `${LARGE_PACKETS} packets: ${large.wallMs} ms wall, ${large.extensionHostCpuMs} ms extension host CPU (target < 2000 ms for 1M)`);
    }));

  it('Compare Selected on four 100k-packet path captures from the Captures view (timed to the first rows)', () =>
    run.scenario('timing-compare-4x100k', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('Hopscope: Focus on Captures View');
      const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });
      const fileRows = pane.locator('.monaco-list-row[role="treeitem"]', { hasText: '.pcap' });
      await fileRows.nth(3).waitFor({ state: 'visible', timeout: 30_000 });
      // Ctrl+click only selects (a plain click would open the file as text). Only file rows: a context menu
      // of a mixed selection offers only the actions every selected row has.
      for (let i = 0; i < 4; i++) await fileRows.nth(i).click({ modifiers: ['Control'] });
      const selected = pane.locator('.monaco-list-row[role="treeitem"].selected', { hasText: '.pcap' });
      await selected.nth(3).waitFor({ state: 'attached' });
      assert.equal(await selected.count(), 4);
      const cpu0 = extensionHostCpuMs(run.server.pid);
      const start = await wb.contextMenu(fileRows.nth(3), 'Compare Selected');
      const startEpoch = Date.now() - (performance.now() - start);
      const page = hopscopeWebview(wb);
      await page.locator('.viewport .grid-row').first().waitFor({ state: 'visible', timeout: 120_000 });
      const firstRows = measure(start, cpu0);
      const stages = await readTimeline(run.runDir, 'compare', startEpoch);
      const log = hopscopeLog();
      const loaded = log.map((l) => /compare: loaded 4 captures in (\d+) ms/.exec(l)).find(Boolean);
      const aligned = log.map((l) => /compare: (\d+) rows from 4 captures in (\d+) ms/.exec(l)).find(Boolean);
      figures.compare4x100k = {
        ...firstRows, packetsPerCapture: PATH_PACKETS, loadMs: Number(loaded?.[1] ?? NaN), alignMs: Number(aligned?.[2] ?? NaN), rows: Number(aligned?.[1] ?? NaN), stages,
      };
      console.log(`Compare 4 x ${PATH_PACKETS}: first rows after ${firstRows.wallMs} ms wall, ${firstRows.extensionHostCpuMs} ms extension host CPU; ` +
        `load ${loaded?.[1]} ms, align ${aligned?.[2]} ms (target < 1000 ms); stages ${JSON.stringify(stages)}`);
      assert.deepEqual(await page.locator('.grid-row.header .cell.column').allInnerTexts(), HOPS.map(([h, i]) => `${i}@${h}`));
      assert.equal(await page.locator('.status').innerText(), `${Number(aligned?.[1]).toLocaleString('en-US')} packets`);
    }));

  it('editing a host clock offset in the Compare panel moves that hop\'s delays by the offset', () =>
    run.scenario('compare-clock-offset-edit', async (wb) => {
      const page = hopscopeWebview(wb);
      const segment = (name: string) => page.locator('.segments .segment', { has: page.locator('.segment-name', { hasText: name }) });
      // The generator puts each hop 30 µs after the previous one, both ways: no offset to estimate.
      const forward = segment('→ tap0@hostA → br0@hostB');
      const reverse = segment('← br0@hostB → tap0@hostA');
      assert.match(await forward.innerText(), /p50 30 µs/);
      assert.match(await reverse.innerText(), /p50 30 µs/);
      const firstRowDelay = page.locator('.viewport .grid-row').first().locator('.cell.present').nth(1).locator('.delay');
      assert.equal(await firstRowDelay.innerText(), '+30 µs');
      const clock = page.locator('input[aria-label="Clock offset of hostB in ms"]');
      assert.equal(await clock.inputValue(), '0.000');
      // hostB's clock 1 ms ahead: its timestamps come 1 ms earlier on hostA's clock.
      const cpu0 = extensionHostCpuMs(run.server.pid);
      const start = performance.now();
      await clock.fill('1');
      await clock.press('Enter');
      await page.locator('.clocks .clock', { hasText: 'hostB' }).locator('.unit', { hasText: 'set by you' }).waitFor({ state: 'visible', timeout: 60_000 });
      await forward.locator('.segment-stats', { hasText: 'p50 -970 µs' }).waitFor({ state: 'visible' });
      figures.compareClockEdit4x100k = measure(start, cpu0);
      assert.match(await reverse.innerText(), /p50 1\.03 ms/);
      await page.locator('.viewport .grid-row').first().waitFor({ state: 'visible' });
      assert.equal(await firstRowDelay.innerText(), '-970 µs');
      assert.equal(await clock.inputValue(), '1.000');
      // The other hosts keep their (estimated) clocks.
      assert.match(await page.locator('.clocks .clock', { hasText: 'hostC' }).innerText(), /estimated/);
      assert.deepEqual(await page.locator('.grid-row.header .cell.column').allInnerTexts(), HOPS.map(([h, i]) => `${i}@${h}`));
    }));

  it('editing the host of a capture in the Compare panel puts its column on that host\'s clock', () =>
    run.scenario('compare-host-name-edit', async (wb) => {
      const page = hopscopeWebview(wb);
      // br0 was (say) captured on hostA, not hostB: it leaves hostB's 1 ms clock for hostA's.
      const host = page.locator('input[aria-label="Host of br0@hostB"]');
      assert.equal(await host.inputValue(), 'hostB');
      await host.fill('hostA');
      await host.press('Enter');
      const header = page.locator('.grid-row.header .cell.column');
      await header.filter({ hasText: 'br0@hostA' }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.deepEqual(await header.allInnerTexts(), ['tap0@hostA', 'br0@hostA', 'eth0@hostC', 'eth1@hostD']);
      const segment = (name: string) => page.locator('.segments .segment', { has: page.locator('.segment-name', { hasText: name }) });
      assert.match(await segment('→ tap0@hostA → br0@hostA').innerText(), /p50 30 µs/);
      assert.match(await segment('← br0@hostA → tap0@hostA').innerText(), /p50 30 µs/);
      assert.equal(await page.locator('.viewport .grid-row').first().locator('.cell.present').nth(1).locator('.delay').innerText(), '+30 µs');
      // No capture is on hostB any more: its clock row is gone.
      assert.deepEqual(await page.locator('.clocks .clock .host').allInnerTexts(), ['hostA', 'hostC', 'hostD']);
    }));
  it('Compare Selected again on the same, unchanged captures shows the open panel with its edits (no second panel)', () =>
    run.scenario('compare-same-set-reveals', async (wb) => {
      await wb.runCommand('Hopscope: Focus on Captures View');
      const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });
      const fileRows = pane.locator('.monaco-list-row[role="treeitem"]', { hasText: '.pcap' });
      await fileRows.nth(3).waitFor({ state: 'visible', timeout: 30_000 });
      // Ctrl+click toggles: add only the rows the previous scenario's selection lacks.
      for (let i = 0; i < 4; i++) {
        if (!(await fileRows.nth(i).getAttribute('class'))?.split(/\s+/).includes('selected')) await fileRows.nth(i).click({ modifiers: ['Control'] });
      }
      const selected = pane.locator('.monaco-list-row[role="treeitem"].selected', { hasText: '.pcap' });
      await selected.nth(3).waitFor({ state: 'attached' });
      assert.equal(await selected.count(), 4);
      await wb.contextMenu(fileRows.nth(3), 'Compare Selected');
      await wb.page.locator('.tabs-container .tab.active[aria-label*="Compare"]').waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await wb.page.locator('.tabs-container .tab[aria-label*="Compare"]').count(), 1);
      // The host edit of the previous scenario is still there: the same panel, not a rebuilt one.
      const page = hopscopeWebview(wb);
      assert.equal(await page.locator('input[aria-label^="Host of br0@"]').inputValue(), 'hostA');
    }));
});
