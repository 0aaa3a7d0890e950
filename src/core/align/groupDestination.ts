/**
 * Whether a record was sent to a group: an IP group destination (IPv4 multicast 224.0.0.0/4, the
 * limited broadcast 255.255.255.255, IPv6 multicast ff00::/8; noted at parse time in the meta column,
 * see PacketIdentity.dstGroup) or a destination MAC with the group bit (broadcast, 01:00:5e, 33:33).
 * The IP address is what counts on captures without a destination MAC: `tcpdump -i any` (Linux cooked
 * SLL/SLL2 keep the source address only) and raw IP link types. Group traffic has no reply by design
 * (IGMP/MLD reports, mDNS, VRRP, DHCP discover, neighbour and router solicitations), and an echo sent to
 * a group is answered from each member's own address, on another flow: so it is never "one-way" nor
 * "reply missing". ARP is left out: a request that no one answers is the finding. An IPv4 directed
 * broadcast (e.g. 10.0.0.255) is recognised by its broadcast MAC only: the address alone does not tell
 * without the prefix length.
 */
import type { CaptureColumns } from './captureColumns';
import { PacketKind } from './packetIdentity';

const MAC_GROUP_BIT_DIVISOR = 2 ** 40; // the lowest bit of the first octet of a 48-bit MAC held as a number

export function isGroupDestination(cap: CaptureColumns, rec: number): boolean {
  if (cap.kind(rec) === PacketKind.Arp) return false;
  if (cap.ipGroupDestination(rec)) return true;
  const mac = cap.dstMac[rec];
  return mac >= 0 && Math.floor(mac / MAC_GROUP_BIT_DIVISOR) % 2 === 1;
}
