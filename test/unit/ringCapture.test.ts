/** Ring-buffer capture: tcpdump version detection, command validation and quoting, status and window logic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildRingStartCommand, buildRingStatusCommand, buildRingStopCommand, ringCaptureDir, RingInputError, type RingCaptureOptions } from '../../src/core/capture/ringCaptureCommand';
import { parseTcpdumpVersion, ringRotationFor } from '../../src/core/capture/tcpdumpVersion';
import { parseLsFullTime, parseRingStatus, parseTzOffset, selectRingWindow } from '../../src/core/capture/ringWindow';
import { CaptureInputError } from '../../src/core/capture/validateCaptureInput';

test('tcpdump version: 4.99 --version, 3.9 -h usage text; -G needs 4.0', () => {
  const real = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
  const v = parseTcpdumpVersion(real.stdout + real.stderr);
  assert.equal(v?.major, 4);
  assert.ok(v && v.minor >= 99 && v.libpcap !== undefined);
  assert.equal(ringRotationFor(v), 'time');
  // tcpdump 3.9.4 (RHEL 5) has no --version; its -h prints this before the usage lines.
  const old = parseTcpdumpVersion('tcpdump version 3.9.4\nlibpcap version 0.9.4\nUsage: tcpdump [-aAdDeflLnNOpqRStuUvxX] [-c count] [ -C file_size ]\n');
  assert.deepEqual([old?.major, old?.minor, old?.patch, old?.libpcap], [3, 9, 4, '0.9.4']);
  assert.equal(old && ringRotationFor(old), 'size');
  assert.equal(parseTcpdumpVersion('sh: tcpdump: not found'), undefined);
});

const opts = (o: Partial<RingCaptureOptions> = {}): RingCaptureOptions => ({
  captureId: 'c1', iface: 'vnet0', filter: 'icmp', rotation: 'time', rotateSeconds: 10, fileCount: 3, maxDurationSec: 3600, sudo: 'auto', ...o,
});

test('ring commands: strict validation of ids, paths, sizes; hostile text stays one quoted argument', () => {
  assert.equal(ringCaptureDir('c1'), '/var/tmp/hopscope-ring/c1');
  for (const bad of ['', '../x', '.hidden', 'a b', 'a;b', 'x'.repeat(65)]) assert.throws(() => ringCaptureDir(bad), RingInputError, bad);
  assert.throws(() => ringCaptureDir('c1', 'relative/dir'), RingInputError);
  assert.throws(() => ringCaptureDir('c1', '/var/../etc'), RingInputError);
  assert.throws(() => buildRingStartCommand(opts({ iface: 'eth0;reboot' })), CaptureInputError);
  assert.throws(() => buildRingStartCommand(opts({ filter: '-w /etc/passwd' })), CaptureInputError);
  assert.throws(() => buildRingStartCommand(opts({ fileCount: 1 })), /fileCount/);
  assert.throws(() => buildRingStartCommand(opts({ rotateSeconds: 0 })), /rotateSeconds/);
  assert.throws(() => buildRingStartCommand(opts({ rotation: 'size', fileSizeMb: 0 })), /fileSizeMb/);
  const hostile = "icmp and host 10.0.0.1' ; touch /tmp/pwned ; echo '";
  const cmd = buildRingStartCommand(opts({ filter: hostile }));
  // Parse the command with a real shell and print its argv: the filter is exactly one argument.
  const argv = spawnSync('/bin/sh', ['-c', cmd.replace(/^exec \/bin\/sh -c /, 'printf "%s\\n---\\n" ')], { encoding: 'utf8' }).stdout.split('\n---\n');
  assert.ok(argv.includes(hostile), 'filter passed verbatim as one argument');
  assert.ok(argv.includes('/var/tmp/hopscope-ring/c1'));
  assert.match(buildRingStopCommand('c1'), /ring-stop '\/var\/tmp\/hopscope-ring\/c1'$/);
  assert.match(buildRingStatusCommand('c1', '/srv/rings'), /ring-status '\/srv\/rings\/c1'$/);
});

const STATUS = `ring-status running
now=1795441200
pid=1844
pgroup=1844
pruner=1845
started=1795441100
tzoffset=+0100
rotation=time
seconds=10
files=3
megabytes=0
iface=vnet0
ceiling=3600
filter=icmp and host 10.0.0.1
ring-files
ring-20261123-143920.pcap 1795441169 4096
ring-20261123-143930.pcap 1795441179 4096
ring-20261123-143940.pcap 1795441189 2048
ring-log
tcpdump: listening on vnet0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
`;

test('status report parsed; window picks the files around T (names in host local time, 1 s buffer slack)', () => {
  const s = parseRingStatus(STATUS);
  assert.equal(s.state, 'running');
  assert.equal(s.params.filter, 'icmp and host 10.0.0.1');
  assert.equal(s.nowSec, 1795441200);
  assert.equal(s.files.length, 3);
  assert.deepEqual(s.log, ['tcpdump: listening on vnet0, link-type EN10MB (Ethernet), snapshot length 262144 bytes']);
  const tz = parseTzOffset(s.params.tzoffset);
  assert.equal(tz, 3600);
  // 14:39:30 local (+0100) = 13:39:30 UTC = 1795441170.
  const pick = (at: number, before: number, after: number): string[] => selectRingWindow(s.files, at, before, after, tz).map((f) => f.name);
  assert.deepEqual(pick(1795441175, 2, 2), ['ring-20261123-143930.pcap']);
  assert.deepEqual(pick(1795441175, 10, 10), ['ring-20261123-143920.pcap', 'ring-20261123-143930.pcap', 'ring-20261123-143940.pcap']);
  // Near a boundary the older file is included (it was written until 1795441169 + under a second).
  assert.deepEqual(pick(1795441170, 0.5, 0.5), ['ring-20261123-143920.pcap', 'ring-20261123-143930.pcap']);
  assert.deepEqual(pick(1795441300, 5, 5), []);
  assert.throws(() => parseRingStatus('bash: line 1: sed: not found'), /not a ring status/);
});

test('size-only ring (old tcpdump): ls --full-time listing, coverage from the previous file\'s last write', () => {
  const ls = [
    '-rw-r--r-- 1 root root 1000000 2026-11-23 13:39:05.120000000 +0000 /var/tmp/hopscope-ring/c1/ring.pcap1',
    '-rw-r--r-- 1 root root 1000000 2026-11-23 13:38:40.500000000 +0000 /var/tmp/hopscope-ring/c1/ring.pcap0',
    '-rw-r--r-- 1 root root  300000 2026-11-23 13:39:30.000000000 +0000 /var/tmp/hopscope-ring/c1/ring.pcap2',
    'total 2300',
  ].join('\n');
  const files = parseLsFullTime(ls);
  assert.deepEqual(files.map((f) => [f.name, f.mtimeSec]), [['ring.pcap1', 1795441145], ['ring.pcap0', 1795441120], ['ring.pcap2', 1795441170]]);
  const pick = (at: number): string[] => selectRingWindow(files, at, 1, 1).map((f) => f.name);
  assert.deepEqual(pick(1795441100), ['ring.pcap0']);
  assert.deepEqual(pick(1795441130), ['ring.pcap1']);
  assert.deepEqual(pick(1795441160), ['ring.pcap2']);
});

test('ring start: a missing base directory is made sticky and shared (1777); a ring directory of another login is refused', async () => {
  const { mkdtempSync, mkdirSync, chownSync, statSync, rmSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(`${tmpdir()}/hopscope-ringbase-`);
  try {
    const base = `${root}/rings`;
    mkdirSync(base);
    const theirs = `${base}/c1`;
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534); // nobody's directory, made before our start
    const refused = spawnSync('/bin/sh', ['-c', buildRingStartCommand(opts({ baseDir: base }))], { encoding: 'utf8' });
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`^ring-error not-owner ${theirs}$`, 'm'));
    assert.ok(!existsSync(`${theirs}/state`), 'nothing written into the other login\'s directory');

    const fresh = `${root}/new-base`;
    const missing = spawnSync('/bin/sh', ['-c', buildRingStartCommand(opts({ baseDir: fresh, iface: 'hopscope-none0' }))], { encoding: 'utf8' });
    assert.equal(statSync(fresh).mode & 0o7777, 0o1777, missing.stderr);
    assert.equal(statSync(`${fresh}/c1`).mode & 0o777, 0o755);
  } finally {
    rmSync(root, { recursive: true, force: true, maxRetries: 5 }); // the failed tcpdump's log may still be closing
  }
});
