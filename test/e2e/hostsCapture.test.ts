// End-to-end: the Hosts view and a live capture in a real workbench (code-server + Chromium) over the
// real test lab (two hypervisors in namespaces, sshd, hv2 behind a jump host, virsh test driver).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createE2eRun } from './support/e2eRun';
import { writeLabHostsYaml } from './support/labHostsYaml';
import type { Workbench } from './support/workbench';
import { startLab, type Lab } from '../lab/support/hypervisorLab';

describe('hosts and live capture (code-server + Chromium + lab)', () => {
  const run = createE2eRun('e2e-hosts');
  const workspace = run.workspace;
  let lab: Lab | undefined;

  async function scenario(name: string, body: (wb: Workbench, lab: Lab) => Promise<void>): Promise<void> {
    assert.ok(lab, 'the lab did not start');
    const l = lab;
    await run.scenario(name, (wb) => body(wb, l));
  }

  before(async () => {
    const l = lab = await startLab();
    await run.start({
      settings: { 'hopscope.ssh.knownHostsFiles': [l.knownHostsPath] },
      prepare: (ws) => writeLabHostsYaml(ws, l),
    });
  });

  after(async () => {
    await run.finish();
    await lab?.stop();
  });

  const hostsPane = (wb: Workbench) => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Hosts' }) });
  const capturesPane = (wb: Workbench) => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });

  it('(a) the Hosts view lists both lab hosts, their bridges and NICs, their VMs with vNIC backend names', () =>
    scenario('a-hosts-lab', async (wb, l) => {
      await wb.page.locator('.part.activitybar a.action-label[aria-label^="Hopscope"]').click();
      const pane = hostsPane(wb);
      for (const host of ['hv1', 'hv2']) {
        const vm = l.vms.find((v) => v.host === host);
        assert.ok(vm);
        const row = wb.treeRow(host, pane);
        await row.waitFor({ state: 'visible' });
        await row.click();
        const br = wb.treeRow('br0', pane);
        await br.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await br.innerText(), /up/);
        await br.click(); // expand: its ports
        await wb.treeRow(vm.backendDevice, pane).waitFor({ state: 'visible' });
        await wb.treeRow('eth0', pane).waitFor({ state: 'visible' });
        const vmRow = wb.treeRow(vm.name, pane);
        await vmRow.click();
        const vnic = wb.treeRow(`${vm.backendDevice} · ${vm.mac}`, pane);
        await vnic.waitFor({ state: 'visible' });
        assert.match(await vnic.innerText(), new RegExp(`${vm.backendDevice} · ${vm.mac} · br0`));
        await wb.screenshot(`a-hosts-${host}`);
        await row.click(); // collapse, so the next host's rows are the only ones of their name
        await vnic.waitFor({ state: 'detached' });
      }
    }));

  it('(b) Start Capture on a vNIC with the ICMP preset: echo requests appear live, Stop saves the pcap', () =>
    scenario('b-live-capture', async (wb, l) => {
      const pane = hostsPane(wb);
      const vm = l.vm('vm1');
      for (const label of ['hv1', vm.name]) {
        const row = wb.treeRow(label, pane);
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      }
      const vnic = wb.treeRow(`${vm.backendDevice} · ${vm.mac}`, pane);
      await vnic.waitFor({ state: 'visible', timeout: 30_000 });
      await wb.contextMenu(vnic, 'Start Capture…');
      const preset = wb.page.locator('.quick-input-widget .monaco-list-row[aria-label^="ICMP echo (ping)"]');
      await preset.waitFor({ state: 'visible' });
      await preset.click();
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      assert.match(await input.inputValue(), new RegExp(`^host ${vm.ip.replace(/\./g, '\\.')} and \\(icmp`));
      await input.press('Enter');
      await wb.page.locator(`.tabs-container .tab.active[aria-label*="${vm.backendDevice}-"]`).waitFor({ state: 'visible', timeout: 30_000 });
      const request = wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'ICMP echo request' }).first();
      // Ping until the capture shows it (the capture may still be starting on the host).
      for (let i = 0; i < 20 && !(await request.isVisible()); i++) await l.ping('vm1', l.vm('vm2').ip, 1);
      await request.waitFor({ state: 'visible' });
      await request.locator('span > span:not(.mtk1)').first().waitFor({ state: 'attached' });
      const classes = await request.locator('span > span').evaluateAll((spans) => spans.map((s) => s.className));
      assert.ok(new Set(classes).size > 2, `expected coloured tokens, got ${classes.join(' ')}`);
      await wb.screenshot('b-live-capture-running');
      await wb.runCommand('Hopscope: Stop Capture');
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'capture stopped' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      const saved = readdirSync(join(workspace, 'captures', 'hv1')).filter((f) => f.startsWith(`${vm.backendDevice}-`) && f.endsWith('.pcap'));
      assert.equal(saved.length, 1);
      const header = wb.page.locator('.pane-header', { hasText: 'Captures' });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await capturesPane(wb).locator('.monaco-list-row[role="treeitem"]', { hasText: saved[0] }).first().waitFor({ state: 'visible', timeout: 20_000 });
    }));
});
