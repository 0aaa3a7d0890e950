/** Runs `hopscope <args>` in-process (the real commands and readers), collecting what it writes. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main';

export interface CliRunResult {
  code: number;
  /** stdout as UTF-8 text. */
  stdout: string;
  /** stdout's bytes (binary output such as `follow --raw`). */
  stdoutBytes: Buffer;
  stderr: string;
}

export async function runCliInProcess(args: string[]): Promise<CliRunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.on('data', (d: Buffer) => err.push(d));
  const code = await runCli(args, { stdout, stderr });
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString(), stdoutBytes, stderr: Buffer.concat(err).toString() };
}
