/**
 * Process primitives of the lab: argv-only spawning (never a shell), inside a namespace or not,
 * and condition polling. Synchronous forms exist for exit handlers, which cannot await.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when killed by a signal. */
  code: number | null;
}

/** Runs argv in the given network namespace ('' = the root namespace), without a shell. */
export function execIn(namespace: string, argv: readonly string[], input?: string, timeoutMs = 30000): Promise<ExecResult> {
  const full = namespace ? ['ip', 'netns', 'exec', namespace, ...argv] : [...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(full[0], full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

export function execInSync(namespace: string, argv: readonly string[], input?: string): ExecResult {
  const full = namespace ? ['ip', 'netns', 'exec', namespace, ...argv] : [...argv];
  const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', input: input ?? '', timeout: 30000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : ''), code: r.status };
}

/** Runs a command that must succeed; the error names the command and its stderr. */
export function runSync(argv: readonly string[], input?: string): string {
  const r = execInSync('', argv, input);
  if (r.code !== 0) throw new Error(`lab: \`${argv.join(' ')}\` failed (${String(r.code)}): ${r.stderr.trim()}`);
  return r.stdout;
}

export async function run(argv: readonly string[], input?: string): Promise<string> {
  const r = await execIn('', argv, input);
  if (r.code !== 0) throw new Error(`lab: \`${argv.join(' ')}\` failed (${String(r.code)}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Polls until cond() is true; throws naming `what` after timeoutMs. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`lab: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** True when a process with this pid exists and is not a zombie (EPERM counts as existing). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Kernel start time of a process (clock ticks since boot), to tell a reused pid from its owner; null if gone. */
export function pidStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Blocks the thread (for exit handlers, which cannot await). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Like Promise.all, but waits for every promise before throwing the first error: a failed lab start
 * must not tear down while sibling steps are still creating things (they would leak or fail oddly).
 */
export async function allSettledOrThrow<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
