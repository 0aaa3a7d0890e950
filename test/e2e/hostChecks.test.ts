// End-to-end: host checks and ring-buffer captures from the Hosts tree in a real workbench (code-server +
// Chromium) over the lab. The lab's virsh test driver has no nwfilter API: the hypervisors' PATH starts
// with a virsh stand-in answering nwfilter-dumpxml from libvirt's stock filters (labNwfilterVirsh.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import { writeLabHostsYaml } from './support/labHostsYaml';
import { hopscopeWebview } from './support/webviewFrames';
import type { Workbench } from './support/workbench';
import { startLab, type Lab } from '../lab/support/hypervisorLab';
import { writeNwfilterVirsh, type NwfilterVirsh } from '../lab/support/labNwfilterVirsh';
import { DEFAULT_RING_BASE_DIR } from '../../src/core/capture/ringCaptureCommand';

describe('host checks and ring buffer (code-server + Chromium + lab)', () => {
  const run = createE2eRun('e2e-hostchecks');
  const workspace = run.workspace;
  let lab: Lab | undefined;
  let shim: NwfilterVirsh | undefined;
  const ringDirsBefore = new Set(existsSync(DEFAULT_RING_BASE_DIR) ? readdirSync(DEFAULT_RING_BASE_DIR) : []);

  async function scenario(name: string, body: (wb: Workbench, lab: Lab) => Promise<void>): Promise<void> {
    assert.ok(lab, 'the lab did not start');
    const l = lab;
    await run.scenario(name, (wb) => body(wb, l));
  }

  before(async () => {
    shim = writeNwfilterVirsh();
    const l = lab = await startLab({ sshdSetEnv: [shim.pathEnv] });
    await run.start({
      settings: { 'hopscope.ssh.knownHostsFiles': [l.knownHostsPath] },
      prepare: (ws) => writeLabHostsYaml(ws, l, ['hv1']),
    });
  });

  after(async () => {
    await run.finish();
    await lab?.stop(); // kills every process in the lab's namespaces, ring tcpdumps included
    shim?.remove();
    // Ring directories this run created on the (shared) file system.
    for (const d of existsSync(DEFAULT_RING_BASE_DIR) ? readdirSync(DEFAULT_RING_BASE_DIR) : []) {
      if (!ringDirsBefore.has(d) && lab && d.startsWith(`${lab.vm('vm1').backendDevice}-`)) rmSync(join(DEFAULT_RING_BASE_DIR, d), { recursive: true, force: true });
    }
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
      const list = hopscopeWebview(wb);
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

  it('(d) Compare: VIP-sourced packets lost between vm1\'s backend and br0 → "why?" opens the nwfilter view with the no-ip-spoofing drop marked', () =>
    scenario('hostchecks-d-why', async (wb, l) => {
      const vm = l.vm('vm1');
      // A VIP below the peer's address: the comparison orients an address pair by its lower address, and
      // the spoofed packets must travel the same way (backend → bridge) as the VM's own traffic.
      const vip = vm.ip.replace(/\.\d+$/, '.5');
      await l.exec('vm1', ['ip', 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
      // The host drops VIP-sourced frames on the backend's ingress, after tcpdump's tap saw them (what
      // libvirt's no-ip-spoofing does on a real host; the lab has no nwfilter driver). The first echo
      // request passes so the comparison knows the flow on both hops and calls the others lost.
      const drop = await l.dropOn('hv1', vm.backendDevice, 'in', `ip saddr ${vip} icmp sequence != 1`);
      const dir = join(workspace, 'captures', 'hv1');
      mkdirSync(dir, { recursive: true });
      // --immediate-mode: without it, packets still in the kernel's buffer block are lost on SIGTERM.
      const tcpdumps = [vm.backendDevice, 'br0'].map((iface) => {
        const p = spawn('ip', ['netns', 'exec', l.namespaceOf('hv1'), 'tcpdump', '-i', iface, '--immediate-mode', '-U', '-n', '-w', join(dir, `${iface}-20261123-000000.pcap`), 'icmp'], { stdio: ['ignore', 'ignore', 'pipe'] });
        return { p, listening: new Promise<void>((resolve) => { p.stderr.on('data', (b: Buffer) => { if (/listening on/.test(b.toString())) resolve(); }); }) };
      });
      try {
        await Promise.all(tcpdumps.map((t) => t.listening));
        assert.equal((await l.ping('vm1', l.vm('vm2').ip, 3)).received, 3);
        // vm1 sends from the VIP (as an LVS DR real server answers): requests 2 and 3 are dropped on the backend.
        await l.exec('vm1', ['ping', '-n', '-q', '-c', '3', '-i', '0.1', '-W', '1', '-I', vip, l.vm('vm2').ip]);
        assert.ok(await drop.dropped() >= 2);
      } finally {
        for (const t of tcpdumps) t.p.kill('SIGTERM');
        await Promise.all(tcpdumps.map((t) => new Promise((r) => { if (t.p.exitCode !== null) r(null); else t.p.once('exit', r); })));
        await drop.remove();
      }
      await wb.runCommand('Hopscope: Refresh Captures');
      const captures = pane(wb, 'Captures');
      const first = captures.locator('.monaco-list-row[role="treeitem"]', { hasText: `${vm.backendDevice}-20261123-000000.pcap` }).first();
      const second = captures.locator('.monaco-list-row[role="treeitem"]', { hasText: 'br0-20261123-000000.pcap' }).first();
      await first.waitFor({ state: 'visible', timeout: 30_000 });
      await first.click();
      const selected = captures.locator('.monaco-list-row[role="treeitem"].selected');
      for (let attempt = 0; attempt < 3 && (await selected.count()) < 2; attempt++) {
        await second.click({ modifiers: ['Control'] });
        await selected.nth(1).waitFor({ state: 'attached', timeout: 3_000 }).catch(() => undefined);
      }
      // The menu sometimes opens without the multi-selection item (a hover tooltip took the right-click): retry.
      for (let attempt = 0; ; attempt++) {
        await second.click({ button: 'right' });
        const item = wb.page.getByRole('menuitem', { name: 'Compare Selected' }).first();
        if (await item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) {
          await wb.page.waitForTimeout(300); // menu items ignore clicks for their first 100 ms (see support/workbench.ts)
          await item.click();
          break;
        }
        await wb.page.keyboard.press('Escape');
        if (attempt === 2) throw new Error('no "Compare Selected" in the Captures context menu');
      }
      await wb.page.locator('.tabs-container .tab.active[aria-label*="Compare"]').waitFor({ state: 'visible', timeout: 30_000 });
      const page = hopscopeWebview(wb);
      const why = page.locator('.grid-row.verdict-lost .explain-loss').first();
      await why.waitFor({ state: 'visible', timeout: 30_000 });
      await why.click();
      await wb.page.locator(`.tabs-container .tab.active[aria-label*="${vm.backendDevice} nwfilter.txt"]`).waitFor({ state: 'visible', timeout: 30_000 });
      const dropLine = wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'no-ip-spoofing' }).filter({ hasText: '1000' }).first();
      await dropLine.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await dropLine.innerText()).replace(/\u00a0/g, ' '), /^\s+1000\s+out\s+drop\s+\(any\)\s+no-ip-spoofing ← clean-traffic$/);
      // The extension's decoration (class ced-…) sits in the overlay row at the same height as that line, and only there.
      const top = await dropLine.evaluate((e) => Number.parseFloat((e as unknown as { style: { top: string } }).style.top));
      const decoratedTops = await wb.page.locator('.editor-group-container.active .monaco-editor .view-overlays > div').evaluateAll((rows) =>
        rows.filter((r) => r.querySelector('[class*="ced-"]') !== null).map((r) => Number.parseFloat((r as unknown as { style: { top: string } }).style.top)));
      assert.deepEqual(decoratedTops, [top]);
    }));
});
