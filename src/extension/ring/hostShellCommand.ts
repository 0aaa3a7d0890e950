// Runs one built shell command line on a host (an SSH exec channel, or /bin/sh locally) and copies a
// remote file down: what ring-buffer captures need beyond the discovery runner (their commands are
// constant scripts with quoted arguments, built in src/core/capture).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { quoteShellArg } from '../../core/capture/shellQuote';
import type { HostEndpoint } from '../hosts/hostsModel';

export interface ShellResult { stdout: string; stderr: string; code: number | null }

export async function runHostShell(endpoint: HostEndpoint, command: string, timeoutMs = 30_000): Promise<ShellResult> {
  if (endpoint.kind === 'ssh') {
    const r = await endpoint.pool.exec(endpoint.target, { script: command, args: [] }, { raw: true, timeoutMs });
    return { stdout: r.stdout, stderr: r.stderr, code: r.code };
  }
  return new Promise<ShellResult>((resolve) => {
    execFile('/bin/sh', ['-c', command], { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : null) : 0 });
    });
  });
}

/** Copies `remotePath` to `localPath` (via `<local>.partial`, renamed when complete). */
export async function downloadHostFile(endpoint: HostEndpoint, remotePath: string, localPath: string): Promise<void> {
  await mkdir(dirname(localPath), { recursive: true });
  const partial = `${localPath}.partial`;
  try {
    if (endpoint.kind === 'local') await copyFile(remotePath, partial);
    else {
      const ch = await endpoint.pool.execStream(endpoint.target, `exec cat -- ${quoteShellArg(remotePath)}`);
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(partial);
        const err: Buffer[] = [];
        let code: number | null = null;
        let pending = 2; // the channel's close (exit status known) and the file's close (data written)
        const done = (): void => {
          if (--pending > 0) return;
          if (code === 0) resolve();
          else reject(new Error(`reading ${remotePath} failed (exit ${code ?? 'none'}): ${Buffer.concat(err).toString('utf8').trim() || 'connection lost?'}`));
        };
        ch.stderr.on('data', (b: Buffer) => err.push(b));
        ch.on('exit', (c: number | null) => { code = c; });
        ch.once('close', done);
        out.once('close', done);
        out.on('error', reject);
        ch.on('error', reject);
        ch.pipe(out);
      });
    }
    await rename(partial, localPath);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}
