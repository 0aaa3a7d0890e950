/** The result of computeCaptureStats: plain JSON (the CLI prints it, the views will render it). */

/** One IPv4/IPv6 address (Wireshark's Endpoints / IPv4 Statistics → Source and Destination Addresses). */
export interface AddressStat {
  address: string;
  /** Packets with this address as source or destination (tx + rx), and their frame bytes. */
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
  /** Share of all packets / bytes in the capture, in percent. */
  percentPackets: number;
  percentBytes: number;
}

/** An IP pair or a TCP/UDP 5-tuple; `a` sorts before `b` (address bytes, then port). */
export interface ConversationStat {
  a: string;
  b: string;
  aPort?: number;
  bPort?: number;
  aToBPackets: number;
  aToBBytes: number;
  bToAPackets: number;
  bToABytes: number;
  packets: number;
  bytes: number;
  /** Seconds from the capture's first packet to this conversation's first packet. */
  startSec: number;
  durationSec: number;
}

export interface ProtocolShare {
  protocol: 'tcp' | 'udp' | 'icmp' | 'arp' | 'other';
  packets: number;
  bytes: number;
  percentPackets: number;
}

export interface PortStat {
  protocol: 'tcp' | 'udp';
  /** Destination port of the packets counted. */
  port: number;
  packets: number;
  bytes: number;
  percentPackets: number;
}

export interface SecondBucket {
  /** Interval index: seconds since the first packet (like tshark -z io,stat,1). */
  second: number;
  packets: number;
  bytes: number;
  spike: boolean;
}

export interface PerSecondSeries {
  buckets: SecondBucket[];
  medianPackets: number;
  madPackets: number;
  medianBytes: number;
  madBytes: number;
  /** Seconds whose packets or bytes exceed both median + 5·MAD and 2 × median. */
  spikeSeconds: number[];
}

export interface EchoRoundTrip {
  ipVersion: 4 | 6;
  requestSrc: string;
  requestDst: string;
  id: number;
  seq: number;
  /** Seconds from the first packet to the request. */
  requestSec: number;
  rttMs: number;
}

export interface EchoStats {
  requests: number;
  replies: number;
  /** Requests with no reply in the capture. */
  unanswered: number;
  minMs?: number;
  avgMs?: number;
  maxMs?: number;
  p99Ms?: number;
  medianMs?: number;
  /** Round trips above median + 5·MAD and 2 × median, slowest first. */
  outliers: EchoRoundTrip[];
  /** Every answered request in capture order. */
  series: EchoRoundTrip[];
}

export interface CaptureStats {
  packets: number;
  /** Sum of frame (wire) lengths, as Wireshark's statistics count bytes. */
  bytes: number;
  firstTime?: string;
  lastTime?: string;
  durationSec: number;
  protocols: ProtocolShare[];
  /** Sorted by packets, then bytes, descending. */
  endpoints: AddressStat[];
  ipConversations: ConversationStat[];
  tcpConversations: ConversationStat[];
  udpConversations: ConversationStat[];
  ports: PortStat[];
  perSecond: PerSecondSeries;
  icmpEcho: EchoStats;
}
