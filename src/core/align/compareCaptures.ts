/**
 * Loads captures and runs the alignment for Compare Captures: host and `iface@host` label of each
 * file from its path, the user's hop order and clock offsets applied, and the view model built.
 */
import { basename, dirname, extname, sep } from 'node:path';
import { analyzeCaptures } from './analyzeCaptures';
import type { CaptureColumns } from './captureColumns';
import { CompareViewModel, type CompareCaptureInfo } from './compareViewModel';
import type { CaptureLoaders } from './loadCaptureColumns';
import { CaptureLoadError, loadCapturesInParallel } from './loadCapturesInParallel';

/**
 * Host and interface of a capture from its path: `…/captures/<host>/<iface>-<when>.pcap` (how
 * Hopscope saves them), else the file's folder as the host and its name as the interface.
 */
export function captureHostAndInterface(path: string): { host: string; iface: string } {
  const stem = basename(path, extname(path));
  const parts = path.split(/[\\/]/);
  const k = parts.lastIndexOf('captures');
  if (k >= 0 && k === parts.length - 3) {
    const dash = stem.indexOf('-');
    return { host: parts[k + 1], iface: dash > 0 ? stem.slice(0, dash) : stem };
  }
  return { host: basename(dirname(path)) || sep, iface: stem };
}

/**
 * One entry per file, labels made unique (`eth0@hv1`, `eth0@hv1 (2)`); `hostOverrides` (file index →
 * host) replaces the host found in the path.
 */
export function describeCaptureFiles(files: readonly string[], hostOverrides?: ReadonlyMap<number, string>): CompareCaptureInfo[] {
  const seen = new Map<string, number>();
  return files.map((file, i) => {
    const found = captureHostAndInterface(file);
    const iface = found.iface;
    const host = hostOverrides?.get(i) ?? found.host;
    let label = `${iface}@${host}`;
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    if (n > 1) label = `${label} (${n})`;
    return { file, host, label };
  });
}

export interface CompareOptions {
  /** Hop order as capture indexes (direction 0), overriding the inferred one. */
  order?: readonly number[];
  /** Host → clock offset in seconds (ahead of the first file's host), set by the user. */
  clockOverrides?: ReadonlyMap<string, number>;
  /** File index → host the user says the capture was taken on (its clock group and label). */
  hostOverrides?: ReadonlyMap<number, string>;
}

/** Loaded columns, reused when only the order or the clocks change. */
export type LoadedCaptures = CaptureColumns[];

export async function loadCompareCaptures(files: readonly string[], loaders: CaptureLoaders): Promise<LoadedCaptures> {
  const infos = describeCaptureFiles(files);
  try {
    // Large files in worker threads; the extension host's own thread only parses the small ones.
    return await loadCapturesInParallel(infos.map((i) => ({ path: i.file, name: i.label, host: i.host })), loaders);
  } catch (e) {
    const file = e instanceof CaptureLoadError ? e.path : infos[0]?.file;
    const cause = e instanceof CaptureLoadError ? e.cause : e;
    throw new Error(`cannot read ${file}: ${(e as Error).message}`, { cause });
  }
}

export function compareCaptures(files: readonly string[], captures: LoadedCaptures, options: CompareOptions = {}): CompareViewModel {
  if (files.length < 2) throw new Error(`Compare Captures needs at least two captures of one path (got ${files.length})`);
  const infos = describeCaptureFiles(files, options.hostOverrides);
  const hosts = infos.map((i) => i.host);
  const analysis = analyzeCaptures(captures, { hosts, referenceHost: hosts[0], order: options.order, clockOverrides: options.clockOverrides });
  if (analysis.rowsOnSeveralCaptures === 0) {
    throw new Error('the captures have no packet in common; check that they were taken at the same time on the same path');
  }
  return new CompareViewModel(analysis, infos, new Set(options.clockOverrides?.keys() ?? []));
}
