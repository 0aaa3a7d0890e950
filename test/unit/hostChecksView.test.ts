/**
 * The pure parts of the Hosts tree's host checks and ring inputs: which ebtables/nft/iptables lines
 * concern a device (on listings printed by ebtables-nft 1.8.9 and nft 1.0.6 here), the report layout and
 * the line of the verdict's rule, the tool-failure messages (stderr texts as the tools print them), the
 * frame of a packet, and the ring-capture inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVirshNwfilterXml } from '../../src/core/discovery/parseVirshNwfilterXml';
import type { NwfilterDefinition } from '../../src/core/discovery/hostInventory';
import type { CommandResult } from '../../src/core/discovery/runHostDiscovery';
import { expandNwfilter } from '../../src/core/hostChecks/expandNwfilter';
import { nwfilterVerdictForFrame } from '../../src/core/hostChecks/nwfilterVerdict';
import { parseEbtablesList } from '../../src/core/hostChecks/parseEbtablesList';
import { ebtablesLinesForDevice, iptablesLinesForDevice, mentionsDevice, nftLinesForDevice } from '../../src/core/hostChecks/backendFirewallRules';
import { renderNwfilterReport } from '../../src/core/hostChecks/renderNwfilterReport';
import { HostToolError, runHostTool } from '../../src/core/hostChecks/runHostTool';
import { nwfilterFrameFromPacket } from '../../src/core/hostChecks/nwfilterFrameFromPacket';
import { checkRingField, parseRingMoment, parseRingWindow, RING_FIELDS, ringFieldValue } from '../../src/core/capture/ringCaptureInput';
import { lossAtVnic } from '../../src/core/hostChecks/lossAtVnic';
import { describeCounterDiff } from '../../src/core/hostChecks/interfaceCountersReport';
import { diffInterfaceCounters } from '../../src/core/hostChecks/interfaceCounters';

const stockDir = join(__dirname, '../fixtures/nwfilter-stock');
const stock = new Map<string, NwfilterDefinition>(readdirSync(stockDir).filter((f) => f.endsWith('.xml'))
  .map((f) => parseVirshNwfilterXml(readFileSync(join(stockDir, f), 'utf8'))).map((d) => [d.name, d]));

// `ebtables-nft -t nat -L --Lc` (iptables 1.8.9) in a namespace after libvirt-like rules were added.
const EBTABLES_NFT = `Bridge table: nat

Bridge chain: PREROUTING, entries: 1, policy: ACCEPT
-i vnet0 -j I-vnet0-ipv4-ip , pcnt = 0 -- bcnt = 0

Bridge chain: OUTPUT, entries: 0, policy: ACCEPT

Bridge chain: POSTROUTING, entries: 0, policy: ACCEPT

Bridge chain: I-vnet0-ipv4-ip, entries: 2, policy: RETURN
-p IPv4 --ip-src 10.226.0.11 -j RETURN , pcnt = 0 -- bcnt = 0
-j DROP , pcnt = 0 -- bcnt = 0
`;
// `nft list ruleset` of the same namespace.
const NFT = `table bridge nat {
	chain I-vnet0-ipv4-ip {
		ether type ip ip saddr 10.226.0.11 counter packets 0 bytes 0 return
		counter packets 0 bytes 0 drop
		counter packets 0 bytes 0 accept
	}

	chain PREROUTING {
		type filter hook prerouting priority dstnat; policy accept;
		iifname "vnet0" counter packets 0 bytes 0 jump I-vnet0-ipv4-ip
	}

	chain OTHER {
		iifname "vnet01" counter packets 0 bytes 0 drop
	}
}
`;

describe('rules that concern a backend device', () => {
  it('names the device as a whole word only', () => {
    const m = mentionsDevice('vnet0');
    assert.deepEqual(['I-vnet0-mac', '-i vnet0 -j X', 'iifname "vnet0"', 'vnet01', 'vnet0.100', 'xvnet0'].map(m), [true, true, true, false, false, false]);
  });

  it('ebtables: the device\'s own chains whole, other chains only their -i/-o rules, with counters', () => {
    assert.deepEqual(ebtablesLinesForDevice(parseEbtablesList(EBTABLES_NFT), 'vnet0'), [
      'Bridge chain: PREROUTING, entries: 1, policy: ACCEPT',
      '  -i vnet0 -j I-vnet0-ipv4-ip   [pcnt 0, bcnt 0]',
      'Bridge chain: I-vnet0-ipv4-ip, entries: 2, policy: RETURN',
      '  -p IPv4 --ip-src 10.226.0.11 -j RETURN   [pcnt 0, bcnt 0]',
      '  -j DROP   [pcnt 0, bcnt 0]',
    ]);
    assert.deepEqual(ebtablesLinesForDevice(parseEbtablesList(EBTABLES_NFT), 'vnet1'), []);
  });

  it('nft: whole chains named after the device or holding a rule that names it', () => {
    assert.deepEqual(nftLinesForDevice(NFT, 'vnet0'), [
      'table bridge nat chain I-vnet0-ipv4-ip',
      '  ether type ip ip saddr 10.226.0.11 counter packets 0 bytes 0 return',
      '  counter packets 0 bytes 0 drop',
      '  counter packets 0 bytes 0 accept',
      'table bridge nat chain PREROUTING',
      '  type filter hook prerouting priority dstnat; policy accept;',
      '  iifname "vnet0" counter packets 0 bytes 0 jump I-vnet0-ipv4-ip',
    ]);
  });

  it('iptables -S: libvirt\'s FI-/FO-/HI- chains and physdev matches', () => {
    const text = ['-N FI-vnet0', '-N FO-vnet1', '-A libvirt-in -m physdev --physdev-in vnet0 -g FI-vnet0', '-A libvirt-out -m physdev --physdev-out vnet1 -g FO-vnet1', ''].join('\n');
    assert.deepEqual(iptablesLinesForDevice(text, 'vnet0'), ['-N FI-vnet0', '-A libvirt-in -m physdev --physdev-in vnet0 -g FI-vnet0']);
  });
});

describe('nwfilter report', () => {
  const params = [{ name: 'IP', value: '10.226.0.11' }, { name: 'MAC', value: '52:54:00:aa:00:01' }];
  const expanded = expandNwfilter('clean-traffic', params, (n) => stock.get(n));
  const frame = { direction: 'out' as const, srcMac: '52:54:00:aa:00:01', etherType: 0x0800, srcIp: '10.226.0.208', dstIp: '192.0.2.1', ipProtocol: 6 };
  const verdict = nwfilterVerdictForFrame(expanded, frame);
  const report = renderNwfilterReport({
    host: 'hv1', vm: 'director1', device: 'vnet0', filter: 'clean-traffic', parameters: params, expanded, problems: [],
    firewall: [{ tool: 'ebtables', command: 'ebtables -t nat -L --Lc', status: 'missing', message: 'ebtables is not installed on hv1', lines: [] }],
    verdict: { frame, result: verdict },
  });
  const lines = report.text.split('\n');

  it('one row per rule under its chain, every rule line known, the verdict names the no-ip-spoofing drop line', () => {
    assert.equal(report.ruleLines.size, expanded.rules.length);
    for (const [rule, line] of report.ruleLines) assert.ok(lines[line].includes(rule.filter), lines[line]);
    assert.equal(verdict.rule?.filter, 'no-ip-spoofing');
    assert.match(lines[report.verdictRuleLine ?? -1], /^\s+1000\s+out\s+drop\s+\(any\)\s+no-ip-spoofing ← clean-traffic$/);
    assert.match(report.text, /^ {4}not available: ebtables is not installed on hv1$/m);
    assert.doesNotMatch(report.text, /not readable/, 'the stock set resolves every filterref of clean-traffic');
  });
});

describe('tool failures', () => {
  const answers = (m: Record<string, CommandResult>) => (argv: string[]): Promise<CommandResult> =>
    Promise.resolve(m[argv.join(' ')] ?? { stdout: '', stderr: `sh: 1: ${argv[0]}: not found`, exitCode: 127 });
  const o = { host: 'hv9', sudo: 'auto' as const, isRoot: false };

  it('missing tool, refused sudo, the tool\'s own failure, sudo retry that works', async () => {
    await assert.rejects(runHostTool(answers({}), ['virsh', 'nwfilter-list'], o),
      (e: unknown) => e instanceof HostToolError && e.failure === 'missing' && /^virsh is not installed on hv9 .*package: libvirt-clients/.test(e.message));
    const refused = answers({
      'nft list ruleset': { stdout: '', stderr: 'Error: Could not process rule: Operation not permitted\n', exitCode: 1 },
      'sudo -n nft list ruleset': { stdout: '', stderr: 'sudo: a password is required\n', exitCode: 1 },
    });
    await assert.rejects(runHostTool(refused, ['nft', 'list', 'ruleset'], o), /^HostToolError: nft needs root on hv9 \(Error: Could not process rule: Operation not permitted\), and sudo -n was refused: sudo: a password is required\./);
    await assert.rejects(runHostTool(refused, ['nft', 'list', 'ruleset'], { ...o, sudo: 'never' }), /sudo is set to never for this host/);
    const kernel = answers({ 'ebtables -t nat -L --Lc': { stdout: '', stderr: "The kernel doesn't support the ebtables 'nat' table.\n", exitCode: 255 } });
    await assert.rejects(runHostTool(kernel, ['ebtables', '-t', 'nat', '-L', '--Lc'], o), /ebtables on hv9 failed \(exit 255\): The kernel doesn't support the ebtables 'nat' table\./);
    const viaSudo = answers({
      'nft list ruleset': { stdout: '', stderr: 'Error: Could not process rule: Operation not permitted\n', exitCode: 1 },
      'sudo -n nft list ruleset': { stdout: 'table inet f {\n}\n', stderr: '', exitCode: 0 },
    });
    assert.equal(await runHostTool(viaSudo, ['nft', 'list', 'ruleset'], o), 'table inet f {\n}\n');
  });
});

describe('a Compare loss at a vNIC', () => {
  it('seen on the backend → lost leaving it (out); seen before it → lost entering it (in); no backend → none', () => {
    const backend = (h: { host: string; iface: string }): boolean => h.host === 'hv1' && h.iface === 'vnet0';
    assert.deepEqual(lossAtVnic({ host: 'hv1', iface: 'vnet0' }, { host: 'hv1', iface: 'br0' }, backend),
      { host: 'hv1', device: 'vnet0', direction: 'out', wording: 'lost leaving vnet0 on hv1' });
    assert.deepEqual(lossAtVnic({ host: 'hv1', iface: 'br0' }, { host: 'hv1', iface: 'vnet0' }, backend),
      { host: 'hv1', device: 'vnet0', direction: 'in', wording: 'lost entering vnet0 on hv1' });
    assert.equal(lossAtVnic({ host: 'hv1', iface: 'br0' }, { host: 'hv2', iface: 'eth0' }, backend), undefined);
  });
});

describe('frame of a captured packet', () => {
  it('Ethernet/IPv4/TCP → MACs, EtherType, addresses, protocol; other link types refused', () => {
    const b = new Uint8Array(54);
    b.set([0x02, 0, 0x73, 0xb6, 0x53, 0xe2, 0x02, 0, 0x73, 0xb6, 0x53, 0xc8, 0x08, 0x00], 0);
    b.set([0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 243, 119, 145, 10, 226, 0, 208], 14);
    b.set([0xc9, 0xbb, 0, 80], 34);
    b[46] = 0x50;
    assert.deepEqual(nwfilterFrameFromPacket(b, b.length, 1, 'out'), {
      direction: 'out', srcMac: '02:00:73:b6:53:c8', dstMac: '02:00:73:b6:53:e2', etherType: 0x0800, srcIp: '192.243.119.145', dstIp: '10.226.0.208', ipProtocol: 6,
    });
    assert.throws(() => nwfilterFrameFromPacket(b, b.length, 113, 'out'), /not an Ethernet frame \(link type 113\)/);
  });
});

describe('ring inputs and counter summary', () => {
  it('fields: empty = default, bounds and non-numbers named', () => {
    const [count, seconds, size] = RING_FIELDS;
    assert.equal(ringFieldValue(count, ''), 10);
    assert.equal(ringFieldValue(seconds, ' 30 '), 30);
    assert.match(checkRingField(count, '1') ?? '', /must be from 2 to 10000, got 1/);
    assert.match(checkRingField(size, '1.5') ?? '', /a whole number from 0 to 100000/);
    assert.throws(() => ringFieldValue(seconds, '-3'), /a whole number/);
  });

  it('moments: ISO with fraction, epoch, time of day (yesterday when in the future); windows', () => {
    assert.equal(parseRingMoment('2026-11-23T14:05:07.25Z'), Date.UTC(2026, 10, 23, 14, 5, 7) / 1000 + 0.25);
    assert.equal(parseRingMoment('2026-11-23 14:05:07'), Date.UTC(2026, 10, 23, 14, 5, 7) / 1000);
    assert.equal(parseRingMoment('@1795000000.5'), 1795000000.5);
    const now = new Date(Date.UTC(2026, 10, 23, 1, 0, 0));
    assert.equal(parseRingMoment('00:30:00', now), Date.UTC(2026, 10, 23, 0, 30) / 1000);
    assert.equal(parseRingMoment('23:30:00', now), Date.UTC(2026, 10, 22, 23, 30) / 1000);
    assert.throws(() => parseRingMoment('yesterday'), /not a time/);
    assert.deepEqual(parseRingWindow(''), { before: 5, after: 5 });
    assert.deepEqual(parseRingWindow('2, 10'), { before: 2, after: 10 });
    assert.throws(() => parseRingWindow('-1'), /seconds either side/);
  });

  it('counter difference line names what grew', () => {
    const c = { ifname: 'vnet0', rxPackets: 10, rxBytes: 1000, rxErrors: 0, rxDropped: 0, rxMissed: 0, txPackets: 5, txBytes: 500, txErrors: 0, txDropped: 0 };
    assert.equal(describeCounterDiff('hv1', diffInterfaceCounters(c, { ...c, rxPackets: 30, rxDropped: 12, rxMissed: 3 })),
      'counters of vnet0 on hv1 during the capture: rx 20 packets, tx 0 packets; GREW: rx dropped +12, rx missed (overruns) +3');
    assert.match(describeCounterDiff('hv1', diffInterfaceCounters(c, { ...c, rxPackets: 1 })), /counters went down \(rx packets\): the interface was reset or recreated/);
  });
});
