/**
 * The layer tree of one packet (for JSON output and the decode tree of the pcap editor).
 * `offset`/`length` are the header's byte range in the record's data; `truncated` says the
 * capture ended inside this layer (tcpdump's `[|proto]`), `malformed` that a length was impossible.
 */
export interface LayerRange {
  offset: number;
  length: number;
  truncated?: boolean;
  malformed?: boolean;
}

export interface EthernetLayer extends LayerRange { kind: 'ethernet'; dst: string; src: string; etherType: number }
export interface VlanLayer extends LayerRange { kind: 'vlan'; tpid: number; id: number; pcp: number; dei: number; etherType: number }
export interface SllLayer extends LayerRange {
  kind: 'sll';
  version: 1 | 2;
  packetType: number;
  /** SLL2 interface index on the capturing host; -1 for SLL v1. */
  ifIndex: number;
  hatype: number;
  address: string;
  protocol: number;
}
export interface ArpLayer extends LayerRange {
  kind: 'arp'; hwType: number; protoType: number; op: number;
  senderMac: string; senderIp: string; targetMac: string; targetIp: string;
}
export interface Ipv4Layer extends LayerRange {
  kind: 'ipv4'; src: string; dst: string; ttl: number; id: number; proto: number; totalLength: number;
  headerLength: number; dontFragment: boolean; moreFragments: boolean; fragOffset: number;
  dscp: number; ecn: number; checksum: number; optionsLength: number;
}
export interface Ipv6Extension { type: number; offset: number; length: number }
export interface Ipv6Layer extends LayerRange {
  kind: 'ipv6'; src: string; dst: string; hopLimit: number; flowLabel: number; trafficClass: number;
  payloadLength: number; nextHeader: number; proto: number; extensions: Ipv6Extension[];
  fragment?: { offset: number; more: boolean; id: number };
}
export interface IcmpQuotedPacket { proto: number; src: string; dst: string; srcPort: number; dstPort: number }
export interface IcmpLayer extends LayerRange {
  kind: 'icmp'; type: number; code: number; id: number; seq: number;
  /** The IP header quoted by unreachable / time exceeded messages. */
  quoted?: IcmpQuotedPacket;
  /** ICMP message length (IP payload length as the header says). */
  messageLength: number;
}
export interface Icmpv6Layer extends LayerRange {
  kind: 'icmpv6'; type: number; code: number; id: number; seq: number;
  /** Neighbour solicitation/advertisement target. */
  target?: string;
  /** MLDv2 report: number of group records. */
  groupRecords?: number;
  messageLength: number;
}
export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'sackOK' }
  | { kind: 'wscale'; value: number }
  | { kind: 'ts'; val: number; ecr: number }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'sack'; blocks: [number, number][] }
  | { kind: 'unknown'; code: number; length: number }
  /** The capture ended inside this option (code, and how far it got). */
  | { kind: 'truncated'; code: number; lengthKnown: boolean };
export interface TcpLayer extends LayerRange {
  kind: 'tcp'; srcPort: number; dstPort: number; seq: number; ack: number; flags: number; window: number;
  urgent: number; headerLength: number; options: TcpOption[];
  /** Payload length as the IP header claims it. */
  payloadLength: number;
}
export interface UdpLayer extends LayerRange { kind: 'udp'; srcPort: number; dstPort: number; udpLength: number; checksum: number }
export interface DnsQuestion {
  name: string; type: number; class: number;
  /** The name could be printed only in part (a malformed name): tcpdump prints this much, then `[|domain]`. */
  partial?: true;
}
export interface DnsRecord {
  name: string; type: number; class: number; ttl: number;
  /**
   * The record's data as tcpdump prints it without -v after the type and a space (`10.0.0.1`,
   * `mail.example. 10`, `"text"`); undefined when it prints nothing there (SOA, most other types).
   */
  data?: string;
}
/**
 * Where the captured bytes (or a malformed name) stopped tcpdump's walk of the message, which decides
 * what it prints: `question` — inside the questions (a response prints only its header, a query the
 * questions before); `answer` — inside an answer's name or fixed part (tcpdump silently ends the
 * answers there: ` 1/0/0 (51)` when it was the last one); `answer-data` — inside the data of the
 * last entry of `answers` (its type is printed, then `[|domain]`); `answers` — right after a whole
 * answer, with answers left.
 */
export type DnsCut = 'question' | 'answer' | 'answer-data' | 'answers';
export interface DnsLayer extends LayerRange {
  kind: 'dns'; id: number; flags: number; response: boolean; opcode: number;
  /** With the extended bits of an OPT record's TTL, when tcpdump's scan reaches one. */
  rcode: number;
  questionCount: number; answerCount: number; authorityCount: number; additionalCount: number;
  /** A query's questions as tcpdump walks them; a response's that were captured whole. */
  questions: DnsQuestion[];
  /**
   * Response: the questions tcpdump's walk started on (it skips them, printing a comma before each
   * after the first: `[2q], 1/0/0`), the one the capture cut included.
   */
  questionSteps: number;
  /** The answers tcpdump's walk reaches, in order (the last one cut in its data when `cut` is 'answer-data'). */
  answers: DnsRecord[];
  cut?: DnsCut;
  /** DNS message length (UDP payload length). */
  messageLength: number;
}
export interface DhcpOption { code: number; offset: number; length: number }
export interface DhcpLayer extends LayerRange {
  kind: 'dhcp'; op: number; xid: number; flags: number; clientMac: string;
  ciaddr: string; yiaddr: string; siaddr: string; giaddr: string;
  /** DHCP message type (option 53), -1 for plain BOOTP. */
  messageType: number;
  options: DhcpOption[];
  messageLength: number;
}
export interface VxlanLayer extends LayerRange { kind: 'vxlan'; flags: number; vni: number }
export interface GeneveLayer extends LayerRange {
  kind: 'geneve'; version: number; optionsLength: number; oam: boolean; critical: boolean; protocol: number; vni: number;
}
export interface GreLayer extends LayerRange {
  kind: 'gre'; version: number; flags: number; protocol: number; key: number; sequence: number; checksum: number;
  /** Bytes after the GRE header on the wire. */
  payloadLength: number;
}
export interface PayloadLayer extends LayerRange { kind: 'payload'; wireLength: number }

export type DecodedLayer =
  | EthernetLayer | VlanLayer | SllLayer | ArpLayer | Ipv4Layer | Ipv6Layer | IcmpLayer | Icmpv6Layer
  | TcpLayer | UdpLayer | DnsLayer | DhcpLayer | VxlanLayer | GeneveLayer | GreLayer | PayloadLayer;
