/**
 * Ring-buffer captures as the extension runs them (RingCaptureManager over the SSH pool, no VS Code
 * API) on the real lab: start on vm1's backend on hv1, cut the SSH connection with the lab's fault
 * helper (silent drop, no RST) — tcpdump keeps rotating on the host — restore, a fresh manager lists
 * the capture and its files from the host, "fetch the window around T" copies only the covering files
 * and merges them (checked with tcpdump -r), stop leaves no tcpdump. Plus the interface counters
 * before/after a live capture in the capture's text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './support/hypervisorLab';
import { SshConnectionPool } from '../../src/remote/sshSession';
import { refusingPrompts } from '../../src/remote/sshPrompts';
import { HostsModel } from '../../src/extension/hosts/hostsModel';
import { loadHostEntries } from '../../src/extension/hosts/loadHostEntries';
import { RingCaptureManager } from '../../src/extension/ring/ringCaptureManager';
import { CaptureManager } from '../../src/extension/capture/captureManager';
import { watchCaptureCounters, type CounterWatchResult } from '../../src/extension/hostChecks/captureCounterWatch';

let lab: Lab;
let pool: SshConnectionPool;
let model: HostsModel;
const work = mkdtempSync(join(tmpdir(), 'hs2h-ring-'));
// The lab's hosts share this machine's file system: a base directory of our own.
const ringBase = mkdtempSync(join(tmpdir(), 'hs2h-ringbase-'));
chmodSync(ringBase, 0o755);

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Packet times (epoch s) and lines of a capture, read by tcpdump itself. */
function tcpdumpTimes(file: string): { times: number[]; lines: string[] } {
  const r = spawnSync('tcpdump', ['-tt', '-nn', '-r', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return { times: lines.map((l) => Number(l.split(' ')[0])), lines };
}

before(async () => {
  lab = await startLab();
  pool = new SshConnectionPool({ prompts: refusingPrompts, knownHostsFiles: [lab.knownHostsPath], readyTimeoutMs: 8000, keepaliveIntervalMs: 500, keepaliveCountMax: 2 });
  model = new HostsModel(pool, { localUser: 'root', defaultIdentityFiles: [lab.privateKeyPath] });
  model.setHosts(loadHostEntries({ workspaceFolders: [], sshConfigPath: lab.sshConfigPath, homeDir: work, localUser: 'root' }).hosts);
});

after(async () => {
  // Whatever a failed test left running: stop every ring under our base directory.
  for (const id of existsSync(ringBase) ? readdirSync(ringBase) : []) {
    spawnSync('/bin/sh', ['-c', 'p=$(sed -n "s/^pgroup=//p" "$1/state"); [ -n "$p" ] && kill -KILL -- "-$p"', 'x', join(ringBase, id)]);
  }
  await pool?.dispose(500);
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(ringBase, { recursive: true, force: true });
});

describe('ring-buffer capture through the extension\'s manager', () => {
  it('survives an SSH cut: tcpdump keeps rotating, a fresh manager lists it after reconnecting, fetch merges only the window\'s files, stop leaves no tcpdump', async () => {
    const vm1 = lab.vm('vm1');
    const rings = new RingCaptureManager(model, () => work, ringBase);
    const ring = await rings.start('hv1', vm1.backendDevice, { filter: 'icmp', rotateSeconds: 1, fileCount: 6, fileSizeMb: 0, maxDurationSec: 120 });
    assert.equal(ring.rotation, 'time');
    assert.equal(ring.status?.state, 'running');
    await waitFor(async () => (await lab.pgrep('hv1', new RegExp(`tcpdump .*-w ${ringBase}/`))).length > 0, 10_000, 'tcpdump on hv1');

    const ping = lab.ping('vm1', lab.vm('vm2').ip, 60); // 0.1 s apart: 6 s of echo requests and replies
    await waitFor(async () => ((await rings.refresh(ring.key)).status?.files.length ?? 0) >= 2, 10_000, 'two ring files');

    const cut = await lab.cutSshConnection('hv1');
    let cutDropped = 0;
    try {
      // The pool's keepalive (0.5 s × 2) notices the dead link: the status read fails, the capture does not.
      const during = await rings.refresh(ring.key);
      assert.ok(during.error, 'status cannot be read while SSH is cut');
      assert.ok((await lab.pgrep('hv1', new RegExp(`tcpdump .*-w ${ringBase}/`))).length > 0, 'tcpdump still runs on hv1 during the cut');
      cutDropped = await cut.dropped();
    } finally {
      await cut.restore();
    }
    assert.ok(cutDropped > 0, 'the cut dropped SSH packets');
    const pinged = await ping;
    assert.ok(pinged.received >= 55, `ping received ${pinged.received}`);

    // Reconnect from a fresh manager (another window, or after a reload): the host lists the ring.
    const again = new RingCaptureManager(model, () => work, ringBase);
    const found = await again.discover('hv1');
    const same = found.find((r) => r.captureId === ring.captureId);
    assert.ok(same, `found ${found.map((r) => r.captureId).join(', ')}`);
    assert.equal(same.status?.state, 'running');
    assert.equal(same.iface, vm1.backendDevice);
    const files = same.status?.files ?? [];
    assert.ok(files.length >= 4 && files.length <= 7, `ring files: ${files.map((f) => f.name).join(' ')}`);

    // The window: 0.3 s either side of a moment in the middle of the pings.
    const all = files.filter((f) => f.size > 24).map((f) => tcpdumpTimes(join(ringBase, ring.captureId, f.name)).times).flat().sort((a, b) => a - b);
    assert.ok(all.length > 40, `${all.length} packets in the ring`);
    const at = all[Math.floor(all.length / 2)];
    const fetched = await again.fetchWindow(same.key, at, 0.3, 0.3);
    assert.ok(fetched.files.length >= 1 && fetched.files.length < files.length, `fetched ${fetched.files.length} of ${files.length} files`);
    const merged = tcpdumpTimes(fetched.file);
    assert.equal(merged.times.length, fetched.packets);
    const inWindow = (t: number): boolean => t >= at - 0.3 && t <= at + 0.3;
    assert.deepEqual(merged.times.filter(inWindow), all.filter(inWindow), 'every packet of the window is in the merged file');
    assert.ok(merged.lines.every((l) => /ICMP echo (request|reply)/.test(l)));
    assert.ok([...merged.times].every((t, i, a) => i === 0 || a[i - 1] <= t), 'merged in time order');
    assert.deepEqual(readdirSync(join(work, 'captures', 'hv1', `ring-${ring.captureId}`)), [fetched.file.split('/').pop()], 'only the merged window is kept locally');

    const stopped = await again.stop(same.key);
    assert.equal(stopped.status?.state, 'stopped');
    assert.deepEqual(await lab.pgrep('hv1', new RegExp(`tcpdump .*-w ${ringBase}/`)), []);
    await assert.rejects(again.fetchWindow(same.key, at + 3600, 1, 1), /no ring file of hv1\/\S+ covers /);
  });
});

describe('counters before/after a live capture', () => {
  it('the capture\'s text ends with the counter difference of the interface', async () => {
    const captures = new CaptureManager(model, () => work, () => 1000);
    const results: CounterWatchResult[] = [];
    const watch = watchCaptureCounters(captures, model, (r) => results.push(r));
    try {
      const c = await captures.start('hv1', lab.vm('vm1').backendDevice, {
        filter: 'icmp', snaplen: 262144, maxPackets: 0, maxDurationSec: 60, maxFileBytes: 0, excludeOwnSsh: true, heartbeatTimeoutSec: 3,
      });
      await waitFor(() => c.session.state === 'running', 10_000, 'tcpdump listening');
      await watch.started(c.id);
      assert.equal((await lab.ping('vm1', lab.vm('vm2').ip, 4)).received, 4);
      await waitFor(() => c.session.packetCount >= 8, 10_000, '8 packets');
      captures.stop(c.id);
      await c.session.done;
      await waitFor(() => results.length === 1, 10_000, 'counter note');
      const m = /^counters of (\S+) on hv1 during the capture: rx (\d+) packets, tx (\d+) packets; no drops, errors or overruns grew$/.exec(results[0].note);
      assert.ok(m, results[0].note);
      assert.ok(Number(m[2]) >= 4 && Number(m[3]) >= 4, results[0].note);
      assert.ok(c.text.text().trimEnd().endsWith(`[hopscope: ${results[0].note}]`));
    } finally {
      watch.dispose();
      await captures.stopAll();
    }
  });
});
