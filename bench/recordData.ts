/**
 * `node --import tsx bench/recordData.ts [--packets N] [--chunk BYTES]`: in-process cost of the ways a
 * consumer can get at a record's bytes (the file from bench/run.ts must exist): the lazy `rec.data`
 * view (one subarray per record), `rec.bytes` + `rec.dataOffset` (no allocation), and no bytes at all.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/core/pcap/captureStreamReader';
import type { CaptureRecord } from '../src/core/pcap/captureRecord';

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const file = join(__dirname, '.data', `mixed-${arg('--packets', 1_000_000)}.pcap`);
  if (!existsSync(file)) throw new Error(`${file} missing: run npm run bench first`);
  const chunkSize = arg('--chunk', 512 * 1024);
  let sink = 0;
  const variants: Array<[string, (rec: CaptureRecord) => void]> = [
    ['rec.data (view per record)', (rec) => { const d = rec.data; sink += d[d.length - 1]; }],
    ['rec.bytes + rec.dataOffset', (rec) => { sink += rec.bytes![rec.dataOffset! + rec.caplen - 1]; }],
    ['no bytes touched', (rec) => { sink += rec.caplen; }],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [name, onRecord] of variants) {
      const t = process.hrtime.bigint();
      const r = await readCaptureFile(file, { onRecord }, { chunkSize });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(`${name.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms  ${(r.records / ms / 1000).toFixed(2)} M packets/s`);
    }
  }
  if (sink === -1) console.log(sink);
}

void main();
