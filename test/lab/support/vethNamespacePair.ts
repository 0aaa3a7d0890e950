/**
 * Two network namespaces joined by a veth pair: real kernel traffic on a real interface for capture
 * tests that do not need the whole hypervisor lab. Every name carries the caller's prefix, a tag and
 * the pid (test files run in parallel processes); a failed setup deletes what it made before throwing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { waitUntil } from './labProcess';

export interface VethNamespacePairOptions {
  /** The engineer's namespace prefix (e.g. `hst`); names are prefix + tag + pid. */
  prefix: string;
  /** Tells this file's pair apart from other files' with the same prefix. */
  tag: string;
  /** First three octets of the IPv4 /24 (e.g. `10.210.3`): the ends get .1 and .2. */
  ipv4Net: string;
  /** With it, the ends also get <ipv6Net>::1 and ::2 /64 (no DAD, usable at once). */
  ipv6Net?: string;
  /** Puts the peer veth in a bridge named this, which holds the peer's addresses (a VM tap on virbr0). */
  peerBridge?: string;
}

export type PairSide = 'ns' | 'peer';

export interface VethNamespacePair {
  ns: string;
  peerNs: string;
  iface: string;
  peerIface: string;
  address: string;
  peerAddress: string;
  /** Set when ipv6Net was given. */
  address6?: string;
  peerAddress6?: string;
  /** Runs argv in one side's namespace, throwing (with stderr) on a non-zero exit; returns stdout. */
  exec(where: PairSide, argv: readonly string[], input?: string): string;
  /** Starts argv in one side's namespace; destroy() kills it if it is still running. */
  spawnIn(where: PairSide, argv: readonly string[], stdin?: 'pipe' | 'ignore'): ChildProcess;
  /** `count` pings from ns to the peer's IPv4 address; throws when any is lost. */
  ping(count: number, intervalSec?: number): void;
  /** True while a tcpdump reading `iface` runs (started by us or by a command we ran). */
  tcpdumpRunning(): boolean;
  /** Kills what spawnIn started and any tcpdump on `iface`, deletes both namespaces. Idempotent. */
  destroy(): void;
}

function run(argv: readonly string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${String(r.status)} ${r.stderr}`);
  return r.stdout;
}

/** Interface names are limited to 15 bytes by the kernel. */
const maxIfaceName = 15;

export async function createVethNamespacePair(options: VethNamespacePairOptions): Promise<VethNamespacePair> {
  const { prefix, tag, ipv4Net, ipv6Net, peerBridge } = options;
  const ns = `${prefix}${tag}${process.pid}a`;
  const peerNs = `${prefix}${tag}${process.pid}b`;
  // The pid keeps interface names unique across processes, so tcpdumpRunning() sees only ours.
  const iface = `${prefix}${tag}${process.pid % 100000}a`;
  const peerIface = `${prefix}${tag}${process.pid % 100000}b`;
  if (iface.length > maxIfaceName) throw new Error(`interface name ${iface} is longer than ${maxIfaceName}: shorten prefix or tag`);
  const address = `${ipv4Net}.1`;
  const peerAddress = `${ipv4Net}.2`;
  const address6 = ipv6Net === undefined ? undefined : `${ipv6Net}::1`;
  const peerAddress6 = ipv6Net === undefined ? undefined : `${ipv6Net}::2`;
  const tcpdumpPattern = `tcpdump .*-i ${iface} `;
  const children: ChildProcess[] = [];
  const destroy = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    spawnSync('pkill', ['-KILL', '-f', tcpdumpPattern]);
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', peerNs]);
  };
  const carrier = (where: string, ifn: string): boolean => run(['ip', '-n', where, '-o', 'link', 'show', ifn]).includes('LOWER_UP');
  try {
    run(['ip', 'netns', 'add', ns]);
    run(['ip', 'netns', 'add', peerNs]);
    run(['ip', '-n', ns, 'link', 'add', iface, 'type', 'veth', 'peer', 'name', peerIface, 'netns', peerNs]);
    const peerAddressed = peerBridge ?? peerIface;
    if (peerBridge !== undefined) {
      run(['ip', '-n', peerNs, 'link', 'add', peerBridge, 'type', 'bridge']);
      run(['ip', '-n', peerNs, 'link', 'set', peerIface, 'master', peerBridge]);
    }
    const ends: [string, string, string, string | undefined][] = [[ns, iface, address, address6], [peerNs, peerAddressed, peerAddress, peerAddress6]];
    for (const [where, ifn, v4, v6] of ends) {
      run(['ip', '-n', where, 'link', 'set', 'lo', 'up']);
      run(['ip', '-n', where, 'addr', 'add', `${v4}/24`, 'dev', ifn]);
      if (v6 !== undefined) run(['ip', '-n', where, 'addr', 'add', `${v6}/64`, 'dev', ifn, 'nodad']);
      run(['ip', '-n', where, 'link', 'set', ifn, 'up']);
    }
    if (peerBridge !== undefined) run(['ip', '-n', peerNs, 'link', 'set', peerIface, 'up']);
    await waitUntil(
      () => carrier(ns, iface) && carrier(peerNs, peerIface) && (peerBridge === undefined || carrier(peerNs, peerBridge)),
      10_000, `${iface} carrier`,
    );
  } catch (e) {
    destroy();
    throw e;
  }
  const nsOf = (where: PairSide): string => (where === 'ns' ? ns : peerNs);
  return {
    ns, peerNs, iface, peerIface, address, peerAddress, address6, peerAddress6, destroy,
    exec: (where, argv, input) => run(['ip', 'netns', 'exec', nsOf(where), ...argv], input),
    spawnIn: (where, argv, stdin = 'ignore') => {
      const c = spawn('ip', ['netns', 'exec', nsOf(where), ...argv], { stdio: [stdin, 'pipe', 'pipe'] });
      children.push(c);
      return c;
    },
    ping: (count, interval = 0.05) => {
      run(['ip', 'netns', 'exec', ns, 'ping', '-c', String(count), '-i', String(interval), '-W', '1', peerAddress]);
    },
    tcpdumpRunning: () => spawnSync('pgrep', ['-f', tcpdumpPattern]).status === 0,
  };
}

/** Resolves once the process has exited (at once if it already has). */
export function processExited(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve();
    else p.once('close', () => resolve());
  });
}
