/**
 * The alignment and Compare figures, printed by `npm run bench` after the capture-engine table:
 * - bench/align.ts in a child at 250k and N packets per capture (4 captures, parse included, best of the
 *   runs): wall and CPU per phase, the engine's peak RSS, and the ratio against a straightforward
 *   Map<string, …> join of the same columns; memory must grow linearly with the packets;
 * - `hopscope align` as a user runs it (the CLI bundle, whole process: node start, worker threads, the
 *   text report) on 4 × N packets written to bench/.data;
 * - Compare Captures in-process on 4 × 100k (bench/compare.ts: analysis + view model + the first page the
 *   view asks for). Rendering in a real VS Code is timed by test/e2e/compareTimings.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { writeBenchCaptures } from './alignBenchCaptures';
import { runTimed, type TimedRun } from './runTimed';

const TARGET_WALL_S = 1.5;
const TARGET_RSS_MB = 500;

interface AlignChildResult {
  parseCpuMs: number; alignCpuMs: number; totalCpuMs: number; mapJoinCpuMs: number; mapJoinVsAlign: number;
  wallMs: { parse: number; align: number; total: number }; engineMaxRssMB: number; rssBeforeMB: number; rows: number;
}

interface CompareChildResult { packetsPerCapture: number; bestCpuMs: Record<string, number> }

export interface AlignSectionOptions {
  dataDir: string;
  packets: number;
  runs: number;
  /** Bundles a TypeScript entry point into dataDir (run.ts's BenchContext.bundle). */
  bundle(entry: string): string;
}

/** The worker-thread script `loadCapturesInParallel` looks for beside the bundle that loads it. */
function bundleParseWorker(dataDir: string): void {
  buildSync({
    entryPoints: [join(__dirname, '../src/core/align/parseCaptureWorker.ts')], bundle: true, platform: 'node',
    format: 'cjs', target: 'node20', outfile: join(dataDir, 'alignParseWorker.js'), logLevel: 'warning',
  });
}

async function bestOf<T>(runs: number, argv: string[], parse: (r: TimedRun) => T): Promise<{ runs: TimedRun[]; results: T[] } | string> {
  const out: TimedRun[] = [];
  const results: T[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runTimed(argv, true);
    if (r.code !== 0) return `${argv.slice(1).join(' ')}: exit ${r.code}\n${r.stderr.slice(-500)}`;
    out.push(r);
    results.push(parse(r));
  }
  return { runs: out, results };
}

const min = (xs: number[]): number => Math.min(...xs);
const ms = (n: number): string => `${Math.round(n)} ms`;

async function alignChild(opts: AlignSectionOptions, script: string, packets: number): Promise<AlignChildResult[] | string> {
  const r = await bestOf(opts.runs, [process.execPath, script, String(packets)], (t) => JSON.parse(t.stdout.trim().split('\n').pop() ?? '{}') as AlignChildResult);
  return typeof r === 'string' ? r : r.results;
}

