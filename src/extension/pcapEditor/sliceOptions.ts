/**
 * What "Export Packets (Selection, Filter or Time Window)…" asks, turned into src/core/slice options:
 * pure parsing with clear errors (no `vscode` import), so the commands' input checks are unit-tested.
 */
import { basename, dirname, extname, join } from 'node:path';
import { compileDisplayFilter } from '../../core/filter/compileDisplayFilter';
import { parseCaptureTimeBound, type CaptureTimeBound } from '../../core/slice/captureTimeBound';
import { parsePacketRanges } from '../../core/slice/packetRanges';
import type { SliceOptions } from '../../core/slice/sliceCapture';

export type ExportScope = 'packets' | 'filter' | 'time';

export type ExportRequest =
  | { scope: 'packets'; packets: string }
  | { scope: 'filter'; filter: string }
  /** Empty `from`: the first packet; empty `to`: the end. */
  | { scope: 'time'; from: string; to: string };

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
    case 'filter': {
      if (!r.filter.trim()) throw new ExportRequestError('No display filter is applied: apply one in the editor first, or export a selection or time window');
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

/** `<dir>/<name>-<what>.<pcap|pcapng>`: pcapng input gives pcapng output (sliceCapture keeps the format). */
export function defaultSliceOutputPath(input: string, scope: ExportScope): string {
  const ext = extname(input).toLowerCase() === '.pcapng' ? '.pcapng' : '.pcap';
  const stem = basename(input, extname(input));
  const what = scope === 'packets' ? 'packets' : scope === 'filter' ? 'filtered' : 'window';
  return join(dirname(input), `${stem}-${what}${ext}`);
}
