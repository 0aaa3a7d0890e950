/**
 * The extension's host and capture glue (src/extension/hosts, src/extension/capture; no VS Code API)
 * over the real lab: hosts from the lab's ssh_config and a workspace hosts.yaml, discovery and live
 * captures through one SshConnectionPool (real sshd, ProxyJump for hv2, real tcpdump).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './support/hypervisorLab';
import { SshConnectionPool } from '../../src/remote/sshSession';
import { refusingPrompts } from '../../src/remote/sshPrompts';
import { HostsModel } from '../../src/extension/hosts/hostsModel';
import { loadHostEntries } from '../../src/extension/hosts/loadHostEntries';
import { CaptureManager, type CaptureStartOptions } from '../../src/extension/capture/captureManager';
import { checkCaptureFilter } from '../../src/extension/capture/hostCaptureStarter';
import { planVmPathCapture } from '../../src/core/discovery/planVmPathCapture';

let lab: Lab;
let pool: SshConnectionPool;
let model: HostsModel;
let captures: CaptureManager;
const work = mkdtempSync(join(tmpdir(), 'hopscope-hsx-'));

const options = (over: Partial<CaptureStartOptions> = {}): CaptureStartOptions => ({
  filter: 'icmp', snaplen: 262144, maxPackets: 0, maxDurationSec: 120, maxFileBytes: 0, excludeOwnSsh: true, heartbeatTimeoutSec: 3, ...over,
});

function tcpdumpRead(file: string): string[] {
  const r = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  lab = await startLab();
  mkdirSync(join(work, '.hopscope'));
  const hv1 = lab.host('hv1');
  writeFileSync(join(work, '.hopscope', 'hosts.yaml'), [
    'hosts:',
    `  - alias: hv1-nosudo`,
    `    address: ${hv1.sshAddress}`,
    `    port: ${hv1.sshPort}`,
    `    user: ${lab.users.noSudo}`,
    `    identityFile: ${lab.privateKeyPath}`,
    '',
  ].join('\n'));
  pool = new SshConnectionPool({ prompts: refusingPrompts, knownHostsFiles: [lab.knownHostsPath], readyTimeoutMs: 8000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 });
  model = new HostsModel(pool, { localUser: 'root', defaultIdentityFiles: [lab.privateKeyPath] });
  const loaded = loadHostEntries({ workspaceFolders: [work], sshConfigPath: lab.sshConfigPath, homeDir: work, localUser: 'root' });
  assert.deepEqual(loaded.problems, []);
  model.setHosts(loaded.hosts);
  captures = new CaptureManager(model, () => work, () => 20000);
});

after(async () => {
  await captures?.stopAll().catch(() => undefined);
  await pool?.dispose(500);
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('hosts and discovery through the pool', () => {
  it('lists this machine, the hosts.yaml entry and the ssh_config hosts', () => {
    assert.deepEqual(model.hosts.map((h) => h.alias), ['local', 'hv1-nosudo', 'jump', 'hv1', 'hv2']);
  });

  it('discovers both hypervisors (hv2 through the jump host) in parallel: bridge, ports, VMs and backends', async () => {
    const [hv1, hv2] = await Promise.all([model.inventory('hv1'), model.inventory('hv2')]);
    for (const [inv, host] of [[hv1, 'hv1'], [hv2, 'hv2']] as const) {
      const br = inv.interfaces.find((i) => i.name === 'br0');
      assert.ok(br, `${host} has br0`);
      const vm = lab.vms.find((v) => v.host === host);
      assert.ok(vm);
      assert.ok(br.ports.includes('eth0') && br.ports.includes(vm.backendDevice), `${host} br0 ports ${br.ports.join(',')}`);
      const hostVm = inv.vms.find((v) => v.name === vm.name);
      assert.equal(hostVm?.state, 'running');
      assert.equal(hostVm?.vnics[0]?.backend, vm.backendDevice);
    }
    assert.equal(model.state('hv1').status, 'done');
    assert.equal(pool.connectCount, 2, 'one pool connection per host, shared by all discovery commands');
  });
});

describe('live capture over SSH', () => {
  it('ping across a vNIC: the file holds the packets and tcpdump -r reads it', async () => {
    const vm1 = lab.vm('vm1');
    const c = await captures.start('hv1', vm1.backendDevice, options());
    await waitFor(() => c.session.state === 'running', 10_000, 'tcpdump listening');
    const p = await lab.ping('vm1', lab.vm('vm2').ip, 3);
    assert.equal(p.received, 3);
    await waitFor(() => c.session.packetCount >= 6, 10_000, '6 packets');
    captures.stop(c.id);
    const r = await c.session.done;
    assert.equal(r.reason, 'stopped');
    const lines = tcpdumpRead(c.file);
    assert.equal(lines.filter((l) => /ICMP echo request/.test(l)).length, 3);
    assert.equal(lines.filter((l) => /ICMP echo reply/.test(l)).length, 3);
    assert.match(c.file, new RegExp(`/captures/hv1/${vm1.backendDevice}-\\d{8}-\\d{6}\\.pcap$`));
    assert.equal(c.text.lineCount, r.packets);
    assert.match(c.text.text(), /ICMP echo request, id \d+, seq 1, length 64/);
  });

  it('cut SSH mid-capture: the file keeps its packets and no tcpdump is left on the host', async () => {
    const vm1 = lab.vm('vm1');
    const c = await captures.start('hv1', vm1.backendDevice, options());
    await waitFor(() => c.session.state === 'running', 10_000, 'tcpdump listening');
    await lab.ping('vm1', lab.vm('vm2').ip, 2);
    await waitFor(() => c.session.packetCount >= 4, 10_000, '4 packets');
    assert.ok((await lab.pgrep('hv1', /tcpdump/)).length > 0, 'tcpdump runs before the cut');
    const cut = await lab.cutSshConnection('hv1');
    try {
      const r = await c.session.done;
      assert.equal(r.reason, 'connection-lost');
      assert.equal(tcpdumpRead(c.file).length, r.packets);
      assert.ok(r.packets >= 4);
      // The watchdog's heartbeat timeout is 3 s in this test.
      await waitFor(async () => (await lab.pgrep('hv1', /tcpdump/)).length === 0, 15_000, 'tcpdump gone on hv1');
    } finally {
      await cut.restore();
    }
  });

  it('a filter tcpdump rejects is reported by the check, with tcpdump\'s words', async () => {
    assert.equal(await checkCaptureFilter(model.endpoint('hv1'), 'icmp and host 10.0.0.1'), undefined);
    const message = await checkCaptureFilter(model.endpoint('hv1'), 'icmp andd host');
    assert.match(message ?? '', /syntax error|can't parse/);
    assert.match(await checkCaptureFilter(model.endpoint('local'), 'port 99999999') ?? '', /port|illegal|out of range/i);
  });

  it('sudo refused (user without sudo rights): the capture ends with the sudo error', async () => {
    const c = await captures.start('hv1-nosudo', 'eth0', options());
    const r = await c.session.done;
    assert.equal(r.reason, 'error');
    assert.ok(r.error && ['sudo-password', 'sudo-refused'].includes(r.error.code), JSON.stringify(r.error));
    assert.equal(r.packets, 0);
  });

  it('two captures on two hosts at once', async () => {
    const [a, b] = await Promise.all([
      captures.start('hv1', 'eth0', options()), captures.start('hv2', 'eth0', options()),
    ]);
    await waitFor(() => a.session.state === 'running' && b.session.state === 'running', 10_000, 'both listening');
    await lab.ping('vm1', lab.vm('vm2').ip, 2);
    await waitFor(() => a.session.packetCount >= 4 && b.session.packetCount >= 4, 10_000, 'packets on both');
    await captures.stopAll();
    assert.equal(tcpdumpRead(a.file).filter((l) => /echo request/.test(l)).length, 2);
    assert.equal(tcpdumpRead(b.file).filter((l) => /echo request/.test(l)).length, 2);
    assert.notEqual(a.file, b.file);
  });

  it('This machine: the same wrapper as a local process captures a ping on lo', async () => {
    const c = await captures.start('local', 'lo', options({ filter: 'icmp and host 127.0.0.1', excludeOwnSsh: true }));
    await waitFor(() => c.session.state === 'running', 10_000, 'local tcpdump listening');
    const ping = spawnSync('ping', ['-c', '2', '-i', '0.2', '127.0.0.1'], { encoding: 'utf8' });
    assert.equal(ping.status, 0, ping.stderr);
    await waitFor(() => c.session.packetCount >= 4, 10_000, '4 packets on lo');
    captures.stop(c.id);
    const r = await c.session.done;
    assert.equal(r.reason, 'stopped');
    assert.ok(tcpdumpRead(c.file).filter((l) => /127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request/.test(l)).length >= 2);
    assert.match(c.file, /\/captures\/local\/lo-\d{8}-\d{6}(-\d+)?\.pcap$/);
  });

  it('VM path: one capture and one file per hop, the same filter everywhere', async () => {
    model.invalidate('hv1');
    const plan = planVmPathCapture(await model.inventory('hv1'), 'vm1');
    assert.deepEqual(plan.hops.map((h) => h.iface), [lab.vm('vm1').backendDevice, 'br0', 'eth0']);
    const started = await Promise.all(plan.hops.map((h) => captures.start('hv1', h.iface, options())));
    await waitFor(() => started.every((c) => c.session.state === 'running'), 10_000, 'all hops listening');
    await lab.ping('vm1', lab.vm('vm2').ip, 2);
    await waitFor(() => started.every((c) => c.session.packetCount >= 4), 10_000, 'packets on every hop');
    await captures.stopAll();
    assert.equal(new Set(started.map((c) => c.file)).size, 3);
    for (const c of started) {
      assert.ok(statSync(c.file).size > 24);
      assert.equal(tcpdumpRead(c.file).filter((l) => /echo request/.test(l)).length, 2, c.file);
    }
  });
});
