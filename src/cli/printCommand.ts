/**
 * `hopscope print <file> [-e] [--tttt|--plain] [--json] [--ifnames <ip -j link output>]`:
 * tcpdump 4.99 text (`-nn`, UTC), or JSON lines with the decoded layers. Output goes out in large
 * batches with backpressure; a damaged file prints every complete packet, then one error line
 * with the byte offset (exit 1).
 */
import { readSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { CliCommand, CliIo } from './cliCommand';
import { CaptureStreamReader } from '../core/pcap/captureStreamReader';
import { CaptureFormatError } from '../core/pcap/captureFormatError';
import { SYNC_CHUNK_SIZE } from '../core/pcap/captureFileSync';
import type { CaptureRecord } from '../core/pcap/captureRecord';
import { FAST_LINE_MAX_BYTES, TcpdumpFormatter } from '../core/format/tcpdumpFormatter';
import { describePacket } from '../core/decode/dissectPacket';
import { isoTimeNs } from '../core/pcap/captureSummary';
import { OutputBatcher } from './outputBatcher';

const USAGE = 'usage: hopscope print [-e] [--tttt|--plain] [--json] [--ifnames <file of `ip -j link`>] <file>\n';
/** Blocking L2-sized reads, as pumpCaptureFileSync (see SYNC_CHUNK_SIZE there); only writes wait on the event loop. */
const READ_CHUNK = SYNC_CHUNK_SIZE;

interface PrintOptions { file: string; linkHeaders: boolean; dateTime: boolean; json: boolean; ifnames?: string }

function parseArgs(args: string[]): PrintOptions | string {
  const o: PrintOptions = { file: '', linkHeaders: false, dateTime: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e') o.linkHeaders = true;
    else if (a === '--tttt') o.dateTime = true;
    else if (a === '--plain') o.dateTime = false;
    else if (a === '--json') o.json = true;
    else if (a === '--ifnames') { o.ifnames = args[++i]; if (o.ifnames === undefined) return '--ifnames needs a file'; }
    else if (a.startsWith('-')) return `unknown option '${a}'`;
    else if (o.file !== '') return 'only one file';
    else o.file = a;
  }
  return o.file === '' ? 'no file given' : o;
}

/** Index → name from `ip -j link` output saved on the capturing host (SLL2 interface names). */
async function loadInterfaceNames(path: string): Promise<Map<number, string>> {
  const links = JSON.parse(await readFile(path, 'utf8')) as unknown;
  const map = new Map<number, string>();
  if (Array.isArray(links)) {
    for (const l of links as { ifindex?: unknown; ifname?: unknown }[]) {
      if (typeof l.ifindex === 'number' && typeof l.ifname === 'string') map.set(l.ifindex, l.ifname);
    }
  }
  return map;
}

function jsonLine(rec: CaptureRecord): string {
  return `${JSON.stringify({
    index: rec.index, time: isoTimeNs(rec.tsSec, rec.tsNsec), caplen: rec.caplen, origLen: rec.origLen,
    linkType: rec.linkType, interfaceId: rec.interfaceId, layers: describePacket(rec.data, rec.caplen, rec.linkType, rec.origLen),
  })}\n`;
}

/**
 * Writes one block; `written` gets it back once the stream is done with it (for reuse). Resolves on
 * setImmediate even when the stream has room: the file is read with blocking reads, so without a
 * turn of the event loop the write callbacks would never run and every block would stay allocated.
 */
function writeOut(stream: NodeJS.WritableStream, block: Buffer, written: (b: Buffer) => void): Promise<void> {
  if (stream.write(block, () => written(block))) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

async function run(args: string[], io: CliIo): Promise<number> {
  const o = parseArgs(args);
  if (typeof o === 'string') { io.stderr.write(`hopscope print: ${o}\n${USAGE}`); return 2; }
  let interfaceNames: Map<number, string> | undefined;
  if (o.ifnames !== undefined) {
    try { interfaceNames = await loadInterfaceNames(o.ifnames); } catch (e) {
      io.stderr.write(`hopscope print: cannot read interface names from ${o.ifnames}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const formatter = new TcpdumpFormatter({ linkHeaders: o.linkHeaders, time: o.dateTime ? 'date' : 'clock', interfaceNames });
  const batcher = new OutputBatcher(o.json ? 'utf8' : 'latin1');
  const reader = new CaptureStreamReader({
    onRecord: (rec) => {
      if (o.json) batcher.add(jsonLine(rec));
      // Common packets: bytes straight into the output block; the rest through the layer tree.
      else if (!formatter.formatInto(rec, batcher.room(FAST_LINE_MAX_BYTES))) batcher.add(`${formatter.formatTree(rec)}\n`);
    },
  });
  const flush = async (all = false): Promise<void> => {
    for (const c of all ? batcher.takeAll() : batcher.take()) await writeOut(io.stdout, c, (b) => batcher.recycle(b));
  };
  let file;
  try { file = await open(o.file, 'r'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    io.stderr.write(`hopscope print: cannot open ${o.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(e)}\n`);
    return 2;
  }
  const buf = new Uint8Array(READ_CHUNK);
  try {
    for (;;) {
      const bytesRead = readSync(file.fd, buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      reader.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      await flush();
    }
    reader.end();
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    await flush(true);
    io.stderr.write(`hopscope print: ${o.file}: ${e.message} (byte offset ${e.offset}, ${reader.recordCount} packets printed)\n`);
    return 1;
  } finally {
    await file.close();
  }
  await flush(true);
  return 0;
}

export const printCommand: CliCommand = { name: 'print', summary: 'Print packets as tcpdump -nn text (UTC), or JSON lines', usage: USAGE, run };
