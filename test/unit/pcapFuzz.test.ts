/**
 * Fuzzes the capture reader with seeded mutations of real captures (classic pcap and pcapng, both byte
 * orders). Properties: only CaptureFormatError escapes; the result does not depend on how the bytes are
 * chunked; work is linear (records <= bytes / smallest record); memory stays bounded.
 * To fuzz more code on every record (e.g. the decoder), add a function to PER_RECORD_HOOKS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CaptureFormatError } from '../../src/core/pcap/captureFormatError';
import { CaptureStreamReader } from '../../src/core/pcap/captureStreamReader';
import type { CaptureRecord } from '../../src/core/pcap/captureRecord';
import { fixture, seededRandom } from './pcapTestTools';

type RecordHook = (rec: CaptureRecord, reader: CaptureStreamReader) => void;

/** Runs on every record the reader delivers during fuzzing. */
const PER_RECORD_HOOKS: RecordHook[] = [
  (rec, reader) => {
    if (rec.data.length !== rec.caplen) throw new Error(`data length ${rec.data.length} != caplen ${rec.caplen}`);
    if (rec.caplen > 262144) throw new Error(`caplen ${rec.caplen} above the maximum`);
    if (!(rec.tsNsec >= 0 && rec.tsNsec < 1e9)) throw new Error(`tsNsec ${rec.tsNsec} out of range`);
    if (rec.interfaceId >= reader.interfaces.length) throw new Error(`interface ${rec.interfaceId} unknown`);
  },
];

const SEEDS = ['lo.pcap', 'lo-be.pcap', 'lo-nsec.pcap', 'any.pcap', 'lo.pcapng', 'merged.pcapng', 'merged-be.pcapng', 'two-sections.pcapng'];
const INTERESTING_U32 = [0, 1, 3, 12, 16, 28, 0x7fffffff, 0xffffffff, 0x80000000, 262144, 262145, 65536];
const TIME_BUDGET_MS = 15000;
const MAX_CASES = 60000;

interface Outcome { records: number; digest: number; error: string }

function readMutated(bytes: Uint8Array, nextChunk: () => number): Outcome {
  let records = 0;
  let digest = 0;
  const reader: CaptureStreamReader = new CaptureStreamReader({
    onRecord(rec) {
      records++;
      digest = (digest * 31 + rec.caplen + rec.origLen * 7 + rec.tsSec + rec.tsNsec + rec.fileOffset + (rec.data[0] ?? 0)) % 1e9;
      for (const hook of PER_RECORD_HOOKS) hook(rec, reader);
    },
  });
  let error = '';
  try {
    for (let off = 0; off < bytes.length;) {
      const n = nextChunk();
      reader.push(bytes.subarray(off, off + n));
      off += n;
    }
    reader.end();
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    error = `${e.code}@${e.offset}`;
  }
  // Linear work: every record takes at least 16 bytes (pcapng SPB header+trailer) of the stream.
  if (records > bytes.length / 16 + 1) throw new Error(`${records} records from ${bytes.length} bytes`);
  return { records, digest, error };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = src.slice();
  const v = new DataView(b.buffer);
  const pos = (): number => Math.floor(rnd() * b.length);
  const kinds = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < kinds; k++) {
    const kind = Math.floor(rnd() * 5);
    if (kind === 0) { const p = pos(); b[p] ^= 1 << Math.floor(rnd() * 8); }
    else if (kind === 1) { b[pos()] = Math.floor(rnd() * 256); }
    else if (kind === 2) {
      // A length field: classic record caplen/origLen or pcapng block length live at 4-aligned offsets.
      const p = pos() & ~3;
      if (p + 4 <= b.length) v.setUint32(p, INTERESTING_U32[Math.floor(rnd() * INTERESTING_U32.length)], rnd() < 0.5);
    } else if (kind === 3) {
      // A pcapng block length or trailer, found by walking the blocks (little-endian files).
      const blocks: number[] = [];
      for (let p = 0; p + 8 <= b.length && blocks.length < 200;) {
        const len = v.getUint32(p + 4, true);
        if (len < 12 || p + len > b.length) break;
        blocks.push(p);
        p += len;
      }
      if (blocks.length > 0) {
        const p = blocks[Math.floor(rnd() * blocks.length)];
        const len = v.getUint32(p + 4, true);
        const at = rnd() < 0.5 ? p + 4 : p + len - 4;
        v.setUint32(at, rnd() < 0.5 ? len + (Math.floor(rnd() * 9) - 4) : INTERESTING_U32[Math.floor(rnd() * INTERESTING_U32.length)], true);
      } else {
        const p = pos() & ~3;
        if (p + 4 <= b.length) v.setUint32(p, v.getUint32(p, true) + Math.floor(rnd() * 9) - 4, true);
      }
    } else {
      return b.subarray(0, pos());
    }
  }
  return b;
}

test('fuzz: mutated captures never throw anything but CaptureFormatError, whatever the chunking', { timeout: 120000 }, () => {
  const seeds = SEEDS.map((name) => new Uint8Array(readFileSync(fixture(name))));
  const rnd = seededRandom(20261123);
  const started = Date.now();
  const baseline = process.memoryUsage().rss;
  let cases = 0;
  let rejected = 0;
  for (; cases < MAX_CASES && Date.now() - started < TIME_BUDGET_MS; cases++) {
    const mutated = mutate(seeds[cases % seeds.length], rnd);
    let whole: Outcome;
    let chunked: Outcome;
    try {
      whole = readMutated(mutated, () => mutated.length || 1);
      const maxChunk = 1 + Math.floor(rnd() * 600);
      chunked = readMutated(mutated, () => 1 + Math.floor(rnd() * maxChunk));
    } catch (e) {
      assert.fail(`case ${cases}: ${e instanceof Error ? e.stack : String(e)}\ninput (hex): ${Buffer.from(mutated).toString('hex').slice(0, 400)}`);
    }
    assert.deepEqual(chunked, whole, `case ${cases}: chunked read differs from a single push`);
    if (whole.error) rejected++;
  }
  const grownMb = (process.memoryUsage().rss - baseline) / 1e6;
  console.log(`fuzz: ${cases} cases (x2 chunkings), ${rejected} rejected with CaptureFormatError, rss +${grownMb.toFixed(0)} MB`);
  assert.ok(cases >= 1000, `only ${cases} cases ran`);
  assert.ok(grownMb < 300, `rss grew by ${grownMb} MB`);
});
