/**
 * A routed path in network namespaces for the offload / NAT / TTL verdicts:
 *   client eth0 (10.222.1.2) ── r0 [router, ip_forward, nft] r1 ── server eth0 (10.222.2.2)
 * The client's veth keeps its default TSO/GSO (tcpdump there shows super-segments); the router's r1
 * has TSO off and gso_max_segs 1, so the kernel splits forwarded super-segments in software on the
 * way out (tcpdump on r1 shows wire-sized segments); the server's eth0 has GRO on, so it merges them
 * again (veth GRO needs NAPI, which the kernel enables with GRO, and a sender without TSO).
 * ethtool is not installed here: TSO/GRO are switched with the legacy SIOCETHTOOL ioctl from a
 * python3 one-liner (ETHTOOL_STSO / ETHTOOL_SGRO). Names carry the process id (parallel test files).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { run, waitFor } from './alignLab';

export const CLIENT_IP = '10.222.1.2';
export const ROUTER_IN_IP = '10.222.1.1';
export const ROUTER_OUT_IP = '10.222.2.1';
export const SERVER_IP = '10.222.2.2';
/** A "floating IP" the router DNATs to the server. */
export const FLOATING_IP = '10.222.3.9';
export const SERVER_PORT = 5001;

/** `python3 - DEV CMD VALUE`: struct ethtool_value {cmd, data} through SIOCETHTOOL (0x8946). */
const ETHTOOL_IOCTL = [
  'import ctypes, fcntl, socket, struct, sys',
  'dev, cmd, val = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3])',
  "buf = ctypes.create_string_buffer(struct.pack('II', cmd, val))",
  "fcntl.ioctl(socket.socket(), 0x8946, struct.pack('16sP', dev.encode(), ctypes.addressof(buf)) + bytes(16))",
].join('\n');
const ETHTOOL_STSO = '0x1f';
const ETHTOOL_SGRO = '0x2c';

export function hasPython3(): boolean {
  return spawnSync('python3', ['-c', 'import ctypes, fcntl'], { stdio: 'ignore' }).status === 0;
}

export interface RoutedLab {
  /** GRO is on at the server's eth0 (python3 was there to switch it on). */
  gro: boolean;
  ns: { client: string; router: string; server: string };
  exec(ns: string, argv: string[], allowFail?: boolean): string;
  /** Loads an nft ruleset into the router. */
  nft(rules: string): void;
  /** Sends `bytes` over TCP from the client to host:port and waits for the server to close. */
  sendBulk(host: string, port: number, bytes: number): void;
  destroy(): void;
}

const SINK = 'require("net").createServer((s)=>{s.on("data",()=>{});s.on("end",()=>s.end())}).listen(Number(process.argv[1]),()=>console.log("listening"))';
const SEND = 'const [h,p,n]=process.argv.slice(1);const s=require("net").connect(Number(p),h,()=>s.end(Buffer.alloc(Number(n),0x5a)));'
  + 's.on("data",()=>{});s.on("close",()=>process.exit(0));s.on("error",(e)=>{console.error(e.message);process.exit(1)});setTimeout(()=>process.exit(2),10000)';

export async function createRoutedLab(tag: string): Promise<RoutedLab> {
  const id = `hs2a${process.pid}${tag}`;
  const ns = { client: `${id}c`, router: `${id}r`, server: `${id}s` };
  const exec = (n: string, argv: string[], allowFail = false): string => run(['ip', 'netns', 'exec', n, ...argv], allowFail);
  let sink: ChildProcess | undefined;
  let gro = false;
  const destroy = (): void => {
    if (sink && sink.exitCode === null) sink.kill('SIGKILL');
    for (const n of Object.values(ns)) run(['ip', 'netns', 'del', n], true);
  };
  try {
    for (const n of Object.values(ns)) run(['ip', 'netns', 'add', n]);
    run(['ip', 'link', 'add', 'eth0', 'netns', ns.client, 'type', 'veth', 'peer', 'name', 'r0', 'netns', ns.router]);
    run(['ip', 'link', 'add', 'r1', 'netns', ns.router, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.server]);
    for (const [n, dev, addr] of [[ns.client, 'eth0', CLIENT_IP], [ns.router, 'r0', ROUTER_IN_IP], [ns.router, 'r1', ROUTER_OUT_IP], [ns.server, 'eth0', SERVER_IP]]) {
      run(['ip', '-n', n, 'addr', 'add', `${addr}/24`, 'dev', dev]);
      run(['ip', '-n', n, 'link', 'set', dev, 'up']);
    }
    for (const n of Object.values(ns)) {
      run(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
      exec(n, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'], true);
    }
    run(['ip', '-n', ns.client, 'route', 'add', 'default', 'via', ROUTER_IN_IP]);
    run(['ip', '-n', ns.server, 'route', 'add', 'default', 'via', ROUTER_OUT_IP]);
    exec(ns.router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // A receive window of at most 128 kB keeps the segments in flight (~90) under the veth NAPI ring
    // (256): a burst from the router's software segmentation into the GRO receiver is not dropped.
    exec(ns.server, ['sysctl', '-qw', 'net.ipv4.tcp_rmem=4096 131072 131072']);
    run(['ip', '-n', ns.router, 'link', 'set', 'r1', 'gso_max_segs', '1']);
    if (hasPython3()) {
      exec(ns.router, ['python3', '-c', ETHTOOL_IOCTL, 'r1', ETHTOOL_STSO, '0']);
      exec(ns.server, ['python3', '-c', ETHTOOL_IOCTL, 'eth0', ETHTOOL_SGRO, '1']);
      gro = true;
    }
    await waitFor(() => spawnSync('ip', ['netns', 'exec', ns.client, 'ping', '-c', '1', '-W', '0.2', SERVER_IP]).status === 0, 10000, 'routed path up');
    sink = spawn('ip', ['netns', 'exec', ns.server, process.execPath, '-e', SINK, String(SERVER_PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    sink.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    await waitFor(() => out.includes('listening') || sink?.exitCode !== null, 10000, 'TCP sink listening');
    if (sink.exitCode !== null) throw new Error('TCP sink exited');
  } catch (e) {
    destroy();
    throw e;
  }
  return {
    ns, exec, destroy, gro,
    nft(rules) {
      const r = spawnSync('ip', ['netns', 'exec', ns.router, 'nft', '-f', '-'], { input: rules, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`nft: ${r.stderr}`);
    },
    sendBulk(host, port, bytes) {
      const r = spawnSync('ip', ['netns', 'exec', ns.client, process.execPath, '-e', SEND, host, String(port), String(bytes)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`TCP sender exited ${r.status}: ${r.stderr}`);
    },
  };
}
