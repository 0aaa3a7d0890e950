/**
 * Per flow key, a bit mask (which captures or directions saw the flow): an open-addressing hash map
 * from a non-zero uint32 to an int32 in one typed array, for per-row loops over millions of rows where
 * a Map<number, number> costs a hashed insert and a boxed key per call. Key 0 means "no flow" (non-IP)
 * and is never stored: `get(0)` is 0.
 */
export class FlowMaskTable {
  /** entries[2s] = key (0 = empty), entries[2s + 1] = mask. */
  private entries: Int32Array;
  private mask: number;
  /** 32 − log2(slot count). */
  private shift: number;
  private count = 0;

  constructor(expectedKeys = 1024) {
    let size = 16;
    while (size < expectedKeys * 2) size *= 2;
    this.entries = new Int32Array(size * 2);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
  }

  get size(): number { return this.count; }

  /** Ors `bits` into the mask of `key` (ignored for key 0). */
  or(key: number, bits: number): void {
    if (key === 0) return;
    const s = this.slot(key | 0);
    if (this.entries[2 * s] === 0) {
      this.entries[2 * s] = key | 0;
      this.count++;
      this.entries[2 * s + 1] = bits;
      if (this.count * 2 > this.mask + 1) this.grow();
      return;
    }
    this.entries[2 * s + 1] |= bits;
  }

  /** The mask of `key`, 0 when never set. */
  get(key: number): number {
    if (key === 0) return 0;
    const s = this.slot(key | 0);
    return this.entries[2 * s] === 0 ? 0 : this.entries[2 * s + 1];
  }

  /** The slot holding key k (int32, non-zero), or the empty slot where it belongs. */
  private slot(k: number): number {
    const e = this.entries;
    const mask = this.mask;
    // Fibonacci hashing: the top bits of k × 2^32/φ, good for any key, not only for hashes.
    let s = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (e[2 * s] !== 0 && e[2 * s] !== k) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const old = this.entries;
    this.entries = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    this.shift--;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const s = this.slot(old[i]);
      this.entries[2 * s] = old[i];
      this.entries[2 * s + 1] = old[i + 1];
    }
  }
}
