/**
 * Ring-buffer capture through a real shell, as sshd runs a command (`/bin/sh -c <command>`), in a
 * namespace: -G 1 -W 3 rotates and keeps at most 3 files, status reports it, the window picks the files
 * holding the packets, stop leaves no tcpdump.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRingStartCommand, buildRingStatusCommand, buildRingStopCommand, ringCaptureDir } from '../../src/core/capture/ringCaptureCommand';
import { buildTcpdumpVersionCommand, parseTcpdumpVersion, ringRotationFor } from '../../src/core/capture/tcpdumpVersion';
import { parseRingStatus, parseTzOffset, ringFileCoverage, selectRingWindow } from '../../src/core/capture/ringWindow';
import { createVethNamespacePair, type VethNamespacePair } from './support/vethNamespacePair';
import { waitUntil } from './support/labProcess';

let pair: VethNamespacePair | undefined;
const base = mkdtempSync(join(tmpdir(), 'hst-ring-'));
const dir = ringCaptureDir('lab1', base);

after(() => {
  if (pair) spawnSync('ip', ['netns', 'exec', pair.ns, '/bin/sh', '-c', buildRingStopCommand('lab1', base)]);
  try {
    const pid = /^pid=(\d+)$/m.exec(readFileSync(join(dir, 'state'), 'utf8'))?.[1];
    if (pid) try { process.kill(-Number(pid), 'SIGKILL'); } catch { /* already gone */ }
  } catch { /* no state */ }
  pair?.destroy();
  rmSync(base, { recursive: true, force: true });
});

