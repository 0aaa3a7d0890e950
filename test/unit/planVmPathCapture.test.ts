import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildHostInventory } from '../../src/core/discovery/buildHostInventory';
import { planVmPathCapture, VmPathError } from '../../src/core/discovery/planVmPathCapture';
import { discoveryFixture } from './discoveryFixtures';

const ok = (path: string): { stdout: string; exitCode: number } => ({ stdout: discoveryFixture(path), exitCode: 0 });

describe('planVmPathCapture on real discovery output', () => {
  const inv = buildHostInventory({
    ipLink: ok('netns/ip-j-d-link.json'),
    ipAddr: ok('netns/ip-j-addr.json'),
    virshList: ok('virsh/list-all.txt'),
    virshDumpXml: { 'r2-10105': ok('virsh/dumpxml-r2-10105.xml'), 'db backup vm': ok('virsh/dumpxml-db-backup-vm.xml') },
  });

  it('walks backend → bridge → uplink, skipping the other VMs\' backends on the bridge', () => {
    const plan = planVmPathCapture(inv, 'r2-10105');
    assert.deepEqual(plan.hops.map((h) => [h.iface, h.role]), [['021f00', 'vnic-backend'], ['hsvbr0', 'bridge'], ['hsvup0', 'uplink']]);
    assert.deepEqual(plan.guestIps, ['10.203.1.200', '10.203.1.201']);
    assert.deepEqual(plan.warnings, []);
  });

  it('picks the vNIC by MAC', () => {
    const second = inv.vms.find((v) => v.name === 'r2-10105')?.vnics[1];
    const plan = planVmPathCapture(inv, 'r2-10105', second?.mac?.toUpperCase());
    assert.equal(plan.hops[0].iface, 'tap0a1b2c');
  });

  it('explains why a shut-off VM or an unknown VM has no path', () => {
    assert.throws(() => planVmPathCapture(inv, 'db backup vm'), (e: unknown) => e instanceof VmPathError && /shut off/.test(e.message));
    assert.throws(() => planVmPathCapture(inv, 'nope'), /no VM named nope/);
  });
});

describe('planVmPathCapture on an Open vSwitch host (real user-space ovs-vswitchd output)', () => {
  it('finds the tap on br-int and says when no uplink is reachable through the patch ports', () => {
    const inv = buildHostInventory({
      ipLink: ok('ovs/ip-j-d-link.json'),
      ovsVsctlShow: ok('ovs/ovs-vsctl-show.txt'),
      ovsListInterface: ok('ovs/ovs-vsctl-list-interface.json'),
      virshList: ok('virsh/list-all.txt'),
      virshDumpXml: { 'instance-0000002a': ok('virsh/dumpxml-instance-0000002a.xml') },
    });
    const plan = planVmPathCapture(inv, 'instance-0000002a');
    assert.deepEqual(plan.hops.map((h) => [h.iface, h.role]), [['tapb5e0f6a2-3c', 'vnic-backend']]);
    assert.match(plan.warnings.join('\n'), /no uplink NIC found behind the Open vSwitch bridges of tapb5e0f6a2-3c/);
  });
});
