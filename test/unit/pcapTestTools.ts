/** Shared by the pcap tests: golden facts from the real tools, and our reader's view of the same bytes. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CaptureStreamReader } from '../../src/core/pcap/captureStreamReader';
import type { CaptureInterface } from '../../src/core/pcap/captureRecord';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'pcap');
export const fixture = (name: string): string => join(FIXTURES, name);

export function runTool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** One line per packet from tshark: epoch time (9 decimals), frame.len, frame.cap_len, section-local interface id. */
export function tsharkPacketLines(file: string): string[] {
  const out = runTool('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id']);
  // Classic pcap has no interface id field: tshark prints an empty column there.
  return out.split('\n').filter((l) => l !== '').map((l) => l.replace(/\t$/, '\t0'));
}

export interface ReadResult {
  lines: string[];
  /** Hex of every record's bytes, to compare chunkings byte for byte. */
  dataHex: string[];
  interfaces: readonly CaptureInterface[];
  comments: string[];
  error?: unknown;
  reader: CaptureStreamReader;
}

/** Reads `bytes` pushed in chunks of the sizes `chunkSizes` yields (cycled), through end(). */
export function readBytes(bytes: Uint8Array, chunkSize: (i: number) => number = () => bytes.length): ReadResult {
  const lines: string[] = [];
  const dataHex: string[] = [];
  const comments: string[] = [];
  const reader: CaptureStreamReader = new CaptureStreamReader({
    onRecord(rec) {
      const iface = reader.interfaces[rec.interfaceId];
      const localId = rec.interfaceId - reader.interfaces.findIndex((i) => i.section === iface.section);
      lines.push(`${rec.tsSec}.${String(rec.tsNsec).padStart(9, '0')}\t${rec.origLen}\t${rec.caplen}\t${localId}`);
      dataHex.push(Buffer.from(rec.data).toString('hex'));
    },
    onSectionComment(c) { comments.push(c); },
  });
  let error: unknown;
  try {
    for (let off = 0, i = 0; off < bytes.length; i++) {
      const n = Math.max(1, chunkSize(i));
      reader.push(bytes.subarray(off, off + n));
      off += n;
    }
    reader.end();
  } catch (e) {
    error = e;
  }
  return { lines, dataHex, interfaces: reader.interfaces, comments, error, reader };
}

/** Seeded PRNG (mulberry32): reproducible chunkings and mutations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
