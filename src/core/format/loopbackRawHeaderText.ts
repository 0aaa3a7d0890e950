/**
 * tcpdump -e's link header for the link types without MACs: BSD loopback (LINKTYPE_NULL / LOOP:
 * `AF IPv4 (2), length 88: `) and raw IP (`ip: `). Without -e tcpdump prints nothing for them.
 */
import { LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LOOP, LINKTYPE_NULL, LINKTYPE_RAW } from '../decode/linkTypes';

/** tcpdump's bsd_af_values (print-null.c). */
const BSD_ADDRESS_FAMILIES = new Map<number, string>([[2, 'IPv4'], [7, 'OSI'], [16, 'Appletalk'], [23, 'IPX'], [24, 'IPv6'], [28, 'IPv6'], [30, 'IPv6']]);

/** The -e prefix for `linkType`, '' for link types with their own header text (Ethernet, SLL). */
export function loopbackRawHeaderText(linkType: number, data: Uint8Array, caplen: number, origLen: number): string {
  if (linkType === LINKTYPE_RAW || linkType === LINKTYPE_IPV4 || linkType === LINKTYPE_IPV6) return 'ip: ';
  if ((linkType !== LINKTYPE_NULL && linkType !== LINKTYPE_LOOP) || caplen < 4) return '';
  const be = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
  // LOOP is in network order; NULL in the capturing host's, which tcpdump guesses like this: a family
  // fits in 16 bits, so one with bits in the upper half is the other byte order.
  let family = linkType === LINKTYPE_LOOP ? be : (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
  if (linkType === LINKTYPE_NULL && (family & 0xffff0000) !== 0) family = be;
  return `AF ${BSD_ADDRESS_FAMILIES.get(family) ?? 'Unknown'} (${family}), length ${origLen}: `;
}
