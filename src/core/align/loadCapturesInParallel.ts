/**
 * Loads several captures into CaptureColumns using the machine's cores: large files are parsed in
 * worker threads (parseCaptureWorker.ts), whose column buffers come back transferred, not copied;
 * small files, or all of them when no worker can start (no worker script next to the bundle, no
 * worker_threads), are parsed on the calling thread with the given loaders. The result is the same
 * columns, in the order given, as loading the files one by one.
 *
 * Crossover (bench/alignParseCrossover.ts, 4 captures, CLI mode, load ~4 on 2 cores): a worker costs
 * ~110–150 ms CPU (start-up and its own JIT warm-up) while the parse runs at ~25 ms per MB; wall time
 * in-thread vs workers: 1 MB files 34 vs 123 ms, 7.6 MB 191 vs 190 ms, 15 MB 357 vs 293 ms, 30 MB
 * 756 vs 547 ms. So a file goes to a worker from MIN_WORKER_BYTES (between the last two sizes) on.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CaptureColumns } from './captureColumns';
import { loadCaptureColumns, type CaptureLoaders } from './loadCaptureColumns';
import type { ParseReply, ParseRequest } from './parseCaptureMessages';

export interface CaptureToLoad {
  path: string;
  name: string;
  host: string;
}

export interface ParallelLoadOptions {
  /** Most worker threads (default: the number of cores, at most 4). 0 parses everything in-thread. */
  maxWorkers?: number;
  /** Files smaller than this are parsed in-thread (default MIN_WORKER_BYTES). */
  minWorkerBytes?: number;
  /**
   * Whether the calling thread takes a share of the large files too (the command line, where nothing
   * else waits on it); the extension host leaves all of them to workers and stays responsive.
   */
  parseOnCallingThread?: boolean;
  /** Worker entry script; default: found next to the running bundle or source (see workerScriptPath). */
  workerScript?: string | null;
  /** Told where each capture was parsed (bench and tests). */
  onLoaded?: (index: number, where: 'worker' | 'calling thread') => void;
}

/** Below this size a file is parsed in-thread: starting a worker would cost more than it saves. */
export const MIN_WORKER_BYTES = 12 << 20;

/** A capture that could not be loaded, with its index in the list given. */
export class CaptureLoadError extends Error {
  constructor(readonly index: number, readonly path: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * A worker on the bundled script, or on the TypeScript source through tsx's CommonJS hook (Node 20
 * does not apply the parent's `--import tsx` to a worker's entry file).
 */
function startWorker(script: string): Worker {
  if (!script.endsWith('.ts')) return new Worker(script);
  const tsx = createRequire(__filename).resolve(['tsx', 'cjs'].join('/'));
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true });
}

/** dist/alignParseWorker.js beside a bundle (CLI, extension, bench), or the .ts source under tsx. */
export function workerScriptPath(): string | null {
  const bundled = join(__dirname, 'alignParseWorker.js');
  if (existsSync(bundled)) return bundled;
  const source = join(__dirname, 'parseCaptureWorker.ts');
  if (__filename.endsWith('.ts') && existsSync(source)) return source;
  return null;
}

