/**
 * What "Export Packets…" of the pcap editor asks (selected packets, a display filter, a time window or
 * the displayed rows; pcap or pcapng by the chosen file name), turned into src/core/slice options:
 * pure parsing with clear errors (no `vscode` import), so the commands' input checks are unit-tested.
 */
import { basename, dirname, extname, join } from 'node:path';
import { compileDisplayFilter } from '../../core/filter/compileDisplayFilter';
import { parseCaptureTimeBound, type CaptureTimeBound } from '../../core/slice/captureTimeBound';
import { parsePacketRanges } from '../../core/slice/packetRanges';
import type { SliceOptions } from '../../core/slice/sliceCapture';

export type ExportScope = 'packets' | 'filter' | 'time' | 'displayed';

export type ExportRequest =
  | { scope: 'packets'; packets: string }
  | { scope: 'filter'; filter: string }
  /** Empty `from`: the first packet; empty `to`: the end. */
  | { scope: 'time'; from: string; to: string }
  /** The editor's rows: 0-based packet indexes of a filtered view, undefined when every packet shows. */
  | { scope: 'displayed'; packetIndexes: Uint32Array | undefined };

export class ExportRequestError extends Error {}

/** Checks one input box's text; returns the error message or undefined (for validateInput). */
export function checkPacketNumbers(text: string): string | undefined {
  if (!text.trim()) return 'Give packet numbers, e.g. 42 or 10-20,42,300-';
  try { parsePacketRanges(text); return undefined; } catch (e) { return (e as Error).message; }
}

export function checkTimeBound(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try { parseCaptureTimeBound(text); return undefined; } catch (e) { return (e as Error).message; }
}

/** Relative bounds are offsets from the first packet, absolute ones are instants: comparable when alike. */
function boundsOrdered(a: CaptureTimeBound, b: CaptureTimeBound): boolean {
  if (a.kind === 'relative' && b.kind === 'relative') return a.offsetNs < b.offsetNs;
  if (a.kind === 'absolute' && b.kind === 'absolute') return a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);
  return true;
}

export function buildSliceOptions(r: ExportRequest): SliceOptions {
  switch (r.scope) {
    case 'packets': {
      const err = checkPacketNumbers(r.packets);
      if (err) throw new ExportRequestError(err);
      return { packetNumbers: parsePacketRanges(r.packets) };
    }
    case 'displayed': return r.packetIndexes ? { packetIndexes: r.packetIndexes } : {};
    case 'filter': {
      if (!r.filter.trim()) throw new ExportRequestError('Give a display filter (e.g. icmp or ip.addr == 10.0.0.1), or export the displayed packets, a selection or a time window');
      compileDisplayFilter(r.filter); // throws DisplayFilterError with its position
      return { displayFilter: r.filter };
    }
    case 'time': {
      if (!r.from.trim() && !r.to.trim()) throw new ExportRequestError('Give a start, an end or both (empty means the first / the last packet)');
      for (const t of [r.from, r.to]) {
        const err = checkTimeBound(t);
        if (err) throw new ExportRequestError(err);
      }
      const startTime = r.from.trim() ? parseCaptureTimeBound(r.from) : undefined;
      const endTime = r.to.trim() ? parseCaptureTimeBound(r.to) : undefined;
      if (startTime && endTime && !boundsOrdered(startTime, endTime)) throw new ExportRequestError(`the end (${r.to.trim()}) is not after the start (${r.from.trim()})`);
      return { startTime, endTime };
    }
  }
}

/** Checks display filter text for the input box; returns the error (with its column) or undefined. */
export function checkDisplayFilter(text: string): string | undefined {
  if (!text.trim()) return 'Give a display filter, e.g. icmp, ip.addr == 10.0.0.1 or frame.time_relative >= 2';
  try { compileDisplayFilter(text); return undefined; } catch (e) {
    const pos = (e as { position?: number }).position;
    return pos === undefined ? (e as Error).message : `${(e as Error).message} (at column ${pos + 1})`;
  }
}

/** The format to write: by the chosen file's extension; another extension keeps the input's format. */
export function exportFormatFor(target: string): 'pcap' | 'pcapng' | undefined {
  const ext = extname(target).toLowerCase();
  return ext === '.pcapng' ? 'pcapng' : ext === '.pcap' ? 'pcap' : undefined;
}

/** `<dir>/<name>-<what>.<pcap|pcapng>`: pcapng input gives pcapng output (sliceCapture keeps the format). */
export function defaultSliceOutputPath(input: string, scope: ExportScope): string {
  const ext = extname(input).toLowerCase() === '.pcapng' ? '.pcapng' : '.pcap';
  const stem = basename(input, extname(input));
  const what = scope === 'packets' ? 'packets' : scope === 'filter' ? 'filtered' : scope === 'displayed' ? 'displayed' : 'window';
  return join(dirname(input), `${stem}-${what}${ext}`);
}
