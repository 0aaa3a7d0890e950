/** Bench child: counts the records of a capture with our streaming reader (blocking 128 KiB reads, as the CLI). */
import { writeSync } from 'node:fs';
import { readCaptureFileSync } from '../src/core/pcap/captureFileSync';

let bytes = 0;
const r = readCaptureFileSync(process.argv[2], { onRecord: (rec) => { bytes += rec.caplen; } });
// writeSync, not process.stderr: the stream costs ~10 ms of start-up for one line of bench output.
writeSync(2, `records=${r.records} captured=${bytes}\n`);
