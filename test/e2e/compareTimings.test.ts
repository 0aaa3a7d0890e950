// End-to-end figures in a real workbench (code-server + Chromium): Compare Selected on four 100k-packet
// path captures from the Captures view and a generated capture opened in the pcap editor (200k packets;
// 1M with HOPSCOPE_E2E_TIMINGS=1), each timed from the command to the first rendered rows, each both as
// the window's first webview and after another webview. code-server serves all webviews from one origin,
// so every webview after the first waits ~1 s for its service worker's activation (Chromium's lifecycle,
// recorded through CDP: support/serviceWorkerLifecycle.ts); desktop VS Code and vscode.dev give each
// webview type its own origin. Then the host clock offset edited in the Compare panel moves the hop delays by
// exactly that much. The figures are printed and written to test-results/e2e-timings.json; they are
// never pass/fail.
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
import { recordServiceWorkers, type ServiceWorkerRecorder } from './support/serviceWorkerLifecycle';
import { hopscopeWebview, hopscopeWebviewId } from './support/webviewFrames';
import { openWorkbench, type Workbench } from './support/workbench';
import type { Locator } from 'playwright-core';

const LARGE_PACKETS = process.env.HOPSCOPE_E2E_TIMINGS === '1' ? 1_000_000 : 200_000;
const LARGE_FILE = `generated-${LARGE_PACKETS / 1000}k.pcap`;
const SMALL_PACKETS = 100;
const SMALL_FILE = 'generated-small.pcap';
const PATH_PACKETS = 100_000;
/** Host folder and interface of the four hops, in path order (alignBenchCaptures' hop order). */
const HOPS = [['hostA', 'tap0'], ['hostB', 'br0'], ['hostC', 'eth0'], ['hostD', 'eth1']] as const;
/** Issue #6's targets, from the command to the first rows (reported, never asserted). */
const COMPARE_TARGET_MS = 1000;
/** The pcap editor's target is for 1M packets (HOPSCOPE_E2E_TIMINGS=1). */
const LARGE_OPEN_TARGET_MS = LARGE_PACKETS === 1_000_000 ? 2000 : undefined;

interface Figure {
  wallMs: number; extensionHostCpuMs: number;
  /**
   * Per stage: wall ms since the test's start and extension host CPU ms since the host's start
   * (startupTimeline); the serviceWorker* stages: the browser's, CPU since the test's start.
   */
  stages?: Record<string, StageFigure>;
  /** How long the webview's document waited for its service worker's activation (see serviceWorkerFigure). */
  serviceWorkerWaitMs?: number;
  [detail: string]: number | string | Record<string, StageFigure> | undefined;
}

/**
 * The service-worker stages of the webview `webviewId` (ms since the click), merged into `stages` in time
 * order, and how long its document waited for the worker: index.html navigates the page's frame as soon
 * as the new version controls it (`activating`), and Chromium holds that request until `activated`; so
 * the wait is from the later of `activating` and the page's navigation to `activated`.
 */
function serviceWorkerFigure(recorder: ServiceWorkerRecorder, webviewId: string, start: number, cpu0: number,
  stages: Record<string, StageFigure>): Pick<Figure, 'stages' | 'serviceWorkerWaitMs' | 'serviceWorker'> {
  const version = recorder.versionOf(webviewId);
  if (!version) return { stages, serviceWorker: `no service-worker version recorded for webview ${webviewId}` };
  const since = (status: keyof typeof version.statusAt): StageFigure | undefined => {
    const s = version.statusAt[status];
    return s && { wallMs: Math.round(s.at - start), cpuMs: s.cpuMs - cpu0 };
  };
  const sw: Record<string, StageFigure | undefined> = {
    serviceWorkerRegistered: since('new'), serviceWorkerInstalled: since('installed'),
    serviceWorkerActivating: since('activating'), serviceWorkerActivated: since('activated'),
  };
  const merged = Object.fromEntries(Object.entries({ ...stages, ...sw })
    .filter((e): e is [string, StageFigure] => e[1] !== undefined)
    .sort((a, b) => a[1].wallMs - b[1].wallMs));
  const activating = sw.serviceWorkerActivating?.wallMs;
  const activated = sw.serviceWorkerActivated?.wallMs;
  const waitFrom = activating === undefined ? undefined : Math.max(activating, stages.pageNavigation?.wallMs ?? activating);
  const serviceWorker = version.replacedVersionId === undefined
    ? `version ${version.versionId}, the first of registration ${version.registrationId}`
    : `version ${version.versionId} of registration ${version.registrationId}, replacing its active version ${version.replacedVersionId}` +
      ` (which controlled ${version.replacedControlledTargets ?? '?'} page targets then` +
      `${recorder.controllerMessageOf(webviewId) ? '; index.html: "Found unexpected service worker controller … Waiting for controllerchange"' : ''})`;
  return {
    stages: merged, serviceWorker,
    ...(activated !== undefined && waitFrom !== undefined ? { serviceWorkerWaitMs: Math.max(0, activated - waitFrom) } : {}),
  };
}

