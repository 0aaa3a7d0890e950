/**
 * Real group traffic next to a real one-way unicast fault, on a veth pair between two namespaces, each
 * end captured by real `tcpdump -i any` (Linux cooked SLL2: no destination MAC) and the peer's interface
 * by a plain capture (Ethernet). From `ns`: `ping -6` to ff02::1 (answered by the peer and, over lo, by
 * `ns` itself, each from its own address), UDP datagrams to ff02::fb and 224.0.0.251 port 5353 from
 * node's own sockets, the kernel's own ND and MLD, and `ping -6` to the peer's unicast
 * address whose replies an nft rule in the peer drops before they leave (reply missing, one-way).
 * The same traffic also out of a tun device (raw IP, no link header at all; captureRawIpGroupTraffic).
 * Shared by test/lab/alignGroupDestination.test.ts and test/fixtures/align/makeGroupFixtures.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createVethNamespacePair, type VethNamespacePair } from '../lab/support/vethNamespacePair';
import { waitUntil } from '../lab/support/labProcess';
import { startTcpdump, type RunningTcpdump } from './alignLab';

/** The pair's IPv6 /64: ns is <net>::1, the peer <net>::2. */
export const GROUP_NET6 = 'fd00:213:6';
export const GROUP_PINGS = 3;
export const UNICAST_PINGS = 3;

export interface GroupCaptures {
  /** `-i any` in ns, `-i any` in the peer, the peer's interface; in that order. */
  files: [string, string, string];
  /** ns's and the peer's unicast IPv6 addresses (the faulty ping's request goes from the first to the second). */
  address6: string;
  peerAddress6: string;
}

export const GROUP_CAPTURE_NAMES = ['a-any.pcap', 'b-any.pcap', 'b-if.pcap'] as const;

export async function createGroupTrafficPair(tag: string): Promise<VethNamespacePair> {
  const pair = await createVethNamespacePair({ prefix: 'hs', tag, ipv4Net: '10.213.6', ipv6Net: GROUP_NET6 });
  try {
    // The link-local addresses go through DAD: ping to ff02::1%if and MLD need them usable.
    const tentative = (where: 'ns' | 'peer', ifn: string): boolean => pair.exec(where, ['ip', '-6', 'addr', 'show', 'dev', ifn, 'tentative']).trim() !== '';
    await waitUntil(() => !tentative('ns', pair.iface) && !tentative('peer', pair.peerIface), 10_000, 'link-local addresses past DAD');
  } catch (e) {
    pair.destroy();
    throw e;
  }
  return pair;
}

/** Runs the traffic with the three captures going; the captures are stopped before it returns. */
export async function captureGroupTraffic(pair: VethNamespacePair, dir: string): Promise<GroupCaptures> {
  const { ns, peerNs, iface, peerIface } = pair;
  const address6 = pair.address6 as string;
  const peerAddress6 = pair.peerAddress6 as string;
  const files: [string, string, string] = [join(dir, GROUP_CAPTURE_NAMES[0]), join(dir, GROUP_CAPTURE_NAMES[1]), join(dir, GROUP_CAPTURE_NAMES[2])];
  pair.exec('peer', ['nft', '-f', '-'], `table ip6 hsg6drop { chain out { type filter hook output priority 0; ip6 daddr ${address6} icmpv6 type echo-reply drop; }; }`);
  const dumps: RunningTcpdump[] = [];
  try {
    dumps.push(await startTcpdump(ns, 'any', files[0]));
    dumps.push(await startTcpdump(peerNs, 'any', files[1]));
    dumps.push(await startTcpdump(peerNs, peerIface, files[2]));
    // A new address makes the kernel join its solicited-node group: an MLD report.
    // (In a prefix of its own: it must not become the unicast ping's source.)
    pair.exec('ns', ['ip', '-6', 'addr', 'add', 'fd00:213:7::11/64', 'dev', iface, 'nodad']);
    await sendGroupTraffic(ns, iface, pair.address, address6, peerAddress6, files);
  } finally {
    for (const d of dumps) await d.stop();
    spawnSync('ip', ['netns', 'exec', peerNs, 'nft', 'delete', 'table', 'ip6', 'hsg6drop']);
  }
  return { files, address6, peerAddress6 };
}

/** `hopscope align` arguments for the three captures in `order` (indexes into files): ns is host A, the peer host B. */
export function groupAlignArgs(files: readonly string[], order: readonly number[] = [0, 1, 2]): string[] {
  const peer = order.filter((i) => i !== 0).map((i) => files[i]);
  const hosts = ['--host', `B=${peer.join(',')}`];
  if (order.includes(0)) hosts.push('--host', `A=${files[0]}`);
  return [...hosts, ...order.map((i) => files[i])];
}

/**
 * From `address`/`address6` on `iface` in `ns`: ping -6 to ff02::1, UDP to ff02::fb and 224.0.0.251 port
 * 5353 (node's own sockets), then ping -6 to `peerAddress6`, expected unanswered; returns once every one
 * of `files` (running captures) holds the last unicast request.
 */
