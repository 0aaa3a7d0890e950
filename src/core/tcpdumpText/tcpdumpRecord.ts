/**
 * A packet (or status line) read back from tcpdump's text output — what an engineer pasted, saved
 * or watched live. Every field is optional except the kind and the text: tcpdump prints different
 * things with -e, -v, -i any, -tttt, and old versions print older forms.
 */

/** `-t` none, plain `12:00:00.123456`, `-tt` epoch, `-ttt`/`-ttttt` delta, `-tttt` date and time. */
export type TcpdumpTimestampForm = 'time' | 'epoch' | 'delta' | 'datetime';

export interface TcpdumpTimestamp {
  form: TcpdumpTimestampForm;
  text: string;
  /** `-tttt` only: YYYY-MM-DD as printed (local time of the capturing host). */
  date?: string;
  /** time/datetime: seconds since midnight; epoch: seconds since 1970; delta: seconds since the reference. */
  seconds: number;
  /** Digits after the dot: 6 (microseconds) or 9 (`--nano`). */
  fractionDigits: number;
}

/** `-i any` (LINUX_SLL/SLL2): the interface and direction column. */
export interface TcpdumpInterface {
  name: string;
  /** In, Out, B (broadcast), M (multicast), P (to another host). */
  direction: string;
}

export interface TcpdumpVlan {
  id: number;
  priority: number;
}

/** `-e`: the link-layer header. */
export interface TcpdumpLinkInfo {
  srcMac?: string;
  dstMac?: string;
  /** Final ethertype (after VLAN tags). */
  etherType?: number;
  etherTypeName?: string;
  vlans: TcpdumpVlan[];
  /** Frame length as printed (`length 74:`). */
  length?: number;
  /** `-i any -e`: `ifindex 2`. */
  ifIndex?: number;
}

/** `-v` network-layer details: `(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto ICMP (1), length 84)`. */
export interface TcpdumpIpDetails {
  tos?: number;
  ttl?: number;
  /** IPv6 hop limit. */
  hopLimit?: number;
  id?: number;
  offset?: number;
  /** `[DF]`, `[none]`, `[+]`: the words inside the brackets. */
  flags?: string[];
  protoName?: string;
  protoNumber?: number;
  length?: number;
  payloadLength?: number;
  flowLabel?: number;
}

export interface TcpdumpEndpoint {
  address: string;
  port?: number;
}

export interface TcpdumpTcpOptions {
  raw: string;
  mss?: number;
  wscale?: number;
  sackOK?: boolean;
  tsVal?: number;
  tsEcr?: number;
}

export interface TcpdumpTcp {
  /** Flag letters as printed inside `Flags [...]` (S F P R . U E W), or the old form (`S`, `R`, `P`). */
  flags: string;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  /** `seq 1:61` → 1..61; `seq 3639534333` → start only. Relative unless `-S`. */
  seqStart?: number;
  seqEnd?: number;
  ackNumber?: number;
  window?: number;
  options?: TcpdumpTcpOptions;
  /** Payload length. */
  length?: number;
  /** Application protocol tcpdump named after the length (`length 60: HTTP`). */
  application?: string;
}

export interface TcpdumpIcmp {
  /** As printed: `echo request`, `echo reply`, `udp port 9999 unreachable`, `neighbor solicitation`... */
  type: string;
  id?: number;
  seq?: number;
  length?: number;
  /** Neighbor solicitation `who has X` / advertisement `tgt is X`. */
  target?: string;
}

export interface TcpdumpArp {
  op: 'request' | 'reply' | string;
  whoHas?: string;
  tell?: string;
  /** Reply: the address resolved and the MAC it is at. */
  address?: string;
  isAt?: string;
  length?: number;
}

export interface TcpdumpDns {
  id: number;
  isResponse: boolean;
  /** Flags printed after the id (`+` recursion desired, `*` authoritative, `-`, `|`, `$`). */
  flags: string;
  queryType?: string;
  queryName?: string;
  answers?: number;
  authorities?: number;
  additionals?: number;
  /** The answer section as printed (`A 10.207.9.9`). */
  answerText?: string;
  /** UDP payload length in parentheses. */
  length: number;
}

export interface TcpdumpDhcp {
  /** `Request` / `Reply` (BOOTP op). */
  op: string;
  clientMac?: string;
  /** DHCP-Message from `-v` lines: Discover, Offer, Request, ACK... */
  message?: string;
  length?: number;
}

/** Checksum verdicts tcpdump prints with -v/-vv. */
export interface TcpdumpChecksum {
  layer: string;
  state: 'ok' | 'correct' | 'incorrect' | 'bad';
  value?: string;
  expected?: string;
}

export type TcpdumpProtocol = 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'arp' | 'dns' | 'dhcp' | 'gre' | 'other';

/** An overlay header and the packet it carries (printed on the same line for GRE, the next for VXLAN). */
export interface TcpdumpTunnel {
  kind: 'vxlan' | 'geneve' | 'gre';
  vni?: number;
  /** GRE: the length tcpdump prints for the encapsulated payload. */
  length?: number;
  inner?: TcpdumpPacketRecord;
}

export interface TcpdumpPacketRecord {
  kind: 'packet';
  /** The text the record was read from (both lines for the two-line `-v` form). */
  text: string;
  timestamp?: TcpdumpTimestamp;
  iface?: TcpdumpInterface;
  link?: TcpdumpLinkInfo;
  /** 4 or 6 when the packet is IP. */
  ipVersion?: 4 | 6;
  ip?: TcpdumpIpDetails;
  src?: TcpdumpEndpoint;
  dst?: TcpdumpEndpoint;
  protocol: TcpdumpProtocol;
  tcp?: TcpdumpTcp;
  udpLength?: number;
  /** `-q` prints only `tcp 36`: the TCP payload length, without flags or numbers. */
  quietTcpLength?: number;
  icmp?: TcpdumpIcmp;
  arp?: TcpdumpArp;
  dns?: TcpdumpDns;
  dhcp?: TcpdumpDhcp;
  tunnel?: TcpdumpTunnel;
  checksums: TcpdumpChecksum[];
  /** `[|tcp]`: the protocol whose decoding ran out of captured bytes. */
  truncatedAt?: string;
  /** Further indented lines (`-v` options, DHCP options...) as printed. */
  detailLines: string[];
  /** The first line ended with `-v` IP details: the addresses follow on the next, indented line. */
  awaitsSecondLine: boolean;
}

export type TcpdumpStatusKind =
  | 'listening' | 'reading' | 'verbose-suppressed' | 'captured' | 'received' | 'dropped' | 'warning';

export interface TcpdumpStatusRecord {
  kind: 'status';
  text: string;
  status: TcpdumpStatusKind;
  interface?: string;
  file?: string;
  linkType?: string;
  linkTypeDescription?: string;
  snapshotLength?: number;
  count?: number;
}

export interface TcpdumpUnparsedRecord {
  kind: 'unparsed';
  text: string;
}

export type TcpdumpRecord = TcpdumpPacketRecord | TcpdumpStatusRecord | TcpdumpUnparsedRecord;
