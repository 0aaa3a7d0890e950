/**
 * Text fallback (`ip -d link`, `ip -o link`, `ip addr` without -j): on the same real namespace it
 * must agree with the JSON parser; plus a transcribed iproute2 4.11 (RHEL 7) listing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpLinkText } from '../../src/core/discovery/parseIpLinkText';
import { parseIpAddrText } from '../../src/core/discovery/parseIpAddrText';
import { parseIpLinkJson } from '../../src/core/discovery/parseIpLinkJson';
import { parseIpAddrJson } from '../../src/core/discovery/parseIpAddrJson';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import type { HostLink } from '../../src/core/discovery/hostInventory';
import { discoveryFixture } from './discoveryFixtures';

const comparable = (l: HostLink): Partial<HostLink> => ({
  name: l.name, ifindex: l.ifindex, kind: l.kind, state: l.state, operState: l.operState, flags: l.flags, mtu: l.mtu,
  mac: l.mac, master: l.master, lowerLink: l.lowerLink, infoKind: l.infoKind, vxlan: l.vxlan, altNames: l.altNames,
});

describe('parseIpLinkText on a real namespace', () => {
  const fromJson = parseIpLinkJson(discoveryFixture('netns/ip-j-d-link.json')).map(comparable);

  it('`ip -d link` text gives the same links as `ip -j -d link`', () => {
    assert.deepEqual(parseIpLinkText(discoveryFixture('netns/ip-d-link.txt')).map(comparable), fromJson);
  });

  it('reads slave kinds and named peer namespaces', () => {
    const links = parseIpLinkText(discoveryFixture('netns/ip-d-link.txt'));
    const port = links.find((l) => l.name === '021f00');
    assert.equal(port?.slaveKind, 'bridge');
    assert.match(port?.linkNetnsName ?? '', /^hsvfx\d+v$/);
  });

  it('`ip -o link` (no -d) gives names, states, masters, mtu and MACs; kinds fall back to physical for Ethernet', () => {
    const oneLine = parseIpLinkText(discoveryFixture('netns/ip-o-link.txt'));
    const pick = (l: HostLink): unknown => [l.name, l.state, l.master, l.mtu, l.mac];
    assert.deepEqual(oneLine.map(pick), fromJson.map((l) => [l.name, l.state, l.master, l.mtu, l.mac]));
    assert.equal(oneLine.find((l) => l.name === 'hsvbr0')?.kind, 'physical', 'without -d a bridge cannot be told apart (documented)');
    assert.equal(oneLine.find((l) => l.name === 'lo')?.kind, 'loopback');
  });

  it('the machine NIC text (parentbus on the link line) reads physical', () => {
    const [eth0] = parseIpLinkText(discoveryFixture('netns/root-eth0-ip-d-link.txt'));
    assert.equal(eth0.kind, 'physical');
    assert.equal(eth0.parentDev, 'virtio2');
    assert.equal(eth0.mtu, 1400);
  });

  it('`ip addr` text gives the same addresses as `ip -j addr`', () => {
    assert.deepEqual(parseIpAddrText(discoveryFixture('netns/ip-addr.txt')), parseIpAddrJson(discoveryFixture('netns/ip-j-addr.json')));
  });
});

describe('parseIpLinkText on transcribed iproute2 4.11 output', () => {
  const links = parseIpLinkText(discoveryFixture('transcribed/ip-d-link-iproute2-4.11.txt'));
  const k = (n: string): HostLink => links.find((l) => l.name === n) as HostLink;
  it('bridge, bridge port, VLAN with parent, and a tun without type (Ethernet → tap)', () => {
    assert.equal(k('br0').kind, 'bridge');
    assert.equal(k('eth0').kind, 'physical');
    assert.equal(k('eth0').master, 'br0');
    assert.equal(k('eth0').slaveKind, 'bridge');
    assert.deepEqual(k('eth0.700').vlan, { id: 700, parent: 'eth0', protocol: '802.1Q' });
    assert.equal(k('vnet0').kind, 'tap');
    assert.equal(k('vnet0').state, 'up');
    assert.equal(k('vnet0').mac, 'fe:00:73:b6:53:c8');
  });
});

describe('ip text parsers on bad input', () => {
  it('empty output is empty; a stray line throws DiscoveryParseError naming the source', () => {
    assert.deepEqual(parseIpLinkText(''), []);
    assert.equal(parseIpAddrText('').size, 0);
    assert.throws(() => parseIpLinkText('Command "link" is unknown, try "ip help".'), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ip-link');
    assert.throws(() => parseIpAddrText('garbage\n'), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'ip-addr');
  });
});
