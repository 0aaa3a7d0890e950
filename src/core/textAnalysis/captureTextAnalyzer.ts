/**
 * Reads a capture text's records one at a time, in order, and keeps what the language features
 * need: conversations, the previous packet of each conversation, request/reply pairs with their
 * round-trip times, packet identities, and findings. Feeding is incremental (a live pane appends):
 * state only grows, and the unanswered-request findings are computed on demand from what is
 * still pending.
 */
import type { TcpdumpTextRecord } from '../tcpdumpText/parseTcpdumpText';
import type { TcpdumpPacketRecord } from '../tcpdumpText/tcpdumpRecord';
import { CAPTURE_TEXT_CODES, type CaptureTextFinding, type FindingName } from './captureTextDiagnosticCodes';
import { conversationKeyOf, conversationOf, type Conversation } from './conversationOf';
import { packetIdentity } from './packetIdentity';
import { copyEvidence, describeCopyEvidence } from './samePacketTwice';
import { formatSeconds, secondsBetween } from './packetTime';

/** The outline lists at most this many packets per conversation. */
export const PACKETS_LISTED_PER_CONVERSATION = 1000;

export type PairKind = 'icmp-echo' | 'tcp-handshake' | 'dns' | 'arp' | 'dhcp';

export interface PacketPair {
  /** Index of the other packet of the pair. */
  other: number;
  role: 'request' | 'reply';
  kind: PairKind;
}

export interface AnalyzedPacket {
  line: number;
  endLine: number;
  record: TcpdumpPacketRecord;
  conversation?: number;
  previousInConversation?: number;
  pair?: PacketPair;
  identity?: string;
}

export interface ConversationState {
  conversation: Conversation;
  count: number;
  firstLine: number;
  lastLine: number;
  /** Packet indexes, the first PACKETS_LISTED_PER_CONVERSATION. */
  packets: number[];
  /** Index of the latest packet. */
  last: number;
}

interface Pending {
  first: number;
  count: number;
  last: number;
}

/**
 * What the analysis looked like before packet `packets` was fed, so that an edit can take the
 * analysis back there and feed only what follows. The append-only parts (packets, findings,
 * conversations, identities, segments, pairs) are cut back by walking the packets after it; only
 * the pending requests (small: what is still unanswered) are copied.
 */
interface AnalyzerCheckpoint {
  packets: number;
  findings: number;
  pairs: number;
  pendingSyn: Map<string, Pending>;
  pendingArp: Map<string, Pending>;
  pendingEcho: Map<string, number>;
  pendingDns: Map<string, Pending>;
  pendingDhcp: Map<string, Pending>;
}

/** Packets between checkpoints at least; more while many requests are pending (copying them costs). */
export const CHECKPOINT_EVERY = 4096;

const copyPending = (m: Map<string, Pending>): Map<string, Pending> => {
  const out = new Map<string, Pending>();
  for (const [k, v] of m) out.set(k, { ...v });
  return out;
};

/** Directional TCP segment key (flow + seq range + SYN/FIN) of a segment that carries something. */
function segmentKeyOf(rec: TcpdumpPacketRecord): string | undefined {
  const t = rec.tcp;
  if (!t || !rec.src || !rec.dst || t.seqStart === undefined) return undefined;
  if (!((t.length ?? 0) > 0 || t.syn || t.fin)) return undefined;
  return `${rec.src.address}.${rec.src.port} > ${rec.dst.address}.${rec.dst.port} ${t.seqStart}:${t.seqEnd ?? ''} ${t.syn ? 'S' : ''}${t.fin ? 'F' : ''}`;
}

