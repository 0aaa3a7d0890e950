/** Bridge port lists (`brctl show`, `bridge -j link`) and libvirt nwfilter XML, on real output. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBrctlShow } from '../../src/core/discovery/parseBrctlShow';
import { parseBridgeLinkJson } from '../../src/core/discovery/parseBridgeLinkJson';
import { parseVirshNwfilterXml } from '../../src/core/discovery/parseVirshNwfilterXml';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import { discoveryFixture } from './discoveryFixtures';

describe('parseBrctlShow', () => {
  it('reads a real multi-line port list', () => {
    assert.deepEqual(parseBrctlShow(discoveryFixture('netns/brctl-show.txt')), [
      { name: 'hsvbr0', bridgeId: '8000.02000acb0101', stp: false, ports: [{ name: '021f00' }, { name: 'hsvup0' }, { name: 'tap0a1b2c' }] },
    ]);
  });
  it('reads the field report layout (spaces, not tabs) and a bridge without ports', () => {
    const seed = 'bridge name bridge id STP enabled interfaces\neth0.700 8000.6c92bf2c621e no vlan.700\n 021f00\nvirbr0 8000.525400aabbcc yes\n';
    assert.deepEqual(parseBrctlShow(seed), [
      { name: 'eth0.700', bridgeId: '8000.6c92bf2c621e', stp: false, ports: [{ name: 'vlan.700' }, { name: '021f00' }] },
      { name: 'virbr0', bridgeId: '8000.525400aabbcc', stp: true, ports: [] },
    ]);
  });
  it('empty output is no bridges; garbage throws DiscoveryParseError naming brctl', () => {
    assert.deepEqual(parseBrctlShow(''), []);
    const isBrctl = (e: unknown): boolean => e instanceof DiscoveryParseError && e.source === 'brctl';
    assert.throws(() => parseBrctlShow('sh: 1: brctl: not found'), isBrctl);
    assert.throws(() => parseBrctlShow('bridge name\tbridge id\tSTP enabled\tinterfaces\nbr0 zzz no eth0\n'), isBrctl);
    assert.throws(() => parseBrctlShow('bridge name\tbridge id\tSTP enabled\tinterfaces\n\t\teth0\n'), /continuation/);
  });
});

describe('parseBridgeLinkJson', () => {
  it('groups real `bridge -j link` ports by master with their STP state', () => {
    assert.deepEqual(parseBridgeLinkJson(discoveryFixture('netns/bridge-j-link.json')), [
      { name: 'hsvbr0', ports: [{ name: 'hsvup0', state: 'forwarding' }, { name: '021f00', state: 'forwarding' }, { name: 'tap0a1b2c', state: 'disabled' }] },
    ]);
  });
  it('empty output is no bridges; text output throws', () => {
    assert.deepEqual(parseBridgeLinkJson(''), []);
    assert.throws(() => parseBridgeLinkJson(discoveryFixture('netns/bridge-link.txt')), (e: unknown) => e instanceof DiscoveryParseError && e.source === 'bridge-link');
  });
});

describe('parseVirshNwfilterXml on libvirt 9.0.0 stock filters', () => {
  it('clean-traffic: filterrefs and rules in document order, comments ignored', () => {
    const f = parseVirshNwfilterXml(discoveryFixture('nwfilter/clean-traffic.xml'));
    assert.equal(f.name, 'clean-traffic');
    assert.equal(f.chain, 'root');
    assert.deepEqual(f.entries.map((e) => (e.kind === 'filterref' ? `ref:${e.filter}` : `rule:${e.rule.action}/${e.rule.direction}`)), [
      'ref:no-mac-spoofing', 'ref:no-ip-spoofing', 'rule:accept/out', 'ref:allow-incoming-ipv4', 'ref:no-arp-spoofing',
      'rule:accept/inout', 'ref:no-other-l2-traffic', 'ref:qemu-announce-self',
    ]);
    const rule = f.entries[2];
    assert.ok(rule.kind === 'rule');
    assert.deepEqual(rule.rule, { action: 'accept', direction: 'out', priority: -650, matches: [{ protocol: 'mac', attributes: { protocolid: 'ipv4' } }] });
  });
  it('no-ip-spoofing: chain, priority, $IP variable, a rule without match elements', () => {
    const f = parseVirshNwfilterXml(discoveryFixture('nwfilter/no-ip-spoofing.xml'));
    assert.equal(f.chain, 'ipv4-ip');
    assert.equal(f.priority, -710);
    assert.deepEqual(f.entries, [
      { kind: 'rule', rule: { action: 'return', direction: 'out', priority: 100, matches: [{ protocol: 'ip', attributes: { srcipaddr: '0.0.0.0', protocol: 'udp' } }] } },
      { kind: 'rule', rule: { action: 'return', direction: 'out', priority: 500, matches: [{ protocol: 'ip', attributes: { srcipaddr: '$IP' } }] } },
      { kind: 'rule', rule: { action: 'drop', direction: 'out', priority: 1000, matches: [] } },
    ]);
  });
  it('no-mac-spoofing, no-arp-spoofing and allow-incoming-ipv4 parse', () => {
    assert.deepEqual(parseVirshNwfilterXml(discoveryFixture('nwfilter/no-arp-spoofing.xml')).entries,
      [{ kind: 'filterref', filter: 'no-arp-mac-spoofing' }, { kind: 'filterref', filter: 'no-arp-ip-spoofing' }]);
    const mac = parseVirshNwfilterXml(discoveryFixture('nwfilter/no-mac-spoofing.xml'));
    assert.equal(mac.chain, 'mac');
    assert.ok(mac.entries.length >= 2);
    assert.equal(parseVirshNwfilterXml(discoveryFixture('nwfilter/allow-incoming-ipv4.xml')).name, 'allow-incoming-ipv4');
  });
  it('virsh output with a uuid (as nwfilter-dumpxml prints) keeps the uuid', () => {
    const f = parseVirshNwfilterXml("<filter name='no-arp-spoofing' chain='root'>\n  <uuid>8c2059f9-d00f-4d1d-b96e-69e7d2b41c0f</uuid>\n  <filterref filter='no-arp-mac-spoofing'/>\n</filter>\n");
    assert.equal(f.uuid, '8c2059f9-d00f-4d1d-b96e-69e7d2b41c0f');
    assert.equal(f.entries.length, 1);
  });
  it('the test driver\'s refusal, empty output and a nameless filter throw DiscoveryParseError', () => {
    const isNw = (e: unknown): boolean => e instanceof DiscoveryParseError && e.source === 'virsh-nwfilter';
    assert.throws(() => parseVirshNwfilterXml(discoveryFixture('virsh/error-nwfilter-unsupported.txt')), isNw);
    assert.throws(() => parseVirshNwfilterXml(''), isNw);
    assert.throws(() => parseVirshNwfilterXml('<filter chain="root"/>'), /no name/);
  });
});
