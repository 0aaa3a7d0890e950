/**
 * The engine's hot path as the alignment runs it: reader + dissectPacketAt + packet identity
 * (src/core/align/packetIdentity), on the whole file and on a 250k-packet prefix (peak RSS must not
 * grow with the file: bench/ratioReport.ts prints the two side by side; the CPU difference of the two
 * runs gives the steady-state rate, without process start and JIT warm-up, and tcpdump on the same
 * prefix gives its own).
 */
import { join } from 'node:path';
import type { BenchContender } from './benchContender';

export const IDENTITY_CONTENDER = 'hopscope reader+dissect+identity';
export const IDENTITY_PREFIX_CONTENDER = `${IDENTITY_CONTENDER} (RSS probe)`;
/** tcpdump on the same prefix: its steady-state rate, for the steady-state ratio (bench/ratioReport.ts). */
export const TCPDUMP_PREFIX_CONTENDER = 'tcpdump -nn -r (250k prefix, start-up probe)';

export const contenders: BenchContender[] = [
  { name: IDENTITY_CONTENDER, baseline: true, argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, 'identityChild.ts')), file] },
  {
    name: IDENTITY_PREFIX_CONTENDER, maxPackets: 250000,
    argv: (ctx, file) => [process.execPath, ctx.bundle(join(__dirname, 'identityChild.ts')), file],
  },
  { name: TCPDUMP_PREFIX_CONTENDER, maxPackets: 250000, argv: (_ctx, file) => ['tcpdump', '-nn', '-r', file] },
];
