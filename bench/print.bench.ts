/** Contenders for tcpdump-style text: `hopscope print` against tcpdump writing the same text, and the flat dissection. */
import { join } from 'node:path';
import type { BenchContender } from './benchContender';

export const contenders: BenchContender[] = [
  { name: 'hopscope reader + dissectPacket', argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, 'dissectChild.ts')), file] },
  { name: 'hopscope print --tttt', argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, '../src/cli/main.ts')), 'print', '--tttt', file] },
  { name: 'tcpdump -nn -tttt -r (TZ=UTC)', argv: (_ctx, file) => ['env', 'TZ=UTC', 'tcpdump', '-nn', '-tttt', '-r', file] },
  { name: 'hopscope print -e', argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, '../src/cli/main.ts')), 'print', '-e', file] },
  { name: 'tcpdump -nn -e -r', argv: (_ctx, file) => ['tcpdump', '-nn', '-e', '-r', file] },
];
