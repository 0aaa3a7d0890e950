/** Names tcpdump prints for numbers (non-verbose output). */
const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0800, 'IPv4'], [0x0806, 'ARP'], [0x86dd, 'IPv6'], [0x8100, '802.1Q'], [0x88a8, '802.1Q-QinQ'], [0x9100, '802.1Q-9100'],
  [0x6558, 'TEB'], [0x8035, 'Reverse ARP'], [0x88cc, 'LLDP'], [0x8847, 'MPLS unicast'], [0x8848, 'MPLS multicast'], [0x888e, 'EAPOL'],
]);

function hex4(n: number): string { return n.toString(16).padStart(4, '0'); }

/** `IPv4 (0x0800)`, `Unknown (0x1234)`. */
export function etherTypeText(t: number): string {
  return `${ETHERTYPE_NAMES.get(t) ?? 'Unknown'} (0x${hex4(t)})`;
}

/** tcpdump 4.99.3's DNS type names (read from its output for every type 0-65535); others print as TypeN. */
const DNS_TYPES = new Map<number, string>([
  ...['A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT', 'RP', 'AFSDB',
    'X25', 'ISDN', 'RT', 'NSAP', 'NSAP_PTR', 'SIG', 'KEY', 'PX', 'GPOS', 'AAAA', 'LOC', 'NXT', 'EID', 'NIMLOC', 'SRV', 'ATMA',
    'NAPTR', 'KX', 'CERT', 'A6', 'DNAME', 'SINK', 'OPT', 'APL', 'DS', 'SSHFP', 'IPSECKEY', 'RRSIG', 'NSEC', 'DNSKEY']
    .map((name, i): [number, string] => [i + 1, name]),
  [99, 'SPF'], [100, 'UINFO'], [101, 'UID'], [102, 'GID'], [103, 'UNSPEC'], [104, 'UNSPECA'],
  [249, 'TKEY'], [250, 'TSIG'], [251, 'IXFR'], [252, 'AXFR'], [253, 'MAILB'], [254, 'MAILA'], [255, 'ANY'], [256, 'URI'],
]);

export function dnsTypeText(t: number): string { return DNS_TYPES.get(t) ?? `Type${t}`; }

const DNS_CLASSES = new Map<number, string>([[1, 'IN'], [3, 'CHAOS'], [4, 'HS'], [255, 'ANY']]);
export function dnsClassText(c: number): string { return DNS_CLASSES.get(c) ?? `(Class ${c})`; }

/** Index = rcode (with OPT's extended bits); the missing spaces of 17 and 21 are tcpdump's. */
const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth',
  ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange', ' BadVers', 'Resp17', ' Resp18', ' Resp19', ' Resp20', 'Resp21',
  ' Resp22', ' BadCookie'];
export function dnsRcodeText(r: number): string { return DNS_RCODES[r] ?? ` Resp${r & 0xfff}`; }

const DNS_OPCODES = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA',
  ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
export function dnsOpcodeText(o: number): string { return DNS_OPCODES[o] ?? ''; }

const IP_PROTOCOLS = new Map<number, string>([[1, 'icmp'], [6, 'tcp'], [17, 'udp'], [47, 'gre'], [58, 'icmp6'], [132, 'sctp']]);
export function ipProtocolText(p: number): string { return IP_PROTOCOLS.get(p) ?? `ip-proto-${p}`; }

/** SLL packet types as tcpdump abbreviates them. */
export function sllPacketTypeText(t: number): string {
  return t === 0 ? 'In' : t === 1 ? 'B' : t === 2 ? 'M' : t === 3 ? 'P' : t === 4 ? 'Out' : '?';
}
