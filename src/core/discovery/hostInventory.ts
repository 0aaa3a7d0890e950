/**
 * The host model that discovery produces: what the tree view shows for one hypervisor host
 * (interfaces grouped by kind, bridges with their ports, VMs with their vNICs, OVS bridges).
 * Every parser in this folder is pure (text in, model out) and feeds one part of this model.
 */

/** Where a parser's input came from; used in errors and in the per-source error list. */
export type DiscoverySource =
  | 'ip-link' | 'ip-addr' | 'bridge-link' | 'brctl' | 'virsh-list' | 'virsh-dumpxml'
  | 'virsh-nwfilter' | 'ovs-vsctl-show' | 'ovs-list-br' | 'ovs-list-ports' | 'ovs-fdb' | 'ovs-interface';

export type LinkKind =
  | 'physical' | 'bridge' | 'bond' | 'vlan' | 'veth' | 'tun' | 'tap' | 'openvswitch' | 'vxlan'
  | 'macvtap' | 'macvlan' | 'loopback' | 'other';

/** up: carrier and admin up; no-carrier: admin up but no lower layer; down: admin down. */
export type LinkState = 'up' | 'down' | 'no-carrier' | 'unknown';

export interface VlanInfo {
  id: number;
  /** The link the VLAN sits on (`bond0` for `bond0.700`). */
  parent?: string;
  protocol?: string;
}

export interface HostLink {
  name: string;
  ifindex: number;
  kind: LinkKind;
  /** `linkinfo.info_kind` as the kernel reports it (`veth`, `tun`, `dummy`…), when present. */
  infoKind?: string;
  state: LinkState;
  /** Kernel operstate as printed (UP, DOWN, UNKNOWN, LOWERLAYERDOWN…). */
  operState: string;
  flags: string[];
  mtu?: number;
  mac?: string;
  /** The bridge / bond / OVS datapath this link is enslaved to. */
  master?: string;
  /** `linkinfo.info_slave_kind`: bridge, bond, openvswitch. */
  slaveKind?: string;
  /** The lower link (`mvt0@hsvup1` → hsvup1), when in this namespace. */
  lowerLink?: string;
  /** Set when the peer/lower link lives in another network namespace (veth to a container/VM ns). */
  linkNetnsId?: number;
  /** Text output names the peer namespace (`link-netns NAME`) when it has a name. */
  linkNetnsName?: string;
  vlan?: VlanInfo;
  vxlan?: { id: number; local?: string; remote?: string; port?: number; device?: string };
  altNames: string[];
  parentBus?: string;
  parentDev?: string;
}

export type AddressFamily = 'inet' | 'inet6';

export interface HostAddress {
  family: AddressFamily;
  local: string;
  prefixLen: number;
  scope: string;
}

export interface BridgePort {
  name: string;
  /** STP / port state (forwarding, disabled, blocking…) when the source reports it. */
  state?: string;
}

export interface LinuxBridge {
  name: string;
  bridgeId?: string;
  stp?: boolean;
  ports: BridgePort[];
}

export type VmState = 'running' | 'idle' | 'paused' | 'in shutdown' | 'shut off' | 'crashed' | 'pmsuspended' | 'dying' | 'unknown';

export interface VirshListEntry {
  /** Numeric domain id; undefined for an inactive domain (`-`). */
  id?: number;
  name: string;
  state: VmState;
}

export type VnicType = 'bridge' | 'network' | 'direct' | 'ethernet' | 'vhostuser' | 'other';

export interface NwfilterParameter { name: string; value: string }

export interface FilterRef {
  filter: string;
  parameters: NwfilterParameter[];
}

