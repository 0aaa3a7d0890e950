/**
 * A two-hypervisor lab in network namespaces for tests: hosts with a bridge, VMs on veth backends,
 * a switch joining the uplinks, a real sshd per host (hv2 only through a jump host), and a
 * libvirt test-driver node file per host. See test/lab/README.md.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSettledOrThrow, execIn, execInSync, pidStartTime, run, waitUntil, type ExecResult } from './labProcess';
import { planLab, type LabOptions, type LabPlan, type PlannedHost } from './labTopology';
import { acquireLabId, defaultLockRoot, teardownOwnLab, writeLabState, type LabState } from './labRegistry';
import { ensureLabUsers, generateKey, type SshdFiles, knownHostsLine, labNoSudoUser, labSudoUser, sshConfigText, sshdListening, startSshd, writeSshd } from './labSsh';
import { virshNodeXml, type VirshNodeDomain } from './labVirshNode';
import { cutTcpPort, installDrop, setLinkState, type DropDirection, type InstalledDrop, type SshCut } from './labFaults';

export type { LabOptions } from './labTopology';
export type { ExecResult } from './labProcess';
export type { DropDirection, InstalledDrop, SshCut } from './labFaults';

export interface LabHost {
  name: string;
  namespace: string;
  sshAddress: string;
  sshPort: number;
  /** Login used by the ssh_config file; sudo tests use `lab.users`. */
  user: string;
  privateKeyPath: string;
  knownHostsPath: string;
  sshConfigPath: string;
  /** Host alias to go through (ssh_config ProxyJump), or null when reachable from the root namespace. */
  proxyJump: string | null;
  hostKeyPublic: string;
  hostKeyFingerprint: string;
  /** `test:///…/node.xml`; also exported to SSH sessions as LIBVIRT_DEFAULT_URI (sshd SetEnv). */
  libvirtUri: string | null;
  /** Address on br0 (data network); null for the jump host. */
  dataAddress: string | null;
  /** IPv6 address on br0 when `net48` is set. */
  dataAddress6: string | null;
  bridge: string | null;
  uplink: string | null;
  sshdConfigPath: string;
  sshdPidFile: string;
  sshdLogPath: string;
}

export interface LabVm {
  name: string;
  namespace: string;
  host: string;
  ip: string;
  /** IPv6 address (/64) when `net48` is set, else null. */
  ip6: string | null;
  prefixLength: number;
  mac: string;
  /** Host-side veth end, named like a libvirt target dev, enslaved to the host's bridge. */
  backendDevice: string;
  bridge: string;
  iface: string;
  uuid: string;
}

export interface PingResult extends ExecResult {
  transmitted: number;
  received: number;
}

export interface Lab {
  id: number;
  prefix: string;
  tmpDir: string;
  hosts: LabHost[];
  jump: LabHost;
  vms: LabVm[];
  /** Name of the domain that is defined but shut off (on hv1). */
  shutOffDomain: string;
  switch: { namespace: string; bridge: string; ports: Record<string, string> };
  sshConfigPath: string;
  knownHostsPath: string;
  privateKeyPath: string;
  users: { root: string; sudo: string; noSudo: string };
  startMs: number;
  host(name: string): LabHost;
  vm(name: string): LabVm;
  /** Namespace of a host, VM, 'jump', 'switch', or a lab namespace itself. */
  namespaceOf(node: string): string;
  /** Runs argv (no shell) in a lab namespace, given by namespace or node name; '' = root namespace. */
  exec(namespace: string, argv: readonly string[], input?: string): Promise<ExecResult>;
  ping(fromVm: string, toIp: string, count: number): Promise<PingResult>;
  waitForCarrier(namespace: string, iface: string, timeoutMs?: number): Promise<void>;
  /** Pids of processes in the node's namespace whose command line matches. */
  pgrep(node: string, pattern: RegExp | string): Promise<number[]>;
  /** argv for the real ssh client through the lab's ssh_config; remote argv is quoted word by word. */
  sshArgv(host: string, remoteArgv: readonly string[], user?: string): string[];
  dropOn(node: string, iface: string, direction: DropDirection, nftMatch: string): Promise<InstalledDrop>;
  setLinkDown(node: string, iface: string): Promise<void>;
  setLinkUp(node: string, iface: string): Promise<void>;
  cutSshConnection(host: string): Promise<SshCut>;
  stop(): Promise<void>;
  stopMs: number | null;
}

