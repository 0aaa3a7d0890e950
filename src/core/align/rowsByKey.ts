/**
 * Rows grouped by a uint32 key, in the order they were added: a typed replacement for
 * Map<number, number[]> when millions of rows are added (one hashed insert and no array per key).
 * Open addressing over the keys (any uint32, 0 included), each key heading a chain of entries.
 */
export class RowsByKey {
  private keys: Uint32Array;
  private used: Uint8Array;
  private head: Int32Array;
  private tail: Int32Array;
  private mask: number;
  /** 32 − log2(slot count): Fibonacci hashing takes the product's top bits. */
  private shift: number;
  private keyCount = 0;
  private rows: Int32Array;
  private nextEntry: Int32Array;
  private entries = 0;

  constructor(expectedRows = 1024) {
    let size = 16;
    while (size < expectedRows * 2) size *= 2;
    this.keys = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.head = new Int32Array(size);
    this.tail = new Int32Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.rows = new Int32Array(Math.max(16, expectedRows));
    this.nextEntry = new Int32Array(this.rows.length);
  }

  add(key: number, row: number): void {
    if (this.entries === this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const next = new Int32Array(rows.length);
      next.set(this.nextEntry);
      this.nextEntry = next;
    }
    const e = this.entries++;
    this.rows[e] = row;
    this.nextEntry[e] = -1;
    const s = this.slot(key >>> 0);
    if (this.used[s] === 0) {
      this.used[s] = 1;
      this.keys[s] = key;
      this.head[s] = e;
      this.tail[s] = e;
      if (++this.keyCount * 2 > this.mask + 1) this.grow();
    } else {
      this.nextEntry[this.tail[s]] = e;
      this.tail[s] = e;
    }
  }

  /** First entry of the key's chain, -1 when the key was never added. */
  first(key: number): number {
    const s = this.slot(key >>> 0);
    return this.used[s] === 0 ? -1 : this.head[s];
  }

  /** The entry after `entry` in its key's chain, -1 at the end. */
  next(entry: number): number { return this.nextEntry[entry]; }

  row(entry: number): number { return this.rows[entry]; }

  private slot(k: number): number {
    const mask = this.mask;
    let s = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.used[s] !== 0 && this.keys[s] !== k) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const { keys, used, head, tail } = this;
    const size = keys.length * 2;
    this.keys = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.head = new Int32Array(size);
    this.tail = new Int32Array(size);
    this.mask = size - 1;
    this.shift--;
    for (let i = 0; i < keys.length; i++) {
      if (used[i] === 0) continue;
      const s = this.slot(keys[i]);
      this.used[s] = 1;
      this.keys[s] = keys[i];
      this.head[s] = head[i];
      this.tail[s] = tail[i];
    }
  }
}
