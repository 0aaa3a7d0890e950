/**
 * buildHostInventory on the real fixtures: the namespace's links/addresses/bridge ports, the
 * test-driver VMs, the user-space OVS; and degraded inputs (failed or garbled sources).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildHostInventory, type HostDiscoveryOutputs } from '../../src/core/discovery/buildHostInventory';
import type { HostVm } from '../../src/core/discovery/hostInventory';
import { discoveryFixture } from './discoveryFixtures';

const ok = (path: string): { stdout: string; exitCode: number } => ({ stdout: discoveryFixture(path), exitCode: 0 });
const dumps = (): NonNullable<HostDiscoveryOutputs['virshDumpXml']> => ({
  'r2-10105': ok('virsh/dumpxml-r2-10105.xml'),
  'instance-0000002a': ok('virsh/dumpxml-instance-0000002a.xml'),
  'db backup vm': ok('virsh/dumpxml-db-backup-vm.xml'),
});
const full: HostDiscoveryOutputs = {
  ipLink: ok('netns/ip-j-d-link.json'),
  ipAddr: ok('netns/ip-j-addr.json'),
  bridgeLink: ok('netns/bridge-j-link.json'),
  virshList: ok('virsh/list-all.txt'),
  virshDumpXml: dumps(),
};
const vmNamed = (vms: HostVm[], name: string): HostVm => vms.find((v) => v.name === name) as HostVm;

describe('buildHostInventory on the real fixtures', () => {
  const inv = buildHostInventory(full);

  it('has no errors and groups interfaces (a VM backend veth is listed with the taps)', () => {
    assert.deepEqual(inv.errors, []);
    assert.deepEqual(inv.groups, {
      physical: [], bridges: ['hsvbr0'], bonds: [], vlans: [], ovs: [],
      tap: ['021f00', 'tap0a1b2c', 'tun0', 'mvt0'],
      other: ['lo', 'hsvup0', 'hsvup1', 'vxlan100', 'mvl0', 'hsvdown0p', 'hsvdown0'],
    });
  });

  it('lists bridge ports from `master` with their STP states from `bridge link`', () => {
    assert.deepEqual(inv.bridges, [{ name: 'hsvbr0', ports: [
      { name: 'hsvup0', state: 'forwarding' }, { name: '021f00', state: 'forwarding' }, { name: 'tap0a1b2c', state: 'disabled' },
    ] }]);
    assert.deepEqual(inv.interfaces.find((i) => i.name === 'hsvbr0')?.addresses.map((a) => a.local), ['10.203.1.1', 'fd00:203:1::1', 'fe80::aff:fecb:101']);
  });

  it('links running VMs\' vNICs to their backend by target dev, with guest IPs from the nwfilter parameters', () => {
    const r2 = vmNamed(inv.vms, 'r2-10105');
    assert.equal(r2.state, 'running');
    assert.deepEqual(r2.vnics.map((n) => [n.backend, n.backendMatchedBy]), [['021f00', 'target-dev'], ['tap0a1b2c', 'target-dev'], ['mvt0', 'target-dev']]);
    assert.deepEqual(r2.vnics[0].guestIps, ['10.203.1.200', '10.203.1.201']);
  });

  it('a shut-off VM keeps its vNICs but gets no backend (its testnet0 target is not a host device)', () => {
    const off = vmNamed(inv.vms, 'db backup vm');
    assert.equal(off.state, 'shut off');
    assert.equal(off.vnics.length, 1);
    assert.equal(off.vnics[0].backend, undefined);
  });

  it('the OpenStack VM has no backend in this namespace (its tap lives on the OVS host)', () => {
    const os = vmNamed(inv.vms, 'instance-0000002a');
    assert.equal(os.displayName, 'web server 1');
    assert.equal(os.vnics[0].backend, undefined);
  });
});

describe('buildHostInventory backend matching', () => {
  it('falls back to the fe:… tap MAC, and to a macvtap carrying the VM MAC, when the XML has no target', () => {
    const xml = discoveryFixture('virsh/dumpxml-r2-10105.xml').replace(/\s*<target dev='[^']*'\/>/g, '');
    const inv = buildHostInventory({ ...full, virshDumpXml: { 'r2-10105': { stdout: xml, exitCode: 0 } } });
    const r2 = vmNamed(inv.vms, 'r2-10105');
    assert.deepEqual(r2.vnics.map((n) => [n.targetDev, n.backend, n.backendMatchedBy]), [
      [undefined, '021f00', 'mac'], [undefined, 'tap0a1b2c', 'mac'], [undefined, 'mvt0', 'mac'],
    ]);
  });

  it('on the OVS host: by target dev against its links, or by OVS iface-id when links are unavailable', () => {
    const ovsHost: HostDiscoveryOutputs = {
      ipLink: ok('ovs/ip-j-d-link.json'),
      ovsVsctlShow: ok('ovs/ovs-vsctl-show.txt'),
      ovsListInterface: ok('ovs/ovs-vsctl-list-interface.json'),
      virshList: ok('virsh/list-all.txt'),
      virshDumpXml: { 'instance-0000002a': ok('virsh/dumpxml-instance-0000002a.xml') },
    };
    const withLinks = buildHostInventory(ovsHost);
    assert.deepEqual(withLinks.errors, []);
    const vnic = vmNamed(withLinks.vms, 'instance-0000002a').vnics[0];
    assert.deepEqual([vnic.backend, vnic.backendMatchedBy], ['tapb5e0f6a2-3c', 'target-dev']);
    assert.deepEqual(vnic.guestIps, ['10.203.2.15'], 'from the nova:port whose uuid is the interfaceid');
    assert.deepEqual(withLinks.ovs?.bridges.map((b) => b.name).sort(), ['br-ex', 'br-int']);
    assert.deepEqual(withLinks.interfaces.find((i) => i.name === 'br-int')?.ports.sort(), ['patch-tun', 'tap77c1d2e3-4f', 'tapb5e0f6a2-3c'], 'OVS bridge ports from ovsdb');

    const noLinks = buildHostInventory({ ...ovsHost, ipLink: { stdout: '', stderr: 'sh: 1: ip: not found', exitCode: 127 } });
    const vnic2 = vmNamed(noLinks.vms, 'instance-0000002a').vnics[0];
    assert.deepEqual([vnic2.backend, vnic2.backendMatchedBy], ['tapb5e0f6a2-3c', 'ovs-iface-id']);
    assert.deepEqual(noLinks.errors, [{ source: 'ip-link', message: 'sh: 1: ip: not found', hint: 'install iproute2 on the host' }]);
  });
});

describe('buildHostInventory on a transcribed bond / VLAN / kernel-OVS host', () => {
  it('groups physical NICs, the bond, the VLAN, the bridge and OVS links; bond and bridge list their ports', () => {
    const inv = buildHostInventory({ ipLink: ok('transcribed/ip-j-d-link-bond-vlan-ovs.json') });
    assert.deepEqual(inv.groups, {
      physical: ['eno1', 'eno2'], bridges: ['eth0.700'], bonds: ['bond0'], vlans: ['bond0.700'],
      ovs: ['ovs-system', 'br-int'], tap: ['tapb5e0f6a2-3c'], other: ['lo'],
    });
    assert.deepEqual(inv.interfaces.find((i) => i.name === 'bond0')?.ports, ['eno1', 'eno2']);
    assert.deepEqual(inv.bridges, [{ name: 'eth0.700', ports: [{ name: 'bond0.700' }] }]);
    assert.equal(inv.interfaces.find((i) => i.name === 'eno2')?.state, 'no-carrier');
  });
});

describe('buildHostInventory with failing sources', () => {
  it('a failed virsh degrades only the VM part, with a hint', () => {
    const inv = buildHostInventory({ ...full, virshList: { stdout: '', stderr: discoveryFixture('virsh/error-missing-node.txt'), exitCode: 1 }, virshDumpXml: {} });
    assert.equal(inv.interfaces.length, 12);
    assert.deepEqual(inv.vms, []);
    assert.equal(inv.errors.length, 1);
    assert.equal(inv.errors[0].source, 'virsh-list');
    assert.match(inv.errors[0].message, /failed to connect to the hypervisor/);
    assert.match(inv.errors[0].hint ?? '', /qemu:\/\/\/system/);
  });

  it('virsh not installed, or not permitted, gets the matching hint', () => {
    const missing = buildHostInventory({ virshList: { stdout: '', stderr: 'bash: line 1: virsh: command not found', exitCode: 127 } });
    assert.equal(missing.errors[0].hint, 'install libvirt-clients on the host');
    const denied = buildHostInventory({ virshList: { stdout: '', stderr: "error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'", exitCode: 1 } });
    assert.equal(denied.errors[0].hint, 'needs sudo or membership of the libvirt group');
    const ovs = buildHostInventory({ ovsVsctlShow: { stdout: '', stderr: discoveryFixture('ovs/error-no-db.txt'), exitCode: 1 } });
    assert.match(ovs.errors[0].hint ?? '', /ovsdb-server/);
  });

  it('garbled ip output is reported and the bridge list comes from brctl; one bad dumpxml loses only that VM\'s vNICs', () => {
    const inv = buildHostInventory({
      ...full,
      ipLink: { stdout: '[{"ifname": "x"', exitCode: 0 },
      bridgeLink: undefined,
      brctlShow: ok('netns/brctl-show.txt'),
      virshDumpXml: { ...dumps(), 'r2-10105': { stdout: '<domain', exitCode: 0 } },
    });
    assert.deepEqual(inv.errors.map((e) => e.source), ['ip-link', 'virsh-dumpxml']);
    assert.equal(inv.interfaces.length, 0);
    assert.deepEqual(inv.bridges.map((b) => [b.name, b.ports.map((p) => p.name)]), [['hsvbr0', ['021f00', 'hsvup0', 'tap0a1b2c']]]);
    assert.deepEqual(vmNamed(inv.vms, 'r2-10105').vnics, []);
    assert.equal(vmNamed(inv.vms, 'r2-10105').state, 'running');
    assert.equal(vmNamed(inv.vms, 'instance-0000002a').vnics.length, 1);
  });

  it('text ip output (no -j) is accepted too', () => {
    const inv = buildHostInventory({ ipLink: ok('netns/ip-d-link.txt'), ipAddr: ok('netns/ip-addr.txt') });
    assert.deepEqual(inv.errors, []);
    assert.deepEqual(inv.bridges.map((b) => b.ports.map((p) => p.name)), [['hsvup0', '021f00', 'tap0a1b2c']]);
  });

  it('nothing run gives an empty inventory', () => {
    assert.deepEqual(buildHostInventory({}), {
      interfaces: [], bridges: [], groups: { physical: [], bridges: [], bonds: [], vlans: [], ovs: [], tap: [], other: [] },
      vms: [], ovsInterfaces: [], errors: [],
    });
  });
});
