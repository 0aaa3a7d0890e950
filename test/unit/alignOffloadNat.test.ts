/**
 * Byte-range matching (GSO/TSO/GRO), NAT joins and routed-hop TTL rules on synthetic captures (fields
 * filled by hand, see test/support), down to the compare view model's row verdicts and cell badges.
 * The same behaviour on real kernel traffic is in test/lab/alignOffloadNat.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticCapture, type SyntheticPacket } from '../support/syntheticAlignPackets';
import { analyzeCaptures } from '../../src/core/align/analyzeCaptures';
import { CompareViewModel } from '../../src/core/align/compareViewModel';

const A = '10.222.1.2';
const B = '10.222.2.2';
const MSS = 1448;

/** A handshake on both captures (gives the hop order) and data bytes [1, 1 + 14 * MSS) as `sent` on cap 0, `seen` on cap 1. */
function transfer(sent: number[], seen: number[]): ReturnType<typeof analyzeCaptures> {
  const c0 = new SyntheticCapture('vnet0', 'H');
  const c1 = new SyntheticCapture('eth0', 'H');
  const base: SyntheticPacket = { kind: 'tcp', src: A, dst: B, ack: 1, tcpFlags: 0x10 };
  const syn = { ...base, seq: 0, tcpFlags: 0x02, ipId: 100 };
  const synAck: SyntheticPacket = { kind: 'tcp', src: B, dst: A, sport: 80, dport: 40000, seq: 500, ack: 1, tcpFlags: 0x12, ipId: 7 };
  c0.add(syn, 0); c1.add(syn, 20e-6);
  c1.add(synAck, 60e-6); c0.add(synAck, 80e-6);
  const put = (cap: SyntheticCapture, sizes: number[], t0: number): void => {
    let seq = 1;
    sizes.forEach((len, k) => {
      if (len > 0) cap.add({ ...base, seq, payload: len, ipId: 200 + k }, t0 + k * 1e-6);
      seq += Math.abs(len);
    });
  };
  put(c0, sent, 1e-3);
  put(c1, seen, 1.05e-3);
  return analyzeCaptures([c0.finish(), c1.finish()]);
}
const kinds = (a: ReturnType<typeof analyzeCaptures>): string[] => a.verdicts.map((v) => `${v.kind}:${v.count}`).sort();
const wire = (n: number): number[] => new Array<number>(n).fill(MSS);

describe('offloads: TCP byte ranges across hops', () => {
  it('one 14-MSS super-segment, fourteen wire segments downstream: segmented, nothing lost', () => {
    const a = transfer([14 * MSS], wire(14));
    assert.deepEqual(kinds(a), ['segmented:1']);
    const v = a.verdicts.find((x) => x.kind === 'segmented');
    assert.deepEqual(v?.captures, [0, 1]);
    assert.equal(v?.rows.length, 3, 'the super-segment and two of its pieces prove it');
  });

  it('fourteen wire segments, one GRO segment downstream: coalesced, nothing lost', () => {
    const a = transfer(wire(14), [14 * MSS]);
    assert.deepEqual(kinds(a), ['coalesced:1']);
  });

  it('a piece missing downstream is a loss of that byte range, not of the whole super-segment', () => {
    const seen = wire(14);
    seen[6] = -MSS; // bytes skipped, never seen
    const a = transfer([7 * MSS, 7 * MSS], seen);
    const lost = a.verdicts.filter((x) => x.kind === 'lost');
    assert.deepEqual(lost.map((x) => [x.count, x.detail]), [[1, 'TCP bytes missing downstream (the rest of these segments arrived re-segmented)']]);
    assert.equal(a.verdicts.find((x) => x.kind === 'segmented')?.count, 1);
  });

  it('the compare view shows the segmented row as covered, not lost', () => {
    const a = transfer([14 * MSS], wire(14));
    const m = new CompareViewModel(a, [{ file: 'v.pcap', host: 'H', label: 'vnet0@H' }, { file: 'e.pcap', host: 'H', label: 'eth0@H' }]);
    const row = m.rows(0, 0, m.rowCount).find((r) => r.summary.includes(`len ${14 * MSS}`));
    assert.equal(row?.verdict?.kind, 'segmented');
    assert.equal(row?.verdict?.text, 'split into 14 segments (GSO/TSO) between vnet0@H and eth0@H');
  });
});

describe('NAT and TTL between hops', () => {
  function natPing(ttlAfter: number, srcMacAfter: number): ReturnType<typeof analyzeCaptures> {
    const inside = new SyntheticCapture('inside', 'H');
    const outside = new SyntheticCapture('outside', 'H');
    for (let k = 1; k <= 3; k++) {
      const req: SyntheticPacket = { kind: 'echo-request', src: A, dst: '10.222.3.9', icmpId: 77, seq: k, ipId: 10 + k, ttl: 64, srcMac: 0x02000000000a };
      const rep: SyntheticPacket = { kind: 'echo-reply', src: B, dst: '10.222.2.1', icmpId: 77, seq: k, ipId: 50 + k, ttl: 64, srcMac: 0x02000000000b };
      inside.add(req, k); outside.add({ ...req, src: '10.222.2.1', dst: B, ttl: ttlAfter, srcMac: srcMacAfter }, k + 30e-6);
      outside.add(rep, k + 60e-6); inside.add({ ...rep, src: '10.222.3.9', dst: A, ttl: ttlAfter, srcMac: 0x0200000000ff }, k + 90e-6);
    }
    return analyzeCaptures([inside.finish(), outside.finish()]);
  }

  it('joins an echo across SNAT + DNAT, names the rewrite, and calls TTL -1 with new MACs routing', () => {
    const a = natPing(63, 0x0200000000fe);
    assert.deepEqual(kinds(a), ['nat:3', 'nat:3', 'routed:3', 'routed:3']);
    const nat = a.verdicts.filter((v) => v.kind === 'nat').map((v) => v.detail).sort();
    assert.deepEqual(nat, [
      `src ${A} (echo id 77) -> 10.222.2.1 (echo id 77); dst 10.222.3.9 (echo id 77) -> ${B} (echo id 77)`,
      `src ${B} (echo id 77) -> 10.222.3.9 (echo id 77); dst 10.222.2.1 (echo id 77) -> ${A} (echo id 77)`,
    ]);
    const m = new CompareViewModel(a, [{ file: 'i.pcap', host: 'H', label: 'in@H' }, { file: 'o.pcap', host: 'H', label: 'out@H' }]);
    const row = m.row(0);
    assert.equal(row.verdict?.kind, 'nat');
    assert.match(row.cells[1]?.nat ?? '', /^src 10\.222\.1\.2 \(echo id 77\) → 10\.222\.2\.1/);
    assert.equal(row.cells[1]?.rewrite, undefined, 'TTL -1 and new MACs are not a rewrite across a router');
  });

  it('reports a TTL that changed by more than one, or across a hop that kept the MACs', () => {
    const set = natPing(5, 0x0200000000fe);
    assert.deepEqual(set.verdicts.filter((v) => v.kind === 'rewritten').map((v) => v.detail),
      ['ttl 64 -> 5 (decremented by 59 across a routed hop (expected 1))', 'ttl 64 -> 5 (decremented by 59 across a routed hop (expected 1))']);
    const bridged = natPing(63, 0x02000000000a);
    assert.deepEqual(bridged.verdicts.filter((v) => v.kind === 'rewritten').map((v) => v.detail),
      ['ttl 64 -> 63 (changed across a bridged hop (MACs kept))']);
  });
});
