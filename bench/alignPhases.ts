/**
 * CPU time of each analysis phase of analyzeCaptures on 4 captures × N packets (default 1M), the
 * captures parsed once and analysed `--runs` times (default 3); prints the best CPU ms per phase.
 * The phases are called in analyzeCaptures' order (clock pass 1b and overrides are not exercised).
 *   npx esbuild bench/alignPhases.ts --bundle --platform=node --outfile=bench/.data/alignPhases.js
 *   node bench/.data/alignPhases.js [packets] [--runs=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchCaptures } from './alignBenchCaptures';
import { loadCaptureColumns } from '../src/core/align/loadCaptureColumns';
import { syncCaptureLoaders } from '../src/core/align/syncCaptureLoaders';
import { analyzeCaptures } from '../src/core/align/analyzeCaptures';
import { groupByIdentity } from '../src/core/align/identityGroups';
import { alignCaptures } from '../src/core/align/alignCaptures';
import { estimateClockOffsets } from '../src/core/align/estimateClockOffsets';
import { joinAcrossNat } from '../src/core/align/joinAcrossNat';
import { inferHopOrder } from '../src/core/align/inferHopOrder';
import { measureSegmentDelays } from '../src/core/align/segmentDelays';
import { findVerdicts } from '../src/core/align/verdicts';
import { ByteRangeCoverage } from '../src/core/align/byteRangeCoverage';
import type { CaptureColumns } from '../src/core/align/captureColumns';

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function phases(caps: readonly CaptureColumns[], hosts: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  let last = cpuMs();
  const lap = (name: string): void => { const now = cpuMs(); out[name] = now - last; last = now; };
  const groups = groupByIdentity(caps); lap('groupByIdentity');
  const pass1 = alignCaptures(caps, { uniqueOnly: true, groups }); lap('alignPass1');
  const clocks = estimateClockOffsets(pass1, hosts, hosts[0]); lap('estimateClockOffsets');
  const offsets = new Float64Array(caps.length);
  caps.forEach((_, c) => { offsets[c] = -(clocks.find((h) => h.host === hosts[c])?.offsetSec ?? 0); });
  const aligned = alignCaptures(caps, { groups, offsets }); lap('alignPass2');
  const { table, flowAlias } = joinAcrossNat(aligned); lap('joinAcrossNat');
  const onPath = (): boolean => true;
  const order = inferHopOrder(table); lap('inferHopOrder');
  const segments = [
    ...measureSegmentDelays(table, 0, order.byDirection[0], onPath),
    ...measureSegmentDelays(table, 1, order.byDirection[1], onPath),
  ]; lap('segmentDelays');
  const coverage = new ByteRangeCoverage(table, (f) => flowAlias.get(f) ?? f); lap('byteRangeCoverage');
  findVerdicts(table, order.byDirection, segments, onPath, { coverage }); lap('verdicts');
  analyzeCaptures(caps, { hosts }); lap('analyzeCaptures (whole)');
  return out;
}

async function main(): Promise<void> {
  const n = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1_000_000);
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-align-phases-'));
  try {
    const files = [0, 1, 2, 3].map((h) => join(dir, `hop${h}.pcap`));
    writeBenchCaptures(files, n);
    const caps: CaptureColumns[] = [];
    for (let h = 0; h < 4; h++) caps.push(await loadCaptureColumns(files[h], `hop${h}`, h < 2 ? 'A' : 'B', syncCaptureLoaders));
    const best: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      for (const [k, v] of Object.entries(phases(caps, ['A', 'A', 'B', 'B']))) best[k] = Math.min(best[k] ?? Infinity, v);
    }
    const rounded = Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v)]));
    process.stdout.write(`${JSON.stringify({ packetsPerCapture: n, runs, bestCpuMs: rounded }, null, 1)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
