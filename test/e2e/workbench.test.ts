// End-to-end scenarios in a real VS Code 1.100 workbench (code-server) driven through Debian's Chromium.
// Needs test/e2e/installCodeServer.sh to have run (CI: .ci/install-e2e).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageExtension } from './support/extensionPackage';
import { startCodeServer, type CodeServer } from './support/codeServer';
import { openWorkbench, type Workbench } from './support/workbench';
import { writePingCapture } from './support/pingCapture';
import { TEST_RESULTS_DIR } from './support/paths';

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
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), `hse-e2e-${process.pid}-`));
  const workspace = join(runDir, 'workspace');
  const capture = join(workspace, 'ping-lo.pcap');
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let failed = false;
  // Also when the process ends on a signal (codeServer.ts exits on SIGINT/SIGTERM after killing its tree).
  const removeRunDir = (): void => rmSync(runDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);

  /** Runs a scenario; on failure keeps a screenshot and the logs under test-results/. */
  async function scenario(name: string, body: (wb: Workbench) => Promise<void>): Promise<void> {
    assert.ok(workbench, 'workbench did not open');
    try {
      await body(workbench);
      await workbench.screenshot(name);
    } catch (error) {
      failed = true;
      await workbench.screenshot(`${name}-failure`).catch(() => undefined);
      throw error;
    }
  }

  before(async () => {
    mkdirSync(join(workspace, '.hopscope'), { recursive: true });
    writeFileSync(join(workspace, '.hopscope', 'hosts.yaml'), HOSTS_YAML);
    const phase = (name: string, since: number): number => {
      console.log(`${name}: ${Date.now() - since} ms`);
      return Date.now();
    };
    let t = Date.now();
    await writePingCapture(capture, 3);
    t = phase('ping capture', t);
    const vsix = join(runDir, 'hopscope.vsix');
    const vsixBytes = packageExtension(vsix);
    t = phase(`build + package (${vsixBytes} bytes)`, t);
    server = await startCodeServer({ workspace, runDir, vsix, settings: { 'hopscope.capture.snaplen': 4096 } });
    t = phase('install vsix + code-server healthy', t);
    workbench = await openWorkbench(server.url, { runDir });
    phase('workbench ready', t);
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    if (failed || workbench === undefined) {
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      for (const log of ['code-server.log', 'user-data/logs']) {
        const from = join(runDir, log);
        if (existsSync(from)) cpSync(from, join(TEST_RESULTS_DIR, `e2e-${log.replace('/', '-')}`), { recursive: true });
      }
    }
    removeRunDir();
    process.removeListener('exit', removeRunDir);
    console.log(`e2e run: ${Date.now() - started} ms`);
  });

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