/** POSIX single-quoting for the remote shell sshd runs; NUL cannot be carried. */
export function quoteForRemoteShell(word: string): string {
  if (word.includes('\0')) throw new Error('lab: NUL in a remote argument');
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Labs this process has not stopped yet, keyed per start (a lock dir can be reused by a later lab). */
const live = new Map<number, { state: LabState; lockDir: string }>();
let startSeq = 0;
let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const all = (): void => {
    for (const [k, l] of live) {
      live.delete(k);
      try { teardownOwnLab(l.state, l.lockDir); } catch { /* best effort at exit */ }
    }
  };
  process.on('exit', all);
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(sig, () => { all(); process.exit(128 + n); });
  }
}

async function ipn(ns: string, args: readonly string[]): Promise<void> {
  await run(ns ? ['ip', '-n', ns, ...args] : ['ip', ...args]);
}

/**
 * Every non-loopback link of the namespace is operationally UP. LOWER_UP alone is not enough: the
 * kernel's linkwatch attaches the real qdisc up to ~1 s later, and frames sent before are dropped.
 */
function allCarrier(ns: string): boolean {
  const r = execInSync('', ['ip', '-n', ns, '-j', 'link', 'show']);
  if (r.code !== 0) return false;
  const links = JSON.parse(r.stdout) as { ifname: string; flags: string[]; operstate: string }[];
  return links.every((l) => l.ifname === 'lo' || (l.flags.includes('LOWER_UP') && l.operstate === 'UP'));
}

