/**
 * Text renderings of a followed stream: the read-only document the pcap editor opens and the CLI prints
 * (header, then each chunk with its direction on every line), and tshark's `-z follow,<p>,ascii|raw`
 * body (the CLI's --raw and the golden tests).
 */
import type { FollowStreamResult } from './followStream';

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const LATIN1 = new TextDecoder('latin1');

/** Printable ASCII (and CR, LF when `keepLineEnds`) as they are, every other byte '.'; decoded in one go. */
function printable(bytes: Uint8Array, keepLineEnds: boolean): string {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out[i] = (b >= 0x20 && b < 0x7f) || (keepLineEnds && (b === 0x0a || b === 0x0d)) ? b : 0x2e;
  }
  return LATIN1.decode(out);
}

/** tshark's ascii mode: printable ASCII, CR and LF as they are, every other byte '.'. */
export function asciiText(bytes: Uint8Array): string {
  return printable(bytes, true);
}

export function hexText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX2[b];
  return s;
}

export function missingText(n: number): string {
  return `[${n} bytes missing in capture]`;
}

function endpointText(r: FollowStreamResult, dir: 0 | 1): string {
  const n = r.nodes[dir];
  return n.address.includes(':') ? `[${n.address}]:${n.port}` : `${n.address}:${n.port}`;
}

/** The body tshark prints for `-z follow,<tcp|udp>,<ascii|raw>,<stream>`, from "Node 0:" on. */
export function formatFollowTshark(r: FollowStreamResult, mode: 'ascii' | 'raw'): string {
  let out = `Node 0: ${endpointText(r, 0)}\nNode 1: ${endpointText(r, 1)}\n`;
  for (const c of r.chunks) {
    const tab = c.direction === 1 ? '\t' : '';
    const text = c.missing !== undefined ? missingText(c.missing) : undefined;
    if (mode === 'raw') out += `${tab}${text ?? hexText(c.bytes)}\n`;
    else out += `${tab}${text ? text.length : c.bytes.length}\n${text ?? asciiText(c.bytes)}\n`;
  }
  if (r.truncated) out += `[payload cut at ${r.maxBytes} bytes]\n`;
  return out;
}

/** Payload lines for the document: CR LF and LF end a line, other control bytes show as '.'. */
function payloadLines(bytes: Uint8Array): string[] {
  const lines = printable(bytes, true).replace(/\r\n/g, '\n').replace(/\r/g, '.').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(0)} MiB` : `${n} bytes`;
}

/**
 * The Follow Stream document: a header with the conversation, packet and byte counts per direction and
 * the filter, then each chunk under a line naming its direction and packet; client lines start with
 * "> ", server lines with "< ".
 */
export function formatFollowDocument(r: FollowStreamResult, source: { file: string; packet: number }): string {
  const proto = r.protocol.toUpperCase();
  const role = r.protocol === 'tcp' ? ['client', 'server'] : ['A', 'B'];
  // parts joined once: a 16 MiB stream is hundreds of thousands of lines
  const out: string[] = [`Follow ${proto} stream of packet ${source.packet} in ${source.file}`];
  for (const dir of [0, 1] as const) {
    out.push(`${dir === 0 ? '>' : '<'} ${role[dir]} ${endpointText(r, dir)} -> ${endpointText(r, (1 - dir) as 0 | 1)}: `
      + `${r.packets[dir]} packets, ${r.bytes[dir]} payload bytes`);
  }
  out.push(`Packets ${r.firstPacket}-${r.lastPacket}; filter: ${r.filter}`);
  if (r.truncated) out.push(`Payload cut at ${sizeText(r.maxBytes)}: the rest of the stream is not shown.`);
  out.push('='.repeat(72));
  for (const c of r.chunks) {
    const mark = c.direction === 0 ? '>' : '<';
    if (c.missing !== undefined) {
      out.push(`${mark} ${missingText(c.missing)}`);
      continue;
    }
    out.push(`${mark}${mark}${mark} ${endpointText(r, c.direction)}, packet ${c.firstPacket}, ${c.bytes.length} bytes`);
    for (const line of payloadLines(c.bytes)) out.push(`${mark} ${line}`);
  }
  if (r.chunks.length === 0) out.push('(no payload in this stream)');
  out.push('');
  return out.join('\n');
}
