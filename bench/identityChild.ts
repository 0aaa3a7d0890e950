/**
 * Bench child: reader + the alignment loader's dissection (dissectForIdentityAt: the lean identity
 * fields of plain Ethernet/IPv4 TCP/UDP frames, dissectPacketAt for the rest) + packet identity
 * (src/core/align) of every record.
 */
import { writeSync } from 'node:fs';
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectForIdentityAt } from '../src/core/decode/identityFields';
import { PacketIdentity, computePacketIdentity } from '../src/core/align/packetIdentity';

const f = new PacketFields();
const id = new PacketIdentity();
// The checksum in a typed array: a module-level `let` is a closure context slot, and a uint32 of 2^31
// or more stored there is a fresh heap number per packet (8 of the 19 scavenges on 1M packets, 7-15 CPU
// ms of bench glue that no part of the engine does; the align loader stores identities in typed arrays).
const mix = new Uint32Array(1);
const r = readCaptureFileSync(process.argv[2], {
  onRecord: (rec) => {
    const bytes = rec.bytes!;
    dissectForIdentityAt(bytes, rec.dataOffset!, rec.caplen, rec.linkType, f);
    computePacketIdentity(f, bytes, id);
    mix[0] ^= id.idA;
  },
});
// writeSync, not process.stderr: the stream costs ~10 ms of start-up (tty/net modules) for one line of
// bench output that no part of the engine writes.
writeSync(2, `records=${r.records} identity-xor=${mix[0].toString(16)}\n`);
