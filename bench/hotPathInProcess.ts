/**
 * `node --import tsx bench/hotPathInProcess.ts [--packets N]`: in-process CPU time (best of 5) of the
 * dissect hot path pieces on the bench file (run `npm run bench` first): async reader alone, sync reader alone, sync reader +
 * dissectPacket through `rec.data`, and through `rec.bytes` + `rec.dataOffset`; then the alignment's identity pass: the
 * full dissector + computePacketIdentity, and the lean identity fields (dissectForIdentityAt, what the align loaders use)
 * alone and + computePacketIdentity. No process start or compile of a fresh process in these figures (best of 5 rounds).
 * Through tsx the figures are much higher than bundled (per-file transpilation leaves cross-module const enums as
 * objects): for figures comparable with the bench children, bundle it with esbuild and run the bundle.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../src/core/pcap/captureStreamReader';
import type { CaptureRecord } from '../src/core/pcap/captureRecord';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectPacket, dissectPacketAt } from '../src/core/decode/dissectPacket';
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';
import { dissectForIdentityAt } from '../src/core/decode/identityFields';
import { PacketIdentity, computePacketIdentity } from '../src/core/align/packetIdentity';

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const packets = arg('--packets', 1_000_000);
  const file = join(__dirname, '.data', `mixed-${packets}.pcap`);
  if (!existsSync(file)) throw new Error(`${file} missing: run npm run bench -- --packets ${packets} first`);
  const f = new PacketFields();
  const id = new PacketIdentity();
  let sink = 0;
  const variants: Array<[string, (rec: CaptureRecord) => void]> = [
    ['async reader only', (rec) => { sink += rec.caplen; }],
    ['reader only', (rec) => { sink += rec.caplen; }],
    ['dissectPacket(rec.data)', (rec) => { dissectPacket(rec.data, rec.caplen, rec.linkType, f); sink += f.ipProto; }],
    ['dissectPacketAt(bytes, offset)', (rec) => { dissectPacketAt(rec.bytes!, rec.dataOffset!, rec.caplen, rec.linkType, f); sink += f.ipProto; }],
    ['dissectPacketAt + identity', (rec) => {
      dissectPacketAt(rec.bytes!, rec.dataOffset!, rec.caplen, rec.linkType, f); computePacketIdentity(f, rec.bytes!, id); sink ^= id.idA;
    }],
    ['dissectForIdentityAt', (rec) => { dissectForIdentityAt(rec.bytes!, rec.dataOffset!, rec.caplen, rec.linkType, f); sink += f.ipProto; }],
    ['dissectForIdentityAt + identity', (rec) => {
      dissectForIdentityAt(rec.bytes!, rec.dataOffset!, rec.caplen, rec.linkType, f); computePacketIdentity(f, rec.bytes!, id); sink ^= id.idA;
    }],
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round++) {
    for (const [name, onRecord] of variants) {
      const cpu = process.cpuUsage();
      if (name.startsWith('async')) await readCaptureFile(file, { onRecord });
      else readCaptureFileSync(file, { onRecord });
      const used = process.cpuUsage(cpu);
      best.set(name, Math.min(best.get(name) ?? Infinity, (used.user + used.system) / 1000));
    }
  }
  for (const [name, ms] of best) {
    console.log(`${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} CPU ms  ${Math.round(packets / ms * 1000).toLocaleString('en-US').padStart(12)} pkt/CPU-s (best of 5)`);
  }
  if (sink === -1) console.log(sink);
}

void main();
