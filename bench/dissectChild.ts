/** Bench child: our reader plus the flat dissection (PacketFields) of every record, as the hot paths run it. */
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectPacketAt } from '../src/core/decode/dissectPacket';

const f = new PacketFields();
let tcp = 0;
const r = readCaptureFileSync(process.argv[2], {
  // rec.bytes + rec.dataOffset: no view per record.
  onRecord: (rec) => { dissectPacketAt(rec.bytes!, rec.dataOffset!, rec.caplen, rec.linkType, f); if (f.ipProto === 6) tcp++; },
});
process.stderr.write(`records=${r.records} tcp=${tcp}\n`);
