/**
 * Real traffic over the two-host lab, captured with real tcpdump at six points, with optional faults
 * injected in the kernel (nft drop on hostB's bridge, nft netdev MAC rewrite on hostB's uplink) or a
 * `-i any` capture on hostA. Shared by test/lab/alignReal.test.ts and the fixture script.
 */
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { VM_B_IP, startTcpdump, waitFor, type RunningTcpdump, type TwoHostLab } from './alignLab';

export type AlignFault = 'none' | 'drop' | 'mac-rewrite' | 'any';

export interface CapturedScenario {
  /** Capture files in path order vmA → vmB. */
  files: string[];
  /** Host of each file (for --host). */
  hosts: string[];
  /** ICMP seqs dropped (drop fault). */
  droppedSeqs: number[];
}

export const DROPPED_SEQS = [5, 17];
export const REWRITTEN_MAC = '02:05:00:00:00:99';
export const PING_COUNT = 30;

export async function captureScenario(lab: TwoHostLab, dir: string, fault: AlignFault): Promise<CapturedScenario> {
  const { ns, ifs } = lab;
  const points: [string, string, string, string][] = fault === 'any'
    ? [[ns.vmA, 'eth0', 'vmA-eth0', 'vmA'], [ns.hostA, 'any', 'hostA-any', 'hostA'], [ns.hostB, ifs.uplB, 'hostB-upl', 'hostB'], [ns.vmB, 'eth0', 'vmB-eth0', 'vmB']]
    : [[ns.vmA, 'eth0', 'vmA-eth0', 'vmA'], [ns.hostA, ifs.tapA, 'hostA-tap', 'hostA'], [ns.hostA, ifs.uplA, 'hostA-upl', 'hostA'],
      [ns.hostB, ifs.uplB, 'hostB-upl', 'hostB'], [ns.hostB, ifs.tapB, 'hostB-tap', 'hostB'], [ns.vmB, 'eth0', 'vmB-eth0', 'vmB']];
  if (fault === 'drop') {
    nft(ns.hostB, `table bridge hsadrop { chain dropper { type filter hook forward priority 0; oifname "${ifs.tapB}" icmp type echo-request icmp sequence { ${DROPPED_SEQS.join(', ')} } drop; }; }`);
  }
  if (fault === 'mac-rewrite') {
    nft(ns.hostB, `table netdev hsamac { chain rewriter { type filter hook ingress device "${ifs.uplB}" priority 0; icmp type echo-request icmp sequence 9 ether daddr set ${REWRITTEN_MAC}; }; }`);
  }
  const dumps: RunningTcpdump[] = [];
  try {
    for (const [n, iface, name] of points) {
      dumps.push(await startTcpdump(n, iface, join(dir, `${name}.pcap`), ['not', 'ip6']));
    }
    // ICMP: 30 echoes 20 ms apart, then a short TCP exchange (real kernel stacks both ends).
    spawnSync('ip', ['netns', 'exec', ns.vmA, 'ping', '-n', '-c', String(PING_COUNT), '-i', '0.02', '-W', '0.3', VM_B_IP], { encoding: 'utf8' });
    await tcpExchange(lab);
    // Let the last packets reach the files before stopping (tcpdump -U writes each packet).
    const lastPing = (): boolean => spawnSync('tcpdump', ['-r', dumps[0].file, '-n', 'tcp[tcpflags] & tcp-fin != 0'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l).length >= 2;
    await waitFor(lastPing, 5000, 'TCP exchange in the first capture');
  } finally {
    for (const d of dumps) await d.stop();
    if (fault === 'drop') lab.exec(ns.hostB, ['nft', 'delete', 'table', 'bridge', 'hsadrop'], true);
    if (fault === 'mac-rewrite') lab.exec(ns.hostB, ['nft', 'delete', 'table', 'netdev', 'hsamac'], true);
  }
  return { files: dumps.map((d) => d.file), hosts: points.map((p) => p[3]), droppedSeqs: fault === 'drop' ? DROPPED_SEQS : [] };

  function nft(n: string, rules: string): void {
    const r = spawnSync('ip', ['netns', 'exec', n, 'nft', '-f', '-'], { input: rules, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nft: ${r.stderr}`);
  }
}

/** A TCP request/response between the VMs with node's own sockets, run inside the namespaces. */
async function tcpExchange(lab: TwoHostLab): Promise<void> {
  const server = `const s=require('net').createServer(c=>{c.on('data',d=>{c.end('pong:'+d);s.close();});}).listen(8080,'${VM_B_IP}',()=>process.stdout.write('up\\n'));`;
  const client = `const c=require('net').connect(8080,'${VM_B_IP}',()=>c.write('ping-hopscope'));c.on('data',()=>{});c.on('end',()=>c.end());`;
  const srv = spawn('ip', ['netns', 'exec', lab.ns.vmB, process.execPath, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  srv.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const done = new Promise<void>((resolve) => srv.on('close', () => resolve()));
  try {
    await waitFor(() => out.includes('up') || srv.exitCode !== null, 10000, 'TCP server listening');
    const r = spawnSync('ip', ['netns', 'exec', lab.ns.vmA, process.execPath, '-e', client], { encoding: 'utf8', timeout: 10000 });
    if (r.status !== 0) throw new Error(`tcp client failed: ${r.stderr}`);
  } finally {
    if (srv.exitCode === null) srv.kill();
    await done;
  }
}
