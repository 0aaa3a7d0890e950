/**
 * Combines the outputs of a host's discovery commands into one HostInventory. Each source is parsed
 * on its own: a failed or unparsable source adds an entry to `errors` and leaves only its part empty.
 */
import type {
  DiscoveryError, DiscoverySource, HostAddress, HostInterface, HostInventory, HostLink, HostVm, HostVnic,
  InterfaceGroup, LinuxBridge, OvsInterface, OvsShow, VirshListEntry, VmDomain, VmState,
} from './hostInventory';
import { DiscoveryParseError } from './discoveryParseError';
import { describeDiscoveryFailure } from './discoveryFailureHint';
import { parseIpLinkJson } from './parseIpLinkJson';
import { parseIpLinkText } from './parseIpLinkText';
import { parseIpAddrJson } from './parseIpAddrJson';
import { parseIpAddrText } from './parseIpAddrText';
import { parseBridgeLinkJson } from './parseBridgeLinkJson';
import { parseBrctlShow } from './parseBrctlShow';
import { parseVirshList } from './parseVirshList';
import { parseVirshDomainXml } from './parseVirshDomainXml';
import { parseOvsVsctlShow } from './parseOvsVsctlShow';
import { parseOvsInterfaceJson } from './parseOvsInterfaceJson';

/** What one remote command returned. */
export interface DiscoveryCommandOutput {
  stdout: string;
  stderr?: string;
  /** undefined when unknown; anything but 0 is a failure of that source. */
  exitCode?: number;
}

/** Outputs by command; any may be missing (not run). ip outputs may be JSON (`-j`) or text. */
export interface HostDiscoveryOutputs {
  ipLink?: DiscoveryCommandOutput;
  ipAddr?: DiscoveryCommandOutput;
  bridgeLink?: DiscoveryCommandOutput;
  brctlShow?: DiscoveryCommandOutput;
  virshList?: DiscoveryCommandOutput;
  /** `virsh dumpxml <name>` per domain name. */
  virshDumpXml?: Record<string, DiscoveryCommandOutput>;
  ovsVsctlShow?: DiscoveryCommandOutput;
  ovsListInterface?: DiscoveryCommandOutput;
}

const GROUP_OF_KIND: Record<HostLink['kind'], InterfaceGroup> = {
  physical: 'physical', bridge: 'bridges', bond: 'bonds', vlan: 'vlans', openvswitch: 'ovs',
  tap: 'tap', tun: 'tap', macvtap: 'tap', veth: 'other', vxlan: 'other', macvlan: 'other', loopback: 'other', other: 'other',
};

export function buildHostInventory(outputs: HostDiscoveryOutputs): HostInventory {
  const errors: DiscoveryError[] = [];
  const run = <T>(source: DiscoverySource, out: DiscoveryCommandOutput | undefined, parse: (s: string) => T): T | undefined => {
    if (out === undefined) return undefined;
    if (out.exitCode !== undefined && out.exitCode !== 0) {
      errors.push(describeDiscoveryFailure(source, out.stderr ?? '', out.exitCode));
      return undefined;
    }
    try {
      return parse(out.stdout);
    } catch (e) {
      // A parser bug must cost only its own source, like bad output does; it is reported, not hidden.
      errors.push(e instanceof DiscoveryParseError
        ? { source, message: e.message, hint: 'unexpected output: the command may be too old or wrapped by something that prints' }
        : { source, message: `internal error while parsing: ${e instanceof Error ? e.message : String(e)}` });
      return undefined;
    }
  };
  const isJson = (s: string): boolean => s.trimStart().startsWith('[');

  const links = run('ip-link', outputs.ipLink, (s) => (isJson(s) ? parseIpLinkJson(s) : parseIpLinkText(s))) ?? [];
  const addrs = run('ip-addr', outputs.ipAddr, (s) => (isJson(s) ? parseIpAddrJson(s) : parseIpAddrText(s))) ?? new Map<string, HostAddress[]>();
  const ovs: OvsShow | undefined = run('ovs-vsctl-show', outputs.ovsVsctlShow, parseOvsVsctlShow);
  const ovsInterfaces: OvsInterface[] = run('ovs-interface', outputs.ovsListInterface, parseOvsInterfaceJson) ?? [];

  const vms = buildVms(outputs, run, links, ovsInterfaces);
  const backends = new Set(vms.flatMap((vm) => vm.vnics.map((n) => n.backend).filter((b): b is string => b !== undefined)));

  const interfaces: HostInterface[] = links.map((l) => ({
    ...l,
    addresses: addrs.get(l.name) ?? [],
    // An OVS bridge's ports are in ovsdb, not in `master` (every OVS port's master is ovs-system).
    ports: ovsPortsOf(ovs, l.name) ?? links.filter((p) => p.master === l.name).map((p) => p.name),
    // A link carrying a VM's vNIC is listed with the taps whatever its kind (a veth in a lab, a macvtap).
    group: backends.has(l.name) && GROUP_OF_KIND[l.kind] === 'other' ? 'tap' : GROUP_OF_KIND[l.kind],
  }));
  const groups: Record<InterfaceGroup, string[]> = { physical: [], bridges: [], bonds: [], vlans: [], ovs: [], tap: [], other: [] };
  for (const i of interfaces) groups[i.group].push(i.name);

  let bridges: LinuxBridge[] = interfaces
    .filter((i) => i.kind === 'bridge')
    .map((i) => ({ name: i.name, ports: i.ports.map((name) => ({ name })) }));
  // Port STP states come from `bridge link`; when ip link failed, it (or brctl) is the bridge list.
  const fromBridgeLink = run('bridge-link', outputs.bridgeLink, parseBridgeLinkJson);
  const fromBrctl = run('brctl', outputs.brctlShow, parseBrctlShow);
  if (links.length === 0) bridges = fromBridgeLink ?? fromBrctl ?? [];
  else if (fromBridgeLink) {
    for (const b of bridges) {
      const states = fromBridgeLink.find((x) => x.name === b.name);
      for (const p of b.ports) {
        const state = states?.ports.find((x) => x.name === p.name)?.state;
        if (state !== undefined) p.state = state;
      }
    }
  }

  const inventory: HostInventory = { interfaces, bridges, groups, vms, ovsInterfaces, errors };
  if (ovs !== undefined) inventory.ovs = ovs;
  return inventory;
}

