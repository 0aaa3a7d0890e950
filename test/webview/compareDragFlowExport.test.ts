/**
 * Compare Captures page in real Chromium (host played by the test): reordering columns with the mouse
 * (drag and drop of a header), the "this flow" filter, and the Markdown / CSV export buttons.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { CompareRow, HostToCompareMessage } from '../../src/protocol/compareProtocol';

const columns = [
  { id: 0, label: 'eth0@vm1', host: 'vm1', file: 'vm1-eth0.pcap' },
  { id: 1, label: 'tap1@hv1', host: 'hv1', file: 'hv1-tap1.pcap' },
  { id: 2, label: 'eth0@hv2', host: 'hv2', file: 'hv2-eth0.pcap' },
];
const FLOWS = ['icmp 10.0.0.1 <> 10.0.0.2', 'tcp 10.0.0.1:40000 <> 10.0.0.2:80'];
const rows: CompareRow[] = [
  { id: 0, direction: 'forward', flow: FLOWS[0], summary: 'ICMP echo request id 7 seq 1', cells: [{ timeNs: 0, packetNumber: 1 }, { timeNs: 40_000, hopDelayNs: 40_000, packetNumber: 1 }, { timeNs: 90_000, hopDelayNs: 50_000, packetNumber: 1 }] },
];
const model: HostToCompareMessage = {
  type: 'model', columns, segments: [], clocks: [], verdicts: [], flows: FLOWS,
};

describe('compare webview: drag to reorder, this flow, export (real Chromium)', () => {
  let w: WebviewPage;
  const sentOf = async (type: string): Promise<unknown[]> => ((await w.sent()) as { type: string }[]).filter((m) => m.type === type);

  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('compare.js', 'compare.css');
    await w.post(model);
    await w.post({ type: 'view', view: 1, count: rows.length });
    await w.page.waitForFunction(() => ((globalThis as unknown as { __sent: { type: string }[] }).__sent).some((m) => m.type === 'getRows'));
    await w.post({ type: 'rows', view: 1, start: 0, rows });
    await w.page.waitForSelector('.rows .grid-row[data-row="0"]');
  });
  after(async () => { await w?.close(); });

  it('dragging a column header onto another asks the host for that column order', async () => {
    await w.page.locator('.header .column').nth(0).dragTo(w.page.locator('.header .column').nth(2));
    assert.deepEqual((await sentOf('reorder')).pop(), { type: 'reorder', columnIds: [1, 2, 0] });
  });

  it('"this flow" lists the host\'s flows and sends the one chosen', async () => {
    const options = await w.page.locator('.flow option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
    for (const f of FLOWS) assert.ok(options.includes(f), `flow option ${f} in ${JSON.stringify(options)}`);
    await w.page.selectOption('.flow', FLOWS[1]);
    assert.deepEqual((await sentOf('setFilters')).pop(), { type: 'setFilters', filters: { onlyAnomalies: false, flow: FLOWS[1], direction: 'both' } });
  });

  it('the export buttons ask the host for Markdown and for CSV', async () => {
    await w.page.getByRole('button', { name: 'Copy as Markdown' }).click();
    await w.page.getByRole('button', { name: 'Export CSV' }).click();
    assert.deepEqual(await sentOf('export'), [{ type: 'export', format: 'markdown' }, { type: 'export', format: 'csv' }]);
  });
});
