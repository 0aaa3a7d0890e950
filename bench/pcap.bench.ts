/** Contenders for reading a classic pcap: ours, the old npm baseline, tcpdump, tshark, and cat. */
import { join } from 'node:path';
import type { BenchContender } from './benchContender';

export const contenders: BenchContender[] = [
  { name: 'hopscope reader', argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, 'readerChild.ts')), file] },
  { name: 'pcap-parser (npm)', argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, 'pcapParserChild.ts')), file] },
  { name: 'tcpdump -nn -r', argv: (_ctx, file) => ['tcpdump', '-nn', '-r', file] },
  // Without TZ glibc re-checks /etc/localtime for every packet's time (~half of tcpdump's CPU here).
  { name: 'tcpdump -nn -r (TZ=UTC)', argv: (_ctx, file) => ['env', 'TZ=UTC', 'tcpdump', '-nn', '-r', file] },
  {
    name: 'tshark -T fields (3 fields)', maxPackets: 100000,
    argv: (_ctx, file) => ['tshark', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst'],
  },
  { name: 'cat (warm cache, ceiling)', warmup: true, argv: (_ctx, file) => ['cat', file] },
];
