/**
 * The two-word steps of identityHash.ts (hashPairA, hashPairB): the collision argument of that file needs
 * each step to be one-to-one in the lane and in each of its two words when the other inputs are fixed.
 * Checked on 2^16 values per input (low and high halves), for several fixed other inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashPairA, hashPairB } from '../../src/core/align/identityHash';

const FIXED = [0, 1, -1, 0x7fffffff, 0x12345678, 0x80000000 | 0];

function distinct(f: (v: number) => number, shift: number): number {
  const seen = new Set<number>();
  // The other half of the word fixed to a non-zero pattern.
  const rest = shift === 0 ? 0x55 << 16 : 0x55;
  for (let v = 0; v < 1 << 16; v++) seen.add(f((v << shift) | rest));
  return seen.size;
}

describe('identity hash pair steps', () => {
  for (const [name, step] of [['hashPairA', hashPairA], ['hashPairB', hashPairB]] as const) {
    it(`${name} is one-to-one in the lane, the first word and the second word`, () => {
      for (const x of FIXED) {
        for (const y of FIXED) {
          for (const shift of [0, 16]) {
            assert.equal(distinct((v) => step(v, x, y), shift), 1 << 16, `lane, words ${x} ${y}`);
            assert.equal(distinct((v) => step(x, v, y), shift), 1 << 16, `first word, lane ${x} word ${y}`);
            assert.equal(distinct((v) => step(x, y, v), shift), 1 << 16, `second word, lane ${x} word ${y}`);
          }
        }
      }
    });
  }

  it('the two lanes and the two word positions give different outputs', () => {
    let sameLanes = 0;
    let swapped = 0;
    for (let w = 1; w < 1000; w++) {
      if (hashPairA(0, w, 7) === hashPairB(0, w, 7)) sameLanes++;
      if (hashPairA(0, w, 7) === hashPairA(0, 7, w)) swapped++;
    }
    assert.ok(sameLanes < 5, `${sameLanes} equal outputs of the two lanes`);
    assert.ok(swapped < 5, `${swapped} equal outputs with the words swapped`);
  });
});