async function sendGroupTraffic(ns: string, iface: string, address: string, address6: string, peerAddress6: string, files: readonly string[]): Promise<void> {
  const inNs = (argv: string[]): ReturnType<typeof spawnSync> => spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });
  const must = (argv: string[]): void => {
    const r = inNs(argv);
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${String(r.stderr)}`);
  };
  // The group ping's replies (if any) come from the members' own addresses: ping's exit status is not the point.
  inNs(['ping', '-6', '-n', '-c', String(GROUP_PINGS), '-i', '0.2', '-W', '0.3', `ff02::1%${iface}`]);
  const sender = `const d=require('dgram');let n=0;const done=()=>{if(++n===6)process.exit(0);};
const s6=d.createSocket('udp6');const s4=d.createSocket('udp4');
s4.bind(0,'${address}',()=>{s4.setMulticastInterface('${address}');
for(let i=0;i<3;i++){s6.send('hopscope-group-'+i,5353,'ff02::fb%${iface}',done);s4.send('hopscope-group-'+i,5353,'224.0.0.251',done);}});`;
  must([process.execPath, '-e', sender]);
  // Unanswered: ping exits 1.
  inNs(['ping', '-6', '-n', '-c', String(UNICAST_PINGS), '-i', '0.2', '-W', '0.3', '-I', address6, peerAddress6]);
  // Every capture holds the last request before the captures stop (tcpdump -U writes each packet).
  const lastRequests = (f: string): boolean => spawnSync('tcpdump', ['-n', '-r', f, `icmp6 and ip6 dst ${peerAddress6}`], { encoding: 'utf8' })
    .stdout.split('\n').filter((l) => l.includes('echo request')).length >= UNICAST_PINGS;
  await waitUntil(() => files.every(lastRequests), 5000, 'the unicast requests in every capture');
}

export const RAW_IP_CAPTURE_NAMES = ['tun.pcap', 'tun-any.pcap'] as const;
/** The tun end's addresses: ns has <net>::1 and 10.213.7.1, the unicast ping goes to <net>::2. */
export const RAW_IP_NET6 = 'fd00:213:8';

/** Reads the tun device the kernel writes to and discards every packet: the far end of a link that never answers. */
const TUN_READER = `import fcntl, os, struct, sys
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', sys.argv[1].encode(), 0x1001))  # TUNSETIFF, IFF_TUN | IFF_NO_PI
print('attached', flush=True)
while True:
    os.read(fd, 65536)
`;

/**
 * The same traffic out of a tun device (no link header: tcpdump writes LINKTYPE_RAW) in a namespace of
 * its own, captured on the tun and by `-i any` (SLL2) there. Nothing answers on the tun's far end (a
 * reader that discards), so the unicast ping is one-way; the group ping is answered over lo only, by
 * the namespace itself. Cleans up the namespace and the reader before returning.
 */
export async function captureRawIpGroupTraffic(dir: string, tag: string): Promise<[string, string]> {
  const ns = `hs${tag}${process.pid}t`;
  const tun = `hs${tag}${process.pid % 100000}t`;
  const files: [string, string] = [join(dir, RAW_IP_CAPTURE_NAMES[0]), join(dir, RAW_IP_CAPTURE_NAMES[1])];
  const run = (argv: string[]): void => {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  };
  const made = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`ip netns add ${ns}: ${made.stderr}`);
  const reader = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', TUN_READER, tun], { stdio: ['ignore', 'pipe', 'pipe'] });
  const dumps: RunningTcpdump[] = [];
  try {
    let said = '';
    reader.stdout.on('data', (d: Buffer) => { said += d.toString(); });
    reader.stderr.on('data', (d: Buffer) => { said += d.toString(); });
    await waitUntil(() => said.includes('attached') || reader.exitCode !== null, 10_000, `tun reader on ${tun}`);
    if (reader.exitCode !== null) throw new Error(`tun reader failed: ${said}`);
    run(['ip', 'link', 'set', 'lo', 'up']);
    run(['ip', 'link', 'set', tun, 'up']);
    run(['ip', 'addr', 'add', '10.213.7.1/24', 'dev', tun]);
    run(['ip', '-6', 'addr', 'add', `${RAW_IP_NET6}::1/64`, 'dev', tun, 'nodad']);
    const tentative = (): boolean => spawnSync('ip', ['-n', ns, '-6', 'addr', 'show', 'dev', tun, 'tentative'], { encoding: 'utf8' }).stdout.trim() !== '';
    await waitUntil(() => !tentative(), 10_000, 'the tun\'s link-local address past DAD');
    dumps.push(await startTcpdump(ns, tun, files[0]));
    dumps.push(await startTcpdump(ns, 'any', files[1]));
    await sendGroupTraffic(ns, tun, '10.213.7.1', `${RAW_IP_NET6}::1`, `${RAW_IP_NET6}::2`, files);
  } finally {
    for (const d of dumps) await d.stop();
    if (reader.exitCode === null && reader.signalCode === null) reader.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
  }
  return files;
}
