/**
 * Follow TCP/UDP stream (Wireshark's "Follow Stream"): the payload of the conversation a packet belongs
 * to, in order, both directions told apart. Streams over the file (two passes, bounded memory): the
 * collected payload is capped (`maxBytes`, 16 MiB by default) and the result says when it was cut.
 *
 * TCP: a stream is one connection of a 5-tuple; a SYN (without ACK) with a new initial sequence number
 * starts the next one, as tshark's tcp.stream does when ports are reused. Segments are placed by sequence
 * number: bytes already delivered (retransmissions, overlaps, the same packet captured twice) are shown
 * once, early segments wait until the hole before them is filled, and a hole the other side acknowledges
 * (or one still open at the end of the capture) is reported as missing bytes.
 */
import { CaptureStreamReader, pumpCaptureFile } from '../pcap/captureStreamReader';
import { readIndexedRecords, type CaptureIndex } from '../pcap/captureIndex';
import type { CaptureRecord } from '../pcap/captureRecord';
import { dissectPacket } from '../decode/dissectPacket';
import { PacketFields } from '../decode/packetFields';
import { ipv4Text, ipv6Text } from '../decode/addressText';
import { FollowStreamAssembler, type FollowStreamChunk } from './followStreamAssembler';

export type { FollowStreamChunk } from './followStreamAssembler';

export const FOLLOW_STREAM_DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface FollowEndpoint {
  address: string;
  port: number;
}

export interface FollowStreamResult {
  protocol: 'tcp' | 'udp';
  /** nodes[0] sent the stream's first packet (the client for TCP), nodes[1] is its peer. */
  nodes: [FollowEndpoint, FollowEndpoint];
  /** Payload in delivery order; a chunk with `missing` stands for bytes the capture lacks. */
  chunks: FollowStreamChunk[];
  /** Packets of the stream per direction (all of them, with or without payload). */
  packets: [number, number];
  /** Payload bytes per direction, counted once (retransmitted bytes are not counted twice). */
  bytes: [number, number];
  firstPacket: number;
  lastPacket: number;
  /** Display filter (docs/display-filter.md) selecting exactly this stream's packets. */
  filter: string;
  /** True when the payload went past `maxBytes` and the rest was not collected. */
  truncated: boolean;
  maxBytes: number;
}

export interface FollowStreamOptions {
  maxBytes?: number;
  /** The file's index, when the caller has one (the pcap editor): the chosen packet is read at its offset instead of in a first pass over the whole file. */
  index?: CaptureIndex;
}

/** What `followStream` cannot follow: a clear reason for the user. */
export class FollowStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowStreamError';
  }
}

interface ConversationKey {
  protocol: 'tcp' | 'udp';
  ipVersion: 4 | 6;
  /** Address bytes of each end (copied out of the reader's buffer) and their ports. */
  addresses: [Uint8Array, Uint8Array];
  ports: [number, number];
  nodes: [FollowEndpoint, FollowEndpoint];
}

function conversationOf(f: PacketFields, d: Uint8Array): ConversationKey | string {
  if (f.ipVersion === 0) return 'it has no IP layer';
  if (f.ipProto !== 6 && f.ipProto !== 17) return 'it is neither TCP nor UDP';
  if (f.srcPort < 0) return 'its TCP/UDP header is not in the capture';
  if (f.ipFragOffset > 0) return 'it is a later IP fragment (no TCP/UDP header)';
  const len = f.ipVersion === 4 ? 4 : 16;
  const text = f.ipVersion === 4 ? ipv4Text : ipv6Text;
  return {
    protocol: f.ipProto === 6 ? 'tcp' : 'udp',
    ipVersion: f.ipVersion === 4 ? 4 : 6,
    addresses: [d.slice(f.ipSrcOffset, f.ipSrcOffset + len), d.slice(f.ipDstOffset, f.ipDstOffset + len)],
    ports: [f.srcPort, f.dstPort],
    nodes: [{ address: text(d, f.ipSrcOffset), port: f.srcPort }, { address: text(d, f.ipDstOffset), port: f.dstPort }],
  };
}

function sameBytes(d: Uint8Array, offset: number, a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (d[offset + i] !== a[i]) return false;
  return true;
}

/**
 * The direction of a packet in `key`'s conversation: 0 or 1 as in key.addresses, -1 when not in it.
 * Runs on every packet of the file: compares numbers and bytes in place, allocates nothing.
 */
