/**
 * Text fallback for iproute2 without `-j` (RHEL 7's 4.11): parses `ip -d link show`, `ip -o link`
 * and the link part of `ip addr` into the same HostLink model as parseIpLinkJson. Kinds need `-d`
 * (the line after `link/…` starts with the rtnl kind); without it every Ethernet link reads physical.
 */
import type { HostLink } from './hostInventory';
import { linkKindOf, linkStateOf } from './linkKindAndState';
import { splitIpTextBlocks, type IpTextBlock } from './ipTextBlocks';

const KINDS: ReadonlySet<string> = new Set([
  'bridge', 'bond', 'team', 'vlan', 'veth', 'tun', 'vxlan', 'geneve', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'ipip', 'sit',
  'macvtap', 'macvlan', 'ipvlan', 'ipvtap', 'dummy', 'ifb', 'openvswitch', 'vrf', 'wireguard', 'nlmon', 'vti', 'xfrm', 'macsec', 'hsr',
]);

export function parseIpLinkText(text: string): HostLink[] {
  return splitIpTextBlocks('ip-link', text).map(toHostLink);
}

function toHostLink(b: IpTextBlock): HostLink {
  const operState = b.header.get('state') ?? 'UNKNOWN';
  const linkLine = b.details.find((d) => d[0].startsWith('link/'));
  const linkType = linkLine?.[0].slice('link/'.length);
  let infoKind: string | undefined;
  let tunType: string | undefined;
  let slaveKind: string | undefined;
  let kindArgs: string[] = [];
  const altNames: string[] = [];
  const all = b.details.flat();
  for (const d of b.details) {
    if (d[0] === 'altname' && d[1] !== undefined) altNames.push(d[1]);
    else if (infoKind === undefined && KINDS.has(d[0])) { infoKind = d[0]; kindArgs = d.slice(1); }
    else if (slaveKind === undefined && /^[a-z]+_slave$/.test(d[0])) slaveKind = d[0].slice(0, -'_slave'.length);
  }
  if (infoKind === 'tun') tunType = valueAfter(kindArgs, 'type');
  const parentBus = valueAfter(all, 'parentbus');
  const parentDev = valueAfter(all, 'parentdev');
  const link: HostLink = {
    name: b.name,
    ifindex: b.ifindex,
    kind: linkKindOf({ infoKind, tunType, linkType, parentBus, parentDev }),
    state: linkStateOf(operState, b.flags),
    operState,
    flags: b.flags,
    altNames,
  };
  if (infoKind !== undefined) link.infoKind = infoKind;
  const mtu = Number(b.header.get('mtu'));
  if (Number.isInteger(mtu) && mtu > 0) link.mtu = mtu;
  if (linkLine && linkType !== 'none' && linkLine[1] !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(linkLine[1])) {
    link.mac = linkLine[1].toLowerCase();
  }
  const master = b.header.get('master');
  if (master !== undefined) link.master = master;
  if (slaveKind !== undefined) link.slaveKind = slaveKind;
  if (b.lower !== undefined) link.lowerLink = b.lower;
  if (linkLine) {
    const nsId = valueAfter(linkLine, 'link-netnsid');
    if (nsId !== undefined && /^\d+$/.test(nsId)) link.linkNetnsId = Number(nsId);
    const nsName = valueAfter(linkLine, 'link-netns');
    if (nsName !== undefined) link.linkNetnsName = nsName;
  }
  if (parentBus !== undefined) link.parentBus = parentBus;
  if (parentDev !== undefined) link.parentDev = parentDev;
  if (link.kind === 'vlan') {
    const id = Number(valueAfter(kindArgs, 'id'));
    if (Number.isInteger(id)) {
      link.vlan = { id };
      if (b.lower !== undefined) link.vlan.parent = b.lower;
      const protocol = valueAfter(kindArgs, 'protocol');
      if (protocol !== undefined) link.vlan.protocol = protocol;
    }
  }
  if (link.kind === 'vxlan') {
    const id = Number(valueAfter(kindArgs, 'id'));
    if (Number.isInteger(id)) {
      link.vxlan = { id };
      const local = valueAfter(kindArgs, 'local');
      if (local !== undefined) link.vxlan.local = local;
      const remote = valueAfter(kindArgs, 'remote') ?? valueAfter(kindArgs, 'group');
      if (remote !== undefined) link.vxlan.remote = remote;
      const port = Number(valueAfter(kindArgs, 'dstport'));
      if (Number.isInteger(port)) link.vxlan.port = port;
      const dev = valueAfter(kindArgs, 'dev');
      if (dev !== undefined) link.vxlan.device = dev;
    }
  }
  return link;
}

function valueAfter(tokens: readonly string[], key: string): string | undefined {
  const i = tokens.indexOf(key);
  return i >= 0 ? tokens[i + 1] : undefined;
}
