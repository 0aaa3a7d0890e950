/**
 * The lab's plan, derived purely from its instance id and options: namespace and interface names,
 * addresses, MACs and backend device names. Nothing here touches the system.
 */

export interface LabOptions {
  /** Namespace/interface name prefix (default 'hsl'); names are `<prefix><id>-<role>`. */
  prefix?: string;
  /** First two octets of the IPv4 /16 the lab may use (default '10.202'). */
  net16?: string;
  /** Number of hypervisor hosts hv1..hvN (default 2). */
  hosts?: number;
  /** VMs per hypervisor (default 1): vm1..vmK numbered across hosts. */
  vmsPerHost?: number;
  /** Hosts reachable only through the jump host (default ['hv2']). */
  behindJump?: readonly string[];
  /** sshd port of every lab host (default 22). */
  sshPort?: number;
  /** Extra sshd_config lines for every lab host (e.g. 'ClientAliveInterval 5'); one directive each. */
  sshdExtraConfig?: readonly string[];
  /** Extra `NAME=value` environment for sessions on the hypervisors (sshd SetEnv), e.g. a PATH with a tool shim. */
  sshdSetEnv?: readonly string[];
  /**
   * IPv6 on the data network from this /48 (e.g. 'fd00:202' = fd00:202::/48): lab n uses
   * `<net48>:<n>::/64`. Unset (default): IPv6 is disabled in every lab namespace (no RS/MLD noise).
   */
  net48?: string;
  /** Create the system users for sudo tests if absent (default true). */
  createUsers?: boolean;
  /** Lock directory root (default /run/hopscope-lab). */
  lockRoot?: string;
}

export interface PlannedLink {
  /** Namespace of the first end ('' = root namespace). */
  ns: string;
  name: string;
  peerNs: string;
  peerName: string;
}

export interface PlannedHost {
  name: string;
  namespace: string;
  /** Address sshd listens on. */
  mgmtAddress: string;
  /** The other end of the management /30 (root namespace or jump). */
  mgmtPeerAddress: string;
  mgmtInterface: string;
  dataAddress: string | null;
  dataAddress6: string | null;
  behindJump: boolean;
}

export interface PlannedVm {
  name: string;
  namespace: string;
  host: string;
  ip: string;
  ip6: string | null;
  mac: string;
  backendDevice: string;
  uuid: string;
}

export interface LabPlan {
  id: number;
  prefix: string;
  net16: string;
  sshPort: number;
  dataPrefixLength: number;
  ipv6: boolean;
  hosts: PlannedHost[];
  jump: PlannedHost;
  switchNamespace: string;
  vms: PlannedVm[];
  /** veths; the root-namespace ends are the only names that could clash across labs. */
  links: PlannedLink[];
  namespaces: string[];
  rootLinks: string[];
}

