/**
 * `node --import tsx bench/identityCollisionCheck.ts FILE`: how packet identity groups the packets of a
 * capture, to compare two versions of the hash (run it on each, compare the lines). Per key (the 64-bit
 * identity idA:idB, natKey, flow, pairKey): the number of distinct values and a digest of the grouping,
 * i.e. of each packet's group number in order of first sighting. Equal digests = the same packets
 * grouped together whatever the hash values are; more distinct values with the same digest cannot
 * happen, fewer means the new hash merged groups (collisions).
 */
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectForIdentityAt } from '../src/core/decode/identityFields';
import { PacketIdentity, computePacketIdentity } from '../src/core/align/packetIdentity';

class Grouping {
  private readonly groups = new Map<number | bigint, number>();
  private digest = 0x811c9dc5;
  add(key: number | bigint): void {
    let g = this.groups.get(key);
    if (g === undefined) { g = this.groups.size; this.groups.set(key, g); }
    // FNV-1a over the group numbers (their order of first sighting, independent of the key values).
    this.digest = Math.imul(this.digest ^ g, 0x01000193) >>> 0;
  }
  toString(): string { return `distinct=${this.groups.size} grouping-digest=${this.digest.toString(16)}`; }
}

const f = new PacketFields();
const id = new PacketIdentity();
const identity = new Grouping();
const nat = new Grouping();
const flow = new Grouping();
const pair = new Grouping();
const r = readCaptureFileSync(process.argv[2], {
  onRecord: (rec) => {
    const bytes = rec.bytes!;
    dissectForIdentityAt(bytes, rec.dataOffset!, rec.caplen, rec.linkType, f);
    computePacketIdentity(f, bytes, id);
    identity.add((BigInt(id.idA) << 32n) | BigInt(id.idB));
    nat.add(id.natKey);
    flow.add(id.flow);
    pair.add(id.pairKey);
  },
});
console.log(`records=${r.records}`);
console.log(`identity (idA:idB) ${identity.toString()}`);
console.log(`natKey ${nat.toString()}`);
console.log(`flow ${flow.toString()}`);
console.log(`pairKey ${pair.toString()}`);
