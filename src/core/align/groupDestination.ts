/**
 * Whether a record was sent to a group (IPv4 multicast 224.0.0.0/4, the limited broadcast, or a
 * destination MAC with the group bit: broadcast, 01:00:5e IPv4 and 33:33 IPv6 multicast). Such
 * traffic has no reply by design (IGMP/MLD reports, mDNS, VRRP, DHCP discover), so a flow of it
 * seen one way only is not a finding. ARP is left out: a request that no one answers is the finding.
 */
import type { CaptureColumns } from './captureColumns';
import { PacketKind } from './packetIdentity';

const MAC_GROUP_BIT_DIVISOR = 2 ** 40; // the lowest bit of the first octet of a 48-bit MAC held as a number

export function isGroupDestination(cap: CaptureColumns, rec: number): boolean {
  if (cap.kind(rec) === PacketKind.Arp) return false;
  const d4 = cap.dst4[rec] >>> 0;
  if (d4 >>> 28 === 0xe || d4 === 0xffffffff) return true;
  const mac = cap.dstMac[rec];
  return mac >= 0 && Math.floor(mac / MAC_GROUP_BIT_DIVISOR) % 2 === 1;
}
