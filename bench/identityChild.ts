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
let mix = 0;
const r = readCaptureFileSync(process.argv[2], {
  onRecord: (rec) => {
    const bytes = rec.bytes!;
    dissectForIdentityAt(bytes, rec.dataOffset!, rec.caplen, rec.linkType, f);
    computePacketIdentity(f, bytes, id);
    mix = (mix ^ id.idA) >>> 0;
  },
});
// writeSync, not process.stderr: the stream costs ~10 ms of start-up (tty/net modules) for one line of
// bench output that no part of the engine writes.
writeSync(2, `records=${r.records} identity-xor=${mix.toString(16)}\n`);
