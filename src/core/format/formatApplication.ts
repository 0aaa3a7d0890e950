/** DNS and BOOTP/DHCP summaries as tcpdump prints them without -v. */
import type { DhcpLayer, DnsLayer } from '../decode/decodedLayer';
import { dnsOpcodeText, dnsRcodeText, dnsTypeText } from './protocolNames';

export function dnsText(l: DnsLayer): string {
  if (l.id < 0) return '[|domain]';
  const f = l.flags;
  let s: string;
  if (l.response) {
    s = `${l.id}${dnsOpcodeText(l.opcode)}${dnsRcodeText(l.rcode)}${f & 0x0400 ? '*' : ''}${f & 0x0080 ? '' : '-'}${f & 0x0200 ? '|' : ''}`;
    if (l.questionCount !== 1) s += ` [${l.questionCount}q]`;
    s += ` ${l.answerCount}/${l.authorityCount}/${l.additionalCount}`;
    for (let i = 0; i < l.answers.length; i++) {
      const a = l.answers[i];
      s += `${i > 0 ? ',' : ''} ${dnsTypeText(a.type)}${a.data !== '' ? ` ${a.data}` : ''}`;
    }
    if (l.truncated) s += ' [|domain]';
  } else {
    s = `${l.id}${dnsOpcodeText(l.opcode)}${f & 0x0100 ? '+' : ''}${f & 0x0010 ? '%' : ''}`;
    if (f & 0x6cf) s += ` [b2&3=0x${f.toString(16)}]`;
    if (l.answerCount) s += ` [${l.answerCount}a]`;
    if (l.authorityCount) s += ` [${l.authorityCount}n]`;
    if (l.additionalCount) s += ` [${l.additionalCount}au]`;
    if (l.questionCount !== 1) s += ` [${l.questionCount}q]`;
    const q = l.questions[0];
    if (q) s += ` ${dnsTypeText(q.type)}? ${q.name}`;
    else if (l.questionCount > 0) return `${s} [|domain]`;
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
