/**
 * A two-host path in network namespaces, as in DESIGN.md:
 *   vmA eth0 ── tapA [brA on hostA] uplA ══ uplB [brB on hostB] tapB ── vmB eth0
 * with real tcpdump captures at any of these points. Names carry the process id (parallel tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const VM_A_IP = '10.205.1.1';
export const VM_B_IP = '10.205.1.2';

export function run(argv: string[], allowFail = false): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

export interface TwoHostLab {
  ns: { vmA: string; hostA: string; hostB: string; vmB: string };
  ifs: { tapA: string; uplA: string; uplB: string; tapB: string };
  exec(ns: string, argv: string[], allowFail?: boolean): string;
  destroy(): void;
}

export async function createTwoHostLab(tag: string): Promise<TwoHostLab> {
  const id = `hsa${process.pid % 100000}${tag}`;
  const ns = { vmA: `${id}va`, hostA: `${id}ha`, hostB: `${id}hb`, vmB: `${id}vb` };
  const ifs = { tapA: `${id}ta`, uplA: `${id}ua`, uplB: `${id}ub`, tapB: `${id}tb` };
  const exec = (n: string, argv: string[], allowFail = false): string => run(['ip', 'netns', 'exec', n, ...argv], allowFail);
  const destroy = (): void => {
    for (const n of Object.values(ns)) run(['ip', 'netns', 'del', n], true);
  };
  try {
    for (const n of Object.values(ns)) run(['ip', 'netns', 'add', n]);
    const pair = (a: string, nsA: string, b: string, nsB: string): void => {
      run(['ip', 'link', 'add', a, 'netns', nsA, 'type', 'veth', 'peer', 'name', b, 'netns', nsB]);
    };
    pair('eth0', ns.vmA, ifs.tapA, ns.hostA);
    pair(ifs.uplA, ns.hostA, ifs.uplB, ns.hostB);
    pair('eth0', ns.vmB, ifs.tapB, ns.hostB);
    for (const [host, br, ports] of [[ns.hostA, 'brA', [ifs.tapA, ifs.uplA]], [ns.hostB, 'brB', [ifs.uplB, ifs.tapB]]] as const) {
      exec(host, ['ip', 'link', 'add', br, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
      for (const p of ports) exec(host, ['ip', 'link', 'set', p, 'master', br, 'up']);
      exec(host, ['ip', 'link', 'set', br, 'up']);
      // Offloads off so that captures show wire-sized segments (GSO is covered separately).
      for (const p of ports) exec(host, ['ethtool', '-K', p, 'tso', 'off', 'gso', 'off', 'gro', 'off'], true);
    }
    for (const [vm, ip, mac] of [[ns.vmA, VM_A_IP, '02:05:00:00:00:0a'], [ns.vmB, VM_B_IP, '02:05:00:00:00:0b']] as const) {
      exec(vm, ['ip', 'link', 'set', 'eth0', 'address', mac]);
      exec(vm, ['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      exec(vm, ['ip', 'link', 'set', 'eth0', 'up']);
      exec(vm, ['ip', 'link', 'set', 'lo', 'up']);
      // No IPv6 chatter (router solicitations, DAD) in the captures.
      exec(vm, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'], true);
      exec(vm, ['ethtool', '-K', 'eth0', 'tso', 'off', 'gso', 'off', 'gro', 'off'], true);
    }
    for (const host of [ns.hostA, ns.hostB]) exec(host, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'], true);
    const carrier = (n: string, dev: string): boolean => exec(n, ['cat', `/sys/class/net/${dev}/carrier`], true).trim() === '1';
    await waitFor(() => carrier(ns.vmA, 'eth0') && carrier(ns.vmB, 'eth0') && carrier(ns.hostA, ifs.tapA) && carrier(ns.hostA, ifs.uplA)
      && carrier(ns.hostB, ifs.uplB) && carrier(ns.hostB, ifs.tapB) && carrier(ns.hostA, 'brA') && carrier(ns.hostB, 'brB'), 10000, 'links up');
    // Bridge ports forwarding and the path working end to end.
    await waitFor(() => spawnSync('ip', ['netns', 'exec', ns.vmA, 'ping', '-c', '1', '-W', '0.2', VM_B_IP]).status === 0, 10000, 'path up');
  } catch (e) {
    destroy();
    throw e;
  }
  return { ns, ifs, exec, destroy };
}

export interface RunningTcpdump { file: string; proc: ChildProcess; stop(): Promise<void> }

/** Real tcpdump writing `file`; resolves once it listens. */
export async function startTcpdump(ns: string, iface: string, file: string, filter: string[] = []): Promise<RunningTcpdump> {
  const proc = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-U', '--immediate-mode', '-n', '-i', iface, '-w', file, ...filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  await waitFor(() => err.includes('listening on') || proc.exitCode !== null, 10000, `tcpdump on ${iface}`);
  if (proc.exitCode !== null) throw new Error(`tcpdump on ${iface} failed: ${err}`);
  return {
    file, proc,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGINT');
      await exited;
      if (!existsSync(file)) throw new Error(`tcpdump wrote no ${file}: ${err}`);
    },
  };
}