export class CaptureTextAnalyzer {
  readonly packets: AnalyzedPacket[] = [];
  readonly conversations: ConversationState[] = [];
  /** Findings known for good (later lines cannot withdraw them). */
  readonly findings: CaptureTextFinding[] = [];
  readonly identities = new Map<string, number[]>();
  private readonly conversationIndex = new Map<string, number>();
  /** Directional TCP segment key (flow + seq range + SYN/FIN) → first packet. */
  private readonly segments = new Map<string, number>();
  private pendingSyn = new Map<string, Pending>();
  private pendingArp = new Map<string, Pending>();
  private pendingEcho = new Map<string, number>();
  private pendingDns = new Map<string, Pending>();
  private pendingDhcp = new Map<string, Pending>();
  /** Every pairing in order (request, reply), so that a rollback can unpair earlier requests. */
  private readonly pairRequests: number[] = [];
  private readonly pairReplies: number[] = [];
  private readonly checkpoints: AnalyzerCheckpoint[] = [];

  /** Checkpoints every `checkpointEvery` packets, or every `pendingFactor` × the pending requests if more. */
  constructor(private readonly checkpointEvery = CHECKPOINT_EVERY, private readonly pendingFactor = 1) {
    this.checkpoint();
  }

  feed(entry: TcpdumpTextRecord): void {
    if (entry.record.kind !== 'packet') return;
    const rec = entry.record;
    const index = this.packets.length;
    const lastCheckpoint = this.checkpoints[this.checkpoints.length - 1];
    const pendingCount = this.pendingSyn.size + this.pendingArp.size + this.pendingEcho.size + this.pendingDns.size + this.pendingDhcp.size;
    if (index - lastCheckpoint.packets >= Math.max(this.checkpointEvery, this.pendingFactor * pendingCount)) this.checkpoint();
    const p: AnalyzedPacket = { line: entry.line, endLine: entry.endLine, record: rec };
    this.packets.push(p);
    const convKey = conversationKeyOf(rec);
    if (convKey !== undefined) this.addToConversation(p, index, convKey);
    // A second copy of the same packet (bridge and port under -i any) is reported once, as that.
    if (this.checkIdentity(p, index)) return;
    if (rec.tcp) this.checkTcp(p, index);
    this.checkIcmp(p, index);
    this.checkArp(p, index);
    this.checkDns(p, index);
    this.checkDhcp(p, index);
    for (const c of rec.checksums) {
      if (c.state === 'bad' || c.state === 'incorrect') {
        this.report('bad-checksum', p, `Bad ${c.layer} checksum ${c.value ?? ''}${c.expected ? ` (expected ${c.expected})` : ''}. On the sending host this is usually checksum offload (the NIC fills it in later); elsewhere the packet was corrupted.`);
      }
    }
    if (rec.truncatedAt) this.report('truncated-packet', p, `Truncated at ${rec.truncatedAt}: the snapshot length cut the packet; capture with a larger -s to see the rest.`);
  }

  /**
   * The last packet fed gained indented detail lines (a live pane appended them after it). When
   * they change nothing analysed (no checksum verdict, not DHCP, whose message type is a detail
   * line), take the longer record in place and return true; otherwise the caller re-analyses.
   */
  extendLast(entry: TcpdumpTextRecord): boolean {
    const index = this.packets.length - 1;
    const p = this.packets[index];
    const r = entry.record;
    if (!p || r.kind !== 'packet' || p.line !== entry.line || r.dhcp || p.record.dhcp) return false;
    if (r.checksums.length !== p.record.checksums.length || !r.text.startsWith(`${p.record.text}\n`)) return false;
    p.record = r;
    p.endLine = entry.endLine;
    const conv = p.conversation === undefined ? undefined : this.conversations[p.conversation];
    if (conv?.last === index) conv.lastLine = entry.endLine;
    return true;
  }

