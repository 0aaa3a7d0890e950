/**
 * Where parsing captures in worker threads starts to pay (MIN_WORKER_BYTES in
 * src/core/align/loadCapturesInParallel.ts): 4 captures of N packets loaded in-thread one by one, and
 * with workers + the calling thread as `hopscope align` does; best wall and CPU ms of `--runs` (default 5).
 * Wall time is the point here (a worker costs its start-up, not CPU): run it on an idle machine.
 *   npx esbuild bench/alignParseCrossover.ts --bundle --platform=node --outfile=bench/.data/alignParseCrossover.js
 *   npx esbuild src/core/align/parseCaptureWorker.ts --bundle --platform=node --outfile=bench/.data/alignParseWorker.js
 *   node bench/.data/alignParseCrossover.js [--runs=5]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchCaptures } from './alignBenchCaptures';
import { loadCapturesInParallel } from '../src/core/align/loadCapturesInParallel';
import { syncCaptureLoaders } from '../src/core/align/syncCaptureLoaders';

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function main(): Promise<void> {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-align-crossover-'));
  try {
    for (const packets of [12_500, 50_000, 100_000, 200_000, 400_000]) {
      const files = [0, 1, 2, 3].map((h) => join(dir, `${packets}-hop${h}.pcap`));
      writeBenchCaptures(files, packets);
      const specs = files.map((path, h) => ({ path, name: `hop${h}`, host: 'A' }));
      const best = { inThread: { wall: Infinity, cpu: Infinity }, workers: { wall: Infinity, cpu: Infinity } };
      for (let r = 0; r < runs; r++) {
        for (const mode of ['inThread', 'workers'] as const) {
          const c0 = cpuMs();
          const t0 = performance.now();
          await loadCapturesInParallel(specs, syncCaptureLoaders, { minWorkerBytes: mode === 'workers' ? 0 : Infinity, parseOnCallingThread: true });
          best[mode].wall = Math.min(best[mode].wall, performance.now() - t0);
          best[mode].cpu = Math.min(best[mode].cpu, cpuMs() - c0);
        }
      }
      process.stdout.write(`${JSON.stringify({
        packetsPerCapture: packets, mbPerCapture: Number((statSync(files[0]).size / 1048576).toFixed(1)), load: loadavg()[0],
        inThread: { wallMs: Math.round(best.inThread.wall), cpuMs: Math.round(best.inThread.cpu) },
        workers: { wallMs: Math.round(best.workers.wall), cpuMs: Math.round(best.workers.cpu) },
      })}\n`);
      for (const f of files) rmSync(f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