const tcpdumpAlive = (): boolean => spawnSync('pgrep', ['-f', `tcpdump .*-w ${dir}/`]).status === 0;
/** Packet times (epoch seconds, µs) in a file, via tcpdump -tt. */
const packetTimes = (file: string): number[] =>
  execFileSync('tcpdump', ['-tt', '-nn', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n').filter((l) => l !== '').map((l) => Number(l.split(' ')[0]));

test('ring capture -G 1 -W 3 over /bin/sh -c: rotates, keeps <= 3 files, status, window, stop', async () => {
  pair = await createVethNamespacePair({ prefix: 'hst', tag: 'rg', ipv4Net: '10.210.3' });
  const p = pair;
  const sh = (cmd: string): string => p.exec('ns', ['/bin/sh', '-c', cmd]);

  const version = parseTcpdumpVersion(sh(buildTcpdumpVersionCommand()));
  assert.ok(version && version.major === 4, JSON.stringify(version));
  assert.equal(ringRotationFor(version), 'time');

  const started = sh(buildRingStartCommand({
    captureId: 'lab1', baseDir: base, iface: p.iface, filter: 'icmp', rotation: 'time', rotateSeconds: 1,
    fileCount: 3, maxDurationSec: 60, sudo: 'never',
  }));
  assert.match(started, /^ring-started \d+ /m);
  await waitUntil(tcpdumpAlive, 10_000, 'tcpdump running');
  await waitUntil(() => { try { return /listening on/.test(readFileSync(join(dir, 'tcpdump.log'), 'utf8')); } catch { return false; } }, 10_000, 'tcpdump listening');

  const ping = p.spawnIn('ns', ['ping', '-n', '-q', '-c', '90', '-i', '0.05', p.peerAddress]);
  const seen = new Set<string>();
  let maxFiles = 0;
  const pingDone = new Promise((r) => ping.once('exit', r));
  let finished = false;
  void pingDone.then(() => { finished = true; });
  while (!finished) {
    const st = parseRingStatus(sh(buildRingStatusCommand('lab1', base)));
    assert.equal(st.state, 'running');
    for (const f of st.files) seen.add(f.name);
    maxFiles = Math.max(maxFiles, st.files.length);
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(seen.size >= 4, `files rotated: ${[...seen].join(' ')}`);
  // The pruner runs every second: between a rotation and its pass one extra file can exist.
  assert.ok(maxFiles <= 4, `at most W+1 files at any time, saw ${maxFiles}`);

  const status = parseRingStatus(sh(buildRingStatusCommand('lab1', base)));
  assert.equal(status.state, 'running');
  assert.deepEqual([status.params.rotation, status.params.seconds, status.params.files, status.params.iface, status.params.filter],
    ['time', '1', '3', p.iface, 'icmp']);
  await waitUntil(() => parseRingStatus(sh(buildRingStatusCommand('lab1', base))).files.length <= 3, 5000, 'pruned to 3 files');

  // Window: the middle of the newest-but-one file, ±0.2 s. The chosen files must hold every packet of
  // the window that any remaining file holds.
  const files = parseRingStatus(sh(buildRingStatusCommand('lab1', base))).files;
  const tz = parseTzOffset(status.params.tzoffset);
  const cov = ringFileCoverage(files, tz);
  assert.ok(cov.length >= 2);
  const at = cov[cov.length - 2].startSec + 1.5;
  const chosen = selectRingWindow(files, at, 0.2, 0.2, tz);
  assert.ok(chosen.length >= 1 && chosen.length < files.length, `chose ${chosen.map((f) => f.name).join(' ')} of ${files.length}`);
  const inWindow = (t: number): boolean => t >= at - 0.2 && t <= at + 0.2;
  const all = files.flatMap((f) => packetTimes(join(dir, f.name))).filter(inWindow).sort();
  const picked = chosen.flatMap((f) => packetTimes(join(dir, f.name))).filter(inWindow).sort();
  assert.ok(all.length > 0, 'the window holds packets');
  assert.deepEqual(picked, all, JSON.stringify({ at, cov, chosen: chosen.map((f) => f.name) }));

  const stopped = sh(buildRingStopCommand('lab1', base));
  assert.match(stopped, /^ring-stopped \d+$/m);
  assert.doesNotMatch(stopped, /ring-killed/, 'tcpdump ended on SIGTERM');
  assert.equal(tcpdumpAlive(), false, 'no tcpdump left');
  const final = parseRingStatus(sh(buildRingStatusCommand('lab1', base)));
  assert.equal(final.state, 'stopped');
  assert.ok(final.files.length <= 3 && final.files.length >= 2, `${final.files.length} files after stop`);
  for (const f of final.files) packetTimes(join(dir, f.name));
});

test('size-rotation fallback (-C 1 -W 3, what tcpdump < 4.0 supports) over /bin/sh -c: a 3-file ring, stop leaves no tcpdump', async () => {
  pair ??= await createVethNamespacePair({ prefix: 'hst', tag: 'rg', ipv4Net: '10.210.3' });
  const p = pair;
  const sh = (cmd: string): string => p.exec('ns', ['/bin/sh', '-c', cmd]);
  const sizeDir = ringCaptureDir('lab2', base);
  const alive = (): boolean => spawnSync('pgrep', ['-f', `tcpdump .*-w ${sizeDir}/`]).status === 0;
  try {
    assert.match(sh(buildRingStartCommand({
      captureId: 'lab2', baseDir: base, iface: p.iface, filter: 'icmp', rotation: 'size', fileSizeMb: 1,
      fileCount: 3, maxDurationSec: 60, sudo: 'never',
    })), /^ring-started \d+ /m);
    await waitUntil(alive, 10_000, 'tcpdump running');
    await waitUntil(() => { try { return /listening on/.test(readFileSync(join(sizeDir, 'tcpdump.log'), 'utf8')); } catch { return false; } }, 10_000, 'tcpdump listening');
    // ~5 MB of ICMP: more than the 3 x 1 MB ring holds.
    p.exec('ns', ['ping', '-n', '-q', '-f', '-c', '300', '-s', '8000', p.peerAddress]);
    await waitUntil(() => {
      const st = parseRingStatus(sh(buildRingStatusCommand('lab2', base)));
      return st.files.length === 3 && st.files.every((f) => f.size > 500_000);
    }, 10_000, 'ring wrapped');
    const st = parseRingStatus(sh(buildRingStatusCommand('lab2', base)));
    assert.equal(st.state, 'running');
    assert.deepEqual(st.files.map((f) => f.name).sort(), ['ring.pcap0', 'ring.pcap1', 'ring.pcap2']);
    assert.equal(st.params.rotation, 'size');
    assert.match(sh(buildRingStopCommand('lab2', base)), /^ring-stopped \d+$/m);
    assert.equal(alive(), false);
    assert.equal(parseRingStatus(sh(buildRingStatusCommand('lab2', base))).state, 'stopped');
  } finally {
    spawnSync('ip', ['netns', 'exec', p.ns, '/bin/sh', '-c', buildRingStopCommand('lab2', base)]);
  }
});