  /**
   * Takes the analysis back to what it was after the first `packetCount` packets, or earlier: to
   * the last checkpoint at or before it. Returns how many packets are kept; feed from there on.
   */
  rollbackTo(packetCount: number): number {
    let ci = this.checkpoints.length - 1;
    while (this.checkpoints[ci].packets > packetCount) ci--;
    const cp = this.checkpoints[ci];
    this.checkpoints.length = ci + 1;
    while (this.pairReplies.length > cp.pairs) {
      const request = this.pairRequests.pop() ?? -1;
      this.pairReplies.pop();
      if (request >= 0 && request < cp.packets) delete this.packets[request].pair;
    }
    for (let i = this.packets.length - 1; i >= cp.packets; i--) this.unfeed(i);
    this.packets.length = cp.packets;
    this.findings.length = cp.findings;
    this.pendingSyn = copyPending(cp.pendingSyn);
    this.pendingArp = copyPending(cp.pendingArp);
    this.pendingEcho = new Map(cp.pendingEcho);
    this.pendingDns = copyPending(cp.pendingDns);
    this.pendingDhcp = copyPending(cp.pendingDhcp);
    return cp.packets;
  }

  private checkpoint(): void {
    this.checkpoints.push({
      packets: this.packets.length, findings: this.findings.length, pairs: this.pairReplies.length,
      pendingSyn: copyPending(this.pendingSyn), pendingArp: copyPending(this.pendingArp), pendingEcho: new Map(this.pendingEcho),
      pendingDns: copyPending(this.pendingDns), pendingDhcp: copyPending(this.pendingDhcp),
    });
  }

  /** Undoes what feeding packet `index` (the latest) added to the append-only state. */
  private unfeed(index: number): void {
    const p = this.packets[index];
    if (p.identity !== undefined) {
      const list = this.identities.get(p.identity);
      list?.pop();
      if (list?.length === 0) this.identities.delete(p.identity);
    }
    if (p.conversation !== undefined) {
      const st = this.conversations[p.conversation];
      st.count--;
      if (st.packets[st.packets.length - 1] === index) st.packets.pop();
      if (st.count === 0 || p.previousInConversation === undefined) {
        // Its first packet: the conversation is the newest one.
        this.conversations.pop();
        this.conversationIndex.delete(st.conversation.key);
      } else {
        st.last = p.previousInConversation;
        st.lastLine = this.packets[st.last].endLine;
      }
    }
    const seg = segmentKeyOf(p.record);
    if (seg !== undefined && this.segments.get(seg) === index) this.segments.delete(seg);
  }

  /** Findings for good plus the requests still unanswered at the end of the text. */
  allFindings(): CaptureTextFinding[] {
    const out = [...this.findings];
    for (const [key, s] of this.pendingSyn) {
      out.push(this.finding('tcp-no-syn-ack', this.packets[s.first], `One-sided conversation: ${s.count} SYN${s.count > 1 ? 's' : ''} (${key}) and no SYN-ACK or RST back. The SYN is dropped on the way, or the answer is on another path.`));
    }
    for (const [target, s] of this.pendingArp) {
      out.push(this.finding('arp-no-reply', this.packets[s.first], `ARP who-has ${target}: ${s.count} request${s.count > 1 ? 's' : ''}, no reply. Nothing on this segment holds ${target} (VM down, wrong VLAN/bridge, or a filter drops ARP).`));
    }
    for (const [key, s] of this.pendingDns) {
      out.push(this.finding('dns-no-response', this.packets[s.first], `DNS query ${key}: ${s.count} sent, no response.`));
    }
    for (const [mac, s] of this.pendingDhcp) {
      out.push(this.finding('dhcp-no-offer', this.packets[s.first], `DHCP DISCOVER from ${mac}: ${s.count} sent, no OFFER. No DHCP server answers on this segment (dnsmasq down, or a filter drops UDP 67/68).`));
    }
    return out.sort((a, b) => a.line - b.line);
  }

  private addToConversation(p: AnalyzedPacket, index: number, key: string): void {
    let ci = this.conversationIndex.get(key);
    if (ci === undefined) {
      const conv = conversationOf(p.record);
      if (!conv) return;
      ci = this.conversations.length;
      this.conversationIndex.set(key, ci);
      this.conversations.push({ conversation: conv, count: 0, firstLine: p.line, lastLine: p.endLine, packets: [], last: index });
    } else {
      p.previousInConversation = this.conversations[ci].last;
    }
    const st = this.conversations[ci];
    st.count++;
    st.lastLine = p.endLine;
    if (st.packets.length < PACKETS_LISTED_PER_CONVERSATION) st.packets.push(index);
    st.last = index;
    p.conversation = ci;
  }

