/**
 * Group destinations on REAL captures without a destination MAC: real `tcpdump -i any` (Linux cooked
 * SLL2) at both ends of a veth pair and a plain capture of the peer's interface, while real IPv6 and
 * IPv4 group traffic flows (ping -6 ff02::1, UDP to ff02::fb and 224.0.0.251, the kernel's ND/MLD/RS)
 * next to a real one-way fault (an nft rule drops the replies of a unicast ping -6). `hopscope align`
 * must report the fault and nothing about the group traffic, whichever capture comes first. The same
 * out of a tun device (raw IP: no link header at all), whose far end never answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VethNamespacePair } from './support/vethNamespacePair';
import {
  captureGroupTraffic, captureRawIpGroupTraffic, createGroupTrafficPair, groupAlignArgs, RAW_IP_NET6, UNICAST_PINGS, type GroupCaptures,
} from '../support/groupTrafficScenario';
import { alignJson } from '../support/runAlignCli';
import type { AlignReport } from '../../src/core/align/alignReport';

const tmp = mkdtempSync(join(tmpdir(), 'hopscope-align-group-'));
let pair: VethNamespacePair | undefined;
let caps: GroupCaptures;

/** tcpdump's own reading of a capture: the link type line (stderr) and one line per packet. */
function tcpdumpRead(file: string): { linkType: string; lines: string[] } {
  const r = spawnSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8' });
  return { linkType: /link-type (\S+)/.exec(r.stderr)?.[1] ?? '', lines: r.stdout.split('\n').filter((l) => l) };
}

/**
 * The one-way and reply-missing verdicts as [kind, count, whether the first row is a request of the
 * unicast ping `request` names]. (Other kinds are left out: the kernel's own MLD reports may fall
 * between the starts of two captures and be seen on one only.)
 */
const verdictsNaming = (r: AlignReport, request: string): [string, number, boolean][] => r.verdicts
  .filter((v) => v.kind === 'one-way' || v.kind === 'reply-missing')
  .map((v) => [v.kind, v.count, (v.rows[0]?.description ?? '').startsWith(request)] as [string, number, boolean])
  .sort((a, b) => a[0].localeCompare(b[0]));
const verdictTexts = (r: AlignReport): string => JSON.stringify(r.verdicts.map((v) => [v.kind, v.count, v.rows[0]?.description]));
const FAULT_ONLY: [string, number, boolean][] = [['one-way', UNICAST_PINGS, true], ['reply-missing', UNICAST_PINGS, true]];

after(() => { rmSync(tmp, { recursive: true, force: true }); });

describe('align: group destinations on real -i any (SLL2) captures', () => {
  before(async () => {
    pair = await createGroupTrafficPair('g6');
    caps = await captureGroupTraffic(pair, tmp);
  });
  after(() => { pair?.destroy(); });

  it('the captures hold the group traffic, the -i any ones as SLL2 without a destination MAC', () => {
    const [aAny, bAny, bIf] = caps.files.map(tcpdumpRead);
    assert.deepEqual([aAny.linkType, bAny.linkType, bIf.linkType], ['LINUX_SLL2', 'LINUX_SLL2', 'EN10MB']);
    for (const [what, re] of [
      ['ping to ff02::1', / > ff02::1: ICMP6, echo request/], ['UDP to ff02::fb', / > ff02::fb\.5353: /],
      ['UDP to 224.0.0.251', / > 224\.0\.0\.251\.5353: /], ['MLD report', / > ff02::16: HBH ICMP6, multicast listener report/],
      ['neighbour solicitation', / > ff02::1:ff[0-9a-f]{2}:[0-9a-f]{1,4}: ICMP6, neighbor solicitation/],
    ] as const) assert.ok(aAny.lines.some((l) => re.test(l)), `${what} in ${caps.files[0]}:\n${aAny.lines.join('\n')}`);
    // The peer answered the group ping from its own (link-local) address, on another flow.
    assert.ok(bIf.lines.some((l) => /^\S+ IP6 fe80::\S+ > fe80::\S+: ICMP6, echo reply/.test(l)), bIf.lines.join('\n'));
  });

  for (const [label, order] of [['-i any captures first', [0, 1, 2]], ['the interface capture first', [2, 0]], ['-i any captures only', [0, 1]]] as const) {
    it(`reports the dropped unicast replies and no one-way or reply-missing verdict about group traffic (${label})`, async () => {
      const r = await alignJson(groupAlignArgs(caps.files, order));
      // The fault and nothing else: no one-way or reply-missing verdict about the group traffic.
      assert.deepEqual(verdictsNaming(r, `ICMP echo request ${caps.address6} > ${caps.peerAddress6} id `), FAULT_ONLY, verdictTexts(r));
    });
  }
});

describe('align: group destinations on real raw IP (tun) captures', () => {
  let files: [string, string];
  before(async () => {
    const dir = join(tmp, 'raw');
    mkdirSync(dir);
    files = await captureRawIpGroupTraffic(dir, 'g6');
  });

  it('the tun capture has no link header, the -i any one is SLL2; both hold the group traffic', () => {
    const [raw, any] = files.map(tcpdumpRead);
    assert.deepEqual([raw.linkType, any.linkType], ['RAW', 'LINUX_SLL2']);
    for (const re of [/ > ff02::1: ICMP6, echo request/, / > ff02::fb\.5353: /, / > 224\.0\.0\.251\.5353: /]) {
      assert.ok(raw.lines.some((l) => re.test(l)) && any.lines.some((l) => re.test(l)), `${String(re)}:\n${raw.lines.join('\n')}`);
    }
  });

  for (const [label, order] of [['raw IP first', [0, 1]], ['-i any first', [1, 0]]] as const) {
    it(`reports the unanswered unicast ping and no one-way or reply-missing verdict about group traffic (${label})`, async () => {
      const ordered = order.map((i) => files[i]);
      const r = await alignJson(['--host', `T=${ordered.join(',')}`, ...ordered]);
      assert.deepEqual(verdictsNaming(r, `ICMP echo request ${RAW_IP_NET6}::1 > ${RAW_IP_NET6}::2 id `), FAULT_ONLY, verdictTexts(r));
    });
  }
});
