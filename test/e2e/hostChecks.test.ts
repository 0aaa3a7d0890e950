// End-to-end: host checks and ring-buffer captures from the Hosts tree in a real workbench (code-server +
// Chromium) over the lab. The lab's virsh test driver has no nwfilter API: the hypervisors' PATH starts
// with a virsh stand-in answering nwfilter-dumpxml from libvirt's stock filters (labNwfilterVirsh.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageExtension } from './support/extensionPackage';
import { startCodeServer, type CodeServer } from './support/codeServer';
import { openWorkbench, type Workbench } from './support/workbench';
import { TEST_RESULTS_DIR } from './support/paths';
import { startLab, type Lab } from '../lab/support/hypervisorLab';
import { writeNwfilterVirsh, type NwfilterVirsh } from '../lab/support/labNwfilterVirsh';
import { DEFAULT_RING_BASE_DIR } from '../../src/core/capture/ringCaptureCommand';

describe('host checks and ring buffer (code-server + Chromium + lab)', () => {
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), `hs2h-e2e-${process.pid}-`));
  const workspace = join(runDir, 'workspace');
  let lab: Lab | undefined;
  let shim: NwfilterVirsh | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let failed = false;
  const ringDirsBefore = new Set(existsSync(DEFAULT_RING_BASE_DIR) ? readdirSync(DEFAULT_RING_BASE_DIR) : []);

  async function scenario(name: string, body: (wb: Workbench, lab: Lab) => Promise<void>): Promise<void> {
    assert.ok(workbench && lab, 'workbench or lab did not start');
    try {
      await body(workbench, lab);
      await workbench.screenshot(name);
    } catch (error) {
      failed = true;
      await workbench.screenshot(`${name}-failure`).catch(() => undefined);
      throw error;
    }
  }

  before(async () => {
    shim = writeNwfilterVirsh();
    lab = await startLab({ sshdSetEnv: [shim.pathEnv] });
    const h = lab.host('hv1');
    mkdirSync(join(workspace, '.hopscope'), { recursive: true });
    writeFileSync(join(workspace, '.hopscope', 'hosts.yaml'), ['hosts:', '  - alias: hv1', `    address: ${h.sshAddress}`, `    port: ${h.sshPort}`,
      '    user: root', `    identityFile: ${lab.privateKeyPath}`, ''].join('\n'));
    const vsix = join(runDir, 'hopscope.vsix');
    packageExtension(vsix);
    server = await startCodeServer({ workspace, runDir, vsix, settings: { 'hopscope.ssh.knownHostsFiles': [lab.knownHostsPath] } });
    workbench = await openWorkbench(server.url, { runDir });
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    await lab?.stop(); // kills every process in the lab's namespaces, ring tcpdumps included
    shim?.remove();
    // Ring directories this run created on the (shared) file system.
    for (const d of existsSync(DEFAULT_RING_BASE_DIR) ? readdirSync(DEFAULT_RING_BASE_DIR) : []) {
      if (!ringDirsBefore.has(d) && lab && d.startsWith(`${lab.vm('vm1').backendDevice}-`)) rmSync(join(DEFAULT_RING_BASE_DIR, d), { recursive: true, force: true });
    }
    if (failed || workbench === undefined) {
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      for (const log of ['code-server.log', 'user-data/logs']) {
        const from = join(runDir, log);
        if (existsSync(from)) cpSync(from, join(TEST_RESULTS_DIR, `e2e-hostchecks-${log.replace('/', '-')}`), { recursive: true });
      }
    }
    rmSync(runDir, { recursive: true, force: true });
    console.log(`e2e host checks run: ${Date.now() - started} ms`);
  });

  const pane = (wb: Workbench, title: string) => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: title }) });
  const vnicRow = async (wb: Workbench, l: Lab) => {
    const hosts = pane(wb, 'Hosts');
    // The activity icon toggles: click it only when the Hopscope side bar is not showing.
    if (!(await hosts.isVisible())) await wb.page.locator('.part.activitybar a.action-label[aria-label^="Hopscope"]').click();
    const vm = l.vm('vm1');
    for (const label of ['hv1', vm.name]) {
      const row = wb.treeRow(label, hosts);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    }
    const vnic = wb.treeRow(`${vm.backendDevice} · ${vm.mac}`, hosts);
    await vnic.waitFor({ state: 'visible', timeout: 30_000 });
    return vnic;
  };

  it('(a) Show nwfilter on vm1\'s vNIC (clean-traffic, IP=its address, like the LVS DR seed): the no-ip-spoofing rules, $IP substituted', () =>
    scenario('hostchecks-a-nwfilter', async (wb, l) => {
      const vm = l.vm('vm1');
      await wb.contextMenu(await vnicRow(wb, l), 'Show nwfilter');
      await wb.page.locator(`.tabs-container .tab.active[aria-label*="${vm.backendDevice} nwfilter.txt"]`).waitFor({ state: 'visible', timeout: 30_000 });
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'no-ip-spoofing' }).first().waitFor({ state: 'visible' });
      const lines = await wb.editorLines();
      assert.equal(lines[0], `nwfilter of vNIC ${vm.backendDevice} — vm1 on hv1`);
      assert.ok(lines.some((t) => new RegExp(`^\\s+500\\s+out\\s+return\\s+ip srcipaddr=${vm.ip.replace(/\./g, '\\.')}\\s+no-ip-spoofing ← clean-traffic$`).test(t)), lines.join('\n'));
      assert.ok(lines.some((t) => /^\s+1000\s+out\s+drop\s+\(any\)\s+no-ip-spoofing ← clean-traffic$/.test(t)), lines.join('\n'));
    }));

  it('(b) Show Counters on the vNIC: rx/tx packets of its backend', () =>
    scenario('hostchecks-b-counters', async (wb, l) => {
      const vm = l.vm('vm1');
      await wb.contextMenu(await vnicRow(wb, l), 'Show Counters');
      await wb.page.locator(`.tabs-container .tab.active[aria-label*="${vm.backendDevice} counters.txt"]`).waitFor({ state: 'visible', timeout: 30_000 });
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'rx packets' }).first().waitFor({ state: 'visible' });
      const lines = await wb.editorLines();
      assert.match(lines[0], new RegExp(`^Counters of ${vm.backendDevice} on hv1 at `));
      assert.ok(lines.some((t) => /^\s+tx dropped\s+\d+$/.test(t)), lines.join('\n'));
    }));

  it('(c) Start Ring-Buffer Capture… on the vNIC, Fetch Window Around Time… opens the merged window in the pcap editor, Stop', () =>
    scenario('hostchecks-c-ring', async (wb, l) => {
      const vm = l.vm('vm1');
      await wb.contextMenu(await vnicRow(wb, l), 'Start Ring-Buffer Capture…');
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      for (const [prompt, value] of [['Files kept in the ring', '5'], ['Seconds per file', '2'], ['Megabytes per file', '0'], ['Stop on the host after', '300'], ['Capture filter', 'icmp']]) {
        await wb.page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ state: 'visible' });
        await input.fill(value);
        await input.press('Enter');
      }
      const ring = pane(wb, 'Captures').locator('.monaco-list-row[role="treeitem"]', { hasText: `hv1/${vm.backendDevice} (ring)` }).first();
      await ring.waitFor({ state: 'visible', timeout: 30_000 });
      await pane(wb, 'Captures').locator('.monaco-list-row[role="treeitem"]', { hasText: `hv1/${vm.backendDevice} (ring)` }).filter({ hasText: 'running' }).first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal((await l.ping('vm1', l.vm('vm2').ip, 5)).received, 5);
      await wb.contextMenu(ring, 'Fetch Window Around Time…');
      for (const prompt of ['T: ISO', 'Seconds either side']) {
        await wb.page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ state: 'visible' });
        await input.press('Enter'); // now, ±5 s
      }
      await wb.page.locator(`.tabs-container .tab.active[aria-label*="${vm.backendDevice}-window-"]`).waitFor({ state: 'visible', timeout: 30_000 });
      // The packet list (pcap editor webview: outer iframe, then the page's frame) shows the echo requests.
      const list = wb.page.frameLocator('iframe.webview.ready[src*="extensionId=hopscope.hopscope"]:visible').frameLocator('iframe#active-frame');
      await list.locator('.viewport .row', { hasText: 'ICMP echo request' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      const folder = readdirSync(join(workspace, 'captures', 'hv1')).find((d) => d.startsWith('ring-'));
      assert.ok(folder);
      const [file] = readdirSync(join(workspace, 'captures', 'hv1', folder));
      const r = spawnSync('tcpdump', ['-nn', '-r', join(workspace, 'captures', 'hv1', folder, file)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.split('\n').filter((t) => /ICMP echo request/.test(t)).length >= 1, r.stdout);
      await wb.screenshot('hostchecks-c-ring-window');
      await wb.contextMenu(ring, 'Stop Ring Capture');
      await pane(wb, 'Captures').locator('.monaco-list-row[role="treeitem"]', { hasText: `hv1/${vm.backendDevice} (ring)` }).filter({ hasText: 'stopped' }).first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      assert.deepEqual(await l.pgrep('hv1', /tcpdump .*hopscope-ring/), []);
    }));
});