export async function loadCapturesInParallel(
  specs: readonly CaptureToLoad[], loaders: CaptureLoaders, options: ParallelLoadOptions = {},
): Promise<CaptureColumns[]> {
  const sizes = await Promise.all(specs.map(async (s) => { try { return (await stat(s.path)).size; } catch { return 0; } }));
  const minBytes = options.minWorkerBytes ?? MIN_WORKER_BYTES;
  const large = specs.map((_, i) => i).filter((i) => sizes[i] >= minBytes).sort((x, y) => sizes[y] - sizes[x] || x - y);
  const script = options.workerScript === undefined ? workerScriptPath() : options.workerScript;
  const shareMain = options.parseOnCallingThread ?? false;
  const cores = availableParallelism();
  let workers = Math.min(options.maxWorkers ?? Math.min(cores, 4), large.length - (shareMain ? 1 : 0));
  if (shareMain) workers = Math.min(workers, cores - 1);
  if (!script || workers <= 0 || (!shareMain && large.length < 2 && specs.length < 2)) workers = 0;
  // Lanes: 0..workers-1 are workers, `workers` is the calling thread. Largest file first to the
  // least loaded lane, so unequal files still finish together.
  const lanes = workers + (shareMain || workers === 0 ? 1 : 0);
  const laneOf = new Int32Array(specs.length).fill(workers); // small files: calling thread
  const laneBytes = new Float64Array(lanes);
  for (const i of large) {
    let best = 0;
    for (let l = 1; l < lanes; l++) if (laneBytes[l] < laneBytes[best]) best = l;
    laneOf[i] = best;
    laneBytes[best] += sizes[i];
  }
  const out: (CaptureColumns | undefined)[] = new Array<CaptureColumns | undefined>(specs.length);
  const fromWorkers: Promise<void>[] = [];
  for (let w = 0; w < workers && script; w++) {
    const mine = specs.map((_, i) => i).filter((i) => laneOf[i] === w);
    fromWorkers.push(runWorker(script, specs, mine, out, options.onLoaded).then((unfinished) => inThread(specs, unfinished, loaders, out, options.onLoaded)));
  }
  let failure: unknown;
  try {
    await inThread(specs, specs.map((_, i) => i).filter((i) => laneOf[i] === workers), loaders, out, options.onLoaded);
  } catch (e) {
    failure = e;
  }
  const settled = await Promise.allSettled(fromWorkers);
  // The first file (in the order given) that failed is the one reported, as when loading one by one.
  const errors = [failure, ...settled.map((s) => (s.status === 'rejected' ? s.reason : undefined))]
    .filter((e): e is CaptureLoadError => e instanceof CaptureLoadError);
  if (errors.length > 0) throw errors.reduce((a, b) => (b.index < a.index ? b : a));
  if (failure !== undefined) throw failure;
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return out.map((c, i) => {
    if (!c) throw new CaptureLoadError(i, specs[i].path, new Error('not loaded'));
    return c;
  });
}

type OnLoaded = ParallelLoadOptions['onLoaded'];

async function inThread(specs: readonly CaptureToLoad[], indexes: readonly number[], loaders: CaptureLoaders, out: (CaptureColumns | undefined)[], onLoaded: OnLoaded): Promise<void> {
  for (const i of indexes) {
    const s = specs[i];
    try {
      out[i] = await loadCaptureColumns(s.path, s.name, s.host, loaders);
    } catch (e) {
      throw new CaptureLoadError(i, s.path, e);
    }
    onLoaded?.(i, 'calling thread');
  }
}

/**
 * Parses `indexes` in one worker; resolves with the indexes it did not deliver when the worker could
 * not start or died (they are then parsed in-thread), rejects with the first file (in the order
 * given) it could not read, once it has tried them all.
 */
function runWorker(
  script: string, specs: readonly CaptureToLoad[], indexes: readonly number[], out: (CaptureColumns | undefined)[], onLoaded: OnLoaded,
): Promise<number[]> {
  return new Promise<number[]>((resolve, reject) => {
    const awaiting = new Set(indexes);
    const undelivered: number[] = [];
    let error: CaptureLoadError | undefined;
    let worker: Worker;
    try {
      worker = startWorker(script);
    } catch {
      resolve([...indexes]);
      return;
    }
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve([...awaiting, ...undelivered].sort((a, b) => a - b));
    };
    worker.on('message', (reply: ParseReply) => {
      if (!awaiting.delete(reply.id)) return;
      if (!reply.ok) {
        const e = new CaptureLoadError(reply.id, specs[reply.id].path, new Error(reply.message));
        if (!error || e.index < error.index) error = e;
      } else {
        try {
          out[reply.id] = CaptureColumns.fromTransfer(reply.columns);
          onLoaded?.(reply.id, 'worker');
        } catch {
          undelivered.push(reply.id);
        }
      }
      if (awaiting.size === 0) finish();
    });
    // A worker that fails to load its script, or dies, leaves its files to the calling thread.
    worker.on('error', finish);
    worker.on('exit', finish);
    for (const i of indexes) {
      const req: ParseRequest = { id: i, path: specs[i].path, name: specs[i].name, host: specs[i].host };
      worker.postMessage(req);
    }
  });
}
