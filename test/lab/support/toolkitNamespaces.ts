/**
 * Two namespaces joined by a veth pair for the toolkit's lab tests (prefix hst + pid, 10.210.0.0/16),
 * with helpers that run a command inside one and wait on conditions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface ToolkitNamespaces {
  ns: string;
  peerNs: string;
  iface: string;
  peerIface: string;
  address: string;
  peerAddress: string;
  /** Runs argv in `ns` (or peerNs), throwing on a non-zero exit. */
  exec(where: 'ns' | 'peer', argv: string[], input?: string): string;
  spawnIn(where: 'ns' | 'peer', argv: string[]): ChildProcess;
  destroy(): void;
}

function run(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status} ${r.stderr}`);
  return r.stdout;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function createToolkitNamespaces(tag: string, subnet: number): Promise<ToolkitNamespaces> {
  const ns = `hst${tag}${process.pid}`;
  const peerNs = `${ns}p`;
  const iface = `hst${tag}${process.pid % 100000}a`;
  const peerIface = `hst${tag}${process.pid % 100000}b`;
  const address = `10.210.${subnet}.1`;
  const peerAddress = `10.210.${subnet}.2`;
  const children: ChildProcess[] = [];
  const destroy = (): void => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', peerNs]);
  };
  try {
    run(['ip', 'netns', 'add', ns]);
    run(['ip', 'netns', 'add', peerNs]);
    run(['ip', '-n', ns, 'link', 'add', iface, 'type', 'veth', 'peer', 'name', peerIface, 'netns', peerNs]);
    run(['ip', '-n', ns, 'addr', 'add', `${address}/24`, 'dev', iface]);
    run(['ip', '-n', peerNs, 'addr', 'add', `${peerAddress}/24`, 'dev', peerIface]);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    run(['ip', '-n', peerNs, 'link', 'set', 'lo', 'up']);
    run(['ip', '-n', ns, 'link', 'set', iface, 'up']);
    run(['ip', '-n', peerNs, 'link', 'set', peerIface, 'up']);
    await waitFor(`${iface} carrier`, () => /LOWER_UP/.test(run(['ip', '-n', ns, 'link', 'show', iface])));
  } catch (e) {
    destroy();
    throw e;
  }
  const nsOf = (where: 'ns' | 'peer'): string => (where === 'ns' ? ns : peerNs);
  return {
    ns, peerNs, iface, peerIface, address, peerAddress, destroy,
    exec: (where, argv, input) => run(['ip', 'netns', 'exec', nsOf(where), ...argv], input),
    spawnIn: (where, argv) => {
      const c = spawn('ip', ['netns', 'exec', nsOf(where), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(c);
      return c;
    },
  };
}

/** Node one-liner that sends TCP bytes to host:port then UDP datagrams, used as traffic in the namespaces. */
export const TRAFFIC_CLIENT = `
const net = require('node:net'), dgram = require('node:dgram');
const [host, port, tcpBytes, udpCount] = process.argv.slice(1);
const s = net.connect(Number(port), host, () => { s.end(Buffer.alloc(Number(tcpBytes), 0x61)); });
s.on('close', () => {
  const u = dgram.createSocket('udp4'); let n = 0;
  const send = () => { if (n++ >= Number(udpCount)) return u.close(); u.send(Buffer.alloc(100 + n), Number(port), host, send); };
  send();
});`;

/** TCP sink (reads and drops) plus UDP sink on one port; prints "ready" once both listen. */
export const TRAFFIC_SERVER = `
const net = require('node:net'), dgram = require('node:dgram');
const port = Number(process.argv[1]);
const u = dgram.createSocket('udp4'); u.on('message', () => {});
net.createServer((c) => c.resume()).listen(port, () => u.bind(port, () => console.log('ready')));`;
