/** tcpdump's names (DLT_* without the prefix) for the LINKTYPE_* values seen in hypervisor captures. */
const LINK_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'], [1, 'EN10MB'], [101, 'RAW'], [105, 'IEEE802_11'], [108, 'LOOP'], [113, 'LINUX_SLL'],
  [127, 'IEEE802_11_RADIO'], [228, 'IPV4'], [229, 'IPV6'], [249, 'NETLINK'], [276, 'LINUX_SLL2'],
]);

export function linkTypeName(linkType: number): string {
  return LINK_TYPE_NAMES.get(linkType) ?? `LINKTYPE_${linkType}`;
}
