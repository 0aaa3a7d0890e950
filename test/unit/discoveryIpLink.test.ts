/**
 * `ip -j -d link` / `ip -j addr` parsers on real output captured by makeFixtures.sh from a namespace
 * with a bridge, veths, a tap, a tun, a vxlan, a macvtap, a macvlan and a down link; expectations are
 * what the script created.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpLinkJson } from '../../src/core/discovery/parseIpLinkJson';
import { parseIpAddrJson } from '../../src/core/discovery/parseIpAddrJson';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import type { HostLink } from '../../src/core/discovery/hostInventory';
import { discoveryFixture } from './discoveryFixtures';

const links = parseIpLinkJson(discoveryFixture('netns/ip-j-d-link.json'));
const byName = (name: string): HostLink => {
  const l = links.find((x) => x.name === name);
  assert.ok(l, `link ${name} found`);
  return l;
};

describe('parseIpLinkJson on a real namespace', () => {
  it('finds every link the script created', () => {
    assert.deepEqual(links.map((l) => l.name).sort(), [
      '021f00', 'hsvbr0', 'hsvdown0', 'hsvdown0p', 'hsvup0', 'hsvup1', 'lo', 'mvl0', 'mvt0', 'tap0a1b2c', 'tun0', 'vxlan100',
    ]);
  });

  it('classifies kinds, including a tap (tun in tap mode) apart from a tun', () => {
    const kinds = Object.fromEntries(links.map((l) => [l.name, l.kind]));
    assert.deepEqual(kinds, {
      lo: 'loopback', hsvbr0: 'bridge', hsvup0: 'veth', hsvup1: 'veth', '021f00': 'veth', tap0a1b2c: 'tap',
      tun0: 'tun', vxlan100: 'vxlan', mvt0: 'macvtap', mvl0: 'macvlan', hsvdown0p: 'veth', hsvdown0: 'veth',
    });
  });

  it('derives link states: up, no-carrier (tap without a process, veth whose peer is down), down, and UNKNOWN+LOWER_UP as up', () => {
    assert.equal(byName('hsvbr0').state, 'up');
    assert.equal(byName('021f00').state, 'up');
    assert.equal(byName('tap0a1b2c').state, 'no-carrier');
    assert.equal(byName('tap0a1b2c').operState, 'DOWN');
    assert.equal(byName('tun0').state, 'no-carrier');
    assert.equal(byName('hsvdown0').state, 'no-carrier');
    assert.equal(byName('hsvdown0').operState, 'LOWERLAYERDOWN');
    assert.equal(byName('hsvdown0p').state, 'down');
    assert.equal(byName('lo').state, 'up');
    assert.equal(byName('vxlan100').state, 'up');
    assert.equal(byName('vxlan100').operState, 'UNKNOWN');
  });

  it('reads master, slave kind, mtu and MAC', () => {
    for (const port of ['hsvup0', '021f00', 'tap0a1b2c']) {
      assert.equal(byName(port).master, 'hsvbr0', port);
      assert.equal(byName(port).slaveKind, 'bridge', port);
    }
    assert.equal(byName('hsvup1').master, undefined);
    assert.equal(byName('vxlan100').mtu, 1450);
    assert.equal(byName('lo').mtu, 65536);
    assert.equal(byName('hsvbr0').mtu, 1500);
    assert.equal(byName('021f00').mac, 'fe:16:3e:02:1f:00');
    assert.equal(byName('tap0a1b2c').mac, 'fe:54:00:12:34:56');
    assert.equal(byName('mvt0').mac, '52:54:00:aa:bb:cc');
    assert.equal(byName('tun0').mac, undefined, 'a point-to-point tun has no MAC');
  });

  it('reads lower links, the peer netns id of veths, and vxlan parameters', () => {
    assert.equal(byName('mvt0').lowerLink, 'hsvup1');
    assert.equal(byName('mvl0').lowerLink, 'hsvup1');
    assert.equal(typeof byName('021f00').linkNetnsId, 'number');
    assert.equal(typeof byName('hsvup0').linkNetnsId, 'number');
    assert.notEqual(byName('021f00').linkNetnsId, byName('hsvup0').linkNetnsId, 'the VM and the switch are different namespaces');
    assert.equal(byName('hsvdown0').linkNetnsId, undefined);
    assert.deepEqual(byName('vxlan100').vxlan, { id: 100, local: '10.203.1.1', port: 4789, device: 'hsvbr0' });
  });

  it('classifies the machine NIC (parentbus virtio) as physical', () => {
    const [eth0] = parseIpLinkJson(discoveryFixture('netns/root-eth0-ip-j-d-link.json'));
    assert.equal(eth0.kind, 'physical');
    assert.equal(eth0.parentBus, 'virtio');
    assert.equal(eth0.state, 'up');
  });
});

describe('parseIpLinkJson on transcribed bond/VLAN/OVS output (this kernel has no bonding, 8021q or openvswitch modules)', () => {
  const t = parseIpLinkJson(discoveryFixture('transcribed/ip-j-d-link-bond-vlan-ovs.json'));
  const k = (n: string): HostLink => t.find((l) => l.name === n) as HostLink;
  it('reads bond, bond slaves, VLAN id and parent, OVS datapath and internal port, altnames', () => {
    assert.equal(k('bond0').kind, 'bond');
    assert.equal(k('eno1').kind, 'physical');
    assert.equal(k('eno1').master, 'bond0');
    assert.equal(k('eno1').slaveKind, 'bond');
    assert.deepEqual(k('eno1').altNames, ['enp3s0f0']);
    assert.equal(k('bond0.700').kind, 'vlan');
    assert.deepEqual(k('bond0.700').vlan, { id: 700, parent: 'bond0', protocol: '802.1Q' });
    assert.equal(k('ovs-system').kind, 'openvswitch');
    assert.equal(k('br-int').kind, 'openvswitch');
    assert.equal(k('tapb5e0f6a2-3c').kind, 'tap');
    assert.equal(k('tapb5e0f6a2-3c').master, 'ovs-system');
    assert.equal(k('tapb5e0f6a2-3c').slaveKind, 'openvswitch');
  });
});

describe('parseIpAddrJson on a real namespace', () => {
  const addrs = parseIpAddrJson(discoveryFixture('netns/ip-j-addr.json'));
  it('reads v4 and v6 addresses with prefix and scope', () => {
    assert.deepEqual(addrs.get('hsvbr0')?.filter((a) => a.scope === 'global'), [
      { family: 'inet', local: '10.203.1.1', prefixLen: 24, scope: 'global' },
      { family: 'inet6', local: 'fd00:203:1::1', prefixLen: 64, scope: 'global' },
    ]);
    assert.deepEqual(addrs.get('lo')?.map((a) => a.local), ['127.0.0.1', '::1']);
    assert.deepEqual(addrs.get('tap0a1b2c'), []);
    assert.equal(addrs.size, 12);
  });
});

describe('ip -j parsers on bad input', () => {
  it('empty output is an empty list', () => {
    assert.deepEqual(parseIpLinkJson(''), []);
    assert.deepEqual(parseIpLinkJson('  \n'), []);
    assert.equal(parseIpAddrJson('').size, 0);
  });
  it('text where JSON was expected (old iproute2 ignoring -j) throws DiscoveryParseError naming the source', () => {
    const text = discoveryFixture('netns/ip-d-link.txt');
    assert.throws(() => parseIpLinkJson(text), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ip-link' && /not JSON/.test(e.message));
    assert.throws(() => parseIpAddrJson('Object "addr" is unknown'), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ip-addr');
  });
  it('JSON of the wrong shape throws, never crashes', () => {
    assert.throws(() => parseIpLinkJson('{"ifname":"x"}'), DiscoveryParseError);
    assert.throws(() => parseIpLinkJson('[1,2]'), DiscoveryParseError);
    assert.throws(() => parseIpLinkJson('[{"ifname":"x"}]'), /no ifname\/ifindex/);
    assert.throws(() => parseIpLinkJson('[{"ifname":"x","ifindex":1'), DiscoveryParseError);
  });
});
