/**
 * Every discovery parser, fed truncated and corrupted versions of its real fixtures (deterministic),
 * either returns a model or throws DiscoveryParseError naming its source: never another exception.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DiscoveryParseError } from '../../src/core/discovery/discoveryParseError';
import type { DiscoverySource } from '../../src/core/discovery/hostInventory';
import { parseIpLinkJson } from '../../src/core/discovery/parseIpLinkJson';
import { parseIpLinkText } from '../../src/core/discovery/parseIpLinkText';
import { parseIpAddrJson } from '../../src/core/discovery/parseIpAddrJson';
import { parseIpAddrText } from '../../src/core/discovery/parseIpAddrText';
import { parseBridgeLinkJson } from '../../src/core/discovery/parseBridgeLinkJson';
import { parseBrctlShow } from '../../src/core/discovery/parseBrctlShow';
import { parseVirshList } from '../../src/core/discovery/parseVirshList';
import { parseVirshDomainXml } from '../../src/core/discovery/parseVirshDomainXml';
import { parseVirshNwfilterXml } from '../../src/core/discovery/parseVirshNwfilterXml';
import { parseOvsVsctlShow } from '../../src/core/discovery/parseOvsVsctlShow';
import { parseOvsFdbShow } from '../../src/core/discovery/parseOvsFdbShow';
import { parseOvsInterfaceJson } from '../../src/core/discovery/parseOvsInterfaceJson';
import { discoveryFixture } from './discoveryFixtures';

const cases: [string, DiscoverySource, (s: string) => unknown, string][] = [
  ['parseIpLinkJson', 'ip-link', parseIpLinkJson, 'netns/ip-j-d-link.json'],
  ['parseIpLinkText', 'ip-link', parseIpLinkText, 'netns/ip-d-link.txt'],
  ['parseIpAddrJson', 'ip-addr', parseIpAddrJson, 'netns/ip-j-addr.json'],
  ['parseIpAddrText', 'ip-addr', parseIpAddrText, 'netns/ip-addr.txt'],
  ['parseBridgeLinkJson', 'bridge-link', parseBridgeLinkJson, 'netns/bridge-j-link.json'],
  ['parseBrctlShow', 'brctl', parseBrctlShow, 'netns/brctl-show.txt'],
  ['parseVirshList', 'virsh-list', parseVirshList, 'virsh/list-all.txt'],
  ['parseVirshDomainXml', 'virsh-dumpxml', parseVirshDomainXml, 'virsh/dumpxml-instance-0000002a.xml'],
  ['parseVirshNwfilterXml', 'virsh-nwfilter', parseVirshNwfilterXml, 'nwfilter/clean-traffic.xml'],
  ['parseOvsVsctlShow', 'ovs-vsctl-show', parseOvsVsctlShow, 'ovs/ovs-vsctl-show.txt'],
  ['parseOvsFdbShow', 'ovs-fdb', parseOvsFdbShow, 'ovs/ovs-appctl-fdb-show-br-int.txt'],
  ['parseOvsInterfaceJson', 'ovs-interface', parseOvsInterfaceJson, 'ovs/ovs-vsctl-list-interface.json'],
];

/** Deterministic variants: truncations, single-character replacements, deleted and duplicated lines. */
function* variants(text: string): Generator<string> {
  let seed = 12345;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const junk = ['', '"', '<', '>', '{', '}', '[', ']', ',', ':', '\n', ' ', '\\', '-', 'x', '0', '\u0000', '\u00e9'];
  for (let i = 0; i < 40; i++) yield text.slice(0, rnd(text.length + 1));
  for (let i = 0; i < 120; i++) {
    const at = rnd(text.length);
    yield text.slice(0, at) + junk[rnd(junk.length)] + text.slice(at + 1);
  }
  const lines = text.split('\n');
  for (let i = 0; i < 20; i++) {
    const copy = [...lines];
    const at = rnd(copy.length);
    if (i % 2 === 0) copy.splice(at, 1); else copy.splice(at, 0, copy[rnd(copy.length)]);
    yield copy.join('\n');
  }
  yield '\u0000\u0001binary\u00ff';
  yield 'null';
  yield '{}';
}

describe('discovery parsers on corrupted real output', () => {
  for (const [name, source, parse, fixture] of cases) {
    it(`${name} returns or throws DiscoveryParseError(${source}), never anything else`, () => {
      let returned = 0;
      let rejected = 0;
      for (const input of variants(discoveryFixture(fixture))) {
        try {
          parse(input);
          returned++;
        } catch (e) {
          assert.ok(e instanceof DiscoveryParseError, `${name} threw ${String(e)} on ${JSON.stringify(input.slice(0, 200))}`);
          assert.equal(e.source, source);
          rejected++;
        }
      }
      assert.equal(returned + rejected, 183);
      assert.ok(rejected > 0, "some corruptions must be rejected");
    });
  }
});
