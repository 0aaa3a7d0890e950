/** Contenders for the investigation toolkit: `hopscope stats/slice/merge` against tshark, editcap and mergecap. */
import { join } from 'node:path';
import type { BenchContender } from './benchContender';

const cli = join(__dirname, '../src/cli/main.ts');

export const contenders: BenchContender[] = [
  { name: 'hopscope stats --json', argv: (ctx, file) => [process.execPath, ctx.bundle(cli), 'stats', '--json', file] },
  {
    name: 'tshark -z conv/endpoints/io',
    argv: (_ctx, file) => ['tshark', '-q', '-n', '-r', file, '-z', 'conv,ip', '-z', 'conv,tcp', '-z', 'conv,udp', '-z', 'endpoints,ip', '-z', 'io,stat,1'],
    maxPackets: 200_000,
  },
  { name: 'hopscope slice --filter tcp', argv: (ctx, file) => [process.execPath, ctx.bundle(cli), 'slice', file, '-o', '/dev/null', '--filter', 'tcp'] },
  { name: 'tshark -Y tcp -w', argv: (_ctx, file) => ['tshark', '-n', '-r', file, '-Y', 'tcp', '-w', '/dev/null'], maxPackets: 200_000 },
  { name: 'hopscope slice --from +0.5', argv: (ctx, file) => [process.execPath, ctx.bundle(cli), 'slice', file, '-o', '/dev/null', '--from', '+0.5'] },
  { name: 'hopscope merge (file twice)', argv: (ctx, file) => [process.execPath, ctx.bundle(cli), 'merge', '-o', '/dev/null', file, file] },
  { name: 'mergecap (file twice)', argv: (_ctx, file) => ['mergecap', '-w', '/dev/null', file, file] },
];
