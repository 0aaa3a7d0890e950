/**
 * Open-addressing hash table from short byte keys (addresses, address pairs, 5-tuples) to dense ids
 * 0, 1, 2…, so per-key counters live in typed arrays indexed by id. Keys are assembled in `scratch`
 * and looked up without allocating; memory grows only when a new key appears.
 */
export class ByteKeyTable {
  /** Callers write the key here (bytes [0, length)) before `intern`. */
  readonly scratch = new Uint8Array(64);
  private keys = new Uint8Array(4096);
  private keyStart = new Uint32Array(256);
  private keyLength = new Uint8Array(256);
  private slots = new Int32Array(1024).fill(-1);
  private used = 0;
  private keyBytes = 0;

  get size(): number { return this.used; }

  /** Id of the key in scratch[0, length), adding it when new. */
  intern(length: number): number {
    const s = this.scratch;
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ s[i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) return this.add(slot, length);
      if (this.keyLength[id] === length && this.sameKey(id, length)) return id;
    }
  }

  /** Id of the key in scratch[0, length), or -1 when absent (nothing is added). */
  find(length: number): number {
    const s = this.scratch;
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ s[i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) return -1;
      if (this.keyLength[id] === length && this.sameKey(id, length)) return id;
    }
  }

  /** A copy of the key bytes of `id`. */
  key(id: number): Uint8Array {
    const start = this.keyStart[id];
    return this.keys.slice(start, start + this.keyLength[id]);
  }

  private sameKey(id: number, length: number): boolean {
    const k = this.keys;
    const s = this.scratch;
    const start = this.keyStart[id];
    for (let i = 0; i < length; i++) if (k[start + i] !== s[i]) return false;
    return true;
  }

  private add(slot: number, length: number): number {
    const id = this.used++;
    if (id >= this.keyStart.length) {
      this.keyStart = grow(this.keyStart, this.keyStart.length * 2);
      this.keyLength = grow(this.keyLength, this.keyLength.length * 2);
    }
    if (this.keyBytes + length > this.keys.length) this.keys = grow(this.keys, this.keys.length * 2);
    this.keys.set(this.scratch.subarray(0, length), this.keyBytes);
    this.keyStart[id] = this.keyBytes;
    this.keyLength[id] = length;
    this.keyBytes += length;
    this.slots[slot] = id;
    if (this.used * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.used; id++) {
      const start = this.keyStart[id];
      let h = 0x811c9dc5;
      for (let i = 0; i < this.keyLength[id]; i++) h = Math.imul(h ^ this.keys[start + i], 0x01000193);
      let slot = h & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** Typed array of the same kind, `length` long, with the old contents. */
export function grow<T extends Uint8Array | Uint32Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