function ovsPortsOf(ovs: OvsShow | undefined, name: string): string[] | undefined {
  const bridge = ovs?.bridges.find((b) => b.name === name);
  return bridge?.ports.map((p) => p.name).filter((p) => p !== name);
}

type Runner = <T>(source: DiscoverySource, out: DiscoveryCommandOutput | undefined, parse: (s: string) => T) => T | undefined;

function buildVms(outputs: HostDiscoveryOutputs, run: Runner, links: HostLink[], ovsInterfaces: OvsInterface[]): HostVm[] {
  const list: VirshListEntry[] = run('virsh-list', outputs.virshList, parseVirshList) ?? [];
  const domains = new Map<string, VmDomain>();
  for (const [name, out] of Object.entries(outputs.virshDumpXml ?? {})) {
    const d = run('virsh-dumpxml', out, parseVirshDomainXml);
    if (d !== undefined) domains.set(name, d);
  }
  const names = [...list.map((e) => e.name), ...[...domains.keys()].filter((n) => !list.some((e) => e.name === n))];
  return names.map((name) => {
    const entry = list.find((e) => e.name === name);
    const domain = domains.get(name);
    const state: VmState = entry?.state ?? (domain === undefined ? 'unknown' : domain.active ? 'running' : 'shut off');
    const vm: HostVm = { name, state, vnics: [] };
    if (domain?.uuid !== undefined) vm.uuid = domain.uuid;
    if (domain?.displayName !== undefined) vm.displayName = domain.displayName;
    // A VM that is not running has no backend device on the host, whatever its XML says.
    const live = state !== 'shut off' && state !== 'unknown' && (domain?.active ?? true);
    vm.vnics = (domain?.vnics ?? []).map((n) => {
      const novaIps = domain?.novaPorts?.find((p) => p.uuid === n.virtualPort?.interfaceId)?.ips ?? [];
      const vnic: HostVnic = { ...n, guestIps: [...new Set([...guestIpsOf(n.filterRef?.parameters), ...novaIps])] };
      if (live) matchBackend(vnic, links, ovsInterfaces);
      return vnic;
    });
    return vm;
  });
}

/** nwfilter IP parameters are the guest addresses libvirt lets through (clean-traffic's $IP); Nova's
 * port metadata names the fixed IPs of an OpenStack vNIC. */
function guestIpsOf(params: { name: string; value: string }[] | undefined): string[] {
  return (params ?? []).filter((p) => p.name === 'IP').map((p) => p.value);
}

/**
 * Backend device: the `<target dev>` when that link exists; else a link whose MAC is the vNIC MAC
 * with the first byte fe (libvirt and Nova give the host end of a tap that MAC so the bridge never
 * prefers it), or a macvtap carrying the VM MAC itself; else the OVS port whose iface-id is the
 * vNIC's virtualport interfaceid.
 */
function matchBackend(vnic: HostVnic, links: HostLink[], ovsInterfaces: OvsInterface[]): void {
  if (vnic.targetDev !== undefined && links.some((l) => l.name === vnic.targetDev)) {
    vnic.backend = vnic.targetDev;
    vnic.backendMatchedBy = 'target-dev';
    return;
  }
  if (vnic.mac !== undefined) {
    const tapMac = `fe${vnic.mac.slice(2)}`;
    const byMac = links.find((l) => l.mac === tapMac) ?? links.find((l) => l.kind === 'macvtap' && l.mac === vnic.mac);
    if (byMac) {
      vnic.backend = byMac.name;
      vnic.backendMatchedBy = 'mac';
      return;
    }
  }
  const ifaceId = vnic.virtualPort?.interfaceId;
  if (ifaceId !== undefined) {
    const port = ovsInterfaces.find((i) => i.externalIds?.['iface-id'] === ifaceId);
    if (port) {
      vnic.backend = port.name;
      vnic.backendMatchedBy = 'ovs-iface-id';
    }
  }
}
