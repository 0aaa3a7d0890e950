/** `hopscope follow <file> <packet-number> [--raw]`: Follow TCP/UDP stream of a packet's conversation. */
import type { CliCommand, CliIo } from './cliCommand';
import { followStream, FollowStreamError } from '../core/browse/followStream';
import { formatFollowDocument, formatFollowTshark } from '../core/browse/followStreamText';
import { CaptureFormatError } from '../core/pcap/captureFormatError';

const USAGE = `usage: hopscope follow [--raw] <file> <packet-number>
  Prints the payload of the TCP or UDP conversation the packet belongs to, in order, both directions
  told apart ("> " client, "< " server), retransmitted bytes once, holes as "[N bytes missing in capture]",
  and the display filter that selects the conversation. The payload is cut at 16 MiB.
  --raw   each chunk as hex, one line per chunk, the server's indented by a tab (tshark -z follow,tcp,raw)
`;

async function run(args: string[], io: CliIo): Promise<number> {
  const raw = args.includes('--raw');
  const rest = args.filter((a) => a !== '--raw');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown || rest.length !== 2) {
    io.stderr.write(unknown ? `hopscope follow: unknown option '${unknown}'\n${USAGE}` : USAGE);
    return 2;
  }
  const [file, numberText] = rest;
  if (!/^\d+$/.test(numberText) || Number(numberText) < 1) {
    io.stderr.write(`hopscope follow: packet number must be a positive integer, not '${numberText}'\n`);
    return 2;
  }
  const packet = Number(numberText);
  try {
    const result = await followStream(file, packet);
    io.stdout.write(raw ? formatFollowTshark(result, 'raw') : formatFollowDocument(result, { file, packet }));
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.stderr.write(`hopscope follow: cannot open ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'is a directory'}\n`);
      return 2;
    }
    if (e instanceof FollowStreamError || e instanceof CaptureFormatError) {
      io.stderr.write(`hopscope follow: ${file}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

export const followCommand: CliCommand = { name: 'follow', summary: 'Follow the TCP/UDP stream of a packet (payload in order)', usage: USAGE, run };
