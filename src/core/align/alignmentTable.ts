/** The result of aligning N captures: packet rows × captures (record index and corrected time). */
import type { CaptureColumns } from './captureColumns';

export class AlignmentTable {
  rowCount = 0;
  /** cells[row * C + c]: record index in capture c, or -1 when the packet was not seen there. */
  cells: Int32Array;
  /** Copies of a row's packet on one capture (`-i any`, bridge + port): triples row, capture, record. */
  duplicates: number[] = [];

  constructor(
    readonly captures: readonly CaptureColumns[],
    /** Seconds added to each capture's own times to put them on the reference clock. */
    readonly offsets: Float64Array,
    /** Common time origin (whole seconds since the epoch). */
    readonly originSec: number,
    capacity = 1024,
  ) {
    this.cells = new Int32Array(capacity * captures.length).fill(-1);
  }

  get captureCount(): number { return this.captures.length; }

  addRow(): number {
    const C = this.captures.length;
    if ((this.rowCount + 1) * C > this.cells.length) {
      const next = new Int32Array(Math.max(this.cells.length * 2, 1024 * C)).fill(-1);
      next.set(this.cells);
      this.cells = next;
    }
    return this.rowCount++;
  }

  cell(row: number, c: number): number { return this.cells[row * this.captures.length + c]; }

  /** Corrected time of a capture's record, seconds since originSec. */
  timeOf(c: number, record: number): number {
    const cap = this.captures[c];
    return cap.time[record] + (cap.baseSec - this.originSec) + this.offsets[c];
  }

  /**
   * Per capture, the whole seconds timeOf adds to the capture's own `time` column, for hot loops:
   * `(cap.time[rec] + bases[c]) + offsets[c]` is timeOf without a call per cell, to the last bit
   * (same operations in the same order).
   */
  timeBases(): Float64Array {
    const out = new Float64Array(this.captures.length);
    for (let c = 0; c < out.length; c++) out[c] = this.captures[c].baseSec - this.originSec;
    return out;
  }

  /** Corrected time of the row at capture c, NaN when absent. */
  time(row: number, c: number): number {
    const r = this.cells[row * this.captures.length + c];
    return r < 0 ? NaN : this.timeOf(c, r);
  }

  /** The first capture where the row is present (its representative for descriptions). */
  firstCapture(row: number): number {
    const C = this.captures.length;
    for (let c = 0; c < C; c++) if (this.cells[row * C + c] >= 0) return c;
    return -1;
  }

  private dirs: Uint8Array | null = null;

  /** Direction bit of the row (see PacketIdentity.dir); cached once the table is complete. */
  dir(row: number): number {
    if (this.dirs && row < this.dirs.length) return this.dirs[row];
    const c = this.firstCapture(row);
    return this.captures[c].dir(this.cell(row, c));
  }

  /** Caches every row's direction (call when no more rows are added). */
  freeze(): void {
    const dirs = new Uint8Array(this.rowCount);
    for (let row = 0; row < this.rowCount; row++) {
      const c = this.firstCapture(row);
      dirs[row] = this.captures[c].dir(this.cell(row, c));
    }
    this.dirs = dirs;
  }
}
