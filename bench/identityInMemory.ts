/**
 * `node <bundle of this file> FILE [PACKETS]`: the identity pass alone, in process, on packets held in
 * memory (the first PACKETS records, default 600 ≈ 400 KB so that they stay in L2 like the reader's chunk, copied
 * into one buffer, 2M packets per timing): CPU time per packet of the lean
 * dissection, and of the lean dissection + computePacketIdentity, best of 7 passes each, alternating.
 * No reads, no process start: for comparing two versions of the hash (bundle each with esbuild).
 */
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectForIdentityAt } from '../src/core/decode/identityFields';
import { PacketIdentity, computePacketIdentity } from '../src/core/align/packetIdentity';

const limit = Number(process.argv[3] ?? 600);
// Passes over the packets per timing: the packets stay in L2 (as the reader's 128 KiB chunk does).
const reps = Math.max(1, Math.round(2_000_000 / limit));
const chunks: Uint8Array[] = [];
const starts: number[] = [];
const lens: number[] = [];
let linkType = 1;
let total = 0;
readCaptureFileSync(process.argv[2], {
  onRecord: (rec) => {
    if (starts.length >= limit) return;
    const bytes = rec.bytes!;
    chunks.push(bytes.slice(rec.dataOffset!, rec.dataOffset! + rec.caplen));
    starts.push(total);
    lens.push(rec.caplen);
    total += rec.caplen;
    linkType = rec.linkType;
  },
});
const all = new Uint8Array(total);
for (let i = 0; i < chunks.length; i++) all.set(chunks[i], starts[i]);
const n = starts.length;
const start = Int32Array.from(starts);
const len = Int32Array.from(lens);
const f = new PacketFields();
const id = new PacketIdentity();

function dissectOnly(): number {
  let s = 0;
  for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) { dissectForIdentityAt(all, start[i], len[i], linkType, f); s += f.ipProto; }
  return s;
}
function dissectAndIdentity(): number {
  let s = 0;
  for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) { dissectForIdentityAt(all, start[i], len[i], linkType, f); computePacketIdentity(f, all, id); s ^= id.idA; }
  return s;
}
function cpuNs(fn: () => number): number {
  const c = process.cpuUsage();
  if (fn() === 0.5) console.log('');
  const u = process.cpuUsage(c);
  return (u.user + u.system) * 1000 / (n * reps);
}
let bestD = Infinity;
let bestI = Infinity;
for (let r = 0; r < 7; r++) {
  bestD = Math.min(bestD, cpuNs(dissectOnly));
  bestI = Math.min(bestI, cpuNs(dissectAndIdentity));
}
console.log(`${n} packets in memory: lean dissection ${bestD.toFixed(1)} ns/packet, + identity ${bestI.toFixed(1)} ns/packet (identity ~${(bestI - bestD).toFixed(1)} ns)`);