export async function printAlignSection(opts: AlignSectionOptions): Promise<void> {
  bundleParseWorker(opts.dataDir);
  const alignScript = opts.bundle(join(__dirname, 'align.ts'));
  const n = opts.packets;
  const sizes = n > 250_000 ? [250_000, n] : [n];
  console.log(`\nAlignment: 4 captures × N packets, parse included (bench/align.ts; best of ${opts.runs} runs; CPU = user+sys of all threads)`);
  console.log(`${'N'.padStart(9)} ${'wall total'.padStart(11)} ${'parse'.padStart(8)} ${'align'.padStart(8)} ${'CPU'.padStart(8)} ${'engine RSS'.padStart(11)} ${'Map join CPU'.padStart(13)} ${'ratio'.padStart(7)}  note`);
  const bySize = new Map<number, AlignChildResult[]>();
  for (const size of sizes) {
    const results = await alignChild(opts, alignScript, size);
    if (typeof results === 'string') { console.log(results); return; }
    bySize.set(size, results);
    const wall = min(results.map((r) => r.wallMs.total));
    const rss = Math.max(...results.map((r) => r.engineMaxRssMB));
    const ratio = min(results.map((r) => r.mapJoinCpuMs)) / min(results.map((r) => r.alignCpuMs));
    const note = size === 1_000_000
      ? `target < ${TARGET_WALL_S} s and < ${TARGET_RSS_MB} MB:${wall < TARGET_WALL_S * 1000 && rss < TARGET_RSS_MB ? ' met' : ' NOT met'}`
      : '';
    console.log(`${String(size).padStart(9)} ${ms(wall).padStart(11)} ${ms(min(results.map((r) => r.wallMs.parse))).padStart(8)} ${ms(min(results.map((r) => r.wallMs.align))).padStart(8)} ${ms(min(results.map((r) => r.totalCpuMs))).padStart(8)} ${`${rss} MB`.padStart(11)} ${ms(min(results.map((r) => r.mapJoinCpuMs))).padStart(13)} ${`${ratio.toFixed(1)}x`.padStart(7)}  ${note}`);
  }
  if (sizes.length === 2) {
    // Linear growth: the engine's RSS above the process's own start-up memory, per packet, at both sizes.
    const perPacket = sizes.map((s) => {
      const rs = bySize.get(s)!;
      return ((Math.max(...rs.map((r) => r.engineMaxRssMB)) - min(rs.map((r) => r.rssBeforeMB))) * 1048576) / (4 * s);
    });
    console.log(`${'memory growth'.padStart(9)} ${perPacket.map((b, i) => `${sizes[i] / 1000}k: ${b.toFixed(0)} B/packet`).join(', ')} above start-up (linear when the two are close)`);
    console.log(`${''.padStart(9)} ratio = Map<string, …> join CPU / our analysis CPU on the same parsed columns (the join only pairs, "first unused")`);
  }

  // The CLI as a user runs it, on files kept in bench/.data (regenerated only when missing).
  const files = [0, 1, 2, 3].map((h) => join(opts.dataDir, `align-${n}-hop${h}.pcap`));
  if (files.some((f) => !existsSync(f))) writeBenchCaptures(files, n);
  const cli = opts.bundle(join(__dirname, '../src/cli/main.ts'));
  const hosts = ['--host', `A=${files[0]},${files[1]}`, '--host', `B=${files[2]},${files[3]}`];
  const cliRuns = await bestOf(opts.runs, [process.execPath, cli, 'align', ...hosts, ...files], (t) => t);
  if (typeof cliRuns === 'string') { console.log(cliRuns); return; }
  const wall = min(cliRuns.runs.map((r) => r.seconds));
  const cpu = min(cliRuns.runs.map((r) => r.cpuSeconds));
  const rss = Math.max(...cliRuns.runs.map((r) => r.peakRssKb)) / 1024;
  console.log(`hopscope align, 4 × ${n / 1000}k, whole process: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, peak RSS ${rss.toFixed(0)} MB  target < ${TARGET_WALL_S} s and < ${TARGET_RSS_MB} MB:${wall < TARGET_WALL_S && rss < TARGET_RSS_MB ? ' met' : ' NOT met'}`);

  const compareScript = opts.bundle(join(__dirname, 'compare.ts'));
  const cmp = await bestOf(1, [process.execPath, compareScript, '100000', `--runs=${opts.runs}`], (t) => JSON.parse(t.stdout.trim().split('\n').pop() ?? '{}') as CompareChildResult);
  if (typeof cmp === 'string') { console.log(cmp); return; }
  const c = cmp.results[0].bestCpuMs;
  console.log(`Compare Captures in-process, 4 × 100k: parse ${ms(c.parse)}, compareCaptures (analysis + view model) ${ms(c.compare)}, first page + filters ${ms(c.render)} (CPU, best of ${opts.runs}); together ${ms(c.parse + c.total)} — in a real VS Code see test-results/e2e-timings.json`);
}