  /** Returns true when the packet is one already seen (the same packet captured twice). */
  private checkIdentity(p: AnalyzedPacket, index: number): boolean {
    const id = packetIdentity(p.record);
    if (id === undefined) return false;
    p.identity = id;
    let list = this.identities.get(id);
    if (!list) { list = []; this.identities.set(id, list); }
    const prevIndex = list.at(-1);
    list.push(index);
    if (prevIndex === undefined) return false;
    const prev = this.packets[prevIndex];
    const evidence = copyEvidence(prev.record, p.record);
    if (!evidence) return false;
    const gap = secondsBetween(prev.record, p.record);
    this.report('duplicate-packet', p, `The same packet as line ${prev.line + 1}${describeCopyEvidence(evidence)}${gap !== undefined ? `, ${formatSeconds(gap)} later` : ''}.`);
    return true;
  }

  private checkTcp(p: AnalyzedPacket, index: number): void {
    const rec = p.record;
    const t = rec.tcp;
    if (!t || !rec.src || !rec.dst) return;
    const dirKey = `${rec.src.address}.${rec.src.port} > ${rec.dst.address}.${rec.dst.port}`;
    const revKey = `${rec.dst.address}.${rec.dst.port} > ${rec.src.address}.${rec.src.port}`;
    if (t.rst) {
      const refused = this.pendingSyn.has(revKey) ? ' in answer to a SYN: nothing listens on that port (connection refused), or a firewall rejects it' : '';
      this.report('tcp-reset', p, `TCP reset from ${rec.src.address}.${rec.src.port} to ${rec.dst.address}.${rec.dst.port}${refused}.`);
    }
    if (t.window === 0 && !t.rst) {
      this.report('tcp-zero-window', p, `Zero window from ${rec.src.address}.${rec.src.port}: its receive buffer is full, the peer must stop sending.`);
    }
    // Anything coming back answers a pending SYN (SYN-ACK or RST).
    const syn = this.pendingSyn.get(revKey);
    if (syn && (t.rst || (t.syn && t.ack))) {
      this.pendingSyn.delete(revKey);
      if (t.syn) this.pair(syn.last, index, 'tcp-handshake');
    }
    if (t.syn && !t.ack) {
      const s = this.pendingSyn.get(dirKey);
      if (s) { s.count++; s.last = index; } else this.pendingSyn.set(dirKey, { first: index, count: 1, last: index });
    }
    const segKey = segmentKeyOf(rec);
    if (segKey === undefined || t.seqStart === undefined) return;
    const first = this.segments.get(segKey);
    if (first === undefined) { this.segments.set(segKey, index); return; }
    const firstRec = this.packets[first].record;
    const gap = secondsBetween(firstRec, rec);
    const after = gap === undefined ? '' : ` ${formatSeconds(gap)} after`;
    if (t.syn && !t.ack) {
      const tsA = firstRec.tcp?.options?.tsVal;
      const tsB = t.options?.tsVal;
      const ts = tsA !== undefined && tsB !== undefined ? ` (TS val +${tsB - tsA} ms)` : '';
      this.report('tcp-syn-retransmission', p, `SYN retransmitted${after} the first one (line ${this.packets[first].line + 1})${ts}: no SYN-ACK came back.`);
    } else {
      this.report('tcp-retransmission', p, `TCP retransmission of seq ${t.seqStart}${t.seqEnd !== undefined ? `:${t.seqEnd}` : ''}, first sent at line ${this.packets[first].line + 1}${after}.`);
    }
  }

