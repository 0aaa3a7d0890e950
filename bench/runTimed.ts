/** Runs one bench child under /usr/bin/time -v: wall, CPU (user+sys, all threads) and peak RSS of the whole process. */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TimedRun { seconds: number; cpuSeconds: number; peakRssKb: number; stdout: string; stderr: string; code: number }

/** `keepStdout`: collect the child's stdout (bench children that print JSON); otherwise it goes to /dev/null. */
export async function runTimed(argv: string[], keepStdout = false): Promise<TimedRun> {
  const useTime = existsSync('/usr/bin/time');
  const full = useTime ? ['/usr/bin/time', '-v', ...argv] : argv;
  const started = process.hrtime.bigint();
  const child = spawn(full[0], full.slice(1), { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
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
