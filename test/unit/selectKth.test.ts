import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectKth } from '../../src/core/align/selectKth';
import { quantileIndex } from '../../src/core/align/segmentDelays';

/** Deterministic pseudo-random values (xorshift) so a failure can be replayed. */
function values(n: number, seed: number, distinct: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = ((s % distinct) - distinct / 3) * 1e-6;
  }
  return out;
}

test('selectKth returns the value Float64Array.sort() puts at index k (random, few distinct, sorted, reversed)', () => {
  const cases: Float64Array[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const n = 1 + (seed * 37) % 500;
    cases.push(values(n, seed, seed % 4 === 0 ? 3 : 100000));
  }
  cases.push(Float64Array.from({ length: 300 }, (_, i) => i), Float64Array.from({ length: 300 }, (_, i) => 300 - i), new Float64Array(257).fill(3e-5));
  for (const v of cases) {
    const sorted = v.slice().sort();
    for (const q of [0, 0.5, 0.99, 1]) {
      const k = quantileIndex(v.length, q);
      assert.equal(selectKth(v.slice(), k), sorted[k], `n=${v.length} q=${q}`);
    }
  }
});

test('selectKth on a sub-range leaves the range partitioned around k', () => {
  const v = values(1000, 7, 50);
  const k = 600;
  const x = selectKth(v, k, 100, 999);
  for (let i = 100; i < k; i++) assert.ok(v[i] <= x);
  for (let i = k + 1; i < 1000; i++) assert.ok(v[i] >= x);
});
