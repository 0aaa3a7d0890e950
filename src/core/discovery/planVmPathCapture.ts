/**
 * The hops of a VM's path on its host, in the order a packet leaving the VM crosses them: the
 * vNIC's backend device (vnetN / tap / vif), the bridge it is a port of, and the bridge's uplinks
 * (every other port that is not a VM's backend; for a VLAN uplink also its parent, where frames are
 * tagged on the wire). Open vSwitch bridges are followed through patch ports to their uplinks;
 * tun/tap ports and VM-side names (tap…, vnet…, qvo…) are other VMs' backends, never uplinks.
 * "Capture VM Path" starts one capture per hop with the same filter.
 */
import type { HostInventory, HostVm, HostVnic, OvsBridge } from './hostInventory';

export type CaptureHopRole = 'vnic-backend' | 'bridge' | 'uplink' | 'uplink-parent';

export interface CaptureHop {
  iface: string;
  role: CaptureHopRole;
  /** Why this hop is on the path, for the quick pick detail. */
  why: string;
}

export interface VmPathPlan {
  vm: string;
  vnic: HostVnic;
  hops: CaptureHop[];
  /** Addresses of the guest when known, for the "host <VM IP>" preset. */
  guestIps: string[];
  warnings: string[];
}

export class VmPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VmPathError';
  }
}

function pickVnic(vm: HostVm, mac?: string): HostVnic {
  if (mac) {
    const v = vm.vnics.find((n) => n.mac?.toLowerCase() === mac.toLowerCase());
    if (!v) throw new VmPathError(`VM ${vm.name} has no vNIC with MAC ${mac}`);
    return v;
  }
  const v = vm.vnics.find((n) => n.backend) ?? vm.vnics[0];
  if (!v) throw new VmPathError(`VM ${vm.name} has no network interface`);
  return v;
}

/** Port names libvirt, Xen and Neutron give to VM-side and router ports: never an uplink. */
const VM_SIDE_PORT = /^(tap|vnet|vif|qvo|qvb|qr-|qg-|sg-|ha-)/;

function ovsPath(inv: HostInventory, backend: string, hops: CaptureHop[], warnings: string[]): void {
  const bridges = inv.ovs?.bridges ?? [];
  const home = bridges.find((b) => b.ports.some((p) => p.name === backend));
  if (!home) { warnings.push(`${backend} is not a port of any Open vSwitch bridge in ovs-vsctl show`); return; }
  const isVmBackend = new Set(inv.vms.flatMap((vm) => vm.vnics.map((n) => n.backend).filter((b): b is string => !!b)));
  const seen = new Set<string>();
  const queue: OvsBridge[] = [home];
  while (queue.length) {
    const br = queue.shift() as OvsBridge;
    if (seen.has(br.name)) continue;
    seen.add(br.name);
    for (const port of br.ports) {
      for (const itf of port.interfaces) {
        if (itf.type === 'patch') {
          const peer = itf.options?.peer;
          const next = bridges.find((b) => b.ports.some((p) => p.interfaces.some((i) => i.name === peer)));
          if (next) queue.push(next);
        } else if (!itf.type && !isVmBackend.has(itf.name) && itf.name !== backend && !VM_SIDE_PORT.test(itf.name)
          && inv.interfaces.some((i) => i.name === itf.name && i.group !== 'tap')) {
          hops.push({ iface: itf.name, role: 'uplink', why: `port of OVS bridge ${br.name}` });
        } else if ((itf.type === 'vxlan' || itf.type === 'geneve' || itf.type === 'gre') && itf.options?.remote_ip) {
          warnings.push(`${br.name} tunnels to ${itf.options.remote_ip} over ${itf.type}: capture on the NIC that carries the underlay`);
        }
      }
    }
  }
}

export function planVmPathCapture(inv: HostInventory, vmName: string, vnicMac?: string): VmPathPlan {
  const vm = inv.vms.find((v) => v.name === vmName);
  if (!vm) throw new VmPathError(`no VM named ${vmName} on this host`);
  const vnic = pickVnic(vm, vnicMac);
  const backend = vnic.backend;
  if (!backend) {
    throw new VmPathError(vm.state === 'running'
      ? `the backend device of ${vm.name}'s vNIC ${vnic.mac ?? ''} was not found on the host`
      : `${vm.name} is ${vm.state}: its vNIC has no backend device until it runs`);
  }
  const hops: CaptureHop[] = [{ iface: backend, role: 'vnic-backend', why: `backend of ${vm.name} ${vnic.mac ?? ''}`.trim() }];
  const warnings: string[] = [];
  const link = inv.interfaces.find((i) => i.name === backend);
  const master = link?.master ?? vnic.sourceBridge;
  const bridge = master ? inv.interfaces.find((i) => i.name === master) : undefined;
  const onOvs = link?.slaveKind === 'openvswitch' || vnic.virtualPort?.type === 'openvswitch'
    || (inv.ovs?.bridges ?? []).some((b) => b.ports.some((p) => p.name === backend));
  if (onOvs) {
    ovsPath(inv, backend, hops, warnings);
    if (!hops.some((h) => h.role === 'uplink')) warnings.push(`no uplink NIC found behind the Open vSwitch bridges of ${backend} (check patch ports and tunnels)`);
  } else if (bridge) {
    hops.push({ iface: bridge.name, role: 'bridge', why: `bridge of ${backend}` });
    const vmBackends = new Set(inv.vms.flatMap((v) => v.vnics.map((n) => n.backend).filter((b): b is string => !!b)));
    for (const port of bridge.ports) {
      if (port === backend || vmBackends.has(port)) continue;
      const p = inv.interfaces.find((i) => i.name === port);
      if (!p || p.group === 'tap') continue;
      hops.push({ iface: port, role: 'uplink', why: `uplink of ${bridge.name} (${p.kind})` });
      if (p.kind === 'vlan' && p.vlan?.parent) hops.push({ iface: p.vlan.parent, role: 'uplink-parent', why: `carries ${port} tagged VLAN ${p.vlan.id}` });
    }
    if (hops.length === 2) warnings.push(`${bridge.name} has no uplink port: traffic leaves the host some other way (routing?)`);
  } else {
    warnings.push(master ? `${backend}'s master ${master} is not on the host` : `${backend} is not a port of a bridge`);
  }
  return { vm: vm.name, vnic, hops, guestIps: vnic.guestIps, warnings };
}
