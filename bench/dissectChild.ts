/** Bench child: our reader plus the flat dissection (PacketFields) of every record. */
import { readCaptureFile } from '../src/core/pcap/captureStreamReader';
import { PacketFields } from '../src/core/decode/packetFields';
import { dissectPacket } from '../src/core/decode/dissectPacket';

void (async () => {
  const f = new PacketFields();
  let tcp = 0;
  const r = await readCaptureFile(process.argv[2], {
    onRecord: (rec) => { dissectPacket(rec.data, rec.caplen, rec.linkType, f); if (f.ipProto === 6) tcp++; },
  });
  process.stderr.write(`records=${r.records} tcp=${tcp}\n`);
})();
