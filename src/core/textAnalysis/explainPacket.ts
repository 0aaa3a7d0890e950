/**
 * A packet line in words, for the hover: what the flags and options mean, what the ICMP type says,
 * and the timing the analysis knows (time since the previous packet of the conversation, the
 * round trip of a request/reply pair). Returns Markdown.
 */
import type { TcpdumpPacketRecord, TcpdumpTcp } from '../tcpdumpText/tcpdumpRecord';
import type { CaptureTextAnalyzer, AnalyzedPacket } from './captureTextAnalyzer';
import { formatSeconds, secondsBetween } from './packetTime';

const FLAG_WORDS: Record<string, string> = {
  S: 'SYN (open a connection)', F: 'FIN (no more data from this side)', R: 'RST (abort the connection)',
  P: 'PSH (deliver the data now)', '.': 'ACK', U: 'URG', E: 'ECE (ECN echo)', W: 'CWR (congestion window reduced)',
};

function explainTcp(t: TcpdumpTcp): string[] {
  const out: string[] = [];
  const words = [...t.flags].map((f) => FLAG_WORDS[f] ?? f);
  const kind = t.syn && t.ack ? 'SYN-ACK: the server accepts the connection'
    : t.syn ? 'SYN: the client opens a connection'
      : t.rst ? 'RST: the connection is aborted'
        : t.fin ? 'FIN: this side closes its half of the connection'
          : (t.length ?? 0) > 0 ? `data segment of ${t.length} bytes` : 'pure acknowledgement';
  out.push(`**TCP** ${kind}. Flags \`[${t.flags}]\` = ${words.join(', ')}.`);
  if (t.seqStart !== undefined) {
    out.push(t.seqEnd !== undefined
      ? `Sequence ${t.seqStart}:${t.seqEnd}: bytes ${t.seqStart} to ${t.seqEnd - 1} of this direction.`
      : `Sequence number ${t.seqStart}.`);
  }
  if (t.ackNumber !== undefined) out.push(`Acknowledges every byte before ${t.ackNumber} from the peer.`);
  if (t.window !== undefined) out.push(t.window === 0 ? 'Window 0: the receive buffer is full, the peer must stop sending.' : `Window ${t.window} (scaled by the wscale both sides announced in the handshake).`);
  const o = t.options;
  if (o) {
    if (o.mss !== undefined) out.push(`MSS ${o.mss}: the largest segment this side accepts.`);
    if (o.wscale !== undefined) out.push(`wscale ${o.wscale}: windows from this side are multiplied by ${2 ** o.wscale}.`);
    if (o.sackOK) out.push('sackOK: selective acknowledgements allowed (only lost segments are resent).');
    if (o.tsVal !== undefined) out.push(`TS val ${o.tsVal} ecr ${o.tsEcr ?? 0}: the sender's timestamp clock and the last one it received (for RTT measurement and PAWS).`);
  }
  return out;
}

function explainIcmp(rec: TcpdumpPacketRecord): string[] {
  const i = rec.icmp;
  if (!i) return [];
  let words = i.type;
  if (i.type === 'echo request') words = 'echo request (ping)';
  else if (i.type === 'echo reply') words = 'echo reply (the answer to a ping)';
  else if (/port \d+ unreachable/.test(i.type)) words = `port unreachable: ${i.type} — nothing listens there, the host refused the datagram`;
  else if (/unreachable/.test(i.type)) words = `destination unreachable: ${i.type}`;
  else if (/time exceeded/.test(i.type)) words = `time exceeded: ${i.type} — the TTL reached 0 on the way`;
  const ids = i.id !== undefined ? ` (id ${i.id}, seq ${i.seq ?? '?'})` : '';
  return [`**${rec.protocol.toUpperCase()}** ${words}${ids}.`];
}