export interface Vnic {
  type: VnicType;
  mac?: string;
  sourceBridge?: string;
  sourceNetwork?: string;
  sourceDev?: string;
  sourceMode?: string;
  /** Backend device on the host; only in live XML (absent for a shut-off domain). */
  targetDev?: string;
  model?: string;
  filterRef?: FilterRef;
  virtualPort?: { type: string; interfaceId?: string; profileId?: string };
  alias?: string;
  /** `<link state=…>`: the vNIC's administrative link state. */
  linkState?: 'up' | 'down';
  mtu?: number;
}

export interface VmDomain {
  name: string;
  uuid?: string;
  /** The `id` attribute of live XML; absent for an inactive domain. */
  id?: number;
  active: boolean;
  /** OpenStack's `<nova:name>` from `<metadata>`, when present. */
  displayName?: string;
  /** Neutron ports from `<nova:ports>` (newer Nova): port uuid = the vNIC's interfaceid, with fixed IPs. */
  novaPorts?: { uuid: string; ips: string[] }[];
  vnics: Vnic[];
}

export interface NwfilterRule {
  action: string;
  direction: string;
  priority?: number;
  /** Protocol element name (mac, ip, arp, ipv6, tcp…) and its attributes, for each match element. */
  matches: { protocol: string; attributes: Record<string, string> }[];
}

export interface NwfilterDefinition {
  name: string;
  chain?: string;
  priority?: number;
  uuid?: string;
  /** Children in document order: rules and references to other filters. */
  entries: ({ kind: 'rule'; rule: NwfilterRule } | { kind: 'filterref'; filter: string })[];
}

export interface OvsInterface {
  name: string;
  /** '' or absent is a system (kernel) port; internal, patch, vxlan, geneve, dpdk… otherwise. */
  type?: string;
  ofport?: number;
  options?: Record<string, string>;
  error?: string;
  /** iface-id (Neutron port / libvirt interfaceid), attached-mac, vm-uuid, iface-status… */
  externalIds?: Record<string, string>;
  /** `mac_in_use`: the port's own MAC (the tap side: fe:… for a VM tap). */
  mac?: string;
  linkState?: string;
}

export interface OvsPort {
  name: string;
  tag?: number;
  interfaces: OvsInterface[];
}

export interface OvsBridge {
  name: string;
  datapathType?: string;
  controllers: string[];
  failMode?: string;
  ports: OvsPort[];
}

export interface OvsShow {
  uuid?: string;
  bridges: OvsBridge[];
  version?: string;
}

export interface OvsFdbEntry {
  /** OpenFlow port number, or `LOCAL`. */
  port: string;
  vlan: number;
  mac: string;
  ageSeconds: number;
}

/** One vNIC with what it was matched to on the host. */
export interface HostVnic extends Vnic {
  /** The host link carrying this vNIC, found by target dev or by MAC (fe:… tap convention). */
  backend?: string;
  backendMatchedBy?: 'target-dev' | 'mac' | 'ovs-iface-id';
  /** Guest addresses when a source knows them (nwfilter IP parameters, nova metadata). */
  guestIps: string[];
}

export interface HostVm {
  name: string;
  uuid?: string;
  state: VmState;
  displayName?: string;
  vnics: HostVnic[];
}

export type InterfaceGroup = 'physical' | 'bridges' | 'bonds' | 'vlans' | 'ovs' | 'tap' | 'other';

export interface HostInterface extends HostLink {
  addresses: HostAddress[];
  /** For a bridge/bond/OVS datapath: the links whose master it is. */
  ports: string[];
  group: InterfaceGroup;
}

export interface DiscoveryError {
  source: DiscoverySource;
  message: string;
  /** What the user can do, when the failure is recognised. */
  hint?: string;
}

export interface HostInventory {
  interfaces: HostInterface[];
  /** Linux bridges with their ports (from `master`, or from brctl / bridge link when ip link failed). */
  bridges: LinuxBridge[];
  groups: Record<InterfaceGroup, string[]>;
  vms: HostVm[];
  ovs?: OvsShow;
  ovsInterfaces: OvsInterface[];
  errors: DiscoveryError[];
}
