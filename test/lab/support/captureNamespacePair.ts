/**
 * Two network namespaces joined by a veth pair, for capture tests that need real kernel traffic
 * on a real interface without the whole hypervisor lab. Names carry the pid (parallel test files).
 */
import { spawnSync } from 'node:child_process';

export interface NamespacePair {
  ns: string;
  peerNs: string;
  iface: string;
  address: string;
  peerAddress: string;
  ping(count: number, intervalSec?: number): void;
  tcpdumpRunning(): boolean;
  destroy(): void;
}

function run(argv: string[]): void {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

export async function createNamespacePair(tag: string, subnet: number): Promise<NamespacePair> {
  const ns = `hs${tag}${process.pid}`;
  const peerNs = `${ns}p`;
  const iface = `hs${tag}${process.pid % 100000}a`;
  const peerIface = `hs${tag}${process.pid % 100000}b`;
  const address = `10.208.${subnet}.1`;
  const peerAddress = `10.208.${subnet}.2`;
  const destroy = (): void => {
    spawnSync('pkill', ['-KILL', '-f', `tcpdump .*-i ${iface} `]);
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', peerNs]);
  };
  try {
    run(['ip', 'netns', 'add', ns]);
    run(['ip', 'netns', 'add', peerNs]);
    run(['ip', '-n', ns, 'link', 'add', iface, 'type', 'veth', 'peer', 'name', peerIface, 'netns', peerNs]);
    run(['ip', '-n', ns, 'addr', 'add', `${address}/30`, 'dev', iface]);
    run(['ip', '-n', peerNs, 'addr', 'add', `${peerAddress}/30`, 'dev', peerIface]);
    run(['ip', '-n', ns, 'link', 'set', iface, 'up']);
    run(['ip', '-n', peerNs, 'link', 'set', peerIface, 'up']);
    const deadline = Date.now() + 10_000;
    while (!/LOWER_UP/.test(spawnSync('ip', ['-n', ns, 'link', 'show', iface], { encoding: 'utf8' }).stdout)) {
      if (Date.now() > deadline) throw new Error(`${iface} has no carrier`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    destroy();
    throw e;
  }
  return {
    ns, peerNs, iface, address, peerAddress, destroy,
    ping: (count, interval = 0.05) => run(['ip', 'netns', 'exec', ns, 'ping', '-c', String(count), '-i', String(interval), '-W', '1', peerAddress]),
    tcpdumpRunning: () => spawnSync('pgrep', ['-f', `tcpdump .*-i ${iface} `]).status === 0,
  };
}