function directionIn(key: ConversationKey, f: PacketFields, d: Uint8Array): -1 | 0 | 1 {
  if (f.ipProto !== (key.protocol === 'tcp' ? 6 : 17) || f.ipVersion !== key.ipVersion || f.srcPort < 0) return -1;
  if (f.ipFragOffset > 0) return -1;
  const [a, b] = key.addresses;
  const [pa, pb] = key.ports;
  if (f.srcPort === pa && f.dstPort === pb && sameBytes(d, f.ipSrcOffset, a) && sameBytes(d, f.ipDstOffset, b)) return 0;
  if (f.srcPort === pb && f.dstPort === pa && sameBytes(d, f.ipSrcOffset, b) && sameBytes(d, f.ipDstOffset, a)) return 1;
  return -1;
}

function conversationFilter(key: ConversationKey, frames?: { first: number; last: number }): string {
  const addr = key.ipVersion === 4 ? 'ip.addr' : 'ipv6.addr';
  const p = key.protocol;
  const parts = [p, `${addr} == ${key.nodes[0].address}`, `${addr} == ${key.nodes[1].address}`,
    // an ICMP error quoting one of the packets matches too, as it belongs to tshark's tcp/udp.stream
    `${p}.port == ${key.nodes[0].port}`, `${p}.port == ${key.nodes[1].port}`];
  if (frames) parts.push(`frame.number >= ${frames.first}`, `frame.number <= ${frames.last}`);
  return parts.join(' and ');
}

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

/** Finds the conversation of packet `packetNumber` (1-based) in `path` and returns its payload. */
export async function followStream(path: string, packetNumber: number, options: FollowStreamOptions = {}): Promise<FollowStreamResult> {
  if (!Number.isInteger(packetNumber) || packetNumber < 1) throw new FollowStreamError(`packet number must be a positive integer, not ${packetNumber}`);
  const maxBytes = options.maxBytes ?? FOLLOW_STREAM_DEFAULT_MAX_BYTES;
  const fields = new PacketFields();

  // Pass 1: the conversation of the chosen packet.
  let key: ConversationKey | string | undefined;
  const keyOf = (rec: CaptureRecord): void => {
    key = conversationOf(dissectPacket(rec.data, rec.caplen, rec.linkType, fields), rec.data);
  };
  let packetCount: number;
  if (options.index) {
    packetCount = options.index.count;
    await readIndexedRecords(options.index, packetNumber - 1, 1, keyOf);
  } else {
    const first = new CaptureStreamReader({ onRecord(rec) { if (rec.index + 1 === packetNumber) keyOf(rec); } });
    await pumpCaptureFile(path, first);
    packetCount = first.recordCount;
  }
  if (key === undefined) throw new FollowStreamError(`the capture has ${packetCount} packets, no packet ${packetNumber}`);
  if (typeof key === 'string') throw new FollowStreamError(`packet ${packetNumber} cannot be followed: ${key}`);
  const conv: ConversationKey = key;

  // Pass 2: its packets. For TCP, a new SYN ends the stream that holds the chosen packet.
  let assembler = new FollowStreamAssembler(conv.protocol, maxBytes);
  let clientIsn = -1;
  let streamFirst = 0;
  let streamLast = 0;
  let otherStreams = false;
  let done = false;
  let packets: [number, number] = [0, 0];
  let flip = false; // true when the stream's first packet went from ends[1] to ends[0]
  const second = new CaptureStreamReader({
    onRecord(rec) {
      if (done) return;
      const f = dissectPacket(rec.data, rec.caplen, rec.linkType, fields);
      const dirInKey = directionIn(conv, f, rec.data);
      if (dirInKey < 0) return;
      const number = rec.index + 1;
      if (conv.protocol === 'tcp' && (f.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && f.tcpSeq !== clientIsn) {
        if (clientIsn !== -1 || streamFirst !== 0) {
          if (number > packetNumber) { done = true; otherStreams = true; return; }
          otherStreams = true;
          assembler = new FollowStreamAssembler(conv.protocol, maxBytes);
          packets = [0, 0];
          streamFirst = 0;
        }
        clientIsn = f.tcpSeq;
      }
      if (streamFirst === 0) { streamFirst = number; flip = dirInKey === 1; }
      streamLast = number;
      const dir = (flip ? 1 - dirInKey : dirInKey) as 0 | 1;
      packets[dir]++;
      assembler.add(dir, number, f, rec.data);
    },
  });
  await pumpCaptureFile(path, second);
  const chunks = assembler.finish();
  const nodes: [FollowEndpoint, FollowEndpoint] = flip ? [conv.nodes[1], conv.nodes[0]] : [conv.nodes[0], conv.nodes[1]];
  return {
    protocol: conv.protocol,
    nodes,
    chunks,
    packets,
    bytes: assembler.bytesPerDirection(),
    firstPacket: streamFirst,
    lastPacket: streamLast,
    filter: conversationFilter({ ...conv, nodes }, otherStreams ? { first: streamFirst, last: streamLast } : undefined),
    truncated: assembler.truncated,
    maxBytes,
  };
}
