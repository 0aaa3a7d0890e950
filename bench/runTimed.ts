/** Runs one bench child under /usr/bin/time -v: wall, CPU (user+sys, all threads) and peak RSS of the whole process. */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The children's environment: this one without NODE_EXTRA_CA_CERTS. Some machines (this sandbox: the
 * whole system bundle, 220 KB) set it, and then every node process parses those certificates at start,
 * ~30 ms of CPU that a default install does not pay and that no bench child needs (none opens TLS).
 */
export const BENCH_CHILD_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/** A line for the report when the variable was set (and so left out for the children). */
export function benchEnvNote(): string | undefined {
  return process.env.NODE_EXTRA_CA_CERTS ? `(NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} is unset for the children: with it every node start parses those certificates, ~30 ms here)` : undefined;
}

export interface TimedRun { seconds: number; cpuSeconds: number; peakRssKb: number; stdout: string; stderr: string; code: number }

/** `keepStdout`: collect the child's stdout (bench children that print JSON); otherwise it goes to /dev/null. */
export async function runTimed(argv: string[], keepStdout = false): Promise<TimedRun> {
  const useTime = existsSync('/usr/bin/time');
  const full = useTime ? ['/usr/bin/time', '-v', ...argv] : argv;
  const started = process.hrtime.bigint();
  const child = spawn(full[0], full.slice(1), { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'], env: BENCH_CHILD_ENV });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => { stdout += d; });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => { stderr += d; });
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
  return { seconds, cpuSeconds, peakRssKb, stdout, stderr, code };
}
