/** Bench child: counts the records of a capture with the old baseline, npm pcap-parser. */
import { createRequire } from 'node:module';

interface PcapParserEmitter { on(event: 'packet', cb: (p: { data: Buffer }) => void): void; on(event: 'end', cb: () => void): void }
const req = createRequire(__filename);
const pcapParser = req('pcap-parser') as { parse(input: string): PcapParserEmitter };
let records = 0;
let bytes = 0;
const parser = pcapParser.parse(process.argv[2]);
parser.on('packet', (p) => { records++; bytes += p.data.length; });
parser.on('end', () => { process.stderr.write(`records=${records} captured=${bytes}\n`); });
