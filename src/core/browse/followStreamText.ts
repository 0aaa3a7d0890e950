/**
 * Text renderings of a followed stream: the read-only document the pcap editor opens and the CLI prints
 * (header, then each chunk with its direction on every line), and tshark's `-z follow,<p>,ascii|raw`
 * body (the CLI's --raw and the golden tests).
 */
import type { FollowStreamResult } from './followStream';

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** tshark's ascii mode: printable ASCII, CR and LF as they are, every other byte '.'. */
export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d ? String.fromCharCode(b) : '.';
  return s;
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
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) { lines.push(line); line = ''; continue; }
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    line += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  if (line !== '' || lines.length === 0) lines.push(line);
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
  let out = `Follow ${proto} stream of packet ${source.packet} in ${source.file}\n`;
  for (const dir of [0, 1] as const) {
    out += `${dir === 0 ? '>' : '<'} ${role[dir]} ${endpointText(r, dir)} -> ${endpointText(r, (1 - dir) as 0 | 1)}: `
      + `${r.packets[dir]} packets, ${r.bytes[dir]} payload bytes\n`;
  }
  out += `Packets ${r.firstPacket}-${r.lastPacket}; filter: ${r.filter}\n`;
  if (r.truncated) out += `Payload cut at ${sizeText(r.maxBytes)}: the rest of the stream is not shown.\n`;
  out += `${'='.repeat(72)}\n`;
  for (const c of r.chunks) {
    const mark = c.direction === 0 ? '>' : '<';
    if (c.missing !== undefined) {
      out += `${mark} ${missingText(c.missing)}\n`;
      continue;
    }
    out += `${mark}${mark}${mark} ${endpointText(r, c.direction)}, packet ${c.firstPacket}, ${c.bytes.length} bytes\n`;
    for (const line of payloadLines(c.bytes)) out += `${mark} ${line}\n`;
  }
  if (r.chunks.length === 0) out += '(no payload in this stream)\n';
  return out;
}
