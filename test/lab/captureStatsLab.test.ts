/**
 * Stats on a real capture made here: slow pings, a one-second ping burst, TCP and UDP between two
 * namespaces. Golden: tshark's endpoint/conversation/io,stat tables and icmp.resptime on the same file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeCaptureStats } from '../../src/core/stats/computeCaptureStats';
import type { CaptureStats } from '../../src/core/stats/captureStatsTypes';
import { compareWithTshark } from '../unit/captureStatsCompare';
import { createVethNamespacePair, type VethNamespacePair } from './support/vethNamespacePair';
import { TRAFFIC_CLIENT, TRAFFIC_SERVER } from './support/tcpUdpTrafficScripts';
import { waitUntil } from './support/labProcess';

let pair: VethNamespacePair | undefined;
let dir = '';
let file = '';
let stats: CaptureStats;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hst-stats-'));
  file = join(dir, 'burst.pcap');
  pair = await createVethNamespacePair({ prefix: 'hst', tag: 'st', ipv4Net: '10.210.1' });
  const p = pair;
  const dump = p.spawnIn('ns', ['tcpdump', '-i', p.iface, '-n', '-U', '-w', file]);
  let dumpErr = '';
  dump.stderr?.on('data', (b: Buffer) => { dumpErr += b.toString(); });
  await waitUntil(() => dumpErr.includes('listening on'), 10_000, 'tcpdump listening');
  const server = p.spawnIn('peer', [process.execPath, '-e', TRAFFIC_SERVER, '40001']);
  let ready = '';
  server.stdout?.on('data', (b: Buffer) => { ready += b.toString(); });
  await waitUntil(() => ready.includes('ready'), 10_000, 'traffic server');
  p.exec('ns', ['ping', '-n', '-q', '-c', '15', '-i', '0.2', p.peerAddress]);
  p.exec('ns', ['ping', '-n', '-q', '-c', '200', '-i', '0.002', p.peerAddress]);
  p.exec('ns', [process.execPath, '-e', TRAFFIC_CLIENT, p.peerAddress, '40001', '200000', '30']);
  p.exec('ns', ['ping', '-n', '-q', '-c', '15', '-i', '0.2', p.peerAddress]);
  const exited = new Promise((r) => dump.once('exit', r));
  dump.kill('SIGINT');
  await exited;
  stats = await computeCaptureStats(file);
});

after(() => {
  pair?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('lab capture: endpoints, conversations, io,stat,1 and ip_hosts equal tshark exactly', () => {
  assert.ok(stats.packets > 400, `${stats.packets} packets`);
  assert.ok(stats.tcpConversations.length >= 1 && stats.udpConversations.length >= 1);
  compareWithTshark(file, stats);
});

test('lab capture: the ping burst seconds are the spikes, the slow seconds are not', () => {
  const ids = new Map<number, number>();
  for (const r of stats.icmpEcho.series) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
  const burstId = [...ids].sort((a, b) => b[1] - a[1])[0][0];
  const burst = stats.icmpEcho.series.filter((r) => r.id === burstId);
  assert.ok(burst.length >= 190, `${burst.length} burst round trips`);
  const burstSeconds = new Set(burst.map((r) => Math.floor(r.requestSec)));
  const busiest = stats.perSecond.buckets.reduce((m, b) => (b.packets > m.packets ? b : m));
  assert.ok(burstSeconds.has(busiest.second), `busiest second ${busiest.second} holds the burst`);
  assert.ok(stats.perSecond.spikeSeconds.includes(busiest.second), `second ${busiest.second} (${busiest.packets} packets, median ${stats.perSecond.medianPackets}) is a spike`);
  assert.ok(stats.perSecond.spikeSeconds.every((s) => burstSeconds.has(s) || stats.perSecond.buckets[s].bytes > 100000), 'only burst (or bulk TCP) seconds are spikes');
  assert.ok(!stats.perSecond.spikeSeconds.includes(0), 'the first, slow second is no spike');
});

test('lab capture: echo round trips equal tshark icmp.resptime (ms)', () => {
  const out = execFileSync('tshark', ['-r', file, '-n', '-Y', 'icmp.type == 0 && icmp.resptime', '-T', 'fields', '-e', 'icmp.ident', '-e', 'icmp.seq', '-e', 'icmp.resptime'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const golden = out.trim().split('\n').map((l) => l.split('\t')).map(([id, seq, t]) => `${Number(id)}/${Number(seq)} ${Number(t).toFixed(6)}`);
  const ours = stats.icmpEcho.series.map((r) => `${r.id}/${r.seq} ${r.rttMs.toFixed(6)}`);
  assert.deepEqual(ours.sort(), golden.sort());
  assert.equal(stats.icmpEcho.unanswered, 0);
});
