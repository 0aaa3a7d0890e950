/**
 * virsh parsers on real output of libvirt's test driver (virsh/node.xml), plus one transcribed
 * inactive domain: the test driver invents `testnetN` targets for shut-off domains, real qemu does not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseVirshList } from '../../src/core/discovery/parseVirshList';
import { parseVirshDomainXml } from '../../src/core/discovery/parseVirshDomainXml';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import { discoveryFixture } from './discoveryFixtures';

describe('parseVirshList on real test-driver output', () => {
  it('reads ids, names with spaces and "shut off"', () => {
    assert.deepEqual(parseVirshList(discoveryFixture('virsh/list-all.txt')), [
      { id: 1, name: 'r2-10105', state: 'running' },
      { id: 2, name: 'instance-0000002a', state: 'running' },
      { name: 'db backup vm', state: 'shut off' },
    ]);
  });
  it('an empty list (header only) is no VMs; empty output is no VMs', () => {
    assert.deepEqual(parseVirshList(' Id   Name   State\n--------------------\n\n'), []);
    assert.deepEqual(parseVirshList(''), []);
  });
  it('a name that ends like a state word keeps its words; an unknown state is kept as unknown', () => {
    assert.deepEqual(parseVirshList(' Id   Name          State\n----------------------------\n 3    turn it off   paused\n 4    vm9           hibernating\n'), [
      { id: 3, name: 'turn it off', state: 'paused' },
      { id: 4, name: 'vm9', state: 'unknown' },
    ]);
  });
  it('an error message instead of a list throws DiscoveryParseError naming virsh-list', () => {
    const err = discoveryFixture('virsh/error-missing-node.txt');
    assert.throws(() => parseVirshList(err), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'virsh-list');
    assert.throws(() => parseVirshList(' Id Name State\n---\n x y\n'), /unexpected line/);
  });
});

describe('parseVirshDomainXml on real test-driver output', () => {
  it('reads a bridge vNIC with target dev, MAC, model and clean-traffic filterref parameters (repeated IP kept)', () => {
    const vm = parseVirshDomainXml(discoveryFixture('virsh/dumpxml-r2-10105.xml'));
    assert.equal(vm.name, 'r2-10105');
    assert.equal(vm.uuid, '6695eb01-f6a4-8304-79aa-97f2502e193f');
    assert.equal(vm.active, true);
    assert.equal(vm.id, 1);
    assert.equal(vm.vnics.length, 3);
    const [br, net, direct] = vm.vnics;
    assert.equal(br.type, 'bridge');
    assert.equal(br.targetDev, '021f00');
    assert.equal(br.mac, '00:16:3e:02:1f:00');
    assert.equal(br.sourceBridge, 'hsvbr0');
    assert.equal(br.model, 'virtio');
    assert.equal(br.filterRef?.filter, 'clean-traffic');
    assert.deepEqual([...(br.filterRef?.parameters ?? [])].sort((a, b) => (a.name + a.value).localeCompare(b.name + b.value)), [
      { name: 'CTRL_IP_LEARNING', value: 'none' },
      { name: 'IP', value: '10.203.1.200' },
      { name: 'IP', value: '10.203.1.201' },
    ]);
    assert.deepEqual(net, { type: 'network', mac: '52:54:00:12:34:56', sourceNetwork: 'default', targetDev: 'tap0a1b2c', model: 'e1000' });
    assert.deepEqual(direct, { type: 'direct', mac: '52:54:00:aa:bb:cc', sourceDev: 'hsvup1', sourceMode: 'bridge', targetDev: 'mvt0', model: 'virtio' });
  });

  it('reads OpenStack-style XML: nova: metadata name, openvswitch virtualport interfaceid, mtu, link state', () => {
    const vm = parseVirshDomainXml(discoveryFixture('virsh/dumpxml-instance-0000002a.xml'));
    assert.equal(vm.name, 'instance-0000002a');
    assert.equal(vm.displayName, 'web server 1');
    assert.deepEqual(vm.novaPorts, [{ uuid: 'b5e0f6a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b', ips: ['10.203.2.15'] }]);
    assert.deepEqual(vm.vnics, [{
      type: 'bridge', mac: 'fa:16:3e:56:0b:6f', sourceBridge: 'br-int', targetDev: 'tapb5e0f6a2-3c', model: 'virtio',
      linkState: 'up', mtu: 1450, virtualPort: { type: 'openvswitch', interfaceId: 'b5e0f6a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    }]);
  });

  it('finds Nova metadata by namespace URI whatever its prefix, beside other namespaced metadata', () => {
    const xml = `<domain type='kvm'><name>instance-1</name><metadata>
      <app:x xmlns:app="http://example.invalid/app"><app:name>not this</app:name></app:x>
      <n:instance xmlns:n="http://openstack.org/xmlns/libvirt/nova/1.0"><n:name>vm one</n:name>
        <n:ports><n:port uuid="p1"><n:ip type="fixed" address="10.203.3.4" ipVersion="4"/><n:ip type="fixed" address="fd00:203::4" ipVersion="6"/></n:port></n:ports>
      </n:instance></metadata><devices/></domain>`;
    const vm = parseVirshDomainXml(xml);
    assert.equal(vm.displayName, 'vm one');
    assert.deepEqual(vm.novaPorts, [{ uuid: 'p1', ips: ['10.203.3.4', 'fd00:203::4'] }]);
    assert.deepEqual(vm.vnics, []);
  });

  it('a shut-off domain is inactive (no id); its inactive XML has no target dev', () => {
    const live = parseVirshDomainXml(discoveryFixture('virsh/dumpxml-db-backup-vm.xml'));
    assert.equal(live.active, false);
    assert.equal(live.id, undefined);
    const inactive = parseVirshDomainXml(discoveryFixture('transcribed/dumpxml-db-backup-vm-inactive.xml'));
    assert.equal(inactive.name, 'db backup vm');
    assert.equal(inactive.vnics[0].targetDev, undefined);
    assert.equal(inactive.vnics[0].linkState, 'down');
    assert.deepEqual(inactive.vnics[0].filterRef, { filter: 'clean-traffic', parameters: [] });
  });

  it('garbage, empty output, wrong root and a nameless domain throw DiscoveryParseError', () => {
    const isXmlErr = (e: unknown): boolean => e instanceof DiscoveryParseError && e.source === 'virsh-dumpxml';
    assert.throws(() => parseVirshDomainXml(''), isXmlErr);
    assert.throws(() => parseVirshDomainXml('error: failed to get domain \'x\''), isXmlErr);
    assert.throws(() => parseVirshDomainXml('<domain><name>x</name>'), isXmlErr);
    assert.throws(() => parseVirshDomainXml('<filter name="x"/>'), /no <domain> root/);
    assert.throws(() => parseVirshDomainXml('<domain type="kvm"><devices/></domain>'), /no <name>/);
  });
});
