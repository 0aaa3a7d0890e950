/**
 * The alignment engine on synthetic captures (fields filled by hand, see test/support): a ping over
 * four hops on two hosts with a shifted clock, a drop, a delayed reply, copies, a MAC rewrite,
 * repeated ARP requests and one-way SYNs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticCapture, type SyntheticPacket } from '../support/syntheticAlignPackets';
import { analyzeCaptures } from '../../src/core/align/analyzeCaptures';
import { alignCaptures } from '../../src/core/align/alignCaptures';

const VM_A = '10.205.1.2';
const VM_B = '10.205.2.2';
/** One-way delays between consecutive hops A→B→C→D (seconds). */
const HOP_DELAY = [40e-6, 300e-6, 25e-6];

interface PingScenario {
  count?: number;
  clockShiftB?: number;
  dropRequestAtHop?: { seq: number; hop: number }[];
  delayReply?: { seq: number; extra: number; afterHop: number };
  duplicateAt?: number;
  rewriteDstMacFromHop?: number;
}

/** Captures 0..3 = vmA eth0, hostA uplink (host A); hostB uplink, vmB eth0 (host B). */
function pingScenario(s: PingScenario): SyntheticCapture[] {
  const caps = [new SyntheticCapture('vmA', 'A'), new SyntheticCapture('upA', 'A'), new SyntheticCapture('upB', 'B'), new SyntheticCapture('vmB', 'B')];
  const shift = [0, 0, s.clockShiftB ?? 0, s.clockShiftB ?? 0];
  const n = s.count ?? 200;
  for (let seq = 1; seq <= n; seq++) {
    let t = seq * 0.2 + Math.sin(seq) * 1e-5;
    const req: SyntheticPacket = { kind: 'echo-request', src: VM_A, dst: VM_B, icmpId: 77, seq, ipId: 1000 + seq };
    let reached = true;
    for (let h = 0; h < 4; h++) {
      if (h > 0) t += HOP_DELAY[h - 1] * (1 + 0.1 * Math.cos(seq * h));
      if (s.dropRequestAtHop?.some((d) => d.seq === seq && d.hop === h)) { reached = false; break; }
      const p = s.rewriteDstMacFromHop !== undefined && h >= s.rewriteDstMacFromHop ? { ...req, dstMac: 0x02aa00000009 } : req;
      caps[h].add(p, t + shift[h]);
      if (s.duplicateAt === h) caps[h].add(p, t + shift[h] + 20e-6);
    }
    if (!reached) continue;
    t += 50e-6;
    const rep: SyntheticPacket = { kind: 'echo-reply', src: VM_B, dst: VM_A, icmpId: 77, seq, ipId: 5000 + seq };
    for (let h = 3; h >= 0; h--) {
      if (h < 3) t += HOP_DELAY[h] * (1 + 0.1 * Math.sin(seq * h));
      if (s.delayReply && s.delayReply.seq === seq && h === s.delayReply.afterHop - 1) t += s.delayReply.extra;
      caps[h].add(rep, t + shift[h]);
    }
  }
  return caps;
}

