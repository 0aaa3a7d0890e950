/** Bench child: counts the records of a capture with our streaming reader. */
import { readCaptureFile } from '../src/core/pcap/captureStreamReader';

void (async () => {
  let bytes = 0;
  const r = await readCaptureFile(process.argv[2], { onRecord: (rec) => { bytes += rec.caplen; } });
  process.stderr.write(`records=${r.records} captured=${bytes}\n`);
})();
