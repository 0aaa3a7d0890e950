// End-to-end scenarios in a real VS Code 1.100 workbench (code-server) driven through Debian's Chromium.
// Needs test/e2e/installCodeServer.sh to have run (CI: .ci/install-e2e).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import type { Workbench } from './support/workbench';
import { writePingCapture } from './support/pingCapture';

const HOSTS_YAML = `hosts:
  - alias: compute-a
    address: 10.206.1.10
    user: root
  - alias: compute-b
    address: 10.206.1.11
    port: 2222
`;
const PRINT_TITLE = 'Hopscope: Print Capture File as tcpdump Text';

describe('workbench (code-server + Chromium)', () => {
  const run = createE2eRun('e2e');
  const capture = join(run.workspace, 'ping-lo.pcap');
  const scenario = run.scenario;

  before(() => run.start({
    logPhases: true,
    settings: { 'hopscope.capture.snaplen': 4096 },
    prepare: async (workspace) => {
      mkdirSync(join(workspace, '.hopscope'), { recursive: true });
      writeFileSync(join(workspace, '.hopscope', 'hosts.yaml'), HOSTS_YAML);
      await writePingCapture(capture, 3);
    },
  }));
  after(() => run.finish());

  it('(a-lite) the Hopscope view lists This machine and the hosts of .hopscope/hosts.yaml', () =>
    scenario('a-lite-hosts-view', async (wb) => {
      await wb.page.locator('.part.activitybar a.action-label[aria-label^="Hopscope"]').click();
      const hostsView = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Hosts' }) });
      await wb.treeRow('This machine', hostsView).waitFor({ state: 'visible' });
      for (const alias of ['compute-a', 'compute-b']) await wb.treeRow(alias, hostsView).waitFor({ state: 'visible' });
      assert.match(await wb.treeRow('compute-b', hostsView).innerText(), /root@10\.206\.1\.10|10\.206\.1\.11:2222/);
      assert.equal(await wb.treeRow('compute-a', hostsView).getAttribute('aria-level'), '1');
      assert.equal(await wb.treeRow('This machine', hostsView).getAttribute('aria-level'), '1');
    }));

  it('(d-lite) Print Capture File from the palette shows ICMP echo requests in a tcpdump document', () =>
    scenario('d-lite-print-palette', async (wb) => {
      await wb.runCommand(PRINT_TITLE);
      // One capture in the workspace: the quick pick offers it.
      const pick = wb.page.locator('.quick-input-widget .monaco-list-row[aria-label^="ping-lo.pcap"]');
      await pick.waitFor({ state: 'visible' });
      await pick.click();
      await assertCaptureDocumentShown(wb);
    }));

  it('(d-lite) Print Capture File from the Explorer context menu opens the same document', () =>
    scenario('d-lite-print-explorer', async (wb) => {
      await wb.runCommand('View: Close All Editors');
      await wb.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
      await wb.page.locator('.part.activitybar a.action-label[aria-label^="Explorer"]').click();
      const row = wb.treeRow('ping-lo.pcap');
      await row.waitFor({ state: 'visible' });
      await wb.contextMenu(row, 'Print Capture File as tcpdump Text');
      await assertCaptureDocumentShown(wb);
    }));

  /** The active editor is ping-lo.pcap.tcpdump, in language tcpdump, with tcpdump's own text of the file. */
  async function assertCaptureDocumentShown(wb: Workbench): Promise<void> {
    await wb.page.locator('.tabs-container .tab.active[aria-label*="ping-lo.pcap.tcpdump"]').waitFor({ state: 'visible' });
    const firstLine = wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'ICMP echo request' }).first();
    await firstLine.waitFor({ state: 'visible' });
    const mode = wb.page.locator('#status\\.editor\\.mode');
    await mode.filter({ hasText: /^tcpdump$/ }).waitFor({ state: 'visible' });
    assert.equal((await mode.innerText()).trim(), 'tcpdump');
    // Golden text from the real tool on the same file.
    const expected = execFileSync('tcpdump', ['-nn', '-tttt', '-r', capture],
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } })
      .toString().trimEnd().split('\n');
    const shown = (await wb.editorLines()).filter((line) => line.trim() !== '');
    assert.equal(shown.filter((line) => line.includes('ICMP echo request')).length, 3);
    assert.equal(shown.filter((line) => line.includes('ICMP echo reply')).length, 3);
    assert.deepEqual(shown, expected);
    // The tcpdump grammar applied: tokens of the line get theme colours other than plain text (mtk1).
    await firstLine.locator('span > span:not(.mtk1)').first().waitFor({ state: 'attached' });
    const tokenClasses = await firstLine.locator('span > span').evaluateAll((spans) => spans.map((span) => span.className));
    assert.ok(new Set(tokenClasses).size > 2, `expected coloured tokens, got ${tokenClasses.join(' ')}`);
  }
});
