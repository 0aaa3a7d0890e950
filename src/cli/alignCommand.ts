/**
 * `hopscope align [--json] [--host NAME=cap1,cap2 ...] [--order cap,cap,...] [--window MS] cap1 cap2 ...`
 * Aligns captures of one path taken at several hops and reports hop order, clock offsets, per-segment
 * delays and loss, and verdicts (text tables, or JSON per docs/align-schema.md).
 */
import { basename } from 'node:path';
import type { CliCommand, CliIo } from './cliCommand';
import { analyzeCaptures } from '../core/align/analyzeCaptures';
import { buildAlignReport } from '../core/align/alignReport';
import { formatAlignReport } from '../core/align/formatAlignReport';
import type { CaptureLoaders } from '../core/align/loadCaptureColumns';
import type { CaptureColumns } from '../core/align/captureColumns';
import { CaptureLoadError, loadCapturesInParallel } from '../core/align/loadCapturesInParallel';
import { syncCaptureLoaders } from '../core/align/syncCaptureLoaders';

const USAGE = 'usage: hopscope align [--json] [--host NAME=cap1,cap2 ...] [--order cap,cap,...] [--window MS] cap1 cap2 ...\n';

export interface AlignArgs {
  json: boolean;
  files: string[];
  /** capture reference (path or base name) → host */
  hosts: Map<string, string>;
  order: string[] | null;
  windowSec: number | undefined;
}

export function parseAlignArgs(args: readonly string[]): AlignArgs {
  const out: AlignArgs = { json: false, files: [], hosts: new Map(), order: null, windowSec: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') out.json = true;
    else if (a === '--host') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0 || eq === v.length - 1) throw new Error(`--host wants NAME=cap1,cap2 (got '${v}')`);
      for (const cap of v.slice(eq + 1).split(',')) if (cap) out.hosts.set(cap, v.slice(0, eq));
    } else if (a === '--order') out.order = value().split(',').filter((s) => s);
    else if (a === '--window') {
      const ms = Number(value());
      if (!(ms > 0)) throw new Error('--window wants a positive number of milliseconds');
      out.windowSec = ms / 1000;
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else out.files.push(a);
  }
  return out;
}

/** Index of the capture a user reference (path as given, or base name) designates. */
function resolveCapture(ref: string, files: readonly string[], what: string): number {
  let i = files.indexOf(ref);
  if (i < 0) {
    const byBase = files.flatMap((f, k) => (basename(f) === ref ? [k] : []));
    if (byBase.length > 1) throw new Error(`${what}: '${ref}' names several captures; give the path`);
    i = byBase.length ? byBase[0] : -1;
  }
  if (i < 0) throw new Error(`${what}: '${ref}' is not one of the captures given`);
  return i;
}

export function createAlignCommand(loaders: CaptureLoaders): CliCommand {
  return {
    name: 'align',
    summary: 'Align captures of one path: hop order, clock offsets, loss/delay/rewrite per hop',
    usage: USAGE,
    async run(args: string[], io: CliIo): Promise<number> {
      let parsed: AlignArgs;
      try {
        parsed = parseAlignArgs(args);
      } catch (e) {
        io.stderr.write(`hopscope align: ${(e as Error).message}\n${USAGE}`);
        return 2;
      }
      const { files } = parsed;
      if (files.length < 2) {
        io.stderr.write(`hopscope align: at least two captures of the same path are needed (got ${files.length})\n${USAGE}`);
        return 2;
      }
      const names = files.map((f) => (files.filter((g) => basename(g) === basename(f)).length > 1 ? f : basename(f)));
      const hosts = files.map(() => '');
      let order: number[] | undefined;
      try {
        for (const [ref, host] of parsed.hosts) hosts[resolveCapture(ref, files, '--host')] = host;
        // Captures without --host each count as a host of their own only when some --host was given.
        for (let c = 0; c < files.length; c++) if (!hosts[c]) hosts[c] = parsed.hosts.size ? names[c] : 'host';
        if (parsed.order) order = parsed.order.map((ref) => resolveCapture(ref, files, '--order'));
      } catch (e) {
        io.stderr.write(`hopscope align: ${(e as Error).message}\n`);
        return 2;
      }
      let captures: CaptureColumns[];
      try {
        // Large files in worker threads, a share on this thread too (nothing else waits on it here).
        captures = await loadCapturesInParallel(files.map((path, c) => ({ path, name: names[c], host: hosts[c] })), loaders, { parseOnCallingThread: true });
      } catch (e) {
        const file = e instanceof CaptureLoadError ? e.path : files[0];
        io.stderr.write(`hopscope align: cannot read ${file}: ${(e as Error).message}\n`);
        return 1;
      }
      const analysis = analyzeCaptures(captures, { hosts, referenceHost: hosts[0], order, windowSec: parsed.windowSec });
      const shared = new Uint8Array(files.length);
      const t = analysis.table;
      for (let r = 0; r < t.rowCount; r++) {
        let n = 0;
        for (let c = 0; c < files.length; c++) if (t.cell(r, c) >= 0) n++;
        if (n >= 2) for (let c = 0; c < files.length; c++) if (t.cell(r, c) >= 0) shared[c] = 1;
      }
      const alone = names.filter((_, c) => !shared[c] && captures[c].length > 0);
      const empty = names.filter((_, c) => captures[c].length === 0);
      if (analysis.rowsOnSeveralCaptures === 0 || alone.length > 0) {
        const which = analysis.rowsOnSeveralCaptures === 0 ? 'the captures have no packet in common' : `${alone.join(', ')} share${alone.length === 1 ? 's' : ''} no packet with the other captures`;
        io.stderr.write(`hopscope align: ${which}${empty.length ? ` (empty: ${empty.join(', ')})` : ''}; `
          + 'check that they were taken at the same time on the same path, with filters that keep the same packets\n');
        return 1;
      }
      const report = buildAlignReport(analysis);
      io.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : formatAlignReport(report));
      return 0;
    },
  };
}

// Blocking 128 KiB reads: nothing else runs while the CLI loads (bench/align.ts: parse of 4 × 1M
// packets ~10 % less CPU than the asynchronous 512 KiB reads).
export const alignCommand: CliCommand = createAlignCommand(syncCaptureLoaders);
