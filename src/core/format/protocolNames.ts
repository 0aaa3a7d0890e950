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

const DNS_TYPES = new Map<number, string>([
  [1, 'A'], [2, 'NS'], [5, 'CNAME'], [6, 'SOA'], [12, 'PTR'], [15, 'MX'], [16, 'TXT'], [28, 'AAAA'], [33, 'SRV'],
  [41, 'OPT'], [64, 'SVCB'], [65, 'HTTPS'], [255, 'ANY'],
]);

export function dnsTypeText(t: number): string { return DNS_TYPES.get(t) ?? `Type${t}`; }

const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone'];
export function dnsRcodeText(r: number): string { return DNS_RCODES[r] ?? ` Resp${r}`; }

const DNS_OPCODES = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' op9', ' op10', ' op11', ' op12', ' op13', ' op14', ' op15'];
export function dnsOpcodeText(o: number): string { return DNS_OPCODES[o] ?? ''; }

const IP_PROTOCOLS = new Map<number, string>([[1, 'icmp'], [6, 'tcp'], [17, 'udp'], [47, 'gre'], [58, 'icmp6'], [132, 'sctp']]);
export function ipProtocolText(p: number): string { return IP_PROTOCOLS.get(p) ?? `ip-proto-${p}`; }

/** SLL packet types as tcpdump abbreviates them. */
export function sllPacketTypeText(t: number): string {
  return t === 0 ? 'In' : t === 1 ? 'B' : t === 2 ? 'M' : t === 3 ? 'P' : t === 4 ? 'Out' : '?';
}
