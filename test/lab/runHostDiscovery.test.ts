/**
 * Discovery through the real commands (ip, bridge, brctl, virsh on libvirt's test driver) run in a
 * namespace shaped like a hypervisor, through the local command runner "This machine" uses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { runHostDiscovery, type CommandResult, type CommandRunner } from '../../src/core/discovery/runHostDiscovery';

const ns = `hsk${process.pid}`;
const vmNs = `hsk${process.pid}v`;
const nodeXml = resolve(join(__dirname, '..', 'fixtures', 'discovery', 'virsh', 'node.xml'));

function sh(argv: string[]): void {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

const runInNamespace: CommandRunner = (argv) => new Promise<CommandResult>((res) => {
  const cp = spawn('ip', ['netns', 'exec', ns, ...argv]);
  let stdout = '';
  let stderr = '';
  cp.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  cp.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  cp.on('close', (code) => res({ stdout, stderr, exitCode: code }));
});

describe('runHostDiscovery on a namespace shaped like a hypervisor', () => {
  before(() => {
    sh(['ip', 'netns', 'add', ns]);
    sh(['ip', 'netns', 'add', vmNs]);
    sh(['ip', '-n', ns, 'link', 'add', 'hsvbr0', 'type', 'bridge']);
    sh(['ip', '-n', ns, 'link', 'add', '021f00', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vmNs]);
    sh(['ip', '-n', ns, 'tuntap', 'add', 'mode', 'tap', 'tap0a1b2c']);
    sh(['ip', '-n', ns, 'link', 'add', 'uplink0', 'type', 'veth', 'peer', 'name', 'up0', 'netns', vmNs]);
    for (const port of ['021f00', 'tap0a1b2c', 'uplink0']) sh(['ip', '-n', ns, 'link', 'set', port, 'master', 'hsvbr0']);
    for (const l of ['hsvbr0', '021f00', 'uplink0']) sh(['ip', '-n', ns, 'link', 'set', l, 'up']);
  });
  after(() => {
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', vmNs]);
  });

  it('finds the bridge with its ports and the running VM\'s vNICs on their backends', async () => {
    const inv = await runHostDiscovery(runInNamespace, { libvirtUri: `test://${nodeXml}`, sudo: 'never', isRoot: true });
    assert.deepEqual(inv.errors, []);
    assert.deepEqual(inv.bridges.find((b) => b.name === 'hsvbr0')?.ports.map((p) => p.name).sort(), ['021f00', 'tap0a1b2c', 'uplink0']);
    assert.equal(inv.interfaces.find((i) => i.name === 'tap0a1b2c')?.kind, 'tap');
    assert.equal(inv.interfaces.find((i) => i.name === 'tap0a1b2c')?.state, 'down');
    const vm = inv.vms.find((v) => v.name === 'r2-10105');
    assert.equal(vm?.state, 'running');
    assert.deepEqual(vm?.vnics.slice(0, 2).map((n) => n.backend), ['021f00', 'tap0a1b2c']);
    assert.equal(vm?.vnics[0].sourceBridge, 'hsvbr0');
    assert.deepEqual(inv.vms.map((v) => v.name).sort(), ['db backup vm', 'instance-0000002a', 'r2-10105']);
  });

  it('a libvirt that cannot be reached degrades only the VM list, with a hint', async () => {
    const inv = await runHostDiscovery(runInNamespace, { libvirtUri: 'test:///nonexistent/node.xml', sudo: 'never', isRoot: true });
    assert.equal(inv.vms.length, 0);
    assert.equal(inv.errors.length, 1);
    assert.equal(inv.errors[0].source, 'virsh-list');
    assert.ok(inv.interfaces.some((i) => i.name === 'hsvbr0'));
  });

  it('falls back to text output where ip has no -j (old iproute2 simulated by refusing -j with its real message), with the same result', async () => {
    const noJson: CommandRunner = (argv) => (argv.includes('-j')
      ? Promise.resolve({ stdout: '', stderr: 'Option "-j" is unknown, try "ip -help".\n', exitCode: 255 })
      : runInNamespace(argv));
    const viaText = await runHostDiscovery(noJson, { libvirtUri: `test://${nodeXml}`, sudo: 'never', isRoot: true });
    const viaJson = await runHostDiscovery(runInNamespace, { libvirtUri: `test://${nodeXml}`, sudo: 'never', isRoot: true });
    const pick = (i: typeof viaJson): string[] => i.interfaces.map((x) => `${x.name}:${x.kind}:${x.state}:${x.master ?? ''}`).sort();
    assert.deepEqual(pick(viaText), pick(viaJson));
  });
});