async function buildNetwork(plan: LabPlan): Promise<void> {
  await allSettledOrThrow(plan.namespaces.map(async (ns) => {
    await run(['ip', 'netns', 'add', ns]);
    // Without net48: no IPv6 at all, so no router solicitations or MLD in the captures tests make.
    await run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...(plan.ipv6
      ? ['net.ipv6.conf.all.router_solicitations=0', 'net.ipv6.conf.default.router_solicitations=0']
      : ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])]);
    await ipn(ns, ['link', 'set', 'lo', 'up']);
  }));
  const bridged = [plan.switchNamespace, ...plan.hosts.map((h) => h.namespace)];
  await allSettledOrThrow(bridged.map((ns) => ipn(ns, ['link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0'])));
  for (const l of plan.links) {
    await ipn(l.ns, ['link', 'add', l.name, 'type', 'veth', 'peer', 'name', l.peerName, 'netns', l.peerNs]);
  }
  const steps: Promise<void>[] = [];
  for (const h of plan.hosts) {
    steps.push((async () => {
      await ipn(h.namespace, ['link', 'set', 'eth0', 'master', 'br0']);
      await ipn(h.namespace, ['addr', 'add', `${h.dataAddress ?? ''}/${plan.dataPrefixLength}`, 'dev', 'br0']);
      if (h.dataAddress6) await ipn(h.namespace, ['addr', 'add', `${h.dataAddress6}/64`, 'dev', 'br0', 'nodad']);
      for (const v of plan.vms.filter((x) => x.host === h.name)) {
        // As libvirt does: the tap gets fe: + the guest MAC's tail.
        await ipn(h.namespace, ['link', 'set', v.backendDevice, 'address', `fe${v.mac.slice(2)}`, 'master', 'br0', 'up']);
      }
      await ipn(h.namespace, ['link', 'set', 'eth0', 'up']);
      await ipn(h.namespace, ['link', 'set', 'br0', 'up']);
    })());
  }
  steps.push((async () => {
    for (const h of plan.hosts) await ipn(plan.switchNamespace, ['link', 'set', h.name, 'master', 'br0', 'up']);
    await ipn(plan.switchNamespace, ['link', 'set', 'br0', 'up']);
  })());
  for (const v of plan.vms) {
    steps.push((async () => {
      await ipn(v.namespace, ['link', 'set', 'eth0', 'address', v.mac]);
      await ipn(v.namespace, ['addr', 'add', `${v.ip}/${plan.dataPrefixLength}`, 'dev', 'eth0']);
      if (v.ip6) await ipn(v.namespace, ['addr', 'add', `${v.ip6}/64`, 'dev', 'eth0', 'nodad']);
      await ipn(v.namespace, ['link', 'set', 'eth0', 'up']);
    })());
  }
  const mgmt = (h: PlannedHost, peerNs: string, peerIf: string): Promise<void> => (async () => {
    await ipn(peerNs, ['addr', 'add', `${h.mgmtPeerAddress}/30`, 'dev', peerIf]);
    await ipn(peerNs, ['link', 'set', peerIf, 'up']);
    await ipn(h.namespace, ['addr', 'add', `${h.mgmtAddress}/30`, 'dev', h.mgmtInterface]);
    await ipn(h.namespace, ['link', 'set', h.mgmtInterface, 'up']);
  })();
  steps.push(mgmt(plan.jump, '', `${plan.prefix}${plan.id}-jump`));
  for (const h of plan.hosts) {
    steps.push(h.behindJump ? mgmt(h, plan.jump.namespace, h.name) : mgmt(h, '', `${plan.prefix}${plan.id}-${h.name}`));
  }
  await allSettledOrThrow(steps);
  await allSettledOrThrow(plan.namespaces.map((ns) => waitUntil(() => allCarrier(ns), 30000, `carrier on every link of ${ns}`)));
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const t0 = performance.now();
  const prefix = options.prefix ?? 'hsl';
  const lockRoot = options.lockRoot ?? defaultLockRoot;
  planLab(0, options); // bad options fail here, before anything exists
  const lock = acquireLabId(prefix, lockRoot);
  const plan = planLab(lock.id, options);
  const tmpDir = mkdtempSync(join(tmpdir(), `hopscope-lab-${prefix}${lock.id}-`));
  chmodSync(tmpDir, 0o755); // non-root logins read authorized_keys and node files here
  const state: LabState = {
    ownerPid: process.pid, ownerStartTime: pidStartTime(process.pid), prefix, id: lock.id, namespaces: plan.namespaces, rootLinks: plan.rootLinks,
    tmpDir, createdAt: new Date().toISOString(),
  };
  writeLabState(lock, state);
  installExitHandlers();
  const liveKey = ++startSeq;
  live.set(liveKey, { state, lockDir: lock.dir });
  try {
    return await buildLab(plan, options, tmpDir, lock.dir, state, t0, liveKey);
  } catch (e) {
    live.delete(liveKey);
    teardownOwnLab(state, lock.dir);
    throw e;
  }
}

