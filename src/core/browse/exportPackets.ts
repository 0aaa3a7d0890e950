/**
 * "Export Packets…" of the pcap editor: the rows of a view (every packet or a display filter's
 * matches), optionally only a range of packet numbers, written to a new classic pcap file with
 * their original timestamps (ns precision kept), lengths and link type.
 */
import { closeSync, openSync, unlinkSync } from 'node:fs';
import type { CaptureBrowser } from './captureBrowser';
import { PcapWriter } from '../pcap/pcapWriter';

export interface ExportSelection {
  view: number;
  /** Packet numbers (1-based, inclusive) to keep within the view; default all. */
  from?: number;
  to?: number;
}

/** Parses `12-40`, `12` or `12-` (to the end) into a range of packet numbers. */
export function parsePacketRange(text: string): { from: number; to: number } | undefined {
  const m = /^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] ? (m[3] ? Number(m[3]) : Infinity) : from;
  return from >= 1 && to >= from ? { from, to } : undefined;
}

const PAGE = 4096;

/** Writes the selected packets to `outPath`; returns how many were written. */
export async function exportPackets(browser: CaptureBrowser, selection: ExportSelection, outPath: string): Promise<number> {
  const from = selection.from ?? 1;
  const to = selection.to ?? Infinity;
  const fd = openSync(outPath, 'w');
  let writer: PcapWriter | undefined;
  let linkType = -1;
  try {
    const size = browser.viewSize(selection.view);
    for (let start = 0; start < size; start += PAGE) {
      await browser.readViewRecords(selection.view, start, PAGE, (rec) => {
        const n = rec.index + 1;
        if (n < from || n > to) return;
        if (!writer) { linkType = rec.linkType; writer = new PcapWriter(fd, { linkType, nanosecond: true }); }
        if (rec.linkType !== linkType) {
          throw new Error(`packet ${n} has link type ${rec.linkType}, the first exported one ${linkType}: a pcap file holds one link type`);
        }
        writer.writeRecord(rec.tsSec, rec.tsNsec, rec.data.subarray(0, rec.caplen), rec.origLen);
      });
    }
    if (!writer) writer = new PcapWriter(fd, { linkType: browser.linkType ?? 1, nanosecond: true });
    await writer.close();
    return writer.recordCount;
  } catch (e) {
    closeSync(fd);
    unlinkSync(outPath);
    throw e;
  } finally {
    try { closeSync(fd); } catch { /* closed on the error path */ }
  }
}
