/** Bench child: counts the records of a capture with our streaming reader (blocking 128 KiB reads, as the CLI). */
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';

let bytes = 0;
const r = readCaptureFileSync(process.argv[2], { onRecord: (rec) => { bytes += rec.caplen; } });
process.stderr.write(`records=${r.records} captured=${bytes}\n`);