/** Ids 0..31: each id owns 8 consecutive /24s of the /16 (data, management). */
export const maxLabId = 31;

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export function planLab(id: number, options: LabOptions = {}): LabPlan {
  const prefix = options.prefix ?? 'hsl';
  const net16 = options.net16 ?? '10.202';
  const hostCount = options.hosts ?? 2;
  const vmsPerHost = options.vmsPerHost ?? 1;
  const behind = new Set(options.behindJump ?? ['hv2']);
  if (!/^[a-z][a-z0-9]{0,5}$/.test(prefix)) throw new Error(`lab: prefix ${JSON.stringify(prefix)} must be 1-6 chars [a-z0-9]`);
  if (!/^\d{1,3}\.\d{1,3}$/.test(net16)) throw new Error(`lab: net16 ${JSON.stringify(net16)} must look like '10.202'`);
  if (!Number.isInteger(id) || id < 0 || id > maxLabId) throw new Error(`lab: id ${id} out of range 0..${maxLabId}`);
  if (hostCount < 1 || hostCount > 9 || vmsPerHost < 0 || hostCount * vmsPerHost > 200) throw new Error('lab: hosts must be 1..9 and hosts*vmsPerHost ≤ 200');
  for (const e of options.sshdSetEnv ?? []) {
    if (!/^[A-Z_][A-Z0-9_]*=[^\s"'\\]*$/.test(e)) throw new Error(`lab: sshdSetEnv entry must be NAME=value without spaces or quotes: ${JSON.stringify(e)}`);
  }
  for (const l of options.sshdExtraConfig ?? []) {
    if (!/^[A-Za-z]+ [^\n\r]+$/.test(l)) throw new Error(`lab: sshdExtraConfig line must be one directive: ${JSON.stringify(l)}`);
  }
  if (options.net48 !== undefined && !/^[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(options.net48)) throw new Error(`lab: net48 ${JSON.stringify(options.net48)} must look like 'fd00:202'`);
  const data6 = options.net48 !== undefined ? `${options.net48}:${id.toString(16)}` : null;
  const base = `${prefix}${id}`;
  const ns = (role: string): string => `${base}-${role}`;
  const dataNet = `${net16}.${id * 8}`;
  const mgmtNet = `${net16}.${id * 8 + 1}`;
  let slot = 0;
  const nextSlash30 = (): [string, string] => {
    const o = slot++ * 4;
    if (o + 2 > 254) throw new Error('lab: management /24 exhausted');
    return [`${mgmtNet}.${o + 1}`, `${mgmtNet}.${o + 2}`];
  };
  const links: PlannedLink[] = [];
  const rootLinks: string[] = [];
  const [jumpPeer, jumpAddr] = nextSlash30();
  const jump: PlannedHost = {
    name: 'jump', namespace: ns('jump'), mgmtAddress: jumpAddr, mgmtPeerAddress: jumpPeer,
    mgmtInterface: 'mgmt0', dataAddress: null, dataAddress6: null, behindJump: false,
  };
  links.push({ ns: '', name: `${base}-jump`, peerNs: jump.namespace, peerName: 'mgmt0' });
  rootLinks.push(`${base}-jump`);
  const switchNamespace = ns('sw');
  const hosts: PlannedHost[] = [];
  const vms: PlannedVm[] = [];
  for (let i = 1; i <= hostCount; i++) {
    const name = `hv${i}`;
    const [peer, addr] = nextSlash30();
    const h: PlannedHost = {
      name, namespace: ns(name), mgmtAddress: addr, mgmtPeerAddress: peer, mgmtInterface: 'mgmt0',
      dataAddress: `${dataNet}.${i}`, dataAddress6: data6 ? `${data6}::${i.toString(16)}` : null, behindJump: behind.has(name),
    };
    hosts.push(h);
    if (h.behindJump) {
      links.push({ ns: jump.namespace, name, peerNs: h.namespace, peerName: 'mgmt0' });
    } else {
      links.push({ ns: '', name: `${base}-${name}`, peerNs: h.namespace, peerName: 'mgmt0' });
      rootLinks.push(`${base}-${name}`);
    }
    links.push({ ns: switchNamespace, name, peerNs: h.namespace, peerName: 'eth0' });
    for (let k = 0; k < vmsPerHost; k++) {
      const j = vms.length + 1;
      const macTail = [hex2(id), hex2(i), hex2(j)];
      // Like libvirt target devs seen in the field, but never vnet*/macvtap* (the test driver drops those).
      const backendDevice = j % 2 === 1 ? `tap${macTail.join('')}` : macTail.join('');
      const vm: PlannedVm = {
        name: `vm${j}`, namespace: ns(`vm${j}`), host: name, ip: `${dataNet}.${10 + j}`,
        ip6: data6 ? `${data6}::${(0x100 + j).toString(16)}` : null,
        mac: `52:54:00:${macTail.join(':')}`, backendDevice,
        uuid: `6695eb01-f6a4-8304-79aa-${hex2(id)}${hex2(i)}${hex2(j)}000000`,
      };
      vms.push(vm);
      links.push({ ns: h.namespace, name: backendDevice, peerNs: vm.namespace, peerName: 'eth0' });
    }
  }
  for (const b of behind) {
    if (!hosts.some((h) => h.name === b)) throw new Error(`lab: behindJump names unknown host ${b}`);
  }
  const namespaces = [jump.namespace, switchNamespace, ...hosts.map((h) => h.namespace), ...vms.map((v) => v.namespace)];
  return {
    id, prefix, net16, sshPort: options.sshPort ?? 22, dataPrefixLength: 24, ipv6: data6 !== null,
    hosts, jump, switchNamespace, vms, links, namespaces, rootLinks,
  };
}
