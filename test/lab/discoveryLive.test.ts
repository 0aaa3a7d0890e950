/**
 * Discovery parsers against live commands: builds a namespace (bridge with veth and tap ports, a VM
 * namespace behind a veth, a vxlan, a macvtap, an admin-down veth), runs ip / bridge / brctl and the
 * libvirt test driver, and checks that the parsed model is what was created.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIpLinkJson } from '../../src/core/discovery/parseIpLinkJson';
import { parseIpLinkText } from '../../src/core/discovery/parseIpLinkText';
import { parseIpAddrJson } from '../../src/core/discovery/parseIpAddrJson';
import { parseBridgeLinkJson } from '../../src/core/discovery/parseBridgeLinkJson';
import { parseBrctlShow } from '../../src/core/discovery/parseBrctlShow';
import { buildHostInventory, type DiscoveryCommandOutput } from '../../src/core/discovery/buildHostInventory';

const ns = `hsv${process.pid}l`;
const vmNs = `hsv${process.pid}m`;
const tmp = mkdtempSync(join(tmpdir(), 'hopscope-discovery-'));
// A distinct /24 per process inside 10.203.0.0/16, so parallel runs never share an address.
const net = `10.203.${100 + (process.pid % 150)}`;

function sh(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const inNs = (argv: string[]): string[] => ['ip', 'netns', 'exec', ns, ...argv];
function capture(argv: string[]): DiscoveryCommandOutput {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const nodeXml = `<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
  <domain type='test'><name>live vm</name><memory>65536</memory><os><type>hvm</type></os><devices>
    <interface type='bridge'><mac address='52:54:00:cb:00:01'/><source bridge='br0'/><target dev='be0001'/><model type='virtio'/>
      <filterref filter='clean-traffic'><parameter name='IP' value='${net}.10'/></filterref></interface>
    <interface type='network'><mac address='52:54:00:cb:00:02'/><source network='default'/><model type='e1000'/></interface>
  </devices></domain>
  <domain type='test'><name>stopped</name><test:runstate>5</test:runstate><memory>65536</memory><os><type>hvm</type></os><devices>
    <interface type='bridge'><mac address='52:54:00:cb:00:03'/><source bridge='br0'/></interface>
  </devices></domain>
</node>`;

describe('discovery parsers on live commands in a namespace', () => {
  before(async () => {
    sh(['ip', 'netns', 'add', ns]);
    sh(['ip', 'netns', 'add', vmNs]);
    sh(inNs(['ip', 'link', 'set', 'lo', 'up']));
    sh(inNs(['ip', 'link', 'add', 'br0', 'type', 'bridge']));
    sh(inNs(['ip', 'addr', 'add', `${net}.1/24`, 'dev', 'br0']));
    sh(inNs(['ip', 'link', 'add', 'be0001', 'address', 'fe:54:00:cb:00:01', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vmNs]));
    sh(inNs(['ip', 'link', 'set', 'be0001', 'master', 'br0']));
    sh(inNs(['ip', 'tuntap', 'add', 'mode', 'tap', 'name', 'tapcb0002']));
    sh(inNs(['ip', 'link', 'set', 'tapcb0002', 'address', 'fe:54:00:cb:00:02']));
    sh(inNs(['ip', 'link', 'set', 'tapcb0002', 'master', 'br0']));
    sh(inNs(['ip', 'link', 'add', 'up0', 'mtu', '9000', 'type', 'veth', 'peer', 'name', 'up0p']));
    sh(inNs(['ip', 'link', 'add', 'link', 'up0', 'name', 'mvt9', 'type', 'macvtap', 'mode', 'bridge']));
    sh(inNs(['ip', 'link', 'add', 'vx42', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', `${net}.1`, 'dev', 'br0']));
    for (const l of ['br0', 'be0001', 'tapcb0002', 'up0', 'up0p', 'mvt9', 'vx42']) sh(inNs(['ip', 'link', 'set', l, 'up']));
    sh(['ip', 'netns', 'exec', vmNs, 'ip', 'link', 'set', 'eth0', 'up']);
    await waitFor(() => sh(inNs(['cat', '/sys/class/net/be0001/carrier'])).trim() === '1', 5000, 'be0001 carrier');
    writeFileSync(join(tmp, 'node.xml'), nodeXml);
  });

  after(() => {
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', vmNs]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('ip -j -d link: every created link with kind, state, master, mtu, MAC', () => {
    const links = parseIpLinkJson(sh(inNs(['ip', '-j', '-d', 'link', 'show'])));
    const got = Object.fromEntries(links.map((l) => [l.name, [l.kind, l.state, l.master, l.mtu]]));
    assert.deepEqual(got, {
      lo: ['loopback', 'up', undefined, 65536],
      br0: ['bridge', 'up', undefined, 1500],
      be0001: ['veth', 'up', 'br0', 1500],
      tapcb0002: ['tap', 'no-carrier', 'br0', 1500],
      up0: ['veth', 'up', undefined, 9000],
      up0p: ['veth', 'up', undefined, 1500],
      mvt9: ['macvtap', 'up', undefined, 9000],
      vx42: ['vxlan', 'up', undefined, 1450],
    });
    assert.equal(links.find((l) => l.name === 'be0001')?.mac, 'fe:54:00:cb:00:01');
    assert.equal(links.find((l) => l.name === 'mvt9')?.lowerLink, 'up0');
    assert.deepEqual(links.find((l) => l.name === 'vx42')?.vxlan, { id: 42, local: `${net}.1`, port: 4789, device: 'br0' });
  });

  it('ip -d link text agrees with the JSON', () => {
    const pick = (l: { name: string; kind: string; state: string; master?: string; mtu?: number; mac?: string }): unknown[] => [l.name, l.kind, l.state, l.master, l.mtu, l.mac];
    assert.deepEqual(parseIpLinkText(sh(inNs(['ip', '-d', 'link', 'show']))).map(pick), parseIpLinkJson(sh(inNs(['ip', '-j', '-d', 'link', 'show']))).map(pick));
  });

  it('ip -j addr, bridge -j link and brctl show', () => {
    const addrs = parseIpAddrJson(sh(inNs(['ip', '-j', 'addr', 'show'])));
    assert.deepEqual(addrs.get('br0')?.filter((a) => a.family === 'inet'), [{ family: 'inet', local: `${net}.1`, prefixLen: 24, scope: 'global' }]);
    const viaBridge = parseBridgeLinkJson(sh(inNs(['bridge', '-j', 'link', 'show'])));
    assert.deepEqual(viaBridge.map((b) => [b.name, b.ports.map((p) => p.name).sort()]), [['br0', ['be0001', 'tapcb0002']]]);
    const viaBrctl = parseBrctlShow(sh(inNs(['brctl', 'show'])));
    assert.deepEqual(viaBrctl.map((b) => [b.name, b.stp, b.ports.map((p) => p.name).sort()]), [['br0', false, ['be0001', 'tapcb0002']]]);
  });

  it('buildHostInventory with virsh (test driver) links the running VM\'s vNICs by target dev and by MAC', () => {
    const uri = `test://${join(tmp, 'node.xml')}`;
    const inv = buildHostInventory({
      ipLink: capture(inNs(['ip', '-j', '-d', 'link', 'show'])),
      ipAddr: capture(inNs(['ip', '-j', 'addr', 'show'])),
      bridgeLink: capture(inNs(['bridge', '-j', 'link', 'show'])),
      virshList: capture(['virsh', '-c', uri, 'list', '--all']),
      virshDumpXml: {
        'live vm': capture(['virsh', '-c', uri, 'dumpxml', 'live vm']),
        stopped: capture(['virsh', '-c', uri, 'dumpxml', 'stopped']),
      },
    });
    assert.deepEqual(inv.errors, []);
    assert.deepEqual(inv.vms.map((v) => [v.name, v.state]), [['live vm', 'running'], ['stopped', 'shut off']]);
    const live = inv.vms[0];
    // vNIC 0 names its target; vNIC 1 has none in the node file (the test driver invents testnetN): found by fe: MAC.
    assert.deepEqual(live.vnics.map((n) => [n.mac, n.backend, n.backendMatchedBy]), [
      ['52:54:00:cb:00:01', 'be0001', 'target-dev'], ['52:54:00:cb:00:02', 'tapcb0002', 'mac'],
    ]);
    assert.deepEqual(live.vnics[0].guestIps, [`${net}.10`]);
    assert.equal(inv.vms[1].vnics[0].backend, undefined);
    assert.deepEqual(inv.bridges, [{ name: 'br0', ports: [{ name: 'be0001', state: 'forwarding' }, { name: 'tapcb0002', state: 'disabled' }] }]);
    assert.deepEqual(inv.groups.tap, ['be0001', 'tapcb0002', 'mvt9']);
  });
});
