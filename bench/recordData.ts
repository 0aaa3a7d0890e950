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
  // CPU time (user + system), best of 5: the least disturbed figure on a shared machine.
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round++) {
    for (const [name, onRecord] of variants) {
      const cpu = process.cpuUsage();
      await readCaptureFile(file, { onRecord }, { chunkSize });
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      best.set(name, Math.min(best.get(name) ?? Infinity, ms));
    }
  }
  for (const [name, ms] of best) console.log(`${name.padEnd(30)} ${ms.toFixed(0).padStart(6)} CPU ms (best of 5)`);
  if (sink === -1) console.log(sink);
}

void main();
