/**
 * Alignment bench: 4 captures × N packets (default 1M), parse included (real reader + dissector).
 *   node --import tsx bench/align.ts [packets] [--serial|--async]   one run, prints JSON
 *   node --import tsx bench/align.ts --scaling                       runs 250k and 1M in child processes
 * (bundle it with esbuild first for figures: tsx's keepNames wrappers distort hot loops):
 *   npx esbuild bench/align.ts --bundle --platform=node --outfile=bench/.data/align.js
 *   npx esbuild src/core/align/parseCaptureWorker.ts --bundle --platform=node --outfile=bench/.data/alignParseWorker.js
 * Times are CPU milliseconds (user+sys of the whole process, worker threads included) per phase;
 * wall times are printed apart. Loads as `hopscope align` does (loadCapturesInParallel: worker threads
 * plus the calling thread, blocking reads), or one file after the other with the CLI's blocking reads
 * (--serial) or the extension's asynchronous ones (--async).
 * Compares the typed-array engine with a straightforward Map<string, …>-based join of the same
 * columns (mapJoinVsAlign = Map join CPU / analysis CPU).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeBenchCaptures } from './alignBenchCaptures';
import { loadCaptureColumns } from '../src/core/align/loadCaptureColumns';
import { defaultCaptureLoaders } from '../src/core/align/defaultCaptureLoaders';
import { syncCaptureLoaders } from '../src/core/align/syncCaptureLoaders';
import { analyzeCaptures } from '../src/core/align/analyzeCaptures';
import { loadCapturesInParallel } from '../src/core/align/loadCapturesInParallel';
import type { CaptureColumns } from '../src/core/align/captureColumns';

/** The obvious join: string keys in a Map, rows by "first unused" per capture. */
function mapJoin(captures: readonly CaptureColumns[]): number {
  const rows = new Map<string, number[][]>();
  captures.forEach((cap, c) => {
    for (let i = 0; i < cap.length; i++) {
      const key = `${cap.idA[i]}:${cap.idB[i]}`;
      let list = rows.get(key);
      if (!list) { list = []; rows.set(key, list); }
      const free = list.find((r) => r[c] === undefined);
      if (free) free[c] = i;
      else { const r: number[] = []; r[c] = i; list.push(r); }
    }
  });
  let n = 0;
  for (const list of rows.values()) n += list.length;
  return n;
}

async function once(packets: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-align-bench-'));
  try {
    const files = [0, 1, 2, 3].map((h) => join(dir, `hop${h}.pcap`));
    writeBenchCaptures(files, packets);
    const rssBefore = process.memoryUsage().rss;
    // CPU time (user+sys) per phase: the machine is shared, wall time is not comparable between runs.
    const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const c0 = cpuMs();
    const t0 = performance.now();
    let caps: CaptureColumns[] = [];
    const mode = process.argv.includes('--async') ? 'async 512 KiB, one by one' : process.argv.includes('--serial') ? 'sync 128 KiB, one by one' : 'parallel (workers + calling thread)';
    if (mode.startsWith('parallel')) {
      caps = await loadCapturesInParallel(files.map((path, h) => ({ path, name: `hop${h}`, host: h < 2 ? 'A' : 'B' })), syncCaptureLoaders, { parseOnCallingThread: true });
    } else {
      const loaders = process.argv.includes('--async') ? defaultCaptureLoaders : syncCaptureLoaders;
      for (let h = 0; h < 4; h++) caps.push(await loadCaptureColumns(files[h], `hop${h}`, h < 2 ? 'A' : 'B', loaders));
    }
    const t1 = performance.now();
    const c1 = cpuMs();
    const a = analyzeCaptures(caps, { hosts: ['A', 'A', 'B', 'B'] });
    const t2 = performance.now();
    const c2 = cpuMs();
    const engineMaxRss = process.resourceUsage().maxRSS;
    const mapRows = mapJoin(caps);
    const t3 = performance.now();
    const c3 = cpuMs();
    process.stdout.write(`${JSON.stringify({
      packetsPerCapture: packets, captures: 4, loaders: mode, load: loadavg()[0],
      parseCpuMs: Math.round(c1 - c0), alignCpuMs: Math.round(c2 - c1), totalCpuMs: Math.round(c2 - c0),
      mapJoinCpuMs: Math.round(c3 - c2), mapJoinVsAlign: Number(((c3 - c2) / (c2 - c1)).toFixed(2)),
      wallMs: { parse: Math.round(t1 - t0), align: Math.round(t2 - t1), total: Math.round(t2 - t0), mapJoin: Math.round(t3 - t2) },
      rows: a.table.rowCount, mapJoinRows: mapRows, verdicts: a.verdicts.map((v) => `${v.kind}:${v.count}`),
      clockB: a.clocks[1]?.offsetSec, engineMaxRssMB: Math.round(engineMaxRss / 1024),
      maxRssWithMapJoinMB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeMB: Math.round(rssBefore / 1048576),
    })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const arg = process.argv[2];
if (arg === '--scaling') {
  for (const n of [250_000, 1_000_000]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, String(n)], { encoding: 'utf8' });
    process.stdout.write(r.stdout || r.stderr);
  }
} else {
  const n = process.argv.slice(2).find((a) => !a.startsWith('--'));
  void once(n ? Number(n) : 1_000_000);
}
