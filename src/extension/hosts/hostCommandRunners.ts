// Command runners for discovery: SSH through the shared pool (the pool quotes every word), or a local
// child process started with an argument vector (no shell) for "This machine".
import { execFile } from 'node:child_process';
import type { CommandResult, CommandRunner } from '../../core/discovery/runHostDiscovery';
import type { SshConnectionPool } from '../../remote/sshSession';
import type { SshTarget } from '../../remote/sshTarget';

const commandTimeoutMs = 30_000;

export function sshCommandRunner(pool: SshConnectionPool, target: SshTarget): CommandRunner {
  return async (argv) => {
    const r = await pool.exec(target, argv, { raw: true, timeoutMs: commandTimeoutMs });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
  };
}

export const localCommandRunner: CommandRunner = (argv) => new Promise<CommandResult>((resolve) => {
  const [file, ...args] = argv;
  execFile(file, args, { timeout: commandTimeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
    if (!error) { resolve({ stdout, stderr, exitCode: 0 }); return; }
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : typeof error.code === 'number' ? error.code : null;
    resolve({ stdout, stderr: stderr || error.message, exitCode: code });
  });
});

/** Whether the login user is root, from `id -u` (discovery then skips sudo). */
export async function runnerIsRoot(run: CommandRunner): Promise<boolean> {
  const r = await run(['id', '-u']);
  return r.exitCode === 0 && r.stdout.trim() === '0';
}
