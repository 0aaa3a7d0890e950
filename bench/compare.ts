/**
 * Compare Captures in-process: 4 captures × N packets (default 100k) parsed once, then `--runs`
 * times (default 3) compareCaptures (analysis + CompareViewModel) and what the view asks first
 * (first page of rows, verdict texts, segments, clocks, an "only anomalies" filter). Prints the
 * best CPU ms (user+sys) of each part; the machine is shared, wall time is not comparable.
 *   npx esbuild bench/compare.ts --bundle --platform=node --outfile=bench/.data/compare.js
 *   node bench/.data/compare.js [packets] [--runs=3]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchCaptures } from './alignBenchCaptures';
import { compareCaptures, loadCompareCaptures } from '../src/core/align/compareCaptures';
import { syncCaptureLoaders } from '../src/core/align/syncCaptureLoaders';
import { analyzeCaptures } from '../src/core/align/analyzeCaptures';

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function main(): Promise<void> {
  const n = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 100_000);
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-compare-bench-'));
  try {
    // Paths as Hopscope saves captures: captures/<host>/<iface>-<when>.pcap (two hosts, two hops each).
    const files = ['hv1/vnet0', 'hv1/br0', 'hv2/br0', 'hv2/vnet3'].map((p) => join(dir, 'captures', `${p}-20261123.pcap`));
    for (const f of files) mkdirSync(join(f, '..'), { recursive: true });
    writeBenchCaptures(files, n);
    let c0 = cpuMs();
    const caps = await loadCompareCaptures(files, syncCaptureLoaders);
    const parse = cpuMs() - c0;
    const best = { parse, analysis: Infinity, compare: Infinity, viewModel: Infinity, render: Infinity, total: Infinity };
    let rows = 0;
    for (let r = 0; r < runs; r++) {
      c0 = cpuMs();
      analyzeCaptures(caps, { hosts: ['hv1', 'hv1', 'hv2', 'hv2'], referenceHost: 'hv1' });
      const c1 = cpuMs();
      const vm = compareCaptures(files, caps);
      const c2 = cpuMs();
      rows += vm.rows(0, 0, 200).length;
      vm.verdictTexts(); vm.segments(); vm.clocks();
      const anomalies = vm.applyFilters({ onlyAnomalies: true, flow: '', direction: 'both' });
      rows += vm.rows(anomalies.view, 0, 200).length;
      const c3 = cpuMs();
      best.analysis = Math.min(best.analysis, c1 - c0);
      best.compare = Math.min(best.compare, c2 - c1);
      best.render = Math.min(best.render, c3 - c2);
      best.total = Math.min(best.total, c3 - c1);
    }
    best.viewModel = best.compare - best.analysis;
    const out = Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v)]));
    process.stdout.write(`${JSON.stringify({ packetsPerCapture: n, runs, bestCpuMs: out, rowsServed: rows })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
