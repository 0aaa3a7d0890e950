/** `hopscope merge -o <out> a b c`: merge captures by timestamp (like mergecap). */
import type { CliCommand, CliIo } from './cliCommand';
import { CaptureFormatError } from '../core/pcap/captureFormatError';
import { mergeCaptures } from '../core/slice/mergeCaptures';

const USAGE = 'usage: hopscope merge -o <out> <in1> <in2> ...\n';

async function run(args: string[], io: CliIo): Promise<number> {
  let output: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output') {
      output = args[++i];
      if (output === undefined) { io.stderr.write(USAGE); return 2; }
    } else if (a.startsWith('-')) { io.stderr.write(`hopscope merge: unknown option '${a}'\n${USAGE}`); return 2; }
    else inputs.push(a);
  }
  if (!output || inputs.length === 0) { io.stderr.write(USAGE); return 2; }
  if (inputs.includes(output)) { io.stderr.write('hopscope merge: the output must not be one of the inputs\n'); return 2; }
  try {
    const r = await mergeCaptures(inputs, output);
    io.stderr.write(`hopscope merge: ${r.packetsWritten} packets from ${inputs.length} files written to ${output} (${r.format})\n`);
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof CaptureFormatError || code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || /not a capture/.test((e as Error).message)) {
      io.stderr.write(`hopscope merge: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

export const mergeCommand: CliCommand = { name: 'merge', summary: 'Merge captures by timestamp (like mergecap)', usage: USAGE, run };
