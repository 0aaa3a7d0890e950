/**
 * Kind and state decisions shared by the JSON and the text `ip link` parsers, so both agree.
 *
 * Kind: a link is `physical` when the kernel names a parent bus/device (`parentbus`/`parentdev`,
 * iproute2 ≥ 5.x), or when it has no `info_kind` at all, is not loopback and has an Ethernet
 * address: real NIC drivers register no rtnl link kind, while every software device (bridge, veth,
 * tun, vxlan, OVS…) does. This needs `-d` output; without it nothing can be told apart.
 */
import type { LinkKind, LinkState } from './hostInventory';

export function linkKindOf(input: {
  infoKind?: string; tunType?: string; linkType?: string; parentBus?: string; parentDev?: string;
}): LinkKind {
  if (input.parentBus !== undefined || input.parentDev !== undefined) return 'physical';
  if (input.linkType === 'loopback') return 'loopback';
  switch (input.infoKind) {
    case undefined: return input.linkType === 'ether' ? 'physical' : 'other';
    case 'bridge': return 'bridge';
    case 'bond': case 'team': return 'bond';
    case 'vlan': return 'vlan';
    case 'veth': return 'veth';
    // libvirt's vnetN / OpenStack's tapXXXX are tun devices in tap mode.
    // Old iproute2/kernels print no tun type: a tap carries Ethernet, a tun does not (link/none).
    case 'tun': return (input.tunType ?? (input.linkType === 'ether' ? 'tap' : 'tun')) === 'tap' ? 'tap' : 'tun';
    case 'openvswitch': return 'openvswitch';
    case 'vxlan': return 'vxlan';
    case 'macvtap': return 'macvtap';
    case 'macvlan': return 'macvlan';
    default: return 'other';
  }
}

/**
 * Admin down (no UP flag) → down. Admin up: operstate UP → up; DOWN / LOWERLAYERDOWN / DORMANT or
 * the NO-CARRIER flag → no-carrier. Loopback, vxlan, tun and OVS internal ports report UNKNOWN
 * because their drivers never set an operstate: with LOWER_UP they pass traffic, so they read up.
 */
export function linkStateOf(operState: string, flags: readonly string[]): LinkState {
  if (!flags.includes('UP')) return 'down';
  const op = operState.toUpperCase();
  if (op === 'UP') return 'up';
  if (flags.includes('NO-CARRIER') || op === 'DOWN' || op === 'LOWERLAYERDOWN' || op === 'DORMANT') return 'no-carrier';
  if (op === 'UNKNOWN' && flags.includes('LOWER_UP')) return 'up';
  return 'unknown';
}
