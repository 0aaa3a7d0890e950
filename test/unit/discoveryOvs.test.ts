/**
 * Open vSwitch parsers on real output of ovs-vswitchd 3.1 running in user space (netdev datapath)
 * in a namespace (makeFixtures.sh), plus one transcribed Neutron-style `ovs-vsctl show`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOvsVsctlShow } from '../../src/core/discovery/parseOvsVsctlShow';
import { parseOvsListBr, parseOvsListPorts } from '../../src/core/discovery/parseOvsNameList';
import { parseOvsFdbShow } from '../../src/core/discovery/parseOvsFdbShow';
import { parseOvsInterfaceJson } from '../../src/core/discovery/parseOvsInterfaceJson';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import { discoveryFixture } from './discoveryFixtures';

describe('parseOvsVsctlShow', () => {
  it('reads real output: bridges, fail mode, datapath type, ports with tags, interface types, options, errors', () => {
    const show = parseOvsVsctlShow(discoveryFixture('ovs/ovs-vsctl-show.txt'));
    assert.match(show.uuid ?? '', /^[0-9a-f-]{36}$/);
    // ovs-vsctl prints bridges and ports in hash order: compare as sets.
    assert.deepEqual(show.bridges.map((b) => b.name).sort(), ['br-ex', 'br-int']);
    const brInt = show.bridges.find((b) => b.name === 'br-int');
    assert.ok(brInt);
    assert.equal(brInt.failMode, 'secure');
    assert.equal(brInt.datapathType, 'netdev');
    assert.deepEqual(brInt.ports.map((p) => [p.name, p.tag ?? 0]).sort(), [['br-int', 0], ['patch-tun', 0], ['tap77c1d2e3-4f', 1], ['tapb5e0f6a2-3c', 1]]);
    const patch = brInt.ports.find((p) => p.name === 'patch-tun')?.interfaces[0];
    assert.deepEqual(patch, { name: 'patch-tun', type: 'patch', options: { peer: 'patch-int' }, error: "No usable peer 'patch-int' exists in 'netdev' datapath." });
    assert.deepEqual(brInt.ports.find((p) => p.name === 'br-int')?.interfaces, [{ name: 'br-int', type: 'internal' }]);
    assert.equal(show.bridges.find((b) => b.name === 'br-ex')?.failMode, undefined);
  });

  it('reads a transcribed Neutron compute node: manager, controllers, vxlan options with quotes, ovs_version', () => {
    const show = parseOvsVsctlShow(discoveryFixture('transcribed/ovs-vsctl-show-neutron.txt'));
    assert.equal(show.version, '2.17.9');
    assert.deepEqual(show.bridges.map((b) => b.name), ['br-tun', 'br-int']);
    assert.deepEqual(show.bridges[0].controllers, ['tcp:127.0.0.1:6633']);
    const vx = show.bridges[0].ports[2].interfaces[0];
    assert.equal(vx.type, 'vxlan');
    assert.equal(vx.options?.remote_ip, '10.0.11.2');
    assert.equal(vx.options?.in_key, 'flow');
    assert.equal(vx.options?.df_default, 'true');
  });

  it('empty output is no bridges; an error message throws DiscoveryParseError', () => {
    assert.deepEqual(parseOvsVsctlShow(''), { bridges: [] });
    assert.throws(() => parseOvsVsctlShow(discoveryFixture('ovs/error-no-db.txt')), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ovs-vsctl-show');
    assert.throws(() => parseOvsVsctlShow('1f6c9d2e-8a4b-4c3d-9e2f-0a1b2c3d4e5f\n        Port x\n'), /outside any bridge/);
  });
});

describe('parseOvsListBr / parseOvsListPorts', () => {
  it('reads real output', () => {
    assert.deepEqual(parseOvsListBr(discoveryFixture('ovs/ovs-vsctl-list-br.txt')), ['br-ex', 'br-int']);
    assert.deepEqual(parseOvsListPorts(discoveryFixture('ovs/ovs-vsctl-list-ports-br-int.txt')), ['patch-tun', 'tap77c1d2e3-4f', 'tapb5e0f6a2-3c']);
    assert.deepEqual(parseOvsListBr(''), []);
  });
  it('an error message is not a list of names', () => {
    assert.throws(() => parseOvsListBr(discoveryFixture('ovs/error-no-db.txt')), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ovs-list-br');
    assert.throws(() => parseOvsListPorts('ovs-vsctl: no bridge named br-foo'), DiscoveryParseError);
  });
});

describe('parseOvsFdbShow', () => {
  it('reads the MACs learned from real traffic between two VM ports on VLAN 1', () => {
    const fdb = parseOvsFdbShow(discoveryFixture('ovs/ovs-appctl-fdb-show-br-int.txt'));
    assert.deepEqual(fdb.map((e) => [e.port, e.vlan, e.mac]).sort(), [['1', 1, 'fa:16:3e:56:0b:6f'], ['2', 1, 'fa:16:3e:11:22:33']]);
    assert.ok(fdb.every((e) => e.ageSeconds >= 0 && e.ageSeconds < 300));
  });
  it('reads LOCAL and static rows; empty output; garbage throws', () => {
    assert.deepEqual(parseOvsFdbShow(' port  VLAN  MAC                Age\nLOCAL     0  6e:75:09:fb:3c:28   12\n    3   100  fa:16:3e:aa:bb:cc  static\n'), [
      { port: 'LOCAL', vlan: 0, mac: '6e:75:09:fb:3c:28', ageSeconds: 12 },
      { port: '3', vlan: 100, mac: 'fa:16:3e:aa:bb:cc', ageSeconds: -1 },
    ]);
    assert.deepEqual(parseOvsFdbShow(''), []);
    assert.throws(() => parseOvsFdbShow('no such bridge\novs-appctl: ovs-vswitchd: server returned an error'), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ovs-fdb');
    assert.throws(() => parseOvsFdbShow(' port  VLAN  MAC                Age\n    1     1  not-a-mac    0\n'), /unexpected row/);
  });
});

describe('parseOvsInterfaceJson', () => {
  it('reads ofport, type, external_ids (iface-id, attached-mac, vm-uuid), options, error, mac_in_use', () => {
    const ifs = parseOvsInterfaceJson(discoveryFixture('ovs/ovs-vsctl-list-interface.json'));
    const tap = ifs.find((i) => i.name === 'tapb5e0f6a2-3c');
    assert.equal(tap?.ofport, 1);
    assert.equal(tap?.type, undefined);
    assert.equal(tap?.mac, 'fe:16:3e:56:0b:6f');
    assert.deepEqual(tap?.externalIds, {
      'attached-mac': 'fa:16:3e:56:0b:6f', 'iface-id': 'b5e0f6a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      'iface-status': 'active', 'vm-uuid': '3f1c9a52-7d0e-4b6a-9c1e-2d4f5a6b7c8d',
    });
    const patch = ifs.find((i) => i.name === 'patch-tun');
    assert.equal(patch?.type, 'patch');
    assert.deepEqual(patch?.options, { peer: 'patch-int' });
    assert.match(patch?.error ?? '', /No usable peer/);
    assert.equal(ifs.find((i) => i.name === 'br-int')?.ofport, 65534);
    assert.equal(ifs.length, 5);
  });
  it('empty output is none; text or wrong JSON throws', () => {
    assert.deepEqual(parseOvsInterfaceJson(''), []);
    assert.throws(() => parseOvsInterfaceJson(discoveryFixture('ovs/error-no-db.txt')), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ovs-interface');
    assert.throws(() => parseOvsInterfaceJson('[]'), /headings/);
  });
});