async function buildLab(plan: LabPlan, options: LabOptions, tmpDir: string, lockDir: string, state: LabState, t0: number, liveKey: number): Promise<Lab> {
  const privateKeyPath = join(tmpDir, 'id_ed25519');
  const authorizedKeysPath = join(tmpDir, 'authorized_keys');
  const knownHostsPath = join(tmpDir, 'known_hosts');
  const sshConfigPath = join(tmpDir, 'ssh_config');
  const shutOffDomain = 'vm-off';
  const nodeUri = (h: PlannedHost): string => `test://${join(tmpDir, h.name, 'node.xml')}`;
  const writeHostFiles = async (h: PlannedHost): Promise<{ h: PlannedHost; files: SshdFiles }> => {
    const dir = join(tmpDir, h.name);
    const isHv = h.name !== 'jump';
    const files = await writeSshd({
      name: h.name, namespace: h.namespace, address: h.mgmtAddress, port: plan.sshPort, dir, authorizedKeysPath,
      setEnv: isHv ? [`LIBVIRT_DEFAULT_URI=${nodeUri(h)}`, ...(options.sshdSetEnv ?? [])] : [], extraConfig: options.sshdExtraConfig ?? [],
    });
    if (isHv) {
      const domains: VirshNodeDomain[] = plan.vms.filter((v) => v.host === h.name).map((v, k) => ({
        name: v.name, uuid: v.uuid, memoryKiB: 1048576, vcpu: 1, running: true,
        interfaces: [{ mac: v.mac, bridge: 'br0', targetDev: v.backendDevice, cleanTrafficIp: k === 0 && h.name === 'hv1' ? v.ip : undefined }],
      }));
      if (h.name === 'hv1') {
        const idHex = plan.id.toString(16).padStart(2, '0');
        domains.push({ name: shutOffDomain, uuid: `6695eb01-f6a4-8304-79aa-${idHex}ff00000000`, memoryKiB: 524288, vcpu: 1, running: false,
          interfaces: [{ mac: `52:54:00:${idHex}:01:ff`, bridge: 'br0' }] });
      }
      writeFileSync(join(dir, 'node.xml'), virshNodeXml(domains), { mode: 0o644 });
    }
    return { h, files };
  };
  const filesDone = (async () => {
    await generateKey(privateKeyPath, `hopscope-lab-${plan.prefix}${plan.id}`);
    writeFileSync(authorizedKeysPath, readFileSync(`${privateKeyPath}.pub`));
    chmodSync(authorizedKeysPath, 0o644); // read by sshd as the (non-root) login user
    return allSettledOrThrow([plan.jump, ...plan.hosts].map(writeHostFiles));
  })();
  const usersDone = options.createUsers === false ? Promise.resolve() : Promise.resolve().then(ensureLabUsers);
  // Settle every branch before failing, so a teardown never races a step still creating things.
  await allSettledOrThrow<unknown>([filesDone, buildNetwork(plan), usersDone]);
  const sshd = await filesDone;
  for (const { h, files } of sshd) startSshd(h.namespace, files);
  await allSettledOrThrow(sshd.map(({ h }) => waitUntil(() => sshdListening(h.namespace, h.mgmtAddress, plan.sshPort), 30000, `sshd of ${h.name} listening`)));
  writeFileSync(knownHostsPath, sshd.map(({ h, files }) => knownHostsLine(h.mgmtAddress, plan.sshPort, files.hostKeyPublic)).join('\n') + '\n', { mode: 0o644 });
  writeFileSync(sshConfigPath, sshConfigText(sshd.map(({ h }) => ({
    alias: h.name, address: h.mgmtAddress, port: plan.sshPort, proxyJump: h.behindJump ? 'jump' : undefined,
  })), privateKeyPath, knownHostsPath, 'root'), { mode: 0o644 });

  const toHost = ({ h, files }: (typeof sshd)[number]): LabHost => ({
    name: h.name, namespace: h.namespace, sshAddress: h.mgmtAddress, sshPort: plan.sshPort, user: 'root',
    privateKeyPath, knownHostsPath, sshConfigPath, proxyJump: h.behindJump ? 'jump' : null,
    hostKeyPublic: files.hostKeyPublic, hostKeyFingerprint: files.fingerprintSha256,
    libvirtUri: h.name === 'jump' ? null : nodeUri(h), dataAddress: h.dataAddress, dataAddress6: h.dataAddress6,
    bridge: h.name === 'jump' ? null : 'br0', uplink: h.name === 'jump' ? null : 'eth0',
    sshdConfigPath: files.configPath, sshdPidFile: files.pidFile, sshdLogPath: files.logPath,
  });
  const hosts = sshd.slice(1).map(toHost);
  const jump = toHost(sshd[0]);
  const vms: LabVm[] = plan.vms.map((v) => ({
    name: v.name, namespace: v.namespace, host: v.host, ip: v.ip, ip6: v.ip6, prefixLength: plan.dataPrefixLength, mac: v.mac,
    backendDevice: v.backendDevice, bridge: 'br0', iface: 'eth0', uuid: v.uuid,
  }));
  const namespaceOf = (node: string): string => {
    if (node === 'jump') return jump.namespace;
    if (node === 'switch' || node === 'sw') return plan.switchNamespace;
    const found = hosts.find((h) => h.name === node) ?? vms.find((v) => v.name === node);
    if (found) return found.namespace;
    if (plan.namespaces.includes(node)) return node;
    throw new Error(`lab: no host, VM or namespace named ${node}`);
  };
  const lab: Lab = {
    id: plan.id, prefix: plan.prefix, tmpDir, hosts, jump, vms, shutOffDomain,
    switch: { namespace: plan.switchNamespace, bridge: 'br0', ports: Object.fromEntries(plan.hosts.map((h) => [h.name, h.name])) },
    sshConfigPath, knownHostsPath, privateKeyPath,
    users: { root: 'root', sudo: labSudoUser, noSudo: labNoSudoUser },
    startMs: 0, stopMs: null,
    host: (name) => { const h = hosts.find((x) => x.name === name) ?? (name === 'jump' ? jump : undefined); if (!h) throw new Error(`lab: no host ${name}`); return h; },
    vm: (name) => { const v = vms.find((x) => x.name === name); if (!v) throw new Error(`lab: no VM ${name}`); return v; },
    namespaceOf,
    exec: (ns, argv, input) => execIn(ns === '' ? '' : namespaceOf(ns), argv, input),
    ping: async (fromVm, toIp, count) => {
      const r = await execIn(namespaceOf(fromVm), ['ping', '-n', '-c', String(count), '-i', '0.1', '-W', '1', toIp]);
      const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
      return { ...r, transmitted: m ? Number(m[1]) : 0, received: m ? Number(m[2]) : 0 };
    },
    waitForCarrier: (ns, iface, timeoutMs = 5000) => waitUntil(() => {
      const r = execInSync('', ['ip', '-n', ns, '-j', 'link', 'show', 'dev', iface]);
      const l = r.code === 0 ? (JSON.parse(r.stdout) as { flags: string[]; operstate: string }[])[0] : undefined;
      return l !== undefined && l.flags.includes('LOWER_UP') && l.operstate === 'UP';
    }, timeoutMs, `carrier on ${iface} in ${ns}`),
    pgrep: async (node, pattern) => {
      const ns = namespaceOf(node);
      const re = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
      const r = await execIn('', ['ip', 'netns', 'pids', ns]);
      const pids = r.stdout.split(/\s+/).filter(Boolean).map(Number);
      const out: number[] = [];
      for (const p of pids) {
        let cmdline = '';
        try { cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8'); } catch { continue; } // exited meanwhile
        if (re.test(cmdline.split('\0').join(' ').trim())) out.push(p);
      }
      return out;
    },
    sshArgv: (host, remoteArgv, user) => ['ssh', '-F', sshConfigPath, ...(user ? ['-l', user] : []), lab.host(host).name, '--', ...remoteArgv.map(quoteForRemoteShell)],
    dropOn: (node, iface, direction, nftMatch) => installDrop(namespaceOf(node), iface, direction, nftMatch),
    setLinkDown: (node, iface) => setLinkState(namespaceOf(node), iface, 'down'),
    setLinkUp: (node, iface) => setLinkState(namespaceOf(node), iface, 'up'),
    cutSshConnection: (host) => cutTcpPort(namespaceOf(host), plan.sshPort),
    stop: () => {
      if (lab.stopMs !== null || !live.has(liveKey)) return Promise.resolve();
      const s0 = performance.now();
      live.delete(liveKey);
      teardownOwnLab(state, lockDir);
      lab.stopMs = performance.now() - s0;
      return Promise.resolve();
    },
  };
  lab.startMs = performance.now() - t0;
  return lab;
}
