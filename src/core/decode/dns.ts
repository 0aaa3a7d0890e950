/**
 * DNS over UDP port 53: header, questions, answers. The layer follows tcpdump 4.99's non-verbose walk
 * of the message (src/core/format prints it): where a snaplen cut falls decides what tcpdump prints
 * (`id*- [|domain]` in the questions, ` 1/0/0 (51)` in an answer's fixed part, ` A [|domain]` in its
 * data), so the walk records where it stopped (DnsLayer.cut) with the answers it got through.
 */
import { AppKind, type PacketFields } from './packetFields';
import type { DnsCut, DnsQuestion, DnsRecord } from './decodedLayer';
import { markTruncated, type DescribeContext, type ProtocolDecoder } from './decoderTable';
import { readU16, readU32 } from './byteReaders';
import { ipv4Text, ipv6Text } from './addressText';
import { dnsCharacterString, dnsNameText, escapedBytes, skipDnsName } from './dnsNameText';
import { ednsOptionsText } from './dnsEdnsOptions';

function dissectDns(d: Uint8Array, o: number, end: number, out: PacketFields): void {
  out.appKind = AppKind.Dns;
  out.appOffset = o;
  if (end - o < 12) { markTruncated(out, 'domain'); return; }
  out.dnsId = readU16(d, o);
  out.dnsFlags = readU16(d, o + 2);
}

const T_A = 1, T_NS = 2, T_CNAME = 5, T_PTR = 12, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_A6 = 38, T_DNAME = 39, T_OPT = 41, T_URI = 256;

/**
 * The rcode tcpdump prints: the header's 4 bits, plus the OPT record's extended bits when its scan of
 * the (captured) message reaches an OPT record in the additional section.
 */
export function dnsExtendedRcode(d: Uint8Array, o: number, end: number): number {
  const rcode = readU16(d, o + 2) & 15;
  const qd = readU16(d, o + 4);
  const records = readU16(d, o + 6) + readU16(d, o + 8);
  const ar = readU16(d, o + 10);
  let p = o + 12;
  for (let i = 0; i < qd; i++) {
    p = skipDnsName(d, p, end);
    if (p < 0) return rcode;
    p += 4;
    if (p >= end) return rcode;
  }
  for (let i = 0; i < records; i++) {
    p = skipDnsName(d, p, end);
    if (p < 0) return rcode;
    p += 8;
    if (p + 2 > end) return rcode;
    p += 2 + readU16(d, p);
    if (p >= end) return rcode;
  }
  for (let i = 0; i < ar; i++) {
    p = skipDnsName(d, p, end);
    if (p < 0 || p + 2 > end) return rcode;
    const type = readU16(d, p);
    p += 4;
    if (p + 1 > end) return rcode;
    if (type === T_OPT) return rcode | (d[p] << 4);
    p += 4;
    if (p + 2 > end) return rcode;
    p += 2 + readU16(d, p);
    if (p >= end) return rcode;
  }
  return rcode;
}

/**
 * A record's data as tcpdump prints it without -v (with its leading space; '' for nothing); `ok` false
 * where tcpdump's printing fails (then `[|domain]`).
 */
function recordData(d: Uint8Array, msg: number, type: number, cls: number, optFlags: number, rd: number, rp: number, end: number): { text: string; ok: boolean } {
  const name = (p: number, before: string, after = ''): { text: string; ok: boolean } => {
    const n = dnsNameText(d, msg, p, end);
    return n.next < 0 ? { text: before + n.text, ok: false } : { text: before + n.text + after, ok: true };
  };
  switch (type) {
    case T_A: return rd + 4 > end ? { text: '', ok: false } : { text: ` ${ipv4Text(d, rd)}`, ok: true };
    case T_NS: case T_CNAME: case T_PTR: case T_DNAME: return name(rd, ' ');
    case T_MX: return rd + 2 > end ? { text: ' ', ok: false } : name(rd + 2, ' ', ` ${readU16(d, rd)}`);
    case T_TXT: {
      let text = '';
      for (let p = rd; p < rp;) {
        const s = dnsCharacterString(d, p, end);
        text += ` "${s.text}`;
        if (s.next < 0) return { text, ok: false };
        text += '"';
        p = s.next;
      }
      return { text, ok: true };
    }
    case T_SRV: return rd + 6 > end ? { text: ' ', ok: false }
      : name(rd + 6, ' ', `:${readU16(d, rd + 4)} ${readU16(d, rd)} ${readU16(d, rd + 2)}`);
    case T_AAAA: return rd + 16 > end ? { text: '', ok: false } : { text: ` ${ipv6Text(d, rd)}`, ok: true };
    case T_A6: {
      if (rd >= end) return { text: '', ok: false };
      const bits = d[rd];
      if (bits > 128) return { text: ` ${bits}(bad plen)`, ok: true };
      const prefixBytes = bits >> 3;
      let text = '';
      if (bits < 128) {
        if (rd + 1 + 16 - prefixBytes > end) return { text: '', ok: false };
        const a = new Uint8Array(16);
        a.set(d.subarray(rd + 1, rd + 1 + 16 - prefixBytes), prefixBytes);
        text = ` ${bits} ${ipv6Text(a, 0)}`;
      }
      return bits > 0 ? name(rd + 1 + 16 - prefixBytes, `${text} `) : { text, ok: true };
    }
    case T_URI: {
      const head = ` ${readU16(d, rd)} ${readU16(d, rd + 2)} `;
      const s = escapedBytes(d, rd + 4, rp - rd >= 4 ? rp - rd - 4 : Number.MAX_SAFE_INTEGER, end);
      return { text: head + s.text, ok: s.complete };
    }
    case T_OPT: {
      const options = ednsOptionsText(d, rd, rp, end);
      return { text: ` UDPsize=${cls}${optFlags & 0x8000 ? ' DO' : ''}${options.text}`, ok: options.ok };
    }
    default: return { text: '', ok: true };
  }
}

