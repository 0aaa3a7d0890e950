// End-to-end scenario (c) over the real lab in a real workbench (code-server + Chromium): Capture VM
// Path on every hop of vm1 on hv1, an nft drop on one hop while vm1 pings vm2, Stop All, Compare from
// the notification the path capture offers; the Compare panel survives a window reload.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { createE2eRun } from './support/e2eRun';
import { writeLabHostsYaml } from './support/labHostsYaml';
import { hopscopeWebview } from './support/webviewFrames';
import type { Workbench } from './support/workbench';
import { startLab, type Lab } from '../lab/support/hypervisorLab';

/** The verdicts and column headers the Compare panel shows. */
async function compareShown(wb: Workbench): Promise<{ verdicts: string[]; columns: string[]; segments: string[] }> {
  const page = hopscopeWebview(wb);
  return {
    verdicts: await page.locator('.verdicts li').allInnerTexts(),
    columns: await page.locator('.grid-row.header .cell.column').allInnerTexts(),
    segments: await page.locator('.segments .segment').allInnerTexts(),
  };
}

describe('Capture VM Path + Compare over the lab (code-server + Chromium)', () => {
  const run = createE2eRun('e2e-compare-live');
  let lab: Lab | undefined;
  const hostsPane = (wb: Workbench): Locator => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Hosts' }) });
  const capturesPane = (wb: Workbench): Locator => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Captures' }) });
  let shownBeforeReload: Awaited<ReturnType<typeof compareShown>> | undefined;

  before(async () => {
    const l = lab = await startLab();
    await run.start({ settings: { 'hopscope.ssh.knownHostsFiles': [l.knownHostsPath] }, prepare: (ws) => writeLabHostsYaml(ws, l) });
  });

  after(async () => {
    await run.finish();
    await lab?.stop();
  });

  it('(c) Capture VM Path on 3 hops, echo replies dropped on the uplink: Compare names the segment and direction', () =>
    run.scenario('c-vm-path-compare', async (wb) => {
      assert.ok(lab);
      const l = lab;
      const vm1 = l.vm('vm1');
      const vm2 = l.vm('vm2');
      await wb.page.locator('.part.activitybar a.action-label[aria-label^="Hopscope"]').click();
      const hv1 = wb.treeRow('hv1', hostsPane(wb));
      await hv1.waitFor({ state: 'visible' });
      await hv1.click();
      const vmRow = wb.treeRow(vm1.name, hostsPane(wb));
      await vmRow.waitFor({ state: 'visible', timeout: 30_000 });
      await wb.contextMenu(vmRow, 'Capture VM Path…');

      // The hops planVmPathCapture found, all picked: the vNIC backend, the bridge, the uplink.
      const hopRows = wb.page.locator('.quick-input-widget .monaco-list-row');
      await hopRows.first().waitFor({ state: 'visible', timeout: 30_000 });
      const hops = await hopRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
      for (const [iface, role] of [[vm1.backendDevice, 'vnic-backend'], ['br0', 'bridge'], ['eth0', 'uplink']]) {
        assert.ok(hops.some((h) => h.startsWith(iface) && h.includes(role)), `no ${iface} (${role}) hop in ${hops.join(' | ')}`);
      }
      await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
      const preset = wb.page.locator('.quick-input-widget .monaco-list-row[aria-label^="ICMP echo (ping)"]');
      await preset.waitFor({ state: 'visible' });
      await preset.click();
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      assert.match(await input.inputValue(), new RegExp(`^host ${vm1.ip.replace(/\./g, '\\.')} and \\(icmp`));
      await input.press('Enter');

      // Three captures in the Captures view; no ping before each tcpdump listens ("running"), so every
      // packet of the test crosses hops that are all being captured.
      const running = capturesPane(wb).locator('.monaco-list-row[role="treeitem"]', { hasText: /^hv1\/.* · running/ });
      await running.nth(2).waitFor({ state: 'visible', timeout: 30_000 });
      const before = await l.ping('vm1', vm2.ip, 3);
      assert.equal(before.received, 3);
      // Replies dropped at hv1's uplink ingress: after tcpdump on eth0 saw them, before br0 does.
      const drop = await l.dropOn('hv1', 'eth0', 'in', 'icmp type echo-reply');
      try {
        const lost = await l.ping('vm1', vm2.ip, 3);
        assert.equal(lost.received, 0);
        await drop.dropped();
      } finally {
        await drop.remove();
      }
      assert.equal((await l.ping('vm1', vm2.ip, 2)).received, 2);
      await wb.screenshot('c-vm-path-running');

      await wb.runCommand('Hopscope: Stop All Captures');
      const offer = wb.page.locator('.notification-toast', { hasText: 'VM path capture of vm1 ended' });
      await offer.waitFor({ state: 'visible', timeout: 30_000 });
      const saved = readdirSync(join(run.workspace, 'captures', 'hv1'));
      assert.equal(saved.length, 3, saved.join());
      await offer.locator('a.monaco-button', { hasText: 'Compare' }).click();

      await wb.page.locator('.tabs-container .tab.active[aria-label*="Compare"]').waitFor({ state: 'visible' });
      const page = hopscopeWebview(wb);
      const segment = `eth0@hv1 and br0@hv1`;
      await page.locator('.verdicts li', { hasText: `lost between ${segment}` }).waitFor({ state: 'visible', timeout: 30_000 });
      const shown = await compareShown(wb);
      // Three replies, vm2 → vm1 (the reverse direction); nothing else lost.
      assert.ok(shown.verdicts.includes(`3 packets lost between ${segment} (${vm2.ip} -> ${vm1.ip})`), shown.verdicts.join('\n'));
      assert.equal(shown.verdicts.filter((v) => /lost/.test(v)).length, 1, shown.verdicts.join('\n'));
      assert.deepEqual(shown.columns, [`${vm1.backendDevice}@hv1`, 'br0@hv1', 'eth0@hv1']);
      const lossy = await page.locator('.segments .segment.lossy .segment-name').allInnerTexts();
      assert.deepEqual(lossy, ['← eth0@hv1 → br0@hv1'], shown.segments.join('\n'));
      await page.locator('#only-anomalies').check();
      const lostRows = page.locator('.grid-row.verdict-lost');
      await lostRows.nth(2).waitFor({ state: 'visible' });
      assert.equal(await lostRows.count(), 3);
      for (let i = 0; i < 3; i++) {
        assert.equal(await lostRows.nth(i).locator('.dir').innerText(), '←');
        assert.match(await lostRows.nth(i).locator('.text').innerText(), /ICMP echo reply/);
      }
      shownBeforeReload = shown;
    }));

  it('(c) the Compare panel comes back after a window reload with the same columns, verdicts and filter', () =>
    run.scenario('c-compare-after-reload', async (wb) => {
      assert.ok(shownBeforeReload, 'the first scenario did not open the Compare panel');
      // The workbench's own reload: it shuts the window down (state saved) and loads the page again. A
      // browser reload (F5) in code-server can lose the open editors altogether (README).
      const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
      await wb.runCommand('Developer: Reload Window');
      await reloaded;
      await wb.page.locator('.part.activitybar a.action-label[aria-label^="Hopscope"]').waitFor({ state: 'visible', timeout: 60_000 });
      // Generous waits: the window starts again from scratch (a minute on a loaded 2-core machine).
      await wb.page.locator('.tabs-container .tab[aria-label*="Compare"]').waitFor({ state: 'visible', timeout: 60_000 });
      const page = hopscopeWebview(wb);
      await page.locator('.verdicts li', { hasText: 'lost between' }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.deepEqual(await compareShown(wb), shownBeforeReload);
      assert.equal(await page.locator('#only-anomalies').isChecked(), true);
      await page.locator('.grid-row.verdict-lost').nth(2).waitFor({ state: 'visible' });
      assert.equal(await page.locator('.grid-row.verdict-lost').count(), 3);
    }));
});