function explainRecord(rec: TcpdumpPacketRecord): string[] {
  const out: string[] = [];
  const from = rec.src ? `${rec.src.address}${rec.src.port !== undefined ? ` port ${rec.src.port}` : ''}` : undefined;
  const to = rec.dst ? `${rec.dst.address}${rec.dst.port !== undefined ? ` port ${rec.dst.port}` : ''}` : undefined;
  if (from && to) out.push(`From ${from} to ${to}${rec.iface ? `, on ${rec.iface.name} (${rec.iface.direction})` : ''}.`);
  if (rec.ip?.ttl !== undefined) out.push(`IP TTL ${rec.ip.ttl}${rec.ip.id !== undefined ? `, id ${rec.ip.id}` : ''}${rec.ip.flags?.includes('DF') ? ', do not fragment' : ''}.`);
  if (rec.tcp) out.push(...explainTcp(rec.tcp));
  out.push(...explainIcmp(rec));
  if (rec.arp) {
    out.push(rec.arp.op === 'request'
      ? `**ARP** request: ${rec.arp.tell} asks who holds ${rec.arp.whoHas} (broadcast).`
      : `**ARP** reply: ${rec.arp.address} is at ${rec.arp.isAt}.`);
  }
  if (rec.dns) {
    const d = rec.dns;
    out.push(d.isResponse
      ? `**DNS** response, id ${d.id}: ${d.answers ?? 0} answers${d.answerText ? ` (${d.answerText})` : ''}.`
      : `**DNS** query, id ${d.id}: ${d.queryType} record of ${d.queryName}${d.flags.includes('+') ? ', recursion desired' : ''}.`);
  }
  if (rec.dhcp) out.push(`**DHCP** ${rec.dhcp.message ?? rec.dhcp.op}${rec.dhcp.clientMac ? ` from ${rec.dhcp.clientMac}` : ''}.`);
  for (const c of rec.checksums) if (c.state === 'bad' || c.state === 'incorrect') out.push(`Bad ${c.layer} checksum (offload on the sender, or corruption).`);
  if (rec.truncatedAt) out.push(`Truncated at ${rec.truncatedAt} (snapshot length).`);
  return out;
}

const PAIR_NAMES = { 'icmp-echo': 'echo', 'tcp-handshake': 'SYN → SYN-ACK', dns: 'DNS query → response', arp: 'ARP request → reply', dhcp: 'DHCP request → reply' } as const;

export function explainPacket(analyzer: CaptureTextAnalyzer, p: AnalyzedPacket): string {
  const lines = explainRecord(p.record);
  if (p.conversation !== undefined) {
    const conv = analyzer.conversations[p.conversation];
    lines.push(`Conversation ${conv.conversation.label} (${conv.count} packets).`);
  }
  if (p.previousInConversation !== undefined) {
    const prev = analyzer.packets[p.previousInConversation];
    const gap = secondsBetween(prev.record, p.record);
    if (gap !== undefined) lines.push(`${formatSeconds(gap)} since the previous packet of this conversation (line ${prev.line + 1}).`);
  }
  if (p.pair) {
    const other = analyzer.packets[p.pair.other];
    const [req, rep] = p.pair.role === 'request' ? [p, other] : [other, p];
    const rtt = secondsBetween(req.record, rep.record);
    const name = PAIR_NAMES[p.pair.kind];
    const where = p.pair.role === 'request' ? `reply at line ${rep.line + 1}` : `request at line ${req.line + 1}`;
    lines.push(`Round trip (${name}): ${rtt === undefined ? 'unknown' : formatSeconds(rtt)} — ${where}.`);
  }
  return lines.join('\n\n');
}

/** A short name for the outline: `12:00:00.1 Flags [S.] seq 0` / `echo request id 3 seq 1`. */
export function summarizePacket(rec: TcpdumpPacketRecord): string {
  const ts = rec.timestamp?.text ?? '';
  const dir = rec.src && rec.dst ? `${rec.src.address}${rec.src.port !== undefined ? `.${rec.src.port}` : ''} > ${rec.dst.address}${rec.dst.port !== undefined ? `.${rec.dst.port}` : ''}` : '';
  let what: string = rec.protocol;
  if (rec.tcp) what = `[${rec.tcp.flags}]${rec.tcp.seqStart !== undefined ? ` seq ${rec.tcp.seqStart}${rec.tcp.seqEnd !== undefined ? `:${rec.tcp.seqEnd}` : ''}` : ''}${rec.tcp.ackNumber !== undefined ? ` ack ${rec.tcp.ackNumber}` : ''}`;
  else if (rec.icmp) what = `${rec.icmp.type}${rec.icmp.id !== undefined ? ` id ${rec.icmp.id} seq ${rec.icmp.seq ?? '?'}` : ''}`;
  else if (rec.arp) what = rec.arp.op === 'request' ? `who-has ${rec.arp.whoHas} tell ${rec.arp.tell}` : `${rec.arp.address} is-at ${rec.arp.isAt}`;
  else if (rec.dns) what = `DNS ${rec.dns.isResponse ? 'response' : 'query'} ${rec.dns.id}`;
  else if (rec.dhcp) what = `DHCP ${rec.dhcp.message ?? rec.dhcp.op}`;
  return [ts, dir, what].filter(Boolean).join(' ');
}
