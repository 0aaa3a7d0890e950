/**
 * The word-at-a-time hash behind packet identities: two independent 32-bit lanes (Math.imul, no BigInt,
 * no strings), finished with murmur3's fmix32. Together they act as a 64-bit key, and the grouping
 * table compares both words.
 *
 * Collision argument: every step is, for any fixed value of each of its other inputs, a bijection of the
 * lane AND of each single word it absorbs (xor/add, multiply by an odd constant, xorshift/rotate are all
 * bijections of a 32-bit word). So two word lists of the same shape that differ in exactly one word never
 * collide in either lane; the lanes use different operations and constants, so a collision of one lane
 * says nothing about the other.
 *
 * Speed: a hash step is latency-bound (each waits for the previous one, ~1.9 ns here), so the pair steps
 * absorb two words at the latency of one: the second word's product does not depend on the lane and is
 * computed while the lane's multiply runs. Small functions on purpose: V8 inlines them into the callers'
 * loops.
 */

/** Lane A: xor the word in, multiply, fold the high half down. */
export function hashStepA(h: number, w: number): number {
  h = Math.imul(h ^ w, 0x9e3779b1);
  return h ^ (h >>> 16);
}

/** Lane B: add the word, multiply by another odd constant, rotate. */
export function hashStepB(h: number, w: number): number {
  h = Math.imul((h + w) | 0, 0xc2b2ae3d);
  return (h << 13) | (h >>> 19);
}

/** Lane A over two words: hashStepA of w0 with w1's own product (odd constant) xored in before the fold. */
export function hashPairA(h: number, w0: number, w1: number): number {
  h = Math.imul(h ^ w0, 0x9e3779b1) ^ Math.imul(w1, 0x7feb352d);
  return h ^ (h >>> 16);
}

/** Lane B over two words: hashStepB of w0 with w1's own product (odd constant) added before the rotate. */
export function hashPairB(h: number, w0: number, w1: number): number {
  h = (Math.imul((h + w0) | 0, 0xc2b2ae3d) + Math.imul(w1, 0x846ca68b)) | 0;
  return (h << 13) | (h >>> 19);
}

/**
 * murmur3 fmix32: spreads every input bit over the whole word. Signed int32 result (callers store it
 * with `>>> 0`): a helper that TurboFan does not inline returns an int32 without boxing it.
 */
export function hashFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The big-endian 32-bit word at `p` (signed; callers that need it unsigned add `>>> 0`). */
export function readWord(d: Uint8Array, p: number): number {
  return (d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3];
}
