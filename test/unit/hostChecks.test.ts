/** Host checks: nwfilter expansion and verdicts on libvirt's stock filters, ebtables listings, ip -s -j counters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVirshNwfilterXml } from '../../src/core/discovery/parseVirshNwfilterXml';
import type { NwfilterDefinition } from '../../src/core/discovery/hostInventory';
import { expandNwfilter } from '../../src/core/hostChecks/expandNwfilter';
import { nwfilterVerdictForFrame, type NwfilterFrame } from '../../src/core/hostChecks/nwfilterVerdict';
import { buildEbtablesListCommand, ebtablesCounterGrowth, parseEbtablesList } from '../../src/core/hostChecks/parseEbtablesList';
import { buildIpStatsCommand, diffInterfaceCounters, parseIpStatsJson } from '../../src/core/hostChecks/interfaceCounters';
import { HostCheckParseError } from '../../src/core/hostChecks/hostCheckParseError';
import { discoveryFixtureDir } from './discoveryFixtures';

const stock = new Map<string, NwfilterDefinition>();
for (const f of readdirSync(join(discoveryFixtureDir, 'nwfilter')).filter((n) => n.endsWith('.xml'))) {
  const def = parseVirshNwfilterXml(readFileSync(join(discoveryFixtureDir, 'nwfilter', f), 'utf8'));
  stock.set(def.name, def);
}
const VM_IP = '10.210.9.200';
const VM_MAC = '52:54:00:12:34:56';
const VIP = '10.210.9.100';
const expanded = expandNwfilter('clean-traffic', [{ name: 'IP', value: VM_IP }, { name: 'MAC', value: VM_MAC }], (n) => stock.get(n));

test('clean-traffic expands through no-mac/no-ip/no-arp-spoofing with $IP and $MAC substituted', () => {
  const ipRules = expanded.rules.filter((r) => r.filter === 'no-ip-spoofing');
  assert.deepEqual(ipRules.map((r) => [r.chain, r.action, r.priority, r.matches[0]?.attributes.srcipaddr]),
    [['ipv4-ip', 'return', 100, '0.0.0.0'], ['ipv4-ip', 'return', 500, VM_IP], ['ipv4-ip', 'drop', 1000, undefined]]);
  assert.deepEqual(ipRules[1].path, ['clean-traffic', 'no-ip-spoofing']);
  const macRule = expanded.rules.find((r) => r.filter === 'no-mac-spoofing' && r.action === 'return');
  assert.equal(macRule?.matches[0].attributes.srcmacaddr, VM_MAC);
  assert.ok(!expanded.rules.some((r) => r.matches.some((m) => Object.values(m.attributes).some((v) => v.includes('$')))), 'no $VAR left');
  // Chains in libvirt's order: root, mac (-800), ipv4-ip (-710), ipv4 (allow-incoming-ipv4, -700) — the seed's I-/O-vnet0 chains.
  assert.deepEqual(expanded.chains.map((c) => c.name), ['root', 'mac', 'ipv4-ip', 'ipv4']);
  // Filters the fixture set lacks are reported, not silently ignored.
  assert.deepEqual(expanded.unresolved.sort(), ['no-arp-ip-spoofing', 'no-arp-mac-spoofing', 'no-other-l2-traffic', 'qemu-announce-self']);
  assert.deepEqual(expanded.cycles, []);
});

test('several IP values instantiate the $IP rule once each; a missing variable is reported', () => {
  const two = expandNwfilter('no-ip-spoofing', [{ name: 'IP', value: VM_IP }, { name: 'IP', value: VIP }], (n) => stock.get(n));
  assert.deepEqual(two.rules.filter((r) => r.priority === 500).map((r) => r.matches[0].attributes.srcipaddr), [VM_IP, VIP]);
  const none = expandNwfilter('no-ip-spoofing', [], (n) => stock.get(n));
  assert.deepEqual(none.unboundVariables, ['IP']);
  assert.equal(none.rules.length, 2);
});

test('filterref cycles are cut and reported', () => {
  const a: NwfilterDefinition = { name: 'a', entries: [{ kind: 'filterref', filter: 'b' }, { kind: 'rule', rule: { action: 'accept', direction: 'out', matches: [] } }] };
  const b: NwfilterDefinition = { name: 'b', entries: [{ kind: 'filterref', filter: 'a' }] };
  const r = expandNwfilter('a', [], (n) => (n === 'a' ? a : n === 'b' ? b : undefined));
  assert.deepEqual(r.cycles, ['a > b > a']);
  assert.equal(r.rules.length, 1);
});

const frame = (over: Partial<NwfilterFrame>): NwfilterFrame => ({ direction: 'out', srcMac: VM_MAC, etherType: 0x0800, srcIp: VM_IP, dstIp: '10.210.9.1', ipProtocol: 6, ...over });

test('LVS DR: a reply sourced from the VIP is dropped by no-ip-spoofing; the VM\'s own IP passes', () => {
  const dr = nwfilterVerdictForFrame(expanded, frame({ srcIp: VIP }));
  assert.equal(dr.verdict, 'drop');
  assert.equal(dr.rule?.filter, 'no-ip-spoofing');
  assert.equal(dr.rule?.priority, 1000);
  const ok = nwfilterVerdictForFrame(expanded, frame({}));
  assert.equal(ok.verdict, 'accept');
  assert.equal(ok.rule?.filter, 'clean-traffic');
  // Adding the VIP as a second IP parameter (the fix) lets the DR reply through.
  const fixed = expandNwfilter('clean-traffic', [{ name: 'IP', value: VM_IP }, { name: 'IP', value: VIP }, { name: 'MAC', value: VM_MAC }], (n) => stock.get(n));
  assert.equal(nwfilterVerdictForFrame(fixed, frame({ srcIp: VIP })).verdict, 'accept');
});

test('a spoofed source MAC is dropped by no-mac-spoofing; DHCP from 0.0.0.0 is let through; incoming IPv4 is accepted', () => {
  const mac = nwfilterVerdictForFrame(expanded, frame({ srcMac: '52:54:00:99:99:99' }));
  assert.equal(mac.rule?.filter, 'no-mac-spoofing');
  assert.equal(mac.verdict, 'drop');
  assert.equal(nwfilterVerdictForFrame(expanded, frame({ srcIp: '0.0.0.0', ipProtocol: 17 })).verdict, 'accept');
  const incoming = nwfilterVerdictForFrame(expanded, frame({ direction: 'in', srcMac: '52:54:00:aa:aa:aa', srcIp: '192.0.2.1' }));
  assert.equal(incoming.verdict, 'accept');
  assert.equal(incoming.rule?.filter, 'allow-incoming-ipv4');
});

test('ebtables --list of the field report: libvirt chains, rules, matches', () => {
  const l = parseEbtablesList(readFileSync(join(__dirname, '..', 'fixtures', 'hostChecks', 'ebtables-nat-seed.txt'), 'utf8'));
  assert.equal(l.table, 'nat');
  assert.deepEqual(l.chains.map((c) => c.name), ['PREROUTING', 'OUTPUT', 'POSTROUTING', 'libvirt-I-vnet0', 'libvirt-O-vnet0', 'I-vnet0-mac', 'I-vnet0-ipv4-ip', 'O-vnet0-ipv4']);
  const pre = l.chains[0].rules[0];
  assert.deepEqual([pre.inIface, pre.target], ['vnet0', 'libvirt-I-vnet0']);
  const ip = l.chains.find((c) => c.name === 'I-vnet0-ipv4-ip');
  assert.deepEqual(ip?.rules.map((r) => [r.protocol, r.ipSrc, r.ipProto, r.target]),
    [['IPv4', '0.0.0.0', 'udp', 'RETURN'], ['IPv4', 'x.y.z.200', undefined, 'RETURN'], [undefined, undefined, undefined, 'DROP']]);
  assert.equal(l.chains.find((c) => c.name === 'I-vnet0-mac')?.rules[0].srcMac, '2:0:73:b6:53:c8');
  assert.deepEqual(l.warnings, ['chain I-vnet0-mac says 1 entries but lists 2 rules']);
});

test('ebtables --Lc counters (transcribed layout): the DROP that grew is found', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'hostChecks', 'ebtables-nat-counters.txt'), 'utf8');
  const after = parseEbtablesList(text);
  const drop = after.chains.find((c) => c.name === 'I-vnet0-ipv4-ip')?.rules[2];
  assert.deepEqual([drop?.target, drop?.packets, drop?.bytes], ['DROP', 123, 10570]);
  const before = parseEbtablesList(text.replace('pcnt = 123 -- bcnt = 10570', 'pcnt = 100 -- bcnt = 8600'));
  const grew = ebtablesCounterGrowth(before, after);
  assert.deepEqual(grew.map((g) => [g.chain, g.rule.target, g.packets, g.bytes]), [['I-vnet0-ipv4-ip', 'DROP', 23, 1970]]);
  assert.equal(buildEbtablesListCommand(), "ebtables -t 'nat' -L --Lc");
  assert.throws(() => buildEbtablesListCommand('nat; reboot'), /unknown ebtables table/);
  assert.throws(() => parseEbtablesList('-j DROP\n'), HostCheckParseError);
});

test('ip -s -s -j link: counters parsed; bad input gives a clear error; the command is quoted and validated', () => {
  const json = '[{"ifindex":1,"ifname":"vnet0","stats64":{"rx":{"bytes":100,"packets":2,"errors":0,"dropped":1,"over_errors":0,"multicast":0,"missed_errors":3},"tx":{"bytes":50,"packets":1,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0}}}]';
  const [c] = parseIpStatsJson(json);
  assert.deepEqual([c.ifname, c.rxPackets, c.rxBytes, c.rxDropped, c.rxMissed, c.txPackets], ['vnet0', 2, 100, 1, 3, 1]);
  const later = { ...c, rxPackets: 12, rxDropped: 4, txPackets: 0 };
  const d = diffInterfaceCounters(c, later);
  assert.deepEqual([d.delta.rxPackets, d.delta.rxDropped, d.problems, d.wrapped], [10, 3, ['rxDropped'], ['txPackets']]);
  assert.throws(() => parseIpStatsJson('3: vnet0: <BROADCAST>'), /not JSON/);
  assert.throws(() => parseIpStatsJson('[{"ifname":"x"}]'), /no statistics/);
  assert.equal(buildIpStatsCommand('vnet0'), "ip -s -s -j link show dev 'vnet0'");
  assert.throws(() => buildIpStatsCommand('vnet0; rm -rf /'));
});
