/** DNS over UDP port 53: header, questions, answers (names with compression pointers). */
import { AppKind, type PacketFields } from './packetFields';
import type { DnsQuestion, DnsRecord } from './decodedLayer';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { ipv4Text, ipv6Text } from './addressText';

function dissectDns(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.appKind = AppKind.Dns;
  out.appOffset = o;
  if (end - o < 12) { markTruncated(out, 'domain'); return; }
  out.dnsId = readU16(d, o);
  out.dnsFlags = readU16(d, o + 2);
}

/** A name at `p` (message starts at `msg`): text with a trailing dot, and where the name ends in place. */
function readName(d: Uint8Array, msg: number, p: number, end: number): { name: string; next: number } | undefined {
  let name = '';
  let next = -1;
  for (let hops = 0; hops < 64; hops++) {
    if (p >= end) return undefined;
    const len = d[p];
    if (len === 0) { if (next < 0) next = p + 1; return { name: name === '' ? '.' : name, next }; }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= end) return undefined;
      if (next < 0) next = p + 2;
      p = msg + (((len & 0x3f) << 8) | d[p + 1]);
      continue;
    }
    if (p + 1 + len > end) return undefined;
    // A char per byte in a loop: fromCharCode(...subarray) made a view and an iterator per label.
    for (let i = p + 1; i <= p + len; i++) name += String.fromCharCode(d[i]);
    name += '.';
    p += 1 + len;
  }
  return undefined;
}

function recordData(d: Uint8Array, msg: number, type: number, p: number, rdlen: number, end: number): string {
  if (type === 1 && rdlen === 4) return ipv4Text(d, p);
  if (type === 28 && rdlen === 16) return ipv6Text(d, p);
  if (type === 5 || type === 2 || type === 12) return readName(d, msg, p, end)?.name ?? '';
  return '';
}

function describeDns(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const messageLength = ctx.wireEnd - o;
  if (end - o < 12) {
    ctx.layers.push({
      kind: 'dns', offset: o, length: end - o, truncated: true, id: -1, flags: -1, response: false, opcode: -1, rcode: -1,
      questionCount: 0, answerCount: 0, authorityCount: 0, additionalCount: 0, questions: [], answers: [], messageLength,
    });
    return;
  }
  const flags = readU16(d, o + 2);
  const questionCount = readU16(d, o + 4);
  const answerCount = readU16(d, o + 6);
  const questions: DnsQuestion[] = [];
  const answers: DnsRecord[] = [];
  let truncated = false;
  let p = o + 12;
  for (let i = 0; i < questionCount && !truncated; i++) {
    const n = readName(d, o, p, end);
    if (!n || n.next + 4 > end) { truncated = true; break; }
    questions.push({ name: n.name, type: readU16(d, n.next), class: readU16(d, n.next + 2) });
    p = n.next + 4;
  }
  for (let i = 0; i < answerCount && !truncated; i++) {
    const n = readName(d, o, p, end);
    if (!n || n.next + 10 > end) { truncated = true; break; }
    const type = readU16(d, n.next);
    const rdlen = readU16(d, n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > end) { truncated = true; break; }
    answers.push({ name: n.name, type, class: readU16(d, n.next + 2), ttl: readU32(d, n.next + 4), data: recordData(d, o, type, rd, rdlen, end) });
    p = rd + rdlen;
  }
  ctx.layers.push({
    kind: 'dns', offset: o, length: end - o, truncated: truncated ? true : undefined, id: readU16(d, o), flags, response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 15, rcode: flags & 15, questionCount, answerCount, authorityCount: readU16(d, o + 8),
    additionalCount: readU16(d, o + 10), questions, answers, messageLength,
  });
}

export const dnsDecoder: ProtocolDecoder = { dissect: dissectDns, describe: describeDns };
