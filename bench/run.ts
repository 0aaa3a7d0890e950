/**
 * `npm run bench [-- --packets N]`: generates bench/.data/mixed-<N>.pcap (default 1M packets, ~650 MB,
 * never committed) and times every contender on it in a child process, printing one table: packets/s,
 * MB/s, peak RSS (from /usr/bin/time -v) and the rate relative to our reader.
 *
 * Adding contenders: create `bench/<topic>.bench.ts` exporting
 *   export const contenders: BenchContender[] = [{ name, argv(ctx, file) { return [...] }, maxPackets?, warmup? }];
 * (BenchContender in bench/benchContender.ts). `argv` is the child to run with `file` as input; its
 * stdout goes to /dev/null. A TypeScript child can be bundled with `ctx.bundle(entry)`. If the child
 * prints `records=N` on stderr, the count is checked against the file's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import type { BenchContender, BenchContext } from './benchContender';
import { generateCapture } from './generateCapture';

interface Measured { name: string; packets: number; seconds: number; cpuSeconds: number; bytes: number; peakRssKb: number; note: string }

function argValue(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function runTimed(argv: string[]): Promise<{ seconds: number; cpuSeconds: number; peakRssKb: number; stderr: string; code: number }> {
  const useTime = existsSync('/usr/bin/time');
  const full = useTime ? ['/usr/bin/time', '-v', ...argv] : argv;
  const started = process.hrtime.bigint();
  const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => { stderr += d; });
  let peakRssKb = 0;
  // Without /usr/bin/time: poll the child's VmHWM (peak resident set) while it runs.
  const poll = useTime ? undefined : setInterval(() => {
    try {
      const status = execFileSync('cat', [`/proc/${child.pid}/status`], { encoding: 'utf8' });
      peakRssKb = Math.max(peakRssKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch { /* exited */ }
  }, 20);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (poll) clearInterval(poll);
  if (useTime) peakRssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
  // CPU time (user + system) is less disturbed than wall time when the machine is shared.
  const cpuSeconds = useTime
    ? Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN)
    : NaN;
  return { seconds, cpuSeconds, peakRssKb, stderr, code };
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
  for (const c of await loadContenders()) {
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
    const r = await runTimed(argv);
    if (r.code !== 0) { console.log(`${c.name}: exit ${r.code}\n${r.stderr.slice(-500)}`); continue; }
    const counted = /records=(\d+)/.exec(r.stderr)?.[1];
    if (counted !== undefined && Number(counted) !== n) note += ` (counted ${counted} of ${n} records!)`;
    rows.push({ name: c.name, packets: n, seconds: r.seconds, cpuSeconds: r.cpuSeconds, bytes: statSync(input).size, peakRssKb: r.peakRssKb, note });
  }
  const baseIndex = (await loadContenders()).findIndex((c) => c.baseline);
  const base = rows.find((r) => r.name === (baseIndex >= 0 ? rows[baseIndex]?.name : undefined)) ?? rows[0];
  const baseRate = base.packets / base.seconds;
  console.log(`\n${packets} packets, ${(ctx.fileBytes / 1e6).toFixed(0)} MB (${file}); rates on wall clock incl. process start; load average ${loadavg()[0].toFixed(1)}\n`);
  console.log(`${'contender'.padEnd(30)} ${'packets/s'.padStart(12)} ${'MB/s'.padStart(8)} ${'peak RSS'.padStart(10)} ${'vs ours'.padStart(8)} ${'pkts/CPU-s'.padStart(12)}  note`);
  for (const r of rows) {
    const rate = r.packets / r.seconds;
    console.log(`${r.name.padEnd(30)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} ${(r.bytes / 1e6 / r.seconds).toFixed(0).padStart(8)} ${`${(r.peakRssKb / 1024).toFixed(0)} MB`.padStart(10)} ${`${(rate / baseRate).toFixed(rate / baseRate < 0.1 ? 3 : 2)}x`.padStart(8)} ${Math.round(r.packets / r.cpuSeconds).toLocaleString('en-US').padStart(12)}  ${r.note}`);
  }
}

void main();
