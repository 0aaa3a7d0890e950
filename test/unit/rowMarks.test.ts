/**
 * The engine's per-row marks (analysis.rowMarks) on the committed real capture sets: every example row
 * of a verdict carries that verdict's kind, every marked row's verdict is of its top kind and names its
 * captures, marked counts match the verdict counts, and the compare view shows exactly those marks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareCaptures, loadCompareCaptures } from '../../src/core/align/compareCaptures';
import { syncCaptureLoaders } from '../../src/core/align/syncCaptureLoaders';
import { ROW_MARK_RANK, rowMarkRank } from '../../src/core/align/rowMarks';

const root = join(__dirname, '..', 'fixtures', 'align');

describe('row marks kept by the engine', () => {
  for (const set of ['drop', 'mac-rewrite', 'any', 'none']) {
    it(`${set}: marks agree with the verdicts and the compare view`, async () => {
      const files = readdirSync(join(root, set)).filter((f) => f.endsWith('.pcap')).map((f) => join(root, set, f));
      const m = compareCaptures(files, await loadCompareCaptures(files, syncCaptureLoaders));
      const { verdicts, rowMarks: marks, table } = m.analysis;
      assert.equal(marks.rowCount, table.rowCount);
      const markedPerKind = new Map<string, number>();
      for (let row = 0; row < table.rowCount; row++) {
        for (let k = 0; k < ROW_MARK_RANK.length; k++) {
          if (marks.kinds[row] & (1 << k)) markedPerKind.set(ROW_MARK_RANK[k], (markedPerKind.get(ROW_MARK_RANK[k]) ?? 0) + 1);
        }
        const top = marks.top(row);
        const shown = m.row(row).verdict?.kind;
        assert.equal(shown, top, `row ${row}`);
        if (!top) continue;
        const v = verdicts[marks.verdict[row]];
        assert.equal(v.kind, top, `row ${row}`);
        if (v.captures.length === 2) assert.deepEqual([marks.capA[row], marks.capB[row]], v.captures, `row ${row}`);
      }
      for (const v of verdicts) {
        const k = rowMarkRank(v.kind);
        if (k < 0) continue;
        for (const r of v.rows) assert.ok(marks.kinds[r] & (1 << k), `${v.kind} row ${r}`);
      }
      // A row is counted once per verdict key: per kind, the marked rows are at most the verdicts' counts.
      for (const [kind, n] of markedPerKind) {
        const total = verdicts.filter((v) => v.kind === kind).reduce((s, v) => s + v.count, 0);
        assert.ok(n <= total && n > 0, `${kind}: ${n} marked, ${total} counted`);
      }
      if (set === 'drop') assert.ok((markedPerKind.get('lost') ?? 0) > 0);
      if (set === 'mac-rewrite') assert.ok((markedPerKind.get('rewritten') ?? 0) > 0);
      if (set === 'any') assert.ok((markedPerKind.get('duplicated') ?? 0) > 0);
    });
  }
});
