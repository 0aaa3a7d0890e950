/**
 * The pcap editor's front-end bundle in real Chromium under the extension's CSP. The host side is
 * played by the test (rows generated per request), so these check the page: virtualisation,
 * paging, escaping of packet strings, filter errors, keyboard navigation and state restore.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWebview, type WebviewPage } from './support/webviewPage';
import type { PacketRow } from '../../src/protocol/pcapEditorProtocol';

const TOTAL = 1_000_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function makeRows(start: number, count: number): PacketRow[] {
  const rows: PacketRow[] = [];
  for (let i = start; i < Math.min(TOTAL, start + count); i++) {
    rows.push({ number: i + 1, tsSec: 1700000000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000000, source: '10.0.0.1', destination: '10.0.0.2',
      protocol: i % 7 === 0 ? 'DNS' : 'ICMP', length: 98, info: i % 7 === 0 ? `A? ${HOSTILE}.example.` : `echo request, id 1, seq ${i}` });
  }
  return rows;
}

/** Answers every getRows request the page has made since the last call. */
async function serveRows(w: WebviewPage, answered: { n: number }, view = 0): Promise<void> {
  const sent = (await w.sent()) as { type: string; start: number; count: number; view: number }[];
  for (const m of sent.slice(answered.n)) {
    if (m.type === 'getRows' && m.view === view) await w.post({ type: 'rows', view, start: m.start, rows: makeRows(m.start, m.count) });
  }
  answered.n = sent.length;
}

describe('pcap editor webview (real Chromium, host played by the test)', () => {
  let w: WebviewPage;
  const answered = { n: 0 };
  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    w = await openWebview('pcapEditor.js', 'pcapEditor.css');
  });
  after(async () => { await w?.close(); });

  it('asks for rows and keeps only the visible ones in the DOM for a 1M-packet file', async () => {
    await w.post({ type: 'init', fileName: 'big.pcap', firstTsSec: 1700000000, firstTsNsec: 0 });
    await w.post({ type: 'progress', packetCount: TOTAL, done: true });
    await serveRows(w, answered);
    await w.page.waitForSelector('.rows .row[data-number="1"]');
    const rowCount = await w.page.locator('.rows .row').count();
    assert.ok(rowCount > 10 && rowCount < 120, `rows in DOM: ${rowCount}`);
    assert.match(await w.page.locator('.status').textContent() ?? '', /1,000,000 packets/);
  });

  it('scrolls to the end and fetches only the pages it shows', async () => {
    await w.page.locator('.viewport').evaluate((v) => { v.scrollTop = v.scrollHeight; });
    await w.page.waitForFunction(() => ((globalThis as unknown as { __sent: { type: string; start: number }[] }).__sent).some((m) => m.type === 'getRows' && m.start >= 999_000));
    await serveRows(w, answered);
    await w.page.waitForSelector(`.rows .row[data-number="${TOTAL}"]`);
    const sent = (await w.sent()) as { type: string }[];
    const fetches = sent.filter((m) => m.type === 'getRows').length;
    assert.ok(fetches <= 4, `pages fetched: ${fetches}`);
    assert.ok((await w.page.locator('.rows .row').count()) < 120);
  });

  it('shows packet strings as text: markup from a packet never runs', async () => {
    await w.page.locator('.viewport').evaluate((v) => { v.scrollTop = 0; });
    await serveRows(w, answered);
    const dnsRow = w.page.locator('.rows .row[data-number="8"] .cell').last();
    await dnsRow.waitFor();
    assert.equal(await dnsRow.textContent(), `A? ${HOSTILE}.example.`);
    assert.equal(await w.page.locator('.rows img, .rows script').count(), 0);
    await w.post({ type: 'detail', number: 8, layers: [{ label: HOSTILE, start: 0, length: 14 }], bytesBase64: Buffer.from(HOSTILE).toString('base64') });
    await w.page.locator('.tree .label').first().waitFor();
    assert.equal(await w.page.locator('.tree .label').first().textContent(), HOSTILE);
    assert.equal(await w.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('highlights the bytes of the layer clicked in the tree', async () => {
    await w.page.locator('.tree .label').first().click();
    assert.equal(await w.page.locator('.hex .byte.hl').count(), 14);
  });

  it('keyboard: arrow keys move the selection and tell the host', async () => {
    await w.page.locator('.rows .row[data-number="3"]').click();
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('ArrowDown');
    await w.page.waitForSelector('.rows .row.selected[data-number="5"]');
    const sent = (await w.sent()) as { type: string; number?: number }[];
    assert.deepEqual(sent.filter((m) => m.type === 'select').slice(-3).map((m) => m.number), [3, 4, 5]);
  });

  it('sends the filter, shows the host\'s error under it with a caret, then the filtered view', async () => {
    await w.page.fill('.filter', 'ip.adr == 1');
    await w.page.press('.filter', 'Enter');
    const sent = (await w.sent()) as { type: string; text?: string }[];
    assert.equal(sent.filter((m) => m.type === 'applyFilter').pop()?.text, 'ip.adr == 1');
    await w.post({ type: 'filterError', message: "unknown field 'ip.adr'", position: 0 });
    assert.match(await w.page.locator('.filter-error').textContent() ?? '', /unknown field 'ip.adr'\nip.adr == 1\n\^/);
    await w.post({ type: 'view', view: 1, count: 3, filter: 'icmp' });
    await w.page.waitForFunction("document.querySelector('.status')?.textContent?.includes('3 packets match')");
  });

  it('restores filter, selection and time format after a reload', async () => {
    await w.page.selectOption('.time-format', 'relative');
    await w.page.reload();
    assert.equal(await w.page.inputValue('.filter'), 'ip.adr == 1');
    assert.equal(await w.page.inputValue('.time-format'), 'relative');
    const sent = (await w.sent()) as { type: string }[];
    assert.equal(sent[0]?.type, 'ready');
  });
});
