// End-to-end: the capture-text language server in a real VS Code 1.100 workbench (code-server) driven
// through Debian's Chromium, on real tcpdump text of two hops of one path (test/fixtures/languageServer:
// `tcpdump -n -r` of the client's veth and of the server's bridge port, taken at the same time by
// test/lab/fixtures/languageServerCaptures.ts). Hover, Outline, Peek / Go to Definition into the other
// capture, the "seen in 2 captures" CodeLens and the "Capture only this flow" quick fix.
// Needs test/e2e/installCodeServer.sh to have run.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import type { Workbench } from './support/workbench';
import { recordLines } from '../support/captureTextExpectations';

const LSP_FIXTURES = join(__dirname, '..', 'fixtures', 'languageServer');
const HOP_A = 'hopA-client.tcpdump';
const HOP_B = 'hopB-server.tcpdump';

const textA = readFileSync(join(LSP_FIXTURES, 'client.tcpdump'), 'utf8');
const textB = readFileSync(join(LSP_FIXTURES, 'server.tcpdump'), 'utf8');
const { client, server: serverAddress } = JSON.parse(readFileSync(join(LSP_FIXTURES, 'addresses.json'), 'utf8')) as { client: string; server: string };
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Zero-based line of the only record matching `re` (found by a regular expression, not our parser). */
function onlyLine(text: string, re: RegExp): number {
  const lines = recordLines(text, re);
  assert.equal(lines.length, 1, `${re} matches ${lines.length} records`);
  return lines[0];
}

/** Packets of a TCP conversation, both directions, counted in the text. */
function tcpFlowPackets(text: string, clientPort: number, serverPort: number): number {
  const a = `${esc(client)}\\.${clientPort}`;
  const b = `${esc(serverAddress)}\\.${serverPort}`;
  return recordLines(text, new RegExp(`IP (${a} > ${b}|${b} > ${a}): `)).length;
}