type AnswerStep = { cut: 'answer' } | { cut: 'answer-data'; record: DnsRecord } | { record: DnsRecord; next: number };

/** One answer as tcpdump's ns_rprint meets it. */
function readAnswer(d: Uint8Array, msg: number, p: number, end: number): AnswerStep {
  const q = skipDnsName(d, p, end);
  // Name or fixed part not captured: tcpdump ends the answers there without a truncation mark.
  if (q < 0 || q + 10 > end) return { cut: 'answer' };
  const type = readU16(d, q);
  const cls = readU16(d, q + 2);
  const rd = q + 10;
  const rp = rd + readU16(d, q + 8);
  const record: DnsRecord = { name: dnsNameText(d, msg, p, end).text, type, class: cls, ttl: readU32(d, q + 4) };
  if (rp > end) return { cut: 'answer-data', record };
  const data = recordData(d, msg, type, cls, readU16(d, q + 6), rd, rp, end);
  // Whatever tcpdump prints there starts with a space.
  if (data.text !== '') record.data = data.text.slice(1);
  return data.ok ? { record, next: rp } : { cut: 'answer-data', record };
}

function describeDns(d: Uint8Array, o: number, end: number, ctx: DescribeContext): void {
  const messageLength = ctx.wireEnd - o;
  if (end - o < 12) {
    ctx.layers.push({
      kind: 'dns', offset: o, length: end - o, truncated: true, id: -1, flags: -1, response: false, opcode: -1, rcode: -1,
      questionCount: 0, answerCount: 0, authorityCount: 0, additionalCount: 0, questions: [], questionSteps: 0, answers: [], messageLength,
    });
    return;
  }
  const flags = readU16(d, o + 2);
  const response = (flags & 0x8000) !== 0;
  const questionCount = readU16(d, o + 4);
  const answerCount = readU16(d, o + 6);
  const questions: DnsQuestion[] = [];
  const answers: DnsRecord[] = [];
  let cut: DnsCut | undefined;
  let questionSteps = 0;
  let p = o + 12;
  if (response) {
    // Without -v tcpdump only skips the questions (and does not check their type and class bytes).
    for (let i = 0; i < questionCount; i++) {
      questionSteps++;
      const q = skipDnsName(d, p, end);
      if (q < 0) { cut = 'question'; break; }
      if (q + 4 <= end) questions.push({ name: dnsNameText(d, o, p, end).text, type: readU16(d, q), class: readU16(d, q + 2) });
      p = q + 4;
    }
    // The first answer is read wherever the questions ended; the next ones while bytes are left.
    for (let left = answerCount; !cut && left > 0; left--) {
      if (left < answerCount && p >= end) { cut = 'answers'; break; }
      const step = readAnswer(d, o, p, end);
      if ('cut' in step) {
        cut = step.cut;
        if (step.cut === 'answer-data') answers.push(step.record);
        break;
      }
      answers.push(step.record);
      p = step.next;
    }
  } else {
    for (let left = questionCount; left > 0; left--) {
      if (left < questionCount && p >= end) { cut = 'question'; break; }
      const q = skipDnsName(d, p, end);
      if (q < 0 || q + 4 > end) { cut = 'question'; break; }
      const name = dnsNameText(d, o, p, end);
      const question: DnsQuestion = { name: name.text, type: readU16(d, q), class: readU16(d, q + 2) };
      questions.push(question);
      if (name.next < 0) { question.partial = true; cut = 'question'; break; }
      p = name.next + 4;
    }
  }
  ctx.layers.push({
    kind: 'dns', offset: o, length: end - o, truncated: cut ? true : undefined, id: readU16(d, o), flags, response,
    opcode: (flags >> 11) & 15, rcode: dnsExtendedRcode(d, o, end), questionCount, answerCount, authorityCount: readU16(d, o + 8),
    additionalCount: readU16(d, o + 10), questions, questionSteps, answers, cut, messageLength,
  });
}

export const dnsDecoder: ProtocolDecoder = { dissect: dissectDns, describe: describeDns };
