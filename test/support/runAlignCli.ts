/** Runs `hopscope align …` in-process with real readers, collecting stdout/stderr. */
import { Writable } from 'node:stream';
import { alignCommand } from '../../src/cli/alignCommand';
import type { AlignReport } from '../../src/core/align/alignReport';

export interface AlignCliResult { code: number; stdout: string; stderr: string }

export async function runAlignCli(args: string[]): Promise<AlignCliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable => new Writable({ write(chunk: Buffer, _enc, cb) { append(chunk.toString()); cb(); } });
  const code = await alignCommand.run(args, { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }) });
  return { code, stdout, stderr };
}

export async function alignJson(args: string[]): Promise<AlignReport> {
  const r = await runAlignCli(['--json', ...args]);
  if (r.code !== 0) throw new Error(`align exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as AlignReport;
}