describe('capture-text language server in VS Code (code-server + Chromium)', () => {
  const run = createE2eRun('e2e-languageServer');
  const scenario = run.scenario;

  /** Quick Open's `:<line>` (1-based), then waits until the status bar shows the cursor there. */
  async function goToLine(wb: Workbench, zeroBased: number): Promise<void> {
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${zeroBased + 1}`);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await wb.page.locator('#status\\.editor\\.selection', { hasText: `Ln ${zeroBased + 1},` }).waitFor({ state: 'visible' });
  }

  async function showEditor(wb: Workbench, file: string): Promise<void> {
    const tab = wb.page.locator(`.tabs-container .tab[aria-label^="${file}"]`);
    await tab.click();
    await wb.page.locator(`.tabs-container .tab.active[aria-label^="${file}"]`).waitFor({ state: 'visible' });
  }

  before(async () => {
    await run.start({
      prepare: (workspace) => {
        copyFileSync(join(LSP_FIXTURES, 'client.tcpdump'), join(workspace, HOP_A));
        copyFileSync(join(LSP_FIXTURES, 'server.tcpdump'), join(workspace, HOP_B));
      },
      // Outline rows collapsed: one row per flow (each flow lists its packets as children).
      settings: { 'outline.collapseItems': 'alwaysCollapse' },
    });
    const workbench = run.workbench;
    // Both hops open as `tcpdump` documents (the server analyses every open one): B first, A active.
    await workbench.runCommand('View: Show Explorer');
    for (const file of [HOP_B, HOP_A]) {
      const row = workbench.treeRow(file);
      await row.waitFor({ state: 'visible' });
      await row.dblclick();
      await workbench.page.locator(`.tabs-container .tab.active[aria-label^="${file}"]`).waitFor({ state: 'visible' });
    }
    // Diagnostics published = the server has analysed the document.
    await workbench.page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
  });
  after(() => run.finish());

  it('hover on a packet line explains it: TCP flags and options of a SYN, the round trip of a ping', () =>
    scenario('lsp-hover', async (wb) => {
      await showEditor(wb, HOP_A);
      const hover = wb.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
      await goToLine(wb, onlyLine(textA, new RegExp(`${esc(client)}\\.\\d+ > ${esc(serverAddress)}\\.8080: Flags \\[S\\]`)));
      await wb.runCommand('Show or Focus Hover');
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      const syn = await hover.innerText();
      assert.match(syn, /SYN: the client opens a connection/);
      assert.match(syn, /MSS 1460/);
      assert.match(syn, /wscale 10/);
      assert.match(syn, /Round trip \(SYN → SYN-ACK\): 100 µs/); // 13:35:01.069728 → .069828 in the text
      await wb.screenshot('lsp-hover-syn');
      await wb.page.keyboard.press('Escape');

      await goToLine(wb, onlyLine(textA, /ICMP echo request, id \d+, seq 1,/));
      await wb.runCommand('Show or Focus Hover');
      await wb.page.locator('.monaco-hover:not(.hidden)', { hasText: 'echo request (ping)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      const ping = await hover.innerText();
      assert.match(ping, /Round trip \(echo\): 23 µs/); // .624587 → .624610
    }));

  it('the Outline view lists the flows with their packet counts', () =>
    scenario('lsp-outline', async (wb) => {
      await showEditor(wb, HOP_A);
      await wb.runCommand('Explorer: Focus on Outline View');
      // Collapse the folder section so the Outline gets the Explorer's height (its rows are virtualised).
      const folders = wb.page.locator('.pane-header[aria-expanded="true"]', { hasText: 'workspace' });
      if (await folders.count()) await folders.first().click();
      const flows: [string, number][] = [
        [`TCP ${client}:32792 ↔ ${serverAddress}:8080`, tcpFlowPackets(textA, 32792, 8080)],
        [`TCP ${client}:43426 ↔ ${serverAddress}:8083`, tcpFlowPackets(textA, 43426, 8083)],
        [`ICMP ${client} ↔ ${serverAddress}`, recordLines(textA, new RegExp(`IP (${esc(client)} > ${esc(serverAddress)}|${esc(serverAddress)} > ${esc(client)}): ICMP`)).length],
      ];
      assert.deepEqual(flows.map(([, n]) => n), [10, 11, 5]);
      for (const [label, count] of flows) {
        const row = wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: label }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal(await row.locator('.label-description').innerText(), `${count} packets`, label);
      }
    }));

  it('Peek Definition and Go to Definition (F12) on a ping in capture A show the same ping in capture B', () =>
    scenario('lsp-definition', async (wb) => {
      await showEditor(wb, HOP_A);
      const re = /ICMP echo request, id \d+, seq 1,/;
      const lineA = onlyLine(textA, re);
      const lineB = onlyLine(textB, re);
      const timeB = textB.split('\n')[lineB].slice(0, 15); // B's own clock: the line shown is B's, not A's
      assert.notEqual(timeB, textA.split('\n')[lineA].slice(0, 15));
      await goToLine(wb, lineA);
      await wb.runCommand('Peek Definition');
      const peek = wb.page.locator('.peekview-widget').first();
      await peek.waitFor({ state: 'visible', timeout: 15_000 });
      await peek.locator('.peekview-title', { hasText: HOP_B }).waitFor({ state: 'visible' });
      await peek.locator('.view-line', { hasText: `${timeB} IP ${client} > ${serverAddress}: ICMP echo request` }).first().waitFor({ state: 'visible' });
      await wb.screenshot('lsp-peek-definition');
      await wb.page.keyboard.press('Escape');
      await peek.waitFor({ state: 'hidden' });

      await wb.page.keyboard.press('F12');
      await wb.page.locator(`.tabs-container .tab.active[aria-label^="${HOP_B}"]`).waitFor({ state: 'visible', timeout: 15_000 });
      await wb.page.locator('#status\\.editor\\.selection', { hasText: `Ln ${lineB + 1},` }).waitFor({ state: 'visible' });
    }));

  it('the CodeLens says a flow was seen in 2 captures', () =>
    scenario('lsp-codelens', async (wb) => {
      await showEditor(wb, HOP_A);
      await goToLine(wb, 0);
      // Capture B's editor keeps its own lenses in the DOM: the visible one naming B is A's.
      const title = new RegExp(`seen in 2 captures, last at [0-9:.]+ \\(${esc(HOP_B)}\\)`);
      const lens = wb.page.locator('.monaco-editor .codelens-decoration:visible', { hasText: title }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await lens.innerText(), title);
    }));

  it('the light-bulb menu (Ctrl+.) on a retransmission offers the quick fix "Capture only this flow"', () =>
    scenario('lsp-quick-fix', async (wb) => {
      await showEditor(wb, HOP_A);
      const retransmitted = recordLines(textA, new RegExp(`${esc(client)}\\.43426 > ${esc(serverAddress)}\\.8083: Flags \\[P\\.\\], seq 1:201,`));
      assert.equal(retransmitted.length, 2);
      await goToLine(wb, retransmitted[1]);
      // A click on the line, as a user would: the editor takes the focus with the cursor there.
      const time = textA.split('\n')[retransmitted[1]].slice(0, 15);
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: time }).first().click({ position: { x: 300, y: 5 } });
      // Ctrl+. opens the light-bulb menu (code-server's headless page does not always draw the bulb itself).
      await wb.page.keyboard.press('Control+Period');
      const item = wb.page.locator('.action-widget .monaco-list-row, .context-view .action-item', { hasText: `Capture only this flow (TCP ${client}:43426 ↔ ${serverAddress}:8083)` }).first();
      await item.waitFor({ state: 'visible', timeout: 15_000 });
      await wb.screenshot('lsp-quick-fix-menu');
      await wb.page.keyboard.press('Escape');
    }));
});
