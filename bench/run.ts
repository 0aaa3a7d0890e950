/**
 * `npm run bench [-- --packets N] [--runs R] [--only SUBSTRING[,SUBSTRING…]]`: generates bench/.data/mixed-<N>.pcap
 * (default 1M packets, ~650 MB, never committed) and times every contender on it in a child process
 * (best of R runs, default 3), printing one table: packets/s, MB/s, peak RSS (from /usr/bin/time -v),
 * packets per CPU-second and the CPU rate relative to ours (reader + dissect + identity); then the
 * issue's ratios side by side (bench/ratioReport.ts); then the alignment and Compare figures
 * (bench/alignSection.ts: 4 captures × 250k and × N packets; `--only align` runs that section alone).
 *
 * Adding contenders: create `bench/<topic>.bench.ts` exporting
 *   export const contenders: BenchContender[] = [{ name, argv(ctx, file) { return [...] }, maxPackets?, warmup? }];
 * (BenchContender in bench/benchContender.ts). `argv` is the child to run with `file` as input; its
 * stdout goes to /dev/null. A TypeScript child can be bundled with `ctx.bundle(entry)`. If the child
 * prints `records=N` on stderr, the count is checked against the file's.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { benchEnvNote, runTimed } from './runTimed';
import { buildSync } from 'esbuild';
import type { BenchContender, BenchContext } from './benchContender';
import { generateCapture } from './generateCapture';
import { printRatioReport } from './ratioReport';
import { printAlignSection } from './alignSection';
import { IDENTITY_CONTENDER, IDENTITY_PREFIX_CONTENDER, TCPDUMP_PREFIX_CONTENDER } from './identity.bench';

interface Measured { name: string; packets: number; seconds: number; cpuSeconds: number; bytes: number; peakRssKb: number; note: string }

function argValue(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function loadContenders(): Promise<BenchContender[]> {
  const all: BenchContender[] = [];
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.bench.ts')).sort()) {
    const mod = (await import(join(__dirname, f))) as { contenders?: BenchContender[] };
    all.push(...(mod.contenders ?? []));
  }
  return all;
}

async function main(): Promise<void> {
  const packets = argValue('--packets', 1_000_000);
  const runs = argValue('--runs', 3);
  const dataDir = join(__dirname, '.data');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `mixed-${packets}.pcap`);
  if (!existsSync(file)) {
    const t = Date.now();
    generateCapture(file, packets);
    console.log(`generated ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const bundles = new Map<string, string>();
  const ctx: BenchContext = {
    file, packets, fileBytes: statSync(file).size, dataDir,
    bundle(entry) {
      let out = bundles.get(entry);
      if (!out) {
        out = join(dataDir, `${basename(entry, '.ts')}.js`);
        buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning' });
        bundles.set(entry, out);
      }
      return out;
    },
  };
  const rows: Measured[] = [];
  const contenders = await loadContenders();
  // --only a,b: contenders whose name contains one of the comma-separated substrings.
  const only = process.argv.indexOf('--only') >= 0 ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
  for (const c of contenders) {
    if (only !== undefined && !only.some((o) => c.name.includes(o))) continue;
    let input = file;
    let n = packets;
    let note = '';
    if (c.maxPackets !== undefined && packets > c.maxPackets) {
      n = c.maxPackets;
      input = join(dataDir, `mixed-${packets}-first-${n}.pcap`);
      if (!existsSync(input)) execFileSync('editcap', ['-F', 'pcap', '-r', file, input, `1-${n}`]);
      note = `on a ${n / 1000}k-packet prefix`;
    }
    const argv = c.argv(ctx, input);
    if (c.warmup) await runTimed(argv);
    // Best of `runs` (CPU and wall separately; the machine is shared), the highest peak RSS.
    let best: Awaited<ReturnType<typeof runTimed>> | undefined;
    let failed = false;
    for (let i = 0; i < runs; i++) {
      const r = await runTimed(argv);
      if (r.code !== 0) { console.log(`${c.name}: exit ${r.code}\n${r.stderr.slice(-500)}`); failed = true; break; }
      best = best === undefined ? r : {
        ...r, seconds: Math.min(best.seconds, r.seconds), cpuSeconds: Math.min(best.cpuSeconds, r.cpuSeconds), peakRssKb: Math.max(best.peakRssKb, r.peakRssKb),
      };
    }
    if (failed || !best) continue;
    const counted = /records=(\d+)/.exec(best.stderr)?.[1];
    if (counted !== undefined && Number(counted) !== n) note += ` (counted ${counted} of ${n} records!)`;
    rows.push({ name: c.name, packets: n, seconds: best.seconds, cpuSeconds: best.cpuSeconds, bytes: statSync(input).size, peakRssKb: best.peakRssKb, note });
  }
  if (rows.length > 0) printContenderTable(rows, contenders, ctx, packets, runs, file);
  // --only align (or compare) runs the alignment section alone; a filter naming contenders skips it.
  if (only === undefined || only.some((o) => ['align', 'compare'].some((s) => s.includes(o)))) {
    await printAlignSection({ dataDir, packets, runs, bundle: ctx.bundle });
  }
}

function printContenderTable(rows: Measured[], contenders: BenchContender[], ctx: BenchContext, packets: number, runs: number, file: string): void {
  const baseName = contenders.find((c) => c.baseline)?.name;
  const base = rows.find((r) => r.name === baseName) ?? rows[0];
  const baseCpuRate = base.packets / base.cpuSeconds;
  console.log(`\n${packets} packets, ${(ctx.fileBytes / 1e6).toFixed(0)} MB (${file}); best of ${runs} runs, incl. process start; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log(`${'contender'.padEnd(44)} ${'packets/s'.padStart(12)} ${'MB/s'.padStart(8)} ${'peak RSS'.padStart(10)} ${'pkts/CPU-s'.padStart(12)} ${'vs ours'.padStart(8)}  note`);
  for (const r of rows) {
    const rate = r.packets / r.seconds;
    const cpuRate = r.packets / r.cpuSeconds;
    const vs = cpuRate / baseCpuRate;
    console.log(`${r.name.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} ${(r.bytes / 1e6 / r.seconds).toFixed(0).padStart(8)} ${`${(r.peakRssKb / 1024).toFixed(0)} MB`.padStart(10)} ${Math.round(cpuRate).toLocaleString('en-US').padStart(12)} ${`${vs.toFixed(vs < 0.1 ? 3 : 2)}x`.padStart(8)}  ${r.note}`);
  }
  console.log('(packets/s and MB/s on wall clock; pkts/CPU-s = user+sys from /usr/bin/time; "vs ours" in CPU terms)');
  const envNote = benchEnvNote();
  if (envNote) console.log(envNote);
  printRatioReport(rows, IDENTITY_CONTENDER, IDENTITY_PREFIX_CONTENDER, TCPDUMP_PREFIX_CONTENDER);
}

void main();
