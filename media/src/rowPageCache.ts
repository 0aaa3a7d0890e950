/**
 * The rows of a virtualised list, fetched from the extension host a page at a time: the pages loaded,
 * and the pages asked for and not yet answered (so a scroll never asks twice).
 */
export class RowPageCache<Row> {
  private readonly pages = new Map<number, Row[]>();
  private readonly pending = new Set<number>();

  /** `fetch` posts the request for rows [start, start + count); its answer goes to `store`. */
  constructor(readonly pageSize: number, private readonly fetch: (start: number, count: number) => void) {}

  rowAt(i: number): Row | undefined {
    return this.pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize];
  }

  /** Asks for the page holding row `i`, unless it is loaded or already asked for. */
  request(i: number): void {
    const page = Math.floor(i / this.pageSize);
    if (this.pages.has(page) || this.pending.has(page)) return;
    this.pending.add(page);
    this.fetch(page * this.pageSize, this.pageSize);
  }

  /** Keeps the rows answered for `start`; returns their page number. */
  store(start: number, rows: Row[]): number {
    const page = Math.floor(start / this.pageSize);
    this.pending.delete(page);
    this.pages.set(page, rows);
    return page;
  }

  /** Forgets the page holding row `i` (it grew: a live file's last page). */
  forgetPageOf(i: number): void {
    this.pages.delete(Math.floor(i / this.pageSize));
  }

  /** The index of the first loaded row `match` accepts, or -1. */
  findIndex(match: (row: Row) => boolean): number {
    for (const [page, rows] of this.pages) {
      const j = rows.findIndex(match);
      if (j >= 0) return page * this.pageSize + j;
    }
    return -1;
  }

  clear(): void {
    this.pages.clear();
    this.pending.clear();
  }
}
