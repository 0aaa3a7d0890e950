/**
 * The word-at-a-time hash behind packet identities: two independent 32-bit lanes, each one
 * multiply-xor step per 32-bit word (Math.imul, no BigInt, no strings), finished with murmur3's
 * fmix32. Every step is a bijection of the lane for a fixed word (xor/add, multiply by an odd
 * constant, xorshift/rotate), so two inputs that differ in one word never collide in either lane;
 * the lanes use different operations and constants, so a collision of one lane says nothing about
 * the other. Together they act as a 64-bit key, and the grouping table compares both words.
 * Small functions on purpose: V8 inlines them into the callers' loops.
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
