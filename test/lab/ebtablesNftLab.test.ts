/**
 * `ebtables -t nat -L --Lc` from a real ebtables-nft (Debian package `iptables`) in a namespace with a
 * bridge and two "VMs": libvirt's no-ip-spoofing chain for the first VM's backend (RETURN for its own
 * address, DROP for anything else, as in the LVS DR seed), traffic from its own address and from a
 * spoofed VIP, then the listing parsed: the DROP's counter grew by the spoofed packets, the RETURN's by
 * the good ones, and the nwfilter verdict for the spoofed frame names the same rule.
 *
 * Skipped with the reason when ebtables-nft is not on PATH: this machine's `ebtables` is
 * ebtables-legacy 2.0.11, and the kernel has no legacy ebtables tables ("The kernel doesn't support
 * the ebtables 'nat' table."); the nft backend (nf_tables bridge family) works in namespaces.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ebtablesCounterGrowth, parseEbtablesList } from '../../src/core/hostChecks/parseEbtablesList';
import { ebtablesLinesForDevice } from '../../src/core/hostChecks/backendFirewallRules';
import { parseVirshNwfilterXml } from '../../src/core/discovery/parseVirshNwfilterXml';
import type { NwfilterDefinition } from '../../src/core/discovery/hostInventory';
import { expandNwfilter } from '../../src/core/hostChecks/expandNwfilter';
import { nwfilterVerdictForFrame } from '../../src/core/hostChecks/nwfilterVerdict';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const r = spawnSync('test', ['-x', join(dir, name)]);
    if (r.status === 0) return join(dir, name);
  }
  return undefined;
}

const ebtablesNft = onPath('ebtables-nft');
const tag = `hs2h${process.pid % 100000}`;
const ns = { host: `${tag}eh`, a: `${tag}ea`, b: `${tag}eb` };
const net = `10.226.${200 + (process.pid % 50)}`;
const dev = `${tag}va`;

function run(argv: string[], ok = true): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (ok && r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status} ${r.stderr}`);
  return r;
}
const inNs = (n: string, argv: string[], ok = true): ReturnType<typeof run> => run(['ip', 'netns', 'exec', n, ...argv], ok);
const ebt = (args: string[]): string => inNs(ns.host, [ebtablesNft ?? 'ebtables-nft', '-t', 'nat', ...args]).stdout;

after(() => { for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n]); });

test('real ebtables-nft -t nat -L --Lc: the no-ip-spoofing DROP counts the spoofed VIP packets, the verdict names that rule', { skip: ebtablesNft ? false : 'ebtables-nft not installed (Debian: apt-get install iptables); this machine\'s ebtables is ebtables-legacy, whose kernel tables do not exist here' }, () => {
  for (const n of Object.values(ns)) run(['ip', 'netns', 'add', n]);
  run(['ip', '-n', ns.host, 'link', 'add', 'br0', 'type', 'bridge']);
  run(['ip', '-n', ns.host, 'link', 'add', dev, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.a]);
  run(['ip', '-n', ns.host, 'link', 'add', `${tag}vb`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.b]);
  for (const d of [dev, `${tag}vb`]) run(['ip', '-n', ns.host, 'link', 'set', d, 'master', 'br0', 'up']);
  run(['ip', '-n', ns.host, 'link', 'set', 'br0', 'up']);
  const macA = '52:54:00:e2:00:0b';
  run(['ip', '-n', ns.a, 'link', 'set', 'eth0', 'address', macA]);
  run(['ip', '-n', ns.a, 'addr', 'add', `${net}.11/24`, 'dev', 'eth0']);
  run(['ip', '-n', ns.a, 'addr', 'add', `${net}.208/32`, 'dev', 'eth0']); // the VIP, as on an LVS director
  run(['ip', '-n', ns.b, 'addr', 'add', `${net}.12/24`, 'dev', 'eth0']);
  for (const n of [ns.a, ns.b]) run(['ip', '-n', n, 'link', 'set', 'eth0', 'up']);
  // The b side learns the VIP's MAC statically: its ARP replies are not what is under test.
  run(['ip', '-n', ns.b, 'neigh', 'replace', `${net}.208`, 'lladdr', macA, 'dev', 'eth0']);
  run(['ip', '-n', ns.a, 'route', 'add', `${net}.0/24`, 'dev', 'eth0', 'src', `${net}.11`], false);

  // What libvirt instantiates for no-ip-spoofing on the backend (the seed's I-vnet0-ipv4-ip).
  const chain = `I-${dev}-ipv4-ip`;
  ebt(['-N', chain, '-P', 'RETURN']);
  ebt(['-A', chain, '-p', 'IPv4', '--ip-src', '0.0.0.0', '--ip-proto', 'udp', '-j', 'RETURN']);
  ebt(['-A', chain, '-p', 'IPv4', '--ip-src', `${net}.11`, '-j', 'RETURN']);
  ebt(['-A', chain, '-j', 'DROP']);
  ebt(['-A', 'PREROUTING', '-i', dev, '-p', 'IPv4', '-j', chain]);
  const before = parseEbtablesList(ebt(['-L', '--Lc']));

  const good = inNs(ns.a, ['ping', '-n', '-q', '-c', '5', '-i', '0.05', '-W', '1', `${net}.12`], false);
  assert.match(good.stdout, /5 packets transmitted, 5 received/);
  const spoofed = inNs(ns.a, ['ping', '-n', '-q', '-c', '4', '-i', '0.05', '-W', '1', '-I', `${net}.208`, `${net}.12`], false);
  assert.match(spoofed.stdout, /4 packets transmitted, 0 received/, 'the spoofed source is dropped on the backend');

  const text = ebt(['-L', '--Lc']);
  const listing = parseEbtablesList(text);
  assert.deepEqual(listing.warnings, []);
  assert.equal(listing.table, 'nat');
  const c = listing.chains.find((x) => x.name === chain);
  assert.deepEqual(c?.rules.map((r) => [r.protocol, r.ipSrc, r.ipProto, r.target]),
    [['IPv4', '0.0.0.0', 'udp', 'RETURN'], ['IPv4', `${net}.11`, undefined, 'RETURN'], [undefined, undefined, undefined, 'DROP']]);
  const growth = ebtablesCounterGrowth(before, listing);
  const drop = growth.find((g) => g.chain === chain && g.rule.target === 'DROP');
  assert.equal(drop?.packets, 4, JSON.stringify(growth));
  // bcnt counts the IP packet (84 bytes): the bridge hook sees the frame after its Ethernet header was pulled.
  assert.equal(drop?.bytes, 4 * 84);
  assert.equal(growth.find((g) => g.chain === chain && g.rule.ipSrc === `${net}.11`)?.packets, 5);
  assert.equal(growth.find((g) => g.chain === 'PREROUTING')?.packets, 9);
  const shown = ebtablesLinesForDevice(listing, dev);
  assert.ok(shown.includes(`  -j DROP   [pcnt 4, bcnt ${4 * 84}]`), shown.join('\n'));

  // The nwfilter view's verdict for the same frame points at the same rule.
  const dir = join(__dirname, '../fixtures/nwfilter-stock');
  const stock = new Map<string, NwfilterDefinition>(readdirSync(dir).filter((f) => f.endsWith('.xml'))
    .map((f) => parseVirshNwfilterXml(readFileSync(join(dir, f), 'utf8'))).map((d) => [d.name, d]));
  const expanded = expandNwfilter('clean-traffic', [{ name: 'IP', value: `${net}.11` }, { name: 'MAC', value: macA }], (n) => stock.get(n));
  const v = nwfilterVerdictForFrame(expanded, { direction: 'out', srcMac: macA, etherType: 0x0800, srcIp: `${net}.208`, dstIp: `${net}.12`, ipProtocol: 1 });
  assert.deepEqual([v.verdict, v.rule?.filter, v.rule?.chain], ['drop', 'no-ip-spoofing', 'ipv4-ip']);
});