const verdict = (ms: number, targetMs: number | undefined): string =>
  targetMs === undefined ? 'no target for this size' : `${ms < targetMs ? 'under' : 'over'} the target (< ${targetMs} ms)`;

/**
 * The printed line of a timed open: wall, CPU, the service worker's wait and the target verdict (if it has a
 * target). The verdict is on the page's own `rowsPainted` (Date.now() in the animation frame after the rows
 * entered the DOM, on this machine's clock) when the log has it: Playwright notices the rows 17–430 ms later
 * (its retries back off to 500 ms between polls), which `wall` includes.
 */
function timedOpenLine(name: string, f: Figure, firstWebview: boolean, targetMs: number | undefined): string {
  const wait = f.serviceWorkerWaitMs;
  const painted = f.stages?.rowsPainted;
  const rendered = painted ? Math.round(painted.wallMs) : f.wallMs;
  const on = painted ? 'the painted time' : 'the wall time';
  const head = `${name} (${firstWebview ? 'first webview of the window' : 'after another webview'}): first rows after ${f.wallMs} ms wall` +
    `${painted ? ` (painted by the page at ${rendered} ms)` : ''}, ${f.extensionHostCpuMs} ms extension host CPU`;
  if (wait === undefined) return `${head}; service worker not recorded; ${verdict(rendered, targetMs)} on ${on}`;
  if (firstWebview) return `${head}, ${wait} ms waiting for the service worker; ${verdict(rendered, targetMs)} on ${on}`;
  // No verdict here: the extension's own work (load, align) runs during that wait, so "minus the wait" would
  // understate the time; the first-webview line of the same open carries the verdict.
  return `${head}, of which ${wait} ms waiting for code-server's shared-origin service worker to activate ` +
    '(the target verdict is on the first-webview line: the extension works during that wait)';
}