  private checkIcmp(p: AnalyzedPacket, index: number): void {
    const rec = p.record;
    const icmp = rec.icmp;
    if (!icmp || !rec.src || !rec.dst) return;
    if (/unreachable/.test(icmp.type)) {
      this.report('icmp-unreachable', p, `ICMP ${icmp.type} from ${rec.src.address} to ${rec.dst.address}: a packet ${rec.dst.address} sent was refused or could not be delivered.`);
    } else if (/time exceeded/.test(icmp.type)) {
      this.report('icmp-time-exceeded', p, `ICMP ${icmp.type} from ${rec.src.address}: TTL ran out (a routing loop, or traceroute).`);
    }
    const echo = /^echo (request|reply)$/.exec(icmp.type);
    if (!echo || icmp.id === undefined) return;
    if (echo[1] === 'request') {
      this.pendingEcho.set(`${rec.src.address} ${rec.dst.address} ${icmp.id} ${icmp.seq}`, index);
    } else {
      const key = `${rec.dst.address} ${rec.src.address} ${icmp.id} ${icmp.seq}`;
      const req = this.pendingEcho.get(key);
      if (req !== undefined) { this.pendingEcho.delete(key); this.pair(req, index, 'icmp-echo'); }
    }
  }

  private checkArp(p: AnalyzedPacket, index: number): void {
    const a = p.record.arp;
    if (!a) return;
    if (a.op === 'request' && a.whoHas) {
      const s = this.pendingArp.get(a.whoHas);
      if (s) { s.count++; s.last = index; } else this.pendingArp.set(a.whoHas, { first: index, count: 1, last: index });
    } else if (a.op === 'reply' && a.address) {
      const s = this.pendingArp.get(a.address);
      if (s) { this.pendingArp.delete(a.address); this.pair(s.last, index, 'arp'); }
    }
  }

  private checkDns(p: AnalyzedPacket, index: number): void {
    const rec = p.record;
    const d = rec.dns;
    if (!d || !rec.src || !rec.dst) return;
    const client = d.isResponse ? rec.dst : rec.src;
    const key = `${d.id} ${client.address}.${client.port ?? ''}${d.queryName ? ` ${d.queryType ?? ''}? ${d.queryName}` : ''}`;
    const base = `${d.id} ${client.address}.${client.port ?? ''}`;
    if (!d.isResponse) {
      const s = this.pendingDns.get(key);
      if (s) { s.count++; s.last = index; } else this.pendingDns.set(key, { first: index, count: 1, last: index });
      return;
    }
    for (const [k, s] of this.pendingDns) {
      if (k === base || k.startsWith(`${base} `)) { this.pendingDns.delete(k); this.pair(s.last, index, 'dns'); break; }
    }
  }

  private checkDhcp(p: AnalyzedPacket, index: number): void {
    const d = p.record.dhcp;
    if (!d) return;
    // Without -v a DISCOVER prints as `BOOTP/DHCP, Request from <mac>`: treat it as one until a reply comes.
    if (d.op === 'Request' && (d.message === undefined || d.message === 'Discover')) {
      const mac = d.clientMac ?? 'unknown client';
      const s = this.pendingDhcp.get(mac);
      if (s) { s.count++; s.last = index; } else this.pendingDhcp.set(mac, { first: index, count: 1, last: index });
    } else if (d.op === 'Reply') {
      for (const [mac, s] of this.pendingDhcp) {
        if (d.clientMac === undefined || d.clientMac === mac) { this.pendingDhcp.delete(mac); this.pair(s.last, index, 'dhcp'); }
      }
    }
  }

  private pair(request: number, reply: number, kind: PairKind): void {
    this.pairRequests.push(request);
    this.pairReplies.push(reply);
    this.packets[request].pair = { other: reply, role: 'request', kind };
    this.packets[reply].pair = { other: request, role: 'reply', kind };
  }

  private finding(name: FindingName, p: AnalyzedPacket, message: string): CaptureTextFinding {
    const { code, severity } = CAPTURE_TEXT_CODES[name];
    const bpf = p.conversation === undefined ? undefined : this.conversations[p.conversation].conversation.bpf;
    return { name, code, severity, line: p.line, endLine: p.endLine, message, bpf };
  }

  private report(name: FindingName, p: AnalyzedPacket, message: string): void {
    this.findings.push(this.finding(name, p, message));
  }
}
