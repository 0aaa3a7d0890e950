/**
 * Per-row verdict marks kept by the engine as it decides (findVerdicts): for every row, which kinds
 * of verdict it proves (a bit set) and, for the most actionable one, the verdict's index and the
 * captures it names. The compare view reads them instead of deciding again, so a row's badge and the
 * verdict list can never disagree, and the first page costs no pass over the table.
 */
import type { VerdictKind } from './verdicts';

/** Which verdict a row shows when several apply: the most actionable first (bit k of `kinds`). */
export const ROW_MARK_RANK: readonly VerdictKind[] = [
  'lost', 'rewritten', 'nat', 'delayed', 'duplicated', 'not-captured', 'segmented', 'coalesced', 'super-segment', 'reply-missing', 'one-way',
];

const RANK_OF = new Map<VerdictKind, number>(ROW_MARK_RANK.map((k, i) => [k, i]));

/** Rank of a kind in ROW_MARK_RANK, -1 for kinds no row shows (routed: expected behaviour). */
export function rowMarkRank(kind: VerdictKind): number {
  return RANK_OF.get(kind) ?? -1;
}

export class RowMarks {
  /** Bit k set: the row proves a verdict of kind ROW_MARK_RANK[k]. */
  readonly kinds: Uint16Array;
  /**
   * Index (in the analysis' verdicts) of the row's most actionable verdict; -1 when unmarked, or for a
   * wire-sized segment shown as coalesced (GRO) into a larger one when the segment has no coalesced
   * verdict (that verdict is counted on the larger segment's row).
   */
  readonly verdict: Int32Array;
  /**
   * Captures that verdict names for this row: (from, to) of a segment (lost, rewritten, nat, delayed,
   * segmented, coalesced), the capture for duplicated / not-captured / super-segment; -1 otherwise.
   */
  readonly capA: Int16Array;
  readonly capB: Int16Array;

  constructor(readonly rowCount: number) {
    this.kinds = new Uint16Array(rowCount);
    this.verdict = new Int32Array(rowCount).fill(-1);
    this.capA = new Int16Array(rowCount).fill(-1);
    this.capB = new Int16Array(rowCount).fill(-1);
  }

  /** Records a verdict of rank `rank` for the row; the first one of the best rank stays the row's. */
  mark(row: number, rank: number, verdictIndex: number, capA: number, capB: number): void {
    if (rank < 0) return;
    const had = this.kinds[row];
    this.kinds[row] = had | (1 << rank);
    if (had !== 0 && (had & -had) <= 1 << rank) return;
    this.verdict[row] = verdictIndex;
    this.capA[row] = capA;
    this.capB[row] = capB;
  }

  /** The row's most actionable verdict kind, or undefined. */
  top(row: number): VerdictKind | undefined {
    const k = this.kinds[row];
    return k === 0 ? undefined : ROW_MARK_RANK[31 - Math.clz32(k & -k)];
  }
}
