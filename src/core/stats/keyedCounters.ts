/** A ByteKeyTable plus `columns` Float64 counters per key (packets, bytes, first time…), grown together. */
import { ByteKeyTable, grow } from './byteKeyTable';

export class KeyedCounters {
  readonly table = new ByteKeyTable();
  private cols: Float64Array[];

  constructor(columns: number) {
    this.cols = Array.from({ length: columns }, () => new Float64Array(256));
  }

  /** Id of the key in table.scratch[0, length), with its counters ready (new ones start at 0). */
  intern(length: number): number {
    const id = this.table.intern(length);
    if (id >= this.cols[0].length) this.cols = this.cols.map((c) => grow(c, c.length * 2));
    return id;
  }

  column(i: number): Float64Array { return this.cols[i]; }

  get size(): number { return this.table.size; }
}
