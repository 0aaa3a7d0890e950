/** The lab plan (pure): names fit the kernel's 15-char limit, nothing collides, options are checked. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxLabId, planLab } from '../lab/support/labTopology';

describe('planLab', () => {
  it('default plan: hv1 direct, hv2 behind jump, one VM per host with libvirt-style backend names', () => {
    const p = planLab(3);
    assert.deepEqual(p.hosts.map((h) => [h.name, h.namespace, h.behindJump]), [['hv1', 'hsl3-hv1', false], ['hv2', 'hsl3-hv2', true]]);
    assert.deepEqual(p.vms.map((v) => [v.name, v.host, v.ip, v.mac, v.backendDevice]), [
      ['vm1', 'hv1', '10.202.24.11', '52:54:00:03:01:01', 'tap030101'],
      ['vm2', 'hv2', '10.202.24.12', '52:54:00:03:02:02', '030202'],
    ]);
    assert.deepEqual(p.rootLinks, ['hsl3-jump', 'hsl3-hv1']);
    assert.equal(p.jump.mgmtAddress, '10.202.25.2');
    assert.equal(p.vms[0].ip6, null);
    assert.deepEqual(planLab(12, { net48: 'fd00:202' }).vms.map((v) => v.ip6), ['fd00:202:c::101', 'fd00:202:c::102']);
  });

  it('every interface name fits 15 chars and avoids vnet/macvtap; addresses and names are unique, at any scale', () => {
    for (const id of [0, maxLabId]) {
      const p = planLab(id, { prefix: 'abcdef', net16: '10.250', hosts: 9, vmsPerHost: 20, behindJump: ['hv2', 'hv9'] });
      for (const l of p.links) {
        for (const n of [l.name, l.peerName]) {
          assert.ok(n.length <= 15, n);
          assert.doesNotMatch(n, /^(vnet|macvtap)/);
        }
      }
      const addrs = [p.jump.mgmtAddress, p.jump.mgmtPeerAddress, ...p.hosts.flatMap((h) => [h.mgmtAddress, h.mgmtPeerAddress, h.dataAddress]), ...p.vms.map((v) => v.ip)];
      assert.equal(new Set(addrs).size, addrs.length);
      assert.ok(addrs.every((a) => a?.startsWith('10.250.')));
      assert.equal(new Set(p.namespaces).size, p.namespaces.length);
      assert.equal(new Set(p.vms.map((v) => v.mac)).size, p.vms.length);
      const perNs = new Map<string, string[]>();
      for (const l of p.links) for (const [ns, n] of [[l.ns, l.name], [l.peerNs, l.peerName]]) perNs.set(ns, [...(perNs.get(ns) ?? []), n]);
      for (const [ns, names] of perNs) assert.equal(new Set(names).size, names.length, `duplicate link name in ${ns || 'root'}`);
    }
  });

  it('two ids never share an address', () => {
    const all = [0, 1, 2, maxLabId].flatMap((id) => { const p = planLab(id); return [...p.vms.map((v) => v.ip), ...p.hosts.map((h) => h.mgmtAddress), p.jump.mgmtAddress]; });
    assert.equal(new Set(all).size, all.length);
  });

  it('rejects bad options with a clear error', () => {
    assert.throws(() => planLab(maxLabId + 1), /out of range/);
    assert.throws(() => planLab(0, { prefix: 'Bad-prefix' }), /prefix/);
    assert.throws(() => planLab(0, { net16: '10.202.0' }), /net16/);
    assert.throws(() => planLab(0, { behindJump: ['hv7'] }), /unknown host hv7/);
    assert.throws(() => planLab(0, { hosts: 10 }), /hosts must be/);
    assert.throws(() => planLab(0, { net48: 'fd00:202::' }), /net48/);
    assert.throws(() => planLab(0, { sshdExtraConfig: ['Port 22\nPermitEmptyPasswords yes'] }), /one directive/);
  });
});
