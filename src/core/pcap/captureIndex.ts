/**
 * Random access to the packets of a capture file without holding them: one streaming pass records
 * where each record starts (8 bytes per packet), and a range of packets is re-read later by feeding
 * the file's header bytes plus that byte range to a fresh stream reader — the same parser as the
 * sequential path, so both always agree. Used by the pcap editor (pages of rows) and slicing.
 *
 * Limitation: pcapng interface blocks that appear after the first packet are only known to the
 * sequential pass; ranges are decoded with the interfaces declared before the first packet.
 */
import { open } from 'node:fs/promises';
import type { CaptureFormat, CaptureInterface, CaptureRecord } from './captureRecord';
import { CaptureFormatError } from './captureFormatError';
import { CaptureStreamReader, pumpCaptureFile } from './captureStreamReader';

export interface CaptureIndex {
  path: string;
  format: CaptureFormat;
  interfaces: CaptureInterface[];
  count: number;
  /** Byte offset of each record's header; valid for [0, count). */
  offsets: Float64Array;
  /** Bytes before the first record (file header, or pcapng SHB and IDBs). */
  prefix: Uint8Array;
  /** End of the last complete record. */
  endOffset: number;
  firstTsSec: number;
  firstTsNsec: number;
  /** Set when the file is damaged after `count` good records (they stay readable). */
  error?: CaptureFormatError;
}

export interface CaptureIndexOptions {
  /** Called every `progressEvery` records and at the end. */
  onProgress?(count: number): void;
  progressEvery?: number;
}

export async function buildCaptureIndex(path: string, options: CaptureIndexOptions = {}): Promise<CaptureIndex> {
  let offsets = new Float64Array(1 << 16);
  let count = 0;
  let endOffset = 0;
  let first = { sec: 0, nsec: 0 };
  const every = options.progressEvery ?? 50_000;
  const reader = new CaptureStreamReader({
    onRecord(rec: CaptureRecord) {
      if (count === offsets.length) {
        const grown = new Float64Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      if (count === 0) first = { sec: rec.tsSec, nsec: rec.tsNsec };
      offsets[count++] = rec.fileOffset;
      if (count % every === 0) options.onProgress?.(count);
    },
  });
  let error: CaptureFormatError | undefined;
  try {
    await pumpCaptureFile(path, reader);
  } catch (e) {
    if (!(e instanceof CaptureFormatError) || (count === 0 && e.code !== 'truncated')) throw e;
    error = e;
  }
  endOffset = error ? error.offset : reader.bytesConsumed;
  const prefixLength = count > 0 ? offsets[0] : endOffset;
  const prefix = new Uint8Array(prefixLength);
  if (prefixLength > 0) {
    const f = await open(path, 'r');
    try { await f.read(prefix, 0, prefixLength, 0); } finally { await f.close(); }
  }
  options.onProgress?.(count);
  return {
    path, format: reader.format ?? 'pcap', interfaces: [...reader.interfaces], count, offsets: offsets.subarray(0, Math.max(count, 1)),
    prefix, endOffset, firstTsSec: first.sec, firstTsNsec: first.nsec, error,
  };
}

/**
 * Delivers records [start, start + count) of an indexed file, in order. `rec.index` and
 * `rec.fileOffset` are those of the whole file.
 */
export async function readIndexedRecords(index: CaptureIndex, start: number, count: number, onRecord: (rec: CaptureRecord) => void): Promise<void> {
  const from = Math.max(0, start);
  const to = Math.min(index.count, start + count);
  if (to <= from) return;
  const begin = index.offsets[from];
  const end = to < index.count ? index.offsets[to] : index.endOffset;
  const bytes = new Uint8Array(end - begin);
  const f = await open(index.path, 'r');
  try {
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await f.read(bytes, got, bytes.length - got, begin + got);
      if (bytesRead === 0) throw new CaptureFormatError('truncated', begin + got, `${index.path} changed since it was indexed (ends at byte ${begin + got})`);
      got += bytesRead;
    }
  } finally {
    await f.close();
  }
  const shift = begin - index.prefix.length;
  const reader = new CaptureStreamReader({
    onRecord(rec) {
      rec.index += from;
      rec.fileOffset += shift;
      onRecord(rec);
    },
  });
  reader.push(index.prefix);
  reader.push(bytes);
  reader.end();
}
