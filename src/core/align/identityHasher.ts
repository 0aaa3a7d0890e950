/**
 * Two independent 32-bit hashes fed with 32-bit words: together a 64-bit-ish identity without BigInt
 * or string keys. Murmur3-style mixing so that close inputs (seq, seq+1) land far apart.
 */
export class IdentityHasher {
  a = 0;
  b = 0;

  reset(seed = 0): void {
    this.a = (0x9e3779b9 ^ seed) | 0;
    this.b = (0x85ebca6b ^ Math.imul(seed, 0x27d4eb2f)) | 0;
  }

  add(word: number): void {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.a ^ k;
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.b ^ Math.imul(word | 0, 0x85ebca77);
    b = (b << 17) | (b >>> 15);
    this.b = (Math.imul(b, 0xc2b2ae3d) + 0x27d4eb2f) | 0;
  }

  /** Adds `length` bytes from `data` at `offset`, four at a time (big-endian words, zero-padded). */
  addBytes(data: Uint8Array, offset: number, length: number): void {
    const end = offset + length;
    let p = offset;
    for (; p + 4 <= end; p += 4) this.add((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]);
    if (p < end) {
      let w = 0;
      for (let i = 0; i < 4; i++) w = (w << 8) | (p + i < end ? data[p + i] : 0);
      this.add(w);
    }
    this.add(length);
  }

  finishA(): number { return fmix(this.a) >>> 0; }
  finishB(): number { return fmix(this.b ^ 0x5bd1e995) >>> 0; }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
