/**
 * Open-addressing hash table from a 64-bit identity (two uint32 words) to a dense group number
 * (0, 1, 2… in order of first sighting), all in typed arrays. A slot holds the key's first word and
 * group number + 1 side by side (0 = empty), so a probe reads one cache line and the second word is
 * only fetched from the per-group keys when the first one matches. Linear probing; the slot array
 * doubles when half full, so its size follows the number of groups, not the number of packets.
 */
export class IdentityTable {
  /** Per group: the identity's two words (capacity fixed at construction: at most one group per packet). */
  readonly keyA: Uint32Array;
  readonly keyB: Uint32Array;
  groupCount = 0;
  /** slots[2s] = first key word, slots[2s + 1] = group + 1 (0 when the slot is empty). */
  private slots: Int32Array;
  private mask: number;

  constructor(initialSlots: number, maxGroups: number) {
    let size = 16;
    while (size < initialSlots) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    this.keyA = new Uint32Array(maxGroups);
    this.keyB = new Uint32Array(maxGroups);
  }

  /** Number of slots (a power of two). */
  get size(): number { return this.mask + 1; }

  /** The group of identity (a, b), created when new. */
  findOrAdd(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const a32 = a | 0;
    let s = slotOf(a, b, mask);
    for (;;) {
      const g1 = slots[2 * s + 1];
      if (g1 === 0) break;
      if (slots[2 * s] === a32 && this.keyB[g1 - 1] === b) return g1 - 1;
      s = (s + 1) & mask;
    }
    const g = this.groupCount++;
    if (g >= this.keyA.length) throw new Error('identity table: more groups than it was sized for');
    this.keyA[g] = a;
    this.keyB[g] = b;
    slots[2 * s] = a32;
    slots[2 * s + 1] = g + 1;
    if (this.groupCount * 2 > mask + 1) this.grow();
    return g;
  }

  /** The group of identity (a, b), or -1. */
  find(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const a32 = a | 0;
    for (let s = slotOf(a, b, mask); ; s = (s + 1) & mask) {
      const g1 = slots[2 * s + 1];
      if (g1 === 0) return -1;
      if (slots[2 * s] === a32 && this.keyB[g1 - 1] === b) return g1 - 1;
    }
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let g = 0; g < this.groupCount; g++) {
      const a = this.keyA[g];
      let s = slotOf(a, this.keyB[g], mask);
      while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
      slots[2 * s] = a | 0;
      slots[2 * s + 1] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Home slot: both words mixed (identities are already hashes; this only spreads equal-A keys). */
function slotOf(a: number, b: number, mask: number): number {
  return (a ^ Math.imul(b, 0x9e3779b1)) & mask;
}