describe('alignment engine on synthetic captures', () => {
  it('estimates a shifted host clock within 1 ms and infers the hop order both ways', () => {
    const caps = pingScenario({ clockShiftB: 1.234 }).map((c) => c.finish());
    const a = analyzeCaptures(caps, { hosts: ['A', 'A', 'B', 'B'] });
    const b = a.clocks.find((h) => h.host === 'B');
    assert.ok(b?.known);
    assert.ok(Math.abs((b?.offsetSec ?? 0) - 1.234) < 1e-3, `offset ${b?.offsetSec}`);
    assert.ok((b?.uncertaintySec ?? 1) < 1e-3);
    assert.deepEqual(a.order.byDirection[0], [0, 1, 2, 3]);
    assert.deepEqual(a.order.byDirection[1], [3, 2, 1, 0]);
    assert.equal(a.table.rowCount, 400);
    assert.deepEqual(a.verdicts.filter((v) => v.kind !== 'rewritten'), []);
    assert.deepEqual(a.warnings, []);
  });

  it('without host names a shifted clock shows as a warning, not as a delay verdict', () => {
    const caps = pingScenario({ clockShiftB: 1.234 }).map((c) => c.finish());
    const a = analyzeCaptures(caps, { windowSec: 5 });
    assert.ok(a.warnings.some((w) => /clocks (of different hosts probably )?differ/.test(w)), a.warnings.join());
    assert.deepEqual(a.verdicts.filter((v) => v.kind === 'delayed'), []);
  });

  it('names the segment and direction of a drop and of a delayed reply', () => {
    const caps = pingScenario({
      clockShiftB: -0.5, dropRequestAtHop: [{ seq: 37, hop: 3 }, { seq: 90, hop: 3 }], delayReply: { seq: 50, extra: 0.12, afterHop: 2 },
    }).map((c) => c.finish());
    const a = analyzeCaptures(caps, { hosts: ['A', 'A', 'B', 'B'] });
    const lost = a.verdicts.filter((v) => v.kind === 'lost');
    assert.equal(lost.length, 1);
    assert.deepEqual([lost[0].direction, lost[0].captures, lost[0].count], [0, [2, 3], 2]);
    const seqs = lost[0].rows.map((r) => caps[0].port2[a.table.cell(r, 0)]).sort((x, y) => x - y);
    assert.deepEqual(seqs, [37, 90]);
    const delayed = a.verdicts.filter((v) => v.kind === 'delayed');
    assert.equal(delayed.length, 1);
    assert.deepEqual([delayed[0].direction, delayed[0].captures, delayed[0].count], [1, [2, 1], 1]);
    assert.equal(caps[0].port2[a.table.cell(delayed[0].rows[0], 0)], 50);
    // The dropped requests never reached the far end: the loss is the finding, not a missing reply.
    assert.deepEqual(a.verdicts.filter((v) => v.kind === 'reply-missing'), []);
  });

  it('counts copies on one capture as duplicates, not as packets', () => {
    const caps = pingScenario({ duplicateAt: 1, count: 50 }).map((c) => c.finish());
    const a = analyzeCaptures(caps);
    assert.equal(a.table.rowCount, 100);
    const dup = a.verdicts.filter((v) => v.kind === 'duplicated');
    assert.deepEqual([dup.length, dup[0].captures, dup[0].count], [1, [1], 50]);
  });

  it('reports a destination MAC rewrite on the segment where it happens', () => {
    const caps = pingScenario({ rewriteDstMacFromHop: 2, count: 30 }).map((c) => c.finish());
    const a = analyzeCaptures(caps);
    const rw = a.verdicts.filter((v) => v.kind === 'rewritten');
    assert.equal(rw.length, 1);
    assert.deepEqual([rw[0].direction, rw[0].captures, rw[0].count, rw[0].detail], [0, [1, 2], 30, 'dst-mac 02:00:00:00:00:02 -> 02:aa:00:00:00:09']);
  });

  it('pairs thousands of identical ARP requests by nearest time, even when copies are missing', () => {
    const a0 = new SyntheticCapture('vm', 'A');
    const a1 = new SyntheticCapture('bridge', 'A');
    const arp: SyntheticPacket = { kind: 'arp-request', src: VM_A, dst: '10.205.1.1' };
    for (let k = 0; k < 5000; k++) {
      const t = k * 1.0 + (k % 7) * 1e-3;
      a0.add(arp, t);
      if (k % 97 !== 5) a1.add(arp, t + 80e-6); // the bridge capture missed some
    }
    const table = alignCaptures([a0.finish(), a1.finish()]);
    let matched = 0;
    let worst = 0;
    for (let r = 0; r < table.rowCount; r++) {
      const d = table.time(r, 1) - table.time(r, 0);
      if (Number.isNaN(d)) continue;
      matched++;
      worst = Math.max(worst, Math.abs(d - 80e-6));
    }
    assert.equal(table.rowCount, 5000);
    assert.equal(matched, 5000 - Math.ceil((5000 - 5) / 97));
    assert.ok(worst < 1e-6, `worst pairing error ${worst}`);
  });

  it('reports inbound SYNs that never get an answer as reply-missing and one-way', () => {
    const up = new SyntheticCapture('phys', 'H');
    const vif = new SyntheticCapture('vif', 'H');
    for (let k = 0; k < 6; k++) {
      const syn: SyntheticPacket = { kind: 'tcp', src: '10.205.9.9', dst: VM_B, sport: 50000, dport: 22, seq: 1000, tcpFlags: 0x02, ipId: k };
      up.add(syn, k * 1.0);
      vif.add(syn, k * 1.0 + 30e-6);
    }
    const a = analyzeCaptures([up.finish(), vif.finish()]);
    const kinds = a.verdicts.map((v) => `${v.kind}:${v.count}`).sort();
    assert.deepEqual(kinds, ['one-way:6', 'reply-missing:6']);
  });
});

describe('offload super-segments', () => {
  it('reports a 20 kB TCP segment on one capture as a super-segment', () => {
    const vnet = new SyntheticCapture('vnet0', 'H');
    const wire = new SyntheticCapture('eth0', 'H');
    const base: SyntheticPacket = { kind: 'tcp', src: VM_A, dst: VM_B, seq: 1, ack: 1, tcpFlags: 0x10 };
    vnet.add({ ...base, payload: 20272, ipId: 1 }, 0);
    for (let k = 0; k < 14; k++) wire.add({ ...base, seq: 1 + k * 1448, payload: 1448, ipId: 1 + k }, 50e-6 + k * 1e-6);
    const a = analyzeCaptures([vnet.finish(), wire.finish()]);
    const ss = a.verdicts.filter((v) => v.kind === 'super-segment');
    assert.deepEqual(ss.map((v) => [v.captures, v.count]), [[[0], 1]]);
  });
});

describe('clock offsets from repeated request/reply pairs', () => {
  it('links hosts seen only through repeated ARP requests/replies (second, wide-window clock pass)', () => {
    const a = new SyntheticCapture('a', 'A');
    const b = new SyntheticCapture('b', 'B');
    const shift = -2.5;
    for (let k = 0; k < 50; k++) {
      const t = k * 30 + 0.001 * (k % 3);
      const q: SyntheticPacket = { kind: 'arp-request', src: VM_A, dst: VM_B, srcMac: 0x02000000000a };
      const r: SyntheticPacket = { kind: 'arp-reply', src: VM_B, dst: VM_A, srcMac: 0x02000000000b, dstMac: 0x02000000000a };
      a.add(q, t); b.add(q, t + 100e-6 + shift);
      b.add(r, t + 150e-6 + shift); a.add(r, t + 260e-6);
    }
    const an = analyzeCaptures([a.finish(), b.finish()], { hosts: ['A', 'B'] });
    const hb = an.clocks.find((h) => h.host === 'B');
    assert.equal(hb?.samples, 50);
    assert.ok(Math.abs((hb?.offsetSec ?? 0) - shift) < 10e-6 + (hb?.uncertaintySec ?? 0), `offset ${hb?.offsetSec} ± ${hb?.uncertaintySec}`);
    assert.ok(Math.abs((hb?.offsetSec ?? 0) - shift) < 1e-3);
  });
});
