/**
 * Compare Captures end to end on real captures whose names carry markup: the committed six-hop drop set
 * (real tcpdump in namespaces) copied under a host folder and interface names made of HTML, run through
 * the extension's real view model (compareCaptures) into the page in real Chromium. Every label,
 * verdict and segment name shows the markup as text; nothing from it runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCaptures, loadCompareCaptures } from '../../src/core/align/compareCaptures';
import { defaultCaptureLoaders } from '../../src/core/align/defaultCaptureLoaders';
import { openWebview, type WebviewPage } from './support/webviewPage';

const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const HOST = '<img src=x onerror=globalThis.__pwned=1>';
const IFACE = '<svg onload=globalThis.__pwned=2>';

describe('compare webview: markup in capture names from real captures stays text (real Chromium)', () => {
  let w: WebviewPage;
  let dir = '';
  let labels: string[] = [];
  let verdicts: string[] = [];
  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'hopscope-xss-'));
    const hostDir = join(dir, 'captures', HOST);
    mkdirSync(hostDir, { recursive: true });
    const files = SIX.map((n, i) => {
      // captures/<host>/<iface>-<time>.pcap: the layout the view model names columns from
      const out = join(hostDir, `${i === 3 ? IFACE : n}-20261123T1200.pcap`);
      copyFileSync(join(__dirname, '..', 'fixtures', 'align', 'drop', `${n}.pcap`), out);
      return out;
    });
    const m = compareCaptures(files, await loadCompareCaptures(files, defaultCaptureLoaders), {});
    labels = m.columns.map((c) => c.label);
    verdicts = m.verdictTexts();
    w = await openWebview('compare.js', 'compare.css');
    await w.post({ type: 'model', columns: m.columns, segments: m.segments(), clocks: m.clocks(), verdicts, flows: m.flows });
    await w.post({ type: 'view', view: 0, count: m.rowCount });
    await w.page.waitForFunction(() => ((globalThis as unknown as { __sent: { type: string }[] }).__sent).some((x) => x.type === 'getRows'));
    const ask = ((await w.sent()) as { type: string; view: number; start: number; count: number }[]).filter((x) => x.type === 'getRows');
    for (const a of ask) await w.post({ type: 'rows', view: a.view, start: a.start, rows: m.rows(a.view, a.start, a.count) });
    await w.page.waitForSelector('.rows .grid-row');
  });
  after(async () => {
    await w?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the markup reaches the page: column labels and the loss verdict carry it', () => {
    assert.ok(labels.some((l) => l.includes(HOST)) && labels.some((l) => l.includes(IFACE)), labels.join(' | '));
    assert.ok(verdicts.some((v) => v.includes(IFACE) && /lost/.test(v)), verdicts.join(' | '));
  });

  it('shows it as text in headers, verdicts and segments, and runs none of it', async () => {
    const headers = await w.page.locator('.header .column').allTextContents();
    assert.deepEqual(headers, labels);
    const shown = await w.page.locator('.verdicts li').allTextContents();
    assert.deepEqual(shown, verdicts);
    assert.ok((await w.page.locator('.segments').textContent() ?? '').includes(IFACE));
    assert.equal(await w.page.locator('img, svg').count(), 0);
    assert.equal(await w.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  });
});
