/** Parses `ip -j -d link show` (iproute2 ≥ 4.14) into host links. */
import type { HostLink } from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { linkKindOf, linkStateOf } from './linkKindAndState';
import { parseJsonArray, readNumber, readObject, readString, readStringArray, type JsonObject } from './jsonFieldReaders';

export function parseIpLinkJson(text: string): HostLink[] {
  return parseJsonArray('ip-link', text).map(toHostLink);
}

function toHostLink(o: JsonObject, i: number): HostLink {
  const name = readString(o, 'ifname');
  const ifindex = readNumber(o, 'ifindex');
  if (name === undefined || ifindex === undefined) {
    throw new DiscoveryParseError('ip-link', `entry ${i} has no ifname/ifindex`, JSON.stringify(o));
  }
  const linkinfo = readObject(o, 'linkinfo');
  const infoKind = linkinfo && readString(linkinfo, 'info_kind');
  const infoData = linkinfo && readObject(linkinfo, 'info_data');
  const flags = readStringArray(o, 'flags');
  const operState = readString(o, 'operstate') ?? 'UNKNOWN';
  const link: HostLink = {
    name,
    ifindex,
    kind: linkKindOf({
      infoKind,
      tunType: infoData && readString(infoData, 'type'),
      linkType: readString(o, 'link_type'),
      parentBus: readString(o, 'parentbus'),
      parentDev: readString(o, 'parentdev'),
    }),
    state: linkStateOf(operState, flags),
    operState,
    flags,
    altNames: readStringArray(o, 'altnames'),
  };
  if (infoKind !== undefined) link.infoKind = infoKind;
  const mtu = readNumber(o, 'mtu');
  if (mtu !== undefined) link.mtu = mtu;
  const mac = readString(o, 'address');
  // Point-to-point tun devices have no hardware address (`link/none`).
  if (mac !== undefined && readString(o, 'link_type') !== 'none') link.mac = mac.toLowerCase();
  const master = readString(o, 'master');
  if (master !== undefined) link.master = master;
  const slaveKind = linkinfo && readString(linkinfo, 'info_slave_kind');
  if (slaveKind !== undefined) link.slaveKind = slaveKind;
  const lower = readString(o, 'link');
  if (lower !== undefined) link.lowerLink = lower;
  const netnsId = readNumber(o, 'link_netnsid');
  if (netnsId !== undefined) link.linkNetnsId = netnsId;
  const parentBus = readString(o, 'parentbus');
  if (parentBus !== undefined) link.parentBus = parentBus;
  const parentDev = readString(o, 'parentdev');
  if (parentDev !== undefined) link.parentDev = parentDev;
  if (link.kind === 'vlan' && infoData) {
    const id = readNumber(infoData, 'id');
    if (id !== undefined) {
      link.vlan = { id };
      if (lower !== undefined) link.vlan.parent = lower;
      const protocol = readString(infoData, 'protocol');
      if (protocol !== undefined) link.vlan.protocol = protocol;
    }
  }
  if (link.kind === 'vxlan' && infoData) {
    const id = readNumber(infoData, 'id');
    if (id !== undefined) {
      link.vxlan = { id };
      const local = readString(infoData, 'local');
      if (local !== undefined) link.vxlan.local = local;
      const remote = readString(infoData, 'remote') ?? readString(infoData, 'group');
      if (remote !== undefined) link.vxlan.remote = remote;
      const port = readNumber(infoData, 'port');
      if (port !== undefined) link.vxlan.port = port;
      const dev = readString(infoData, 'link');
      if (dev !== undefined) link.vxlan.device = dev;
    }
  }
  return link;
}
