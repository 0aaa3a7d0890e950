/**
 * The alignment engine on REAL captures: a two-host path in namespaces (vmA — hostA bridge — uplink —
 * hostB bridge — vmB), real ping and TCP traffic, real tcpdump at six points; faults injected in the
 * kernel (nft drop, nft netdev MAC rewrite, `-i any` copies) or by rewriting the real files'
 * timestamps (a host clock shifted by +1.234 s; 80 ms extra delay on one reply across one segment).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createTwoHostLab, type TwoHostLab } from '../support/alignLab';
import { captureScenario, DROPPED_SEQS, REWRITTEN_MAC, type CapturedScenario } from '../support/alignScenarios';
import { ethernetIcmpEcho, rewritePcapTimestamps } from '../support/pcapTimestampRewriter';
import { alignJson } from '../support/runAlignCli';
import type { AlignReport } from '../../src/core/align/alignReport';

const tmp = mkdtempSync(join(tmpdir(), 'hopscope-align-lab-'));
let lab: TwoHostLab | undefined;
const scenarios: Partial<Record<'none' | 'drop' | 'mac-rewrite' | 'any', CapturedScenario>> = {};
const REQ = '10.205.1.1 -> 10.205.1.2';
const REP = '10.205.1.2 -> 10.205.1.1';

function hostArgs(s: CapturedScenario, merge: (h: string) => string = (h) => h): string[] {
  const byHost = new Map<string, string[]>();
  s.files.forEach((f, i) => byHost.set(merge(s.hosts[i]), [...(byHost.get(merge(s.hosts[i])) ?? []), f]));
  return [...byHost].flatMap(([h, fs]) => ['--host', `${h}=${fs.join(',')}`]);
}
const twoHosts = (h: string): string => (h === 'vmA' || h === 'hostA' ? 'A' : 'B');
const dirOf = (r: AlignReport, label: string): number => r.hopOrder.directions.findIndex((d) => d.label === label);
const verdicts = (r: AlignReport, kind: string): AlignReport['verdicts'] => r.verdicts.filter((v) => v.kind === kind);

describe('align on real multi-hop captures', () => {
  before(async () => {
    lab = await createTwoHostLab('r');
    for (const fault of ['none', 'drop', 'mac-rewrite', 'any'] as const) {
      const dir = join(tmp, fault);
      mkdirSync(dir);
      scenarios[fault] = await captureScenario(lab, dir, fault);
    }
  });
  after(() => {
    lab?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('infers the six-hop order both ways and finds nothing wrong on a clean path', async () => {
    const s = scenarios.none as CapturedScenario;
    const r = await alignJson([...hostArgs(s, twoHosts), ...s.files]);
    const names = s.files.map((f) => basename(f));
    assert.ok(dirOf(r, REQ) >= 0 && dirOf(r, REP) >= 0, JSON.stringify(r.hopOrder) + JSON.stringify(r.verdicts.map((v) => [v.kind, v.rows[0]?.description])));
    assert.deepEqual(r.hopOrder.directions[dirOf(r, REQ)].order, names);
    assert.deepEqual(r.hopOrder.directions[dirOf(r, REP)].order, [...names].reverse());
    assert.deepEqual(r.verdicts.map((v) => [v.kind, v.rows[0]?.description]), []);
    assert.ok(Math.abs(r.clocks[1].offsetSec ?? 1) < 1e-3);
  });

  it('estimates a host clock shifted by +1.234 s within 1 ms', async () => {
    const s = scenarios.none as CapturedScenario;
    const files = s.files.map((f, i) => {
      if (twoHosts(s.hosts[i]) === 'A') return f;
      const out = join(tmp, `shifted-${basename(f)}`);
      rewritePcapTimestamps(f, out, () => 1.234);
      return out;
    });
    const r = await alignJson([...hostArgs({ ...s, files }, twoHosts), ...files]);
    const b = r.clocks.find((h) => h.host === 'B');
    assert.ok(b?.known);
    assert.ok(Math.abs((b?.offsetSec ?? 0) - 1.234) < 1e-3, `estimated ${b?.offsetSec}`);
    assert.ok((b?.uncertaintySec ?? 1) < 1e-3);
    assert.deepEqual(r.verdicts.map((v) => [v.kind, v.rows[0]?.description]), []);
  });

  it('names the segment and direction of an 80 ms reply delay (timestamps rewritten downstream)', async () => {
    const s = scenarios.none as CapturedScenario;
    const downstream = new Set(['vmA-eth0.pcap', 'hostA-tap.pcap', 'hostA-upl.pcap']);
    const files = s.files.map((f) => {
      if (!downstream.has(basename(f))) return f;
      const out = join(tmp, `delayed-${basename(f)}`);
      rewritePcapTimestamps(f, out, (_i, data) => { const e = ethernetIcmpEcho(data); return e && e.type === 0 && e.seq === 12 ? 0.08 : 0; });
      return out;
    });
    const r = await alignJson([...hostArgs({ ...s, files }, twoHosts), ...files]);
    const d = verdicts(r, 'delayed');
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0].direction, dirOf(r, REP));
    assert.deepEqual(d[0].captures.map((c) => c.replace(/^delayed-/, '')), ['hostB-upl.pcap', 'hostA-upl.pcap']);
    assert.match(d[0].rows[0].description, /echo reply .* seq 12$/);
  });

  it('finds ICMP requests dropped by an nft rule on hostB’s bridge between its uplink and the tap', async () => {
    const s = scenarios.drop as CapturedScenario;
    const r = await alignJson([...hostArgs(s, twoHosts), ...s.files]);
    const lost = verdicts(r, 'lost');
    assert.equal(lost.length, 1, JSON.stringify(lost));
    assert.equal(lost[0].direction, dirOf(r, REQ));
    assert.deepEqual(lost[0].captures, ['hostB-upl.pcap', 'hostB-tap.pcap']);
    assert.deepEqual(lost[0].rows.map((x) => Number(/seq (\d+)/.exec(x.description)?.[1])).sort((a, b) => a - b), DROPPED_SEQS);
    // Requests lost on the way never reached the far end: that loss is the finding, not a missing reply.
    assert.deepEqual(verdicts(r, 'reply-missing'), []);
  });

  it('reports the destination MAC rewritten by an nft netdev rule, and the missing reply', async () => {
    const s = scenarios['mac-rewrite'] as CapturedScenario;
    const r = await alignJson([...hostArgs(s, twoHosts), ...s.files]);
    const rw = verdicts(r, 'rewritten');
    assert.equal(rw.length, 1, JSON.stringify(rw));
    assert.deepEqual(rw[0].captures, ['hostB-upl.pcap', 'hostB-tap.pcap']);
    assert.equal(rw[0].detail, `dst-mac 02:05:00:00:00:0b -> ${REWRITTEN_MAC}`);
    assert.match(rw[0].rows[0].description, /seq 9$/);
    assert.equal(verdicts(r, 'reply-missing')[0]?.count, 1);
  });

  it('folds the copies of a host-wide `-i any` capture into duplicates', async () => {
    const s = scenarios.any as CapturedScenario;
    const r = await alignJson([...hostArgs(s, twoHosts), ...s.files]);
    const dup = verdicts(r, 'duplicated');
    assert.equal(dup.length, 1);
    assert.deepEqual(dup[0].captures, ['hostA-any.pcap']);
    assert.ok(dup[0].count >= 60, `copies ${dup[0].count}`);
    assert.deepEqual(verdicts(r, 'lost'), []);
  });
});
