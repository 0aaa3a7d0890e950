/** `hopscope slice <in> -o <out> [--from T] [--to T] [--packets 1-100,250] [--filter '…']` */
import type { CliCommand, CliIo } from './cliCommand';
import { DisplayFilterError } from '../core/filter/displayFilterSyntax';
import { CaptureFormatError } from '../core/pcap/captureFormatError';
import { CaptureTimeError, parseCaptureTimeBound } from '../core/slice/captureTimeBound';
import { PacketRangeError, parsePacketRanges } from '../core/slice/packetRanges';
import { sliceCapture, type SliceOptions } from '../core/slice/sliceCapture';

const USAGE = "usage: hopscope slice <in> -o <out> [--from T] [--to T] [--packets 1-100,250] [--filter '…']\n"
  + '  T: ISO time (2026-11-23T01:47:21.5Z, UTC when no zone), @epoch seconds, or +seconds after the first packet\n';

async function run(args: string[], io: CliIo): Promise<number> {
  const options: SliceOptions = {};
  let output: string | undefined;
  const inputs: string[] = [];
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const value = (): string => {
        const v = args[++i];
        if (v === undefined) throw new CaptureTimeError(`${a} needs a value`);
        return v;
      };
      if (a === '-o' || a === '--output') output = value();
      else if (a === '--from') options.startTime = parseCaptureTimeBound(value());
      else if (a === '--to') options.endTime = parseCaptureTimeBound(value());
      else if (a === '--packets') options.packetNumbers = parsePacketRanges(value());
      else if (a === '--filter') options.displayFilter = value();
      else if (a.startsWith('-')) { io.stderr.write(`hopscope slice: unknown option '${a}'\n${USAGE}`); return 2; }
      else inputs.push(a);
    }
  } catch (e) {
    if (e instanceof CaptureTimeError || e instanceof PacketRangeError) { io.stderr.write(`hopscope slice: ${e.message}\n`); return 2; }
    throw e;
  }
  if (inputs.length !== 1 || !output) { io.stderr.write(USAGE); return 2; }
  if (output === inputs[0]) { io.stderr.write('hopscope slice: the output must differ from the input\n'); return 2; }
  try {
    const r = await sliceCapture(inputs[0], output, options);
    io.stderr.write(`hopscope slice: ${r.packetsWritten} of ${r.packetsRead} packets written to ${output} (${r.format})\n`);
    return 0;
  } catch (e) {
    if (e instanceof DisplayFilterError) { io.stderr.write(`hopscope slice: filter error at ${e.position}: ${e.message}\n`); return 2; }
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof CaptureFormatError || code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.stderr.write(`hopscope slice: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

export const sliceCommand: CliCommand = { name: 'slice', summary: 'Cut a capture by time, packet numbers or display filter', usage: USAGE, run };
