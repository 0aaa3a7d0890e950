/**
 * The first records of a capture file without indexing it: what a viewer shows while the index of a
 * large file is still being built (issue #6: a 1M-packet file's first rows before its index is done).
 * Reads only as many bytes as those records need.
 */
import { open } from 'node:fs/promises';
import { CaptureStreamReader } from './captureStreamReader';
import type { CaptureRecord } from './captureRecord';

const CHUNK = 256 * 1024;

/** Delivers records 0…count-1 (fewer if the file has fewer); returns how many. Format errors throw. */
export async function readFirstRecords(path: string, count: number, onRecord: (rec: CaptureRecord) => void): Promise<number> {
  let seen = 0;
  const reader = new CaptureStreamReader({
    onRecord(rec) {
      if (seen < count) onRecord(rec);
      seen++;
    },
  });
  const f = await open(path, 'r');
  try {
    const chunk = new Uint8Array(CHUNK);
    let position = 0;
    while (seen < count) {
      const { bytesRead } = await f.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) {
        reader.end();
        break;
      }
      position += bytesRead;
      reader.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await f.close();
  }
  return Math.min(seen, count);
}
