/** DNS and BOOTP/DHCP summaries as tcpdump prints them without -v. */
import type { DhcpLayer, DnsLayer } from '../decode/decodedLayer';
import { dnsClassText, dnsOpcodeText, dnsRcodeText, dnsTypeText } from './protocolNames';

/**
 * A DNS message as tcpdump 4.99 prints it without -v, cut where its walk stopped (DnsLayer.cut): a
 * response cut in its questions prints just its header; one cut in an answer's name or fixed part
 * ends the answers silently (with the comma tcpdump printed before that answer) and is marked only
 * when answers were left; one cut in an answer's data prints that answer's type and what its data
 * printed, then the mark.
 */
export function dnsText(l: DnsLayer): string {
  if (l.id < 0) return l.messageLength < 12 ? `domain [length ${l.messageLength} < 12] (invalid)` : ' [|domain]';
  const f = l.flags;
  const trunc = ' [|domain]';
  let s: string;
  if (l.response) {
    s = `${l.id}${dnsOpcodeText(l.opcode)}${dnsRcodeText(l.rcode)}${f & 0x0400 ? '*' : ''}${f & 0x0080 ? '' : '-'}${f & 0x0200 ? '|' : ''}${f & 0x0020 ? '$' : ''}`;
    if (l.questionCount !== 1) s += ` [${l.questionCount}q]`;
    if (l.questionSteps > 1) s += ','.repeat(l.questionSteps - 1);
    if (l.cut === 'question') return s + trunc;
    s += ` ${l.answerCount}/${l.authorityCount}/${l.additionalCount}`;
    for (let i = 0; i < l.answers.length; i++) {
      const a = l.answers[i];
      s += `${i > 0 ? ',' : ''}${a.class !== 1 && a.type !== 41 ? ` ${dnsClassText(a.class)}` : ''} ${dnsTypeText(a.type)}${a.data === undefined ? '' : ` ${a.data}`}`;
    }
    if (l.cut === 'answer-data' || l.cut === 'answers') return s + trunc;
    if (l.cut === 'answer') {
      if (l.answers.length > 0) s += ',';
      if (l.answerCount > l.answers.length + 1) return s + trunc;
    }
  } else {
    s = `${l.id}${dnsOpcodeText(l.opcode)}${f & 0x0100 ? '+' : ''}${f & 0x0010 ? '%' : ''}`;
    if (f & 0x6cf) s += ` [b2&3=0x${f.toString(16)}]`;
    if (l.opcode === 1) {
      // IQUERY: tcpdump expects one answer and no question.
      if (l.questionCount) s += ` [${l.questionCount}q]`;
      if (l.answerCount !== 1) s += ` [${l.answerCount}a]`;
    } else {
      if (l.answerCount) s += ` [${l.answerCount}a]`;
      if (l.questionCount !== 1) s += ` [${l.questionCount}q]`;
    }
    if (l.authorityCount) s += ` [${l.authorityCount}n]`;
    if (l.additionalCount) s += ` [${l.additionalCount}au]`;
    for (const q of l.questions) s += ` ${dnsTypeText(q.type)}${q.class !== 1 ? ` ${dnsClassText(q.class)}` : ''}? ${q.name}`;
    if (l.cut === 'question') return s + trunc;
  }
  return `${s} (${l.messageLength})`;
}

/**
 * Without -v tcpdump reads only op, htype, hlen and (for a request from Ethernet) chaddr: a snaplen
 * cut after them still prints the whole summary; one before them prints ` [|bootp]`.
 */
export function dhcpText(l: DhcpLayer, data: Uint8Array): string {
  const op = l.op === 1 ? 'Request' : l.op === 2 ? 'Reply' : `unknown (0x${l.op.toString(16).padStart(2, '0')})`;
  if (l.length < 3) return `BOOTP/DHCP, ${op} [|bootp]`;
  const fromEthernet = l.op === 1 && data[l.offset + 1] === 1 && data[l.offset + 2] === 6;
  if (fromEthernet && l.length < 34) return `BOOTP/DHCP, ${op} [|bootp]`;
  return `BOOTP/DHCP, ${op}${fromEthernet ? ` from ${l.clientMac}` : ''}, length ${l.messageLength}`;
}