describe('pcap editor and Compare figures (code-server + Chromium)', () => {
  const run = createE2eRun('e2e-timings');
  const figures: Record<string, Figure | string> = { machine: `${process.env.HOSTNAME ?? 'this machine'}, shared; wall times are not pass/fail` };
  let serviceWorkers: ServiceWorkerRecorder | undefined;

  /** Wall time from `start` (performance.now()) and the extension host's CPU since `cpu0`. */
  const measure = (start: number, cpu0: number): Figure => ({
    wallMs: Math.round(performance.now() - start), extensionHostCpuMs: extensionHostCpuMs(run.server.pid) - cpu0,
  });
  const sampleCpu = (): number => extensionHostCpuMs(run.server.pid);

  /** The Hopscope log lines of this run (the extension host's own timings), without empty ones (a file's last). */
  const hopscopeLog = (): string[] => hopscopeLogLines(run.runDir).filter((l) => l !== '');

  before(async () => {
    await run.start({
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
    });
    serviceWorkers = await recordServiceWorkers(run.workbench.page, sampleCpu);
  });

  after(async () => {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    writeFileSync(join(TEST_RESULTS_DIR, 'e2e-timings.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`e2e timings: ${JSON.stringify(figures)}`);
    await serviceWorkers?.stop();
    await run.finish();
  });

  /** Opens `file` in `wb` through Go to File and waits for the pcap editor's first rows and its packet count. */
  async function openTimed(wb: Workbench, recorder: ServiceWorkerRecorder, file: string, packets: number): Promise<Figure> {
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
    const stages = await readTimeline(run.runDir, 'pcapEditor', startEpoch);
    return {
      ...firstRows, packets, bytes: statSync(join(run.workspace, file)).size,
      ...serviceWorkerFigure(recorder, await hopscopeWebviewId(wb), start, cpu0, stages),
    };
  }

  /** The Captures view's four path captures, selected (Ctrl+click toggles: only the rows not selected yet). */
  async function selectPathCaptures(wb: Workbench): Promise<Locator> {
    await wb.runCommand('Hopscope: Focus on Captures View');
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });
    const fileRows = pane.locator('.monaco-list-row[role="treeitem"]', { hasText: '.pcap' });
    await fileRows.nth(3).waitFor({ state: 'visible', timeout: 30_000 });
    // Ctrl+click only selects (a plain click would open the file as text). Only file rows: a context menu
    // of a mixed selection offers only the actions every selected row has.
    for (let i = 0; i < 4; i++) {
      if (!(await fileRows.nth(i).getAttribute('class'))?.split(/\s+/).includes('selected')) await fileRows.nth(i).click({ modifiers: ['Control'] });
    }
    const selected = pane.locator('.monaco-list-row[role="treeitem"].selected', { hasText: '.pcap' });
    await selected.nth(3).waitFor({ state: 'attached' });
    assert.equal(await selected.count(), 4);
    return fileRows;
  }

  /** Compare Selected on the four path captures (a new panel), timed to the grid's first rows; checks the columns and the row count. */
  async function compareTimed(wb: Workbench, recorder: ServiceWorkerRecorder): Promise<Figure> {
    const fileRows = await selectPathCaptures(wb);
    const logLinesBefore = hopscopeLog().length;
    const cpu0 = extensionHostCpuMs(run.server.pid);
    const start = await wb.contextMenu(fileRows.nth(3), 'Compare Selected');
    const startEpoch = Math.round(Date.now() - (performance.now() - start));
    const page = hopscopeWebview(wb);
    await page.locator('.viewport .grid-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    const firstRows = measure(start, cpu0);
    const stages = await readTimeline(run.runDir, 'compare', startEpoch);
    // This Compare's own lines (the file is scanned in order; an earlier Compare logged the same texts).
    const log = hopscopeLog().slice(logLinesBefore);
    const loaded = log.map((l) => /compare: loaded 4 captures in (\d+) ms/.exec(l)).find(Boolean);
    const aligned = log.map((l) => /compare: (\d+) rows from 4 captures in (\d+) ms/.exec(l)).find(Boolean);
    assert.deepEqual(await page.locator('.grid-row.header .cell.column').allInnerTexts(), HOPS.map(([h, i]) => `${i}@${h}`));
    assert.equal(await page.locator('.status').innerText(), `${Number(aligned?.[1]).toLocaleString('en-US')} packets`);
    return {
      ...firstRows, packetsPerCapture: PATH_PACKETS, loadMs: Number(loaded?.[1] ?? NaN), alignMs: Number(aligned?.[2] ?? NaN), rows: Number(aligned?.[1] ?? NaN),
      ...serviceWorkerFigure(recorder, await hopscopeWebviewId(wb), start, cpu0, stages),
    };
  }

  const compareLine = (f: Figure, firstWebview: boolean): string =>
    `${timedOpenLine(`Compare 4 x ${PATH_PACKETS}`, f, firstWebview, COMPARE_TARGET_MS)}; load ${f.loadMs} ms, align ${f.alignMs} ms; ` +
    `service worker: ${f.serviceWorker}; stages ${JSON.stringify(f.stages)}`;

  it('Compare Selected on four 100k-packet path captures from the Captures view, as the window\'s first webview (timed to the first rows)', () =>
    run.scenario('timing-compare-4x100k-first-webview', async (wb) => {
      assert.ok(serviceWorkers);
      // No webview has been opened in this window: no service-worker registration to replace.
      const compare = figures.compare4x100kFirstWebview = await compareTimed(wb, serviceWorkers);
      console.log(compareLine(compare, true));
      const activation = activationFigure(run.runDir);
      if (activation) figures.activation = { wallMs: activation.wallMs, extensionHostCpuMs: activation.cpuMs };
    }));

  it(`the pcap editor opens a ${LARGE_PACKETS / 1000}k-packet capture after another webview (timed to the first rows; a ${SMALL_PACKETS}-packet one first)`, () =>
    run.scenario('timing-pcap-editor-large', async (wb) => {
      assert.ok(serviceWorkers);
      await wb.runCommand('View: Close All Editors');
      figures.pcapEditorOpenSmall = await openTimed(wb, serviceWorkers, SMALL_FILE, SMALL_PACKETS);
      await wb.runCommand('View: Close All Editors');
      const large = figures[`pcapEditorOpen${LARGE_PACKETS / 1000}k`] = await openTimed(wb, serviceWorkers, LARGE_FILE, LARGE_PACKETS);
      console.log(`pcap editor: ${SMALL_PACKETS} packets: first rows after ${(figures.pcapEditorOpenSmall as Figure).wallMs} ms wall`);
      console.log(`${timedOpenLine(`pcap editor ${LARGE_PACKETS} packets`, large, false, LARGE_OPEN_TARGET_MS)}; ` +
        `service worker: ${large.serviceWorker}; stages ${JSON.stringify(large.stages)}`);
    }));

  it('Compare Selected on four 100k-packet path captures from the Captures view, after other webviews (timed to the first rows)', () =>
    run.scenario('timing-compare-4x100k', async (wb) => {
      assert.ok(serviceWorkers);
      await wb.runCommand('View: Close All Editors');
      // The pcap editors' registration versions are there: this panel's version replaces the active one.
      const compare = figures.compare4x100k = await compareTimed(wb, serviceWorkers);
      console.log(compareLine(compare, false));
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
      const fileRows = await selectPathCaptures(wb);
      await wb.contextMenu(fileRows.nth(3), 'Compare Selected');
      await wb.page.locator('.tabs-container .tab.active[aria-label*="Compare"]').waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await wb.page.locator('.tabs-container .tab[aria-label*="Compare"]').count(), 1);
      // The host edit of the previous scenario is still there: the same panel, not a rebuilt one.
      const page = hopscopeWebview(wb);
      assert.equal(await page.locator('input[aria-label^="Host of br0@"]').inputValue(), 'hostA');
    }));

  it(`the pcap editor opens the ${LARGE_PACKETS / 1000}k-packet capture as the first webview of a new window (timed to the first rows)`, async () => {
    // A new browser: its own service-worker registrations, so the window's first webview replaces none;
    // and its own extension host, activated first (Captures view) so the figure is the open alone.
    const wb = await openWorkbench(run.server.url, { runDir: run.runDir });
    const recorder = await recordServiceWorkers(wb.page, sampleCpu);
    try {
      await wb.runCommand('Hopscope: Focus on Captures View');
      const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });
      await pane.locator('.monaco-list-row[role="treeitem"]', { hasText: '.pcap' }).nth(3).waitFor({ state: 'visible', timeout: 30_000 });
      const first = figures[`pcapEditorOpen${LARGE_PACKETS / 1000}kFirstWebview`] = await openTimed(wb, recorder, LARGE_FILE, LARGE_PACKETS);
      console.log(`${timedOpenLine(`pcap editor ${LARGE_PACKETS} packets`, first, true, LARGE_OPEN_TARGET_MS)}; ` +
        `service worker: ${first.serviceWorker}; stages ${JSON.stringify(first.stages)}`);
      await wb.screenshot('timing-pcap-editor-large-first-webview');
    } catch (error) {
      await wb.screenshot('timing-pcap-editor-large-first-webview-failure').catch(() => undefined);
      throw error;
    } finally {
      await recorder.stop();
      await wb.close();
    }
  });
});
