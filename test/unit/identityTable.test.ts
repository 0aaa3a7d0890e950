/**
 * The typed-array tables behind the alignment's grouping (IdentityTable, groupByIdentity's
 * next-group shortcut, FlowMaskTable) and the word hash of identityHash.ts: collisions forced
 * with tiny tables, results compared with a plain Map on the same keys.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdentityTable } from '../../src/core/align/identityTable';
import { FlowMaskTable } from '../../src/core/align/flowMaskTable';
import { groupByIdentity } from '../../src/core/align/identityGroups';
import { CaptureColumns } from '../../src/core/align/captureColumns';
import { PacketIdentity } from '../../src/core/align/packetIdentity';
import { hashStepA, hashStepB } from '../../src/core/align/identityHash';

/** Deterministic pseudo-random uint32s (xorshift32). */
function randoms(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}

function capture(keys: Array<[number, number]>): CaptureColumns {
  const cols = new CaptureColumns('c', 'h', 4);
  const id = new PacketIdentity();
  keys.forEach(([a, b], i) => { id.idA = a; id.idB = b; cols.push(id, 1000, i); });
  return cols;
}

/** The grouping spelled out with a Map: group numbers in order of first sighting. */
function naiveGroups(caps: CaptureColumns[]): number[][] {
  const groups = new Map<string, number[]>();
  let o = 0;
  for (const cap of caps) {
    for (let i = 0; i < cap.length; i++, o++) {
      const k = `${cap.idA[i]}:${cap.idB[i]}`;
      const list = groups.get(k);
      if (list) list.push(o); else groups.set(k, [o]);
    }
  }
  return [...groups.values()];
}

describe('IdentityTable', () => {
  it('keeps identities apart when every one lands on the same home slot (tiny table, forced collisions, growth)', () => {
    const t = new IdentityTable(16, 1000);
    // b = 0: the home slot is a & mask, so a = 16k + 3 all start at slot 3 while the table has 16 slots.
    const keys: Array<[number, number]> = [];
    for (let k = 0; k < 200; k++) keys.push([(16 * k + 3) >>> 0, 0]);
    // Same first word, different second word: only the second word tells them apart.
    for (let k = 0; k < 50; k++) keys.push([3, k + 1]);
    keys.forEach(([a, b], g) => assert.equal(t.findOrAdd(a, b), g));
    assert.equal(t.groupCount, keys.length);
    assert.ok(t.size >= 2 * keys.length, `grew to ${t.size} slots`);
    keys.forEach(([a, b], g) => { assert.equal(t.find(a, b), g); assert.equal(t.findOrAdd(a, b), g); });
    assert.equal(t.groupCount, keys.length);
    assert.equal(t.find(19, 1), -1);
    assert.equal(t.find(3, 51), -1);
  });

  it('handles the full uint32 range of both words', () => {
    const t = new IdentityTable(16, 10);
    const keys: Array<[number, number]> = [[0xffffffff, 0xffffffff], [0x80000000, 0], [0, 0x80000000], [0, 0]];
    keys.forEach(([a, b], g) => assert.equal(t.findOrAdd(a, b), g));
    keys.forEach(([a, b], g) => assert.equal(t.find(a, b), g));
  });
});

describe('groupByIdentity', () => {
  it('matches a Map-based grouping when captures repeat, reorder, miss and add packets', () => {
    const next = randoms(7);
    const base: Array<[number, number]> = [];
    for (let i = 0; i < 5000; i++) base.push([next() & 0xff, next()]); // few distinct first words
    const caps = [
      capture(base),
      // Same packets, a few swapped, every 10th missing, some repeated (retransmission-like).
      capture(base.flatMap((k, i) => (i % 10 === 0 ? [] : i % 97 === 0 ? [k, k] : [k])).map((k, i, all) => (i % 13 === 0 && i + 1 < all.length ? all[i + 1] : k))),
      // Unrelated packets with identical first words.
      capture(base.map(([a], i) => [a, (i * 2654435761) >>> 0] as [number, number])),
      capture([]),
      capture([...base].reverse()),
    ];
    const g = groupByIdentity(caps);
    const got: number[][] = [];
    for (let k = 0; k < g.groupCount; k++) got.push([...g.order.subarray(g.groupStart[k], g.groupStart[k + 1])]);
    assert.deepEqual(got, naiveGroups(caps));
    let total = 0;
    caps.forEach((c, i) => { assert.equal(g.captureStart[i], total); total += c.length; });
    for (let o = 0; o < total; o++) assert.equal(g.occurrenceCapture[o], caps.findIndex((_, c) => o >= g.captureStart[c] && o < g.captureStart[c + 1]));
  });
});

describe('FlowMaskTable', () => {
  it('ors and reads masks like a Map, through growth, and ignores key 0', () => {
    const t = new FlowMaskTable(1);
    const m = new Map<number, number>();
    const next = randoms(99);
    const keys: number[] = [];
    for (let i = 0; i < 3000; i++) keys.push(i % 3 === 0 ? (i << 20) >>> 0 : next()); // keys differing in high bits only too
    for (let i = 0; i < 20000; i++) {
      const k = keys[next() % keys.length];
      const bit = 1 << (next() % 31);
      t.or(k, bit);
      if (k !== 0) m.set(k, (m.get(k) ?? 0) | bit);
    }
    t.or(0, 5);
    assert.equal(t.get(0), 0);
    for (const k of keys) assert.equal(t.get(k), m.get(k) ?? 0);
    assert.equal(t.size, m.size);
    assert.equal(t.get(12345), m.get(12345) ?? 0);
  });
});

describe('identity hash steps', () => {
  it('each lane step is one-to-one in the word (no two words of a run collide) and the lanes differ', () => {
    for (const h of [0, 1, 0x7fffffff, -1, 0x12345678]) {
      const seenA = new Set<number>();
      const seenB = new Set<number>();
      for (let w = 0; w < 1 << 16; w++) {
        seenA.add(hashStepA(h, w));
        seenB.add(hashStepB(h, (w << 16) | 0x55));
      }
      assert.equal(seenA.size, 1 << 16);
      assert.equal(seenB.size, 1 << 16);
    }
    let same = 0;
    for (let w = 0; w < 1000; w++) if (hashStepA(0, w) === hashStepB(0, w)) same++;
    assert.ok(same < 5, `${same} equal outputs`);
  });
});
