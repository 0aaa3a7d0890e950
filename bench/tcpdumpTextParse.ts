/**
 * Throughput of parseTcpdumpText on real tcpdump text.
 *   tcpdump -n -r capture.pcap [-v -e ...] > capture.tcpdump
 *   node --import tsx bench/tcpdumpTextParse.ts capture.tcpdump
 * The text is repeated to at least 200k lines so the timing is not noise.
 */
import { readFileSync } from 'node:fs';
import { parseTcpdumpText } from '../src/core/tcpdumpText/parseTcpdumpText';

const file = process.argv[2];
if (!file) {
  console.error('usage: tcpdumpTextParse.ts <tcpdump text file>');
  process.exit(2);
}
const once = readFileSync(file, 'utf8').trimEnd();
const lineCount = once.split('\n').length;
const copies = Math.max(1, Math.ceil(200_000 / lineCount));
const text = Array.from({ length: copies }, () => once).join('\n');
parseTcpdumpText(text.slice(0, 100_000)); // warm up the regex engine
const t0 = process.hrtime.bigint();
const records = parseTcpdumpText(text);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const lines = lineCount * copies;
const unparsed = records.filter((r) => r.record.kind === 'unparsed').length;
console.log(`${lines} lines, ${records.length} records (${unparsed} unparsed) in ${ms.toFixed(0)} ms: ${Math.round(lines / (ms / 1000))} lines/s`);
