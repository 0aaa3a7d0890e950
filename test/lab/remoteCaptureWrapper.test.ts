/**
 * The remote capture wrapper run by a real shell around a real tcpdump in a network namespace,
 * exactly as sshd runs an exec request (`$SHELL -c <command>`); the SSH transport itself is
 * covered by the SSH tests. Each way of stopping must leave no tcpdump behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRemoteCaptureCommand, type RemoteCaptureCommandOptions } from '../../src/core/capture/remoteCaptureCommand';
import { parseRemoteCaptureStderrLine } from '../../src/core/capture/remoteCaptureStderr';

const ns = `hsc${process.pid}`;
const peerNs = `hsc${process.pid}p`;
const ifA = `hsc${process.pid % 100000}a`;
const ifB = `hsc${process.pid % 100000}b`;
const tmp = mkdtempSync(join(tmpdir(), 'hopscope-rcap-'));

function sh(argv: string[]): void {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

function tcpdumpAlive(): boolean {
  return spawnSync('pgrep', ['-f', `tcpdump .*-i ${ifA} `]).status === 0;
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface RunningCapture {
  child: ChildProcessWithoutNullStreams;
  chunks: Buffer[];
  stderrLines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCapture(over: Partial<RemoteCaptureCommandOptions>): RunningCapture {
  const cmd = buildRemoteCaptureCommand({
    iface: ifA, filter: 'icmp', snaplen: 0, maxPackets: 0, maxDurationSec: 60, maxFileBytes: 0,
    sudo: 'auto', excludeOwnSsh: false, ...over,
  });
  const child = spawn('ip', ['netns', 'exec', ns, '/bin/sh', '-c', cmd]);
  const chunks: Buffer[] = [];
  const stderrLines: string[] = [];
  let partial = '';
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => {
    const parts = (partial + d.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    stderrLines.push(...parts);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      if (partial) stderrLines.push(partial);
      resolve({ code, signal });
    });
  });
  return { child, chunks, stderrLines, exit };
}

async function waitListening(c: RunningCapture): Promise<void> {
  await waitFor(() => c.stderrLines.some((l) => parseRemoteCaptureStderrLine(l).kind === 'listening'), 10000, 'tcpdump listening');
}

function ping(count: number): void {
  sh(['ip', 'netns', 'exec', ns, 'ping', '-c', String(count), '-i', '0.05', '-W', '1', '10.208.0.2']);
}

/** Packets in the captured stream, counted by the real tcpdump. */
function countWithTcpdump(c: RunningCapture): number {
  const f = join(tmp, `cap-${Date.now()}-${Math.random()}.pcap`);
  writeFileSync(f, Buffer.concat(c.chunks));
  const r = spawnSync('tcpdump', ['-nn', '-r', f], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes('ICMP')).length;
}

describe('remote capture wrapper (real tcpdump in a namespace, run as sshd would)', () => {
  before(async () => {
    sh(['ip', 'netns', 'add', ns]);
    sh(['ip', 'netns', 'add', peerNs]);
    // Two namespaces: addresses in one namespace would talk over lo, not the veth.
    sh(['ip', '-n', ns, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', peerNs]);
    sh(['ip', '-n', ns, 'addr', 'add', '10.208.0.1/30', 'dev', ifA]);
    sh(['ip', '-n', peerNs, 'addr', 'add', '10.208.0.2/30', 'dev', ifB]);
    sh(['ip', '-n', ns, 'link', 'set', ifA, 'up']);
    sh(['ip', '-n', peerNs, 'link', 'set', ifB, 'up']);
    await waitFor(() => spawnSync('ip', ['-n', ns, 'route', 'get', '10.208.0.2']).status === 0
      && /LOWER_UP/.test(spawnSync('ip', ['-n', ns, 'link', 'show', ifA], { encoding: 'utf8' }).stdout), 10000, 'veth carrier');
  });
  after(() => {
    spawnSync('pkill', ['-KILL', '-f', `tcpdump .*-i ${ifA} `]);
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', peerNs]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('graceful stop (stdin EOF) flushes every packet, exits 0 and leaves no tcpdump', async () => {
    const c = startCapture({});
    await waitListening(c);
    const pid = c.stderrLines.map(parseRemoteCaptureStderrLine).find((l) => l.kind === 'pid');
    assert.ok(pid, `handshake missing: ${c.stderrLines.join('|')}`);
    ping(5);
    c.child.stdin.end();
    const { code } = await c.exit;
    assert.equal(code, 0, c.stderrLines.join('\n'));
    assert.equal(countWithTcpdump(c), 10);
    assert.ok(c.stderrLines.some((l) => /^10 packets captured/.test(l)), c.stderrLines.join('\n'));
    assert.equal(tcpdumpAlive(), false);
    assert.equal(existsSync(`/proc/${pid.kind === 'pid' ? pid.timeoutPid : 0}`), false);
  });

  it('a missing heartbeat stops a capture whose filter matches nothing', async () => {
    const c = startCapture({ filter: 'udp port 9', heartbeatTimeoutSec: 1 });
    await waitListening(c);
    const { code } = await c.exit; // nothing is written to stdin: the watchdog fires after 1 s
    assert.equal(code, 0);
    assert.equal(tcpdumpAlive(), false);
  });

  it('the duration ceiling ends the capture with timeout\'s exit 124', async () => {
    const c = startCapture({ maxDurationSec: 1, filter: 'udp port 9' });
    const hb = setInterval(() => c.child.stdin.write('\n'), 200);
    const { code } = await c.exit;
    clearInterval(hb);
    assert.equal(code, 124);
    assert.equal(tcpdumpAlive(), false);
  });

  it('the packet limit (-c) ends the capture with exactly that many packets', async () => {
    const c = startCapture({ maxPackets: 4 });
    await waitListening(c);
    ping(5);
    const { code } = await c.exit;
    assert.equal(code, 0);
    assert.equal(countWithTcpdump(c), 4);
    assert.equal(tcpdumpAlive(), false);
  });

  it('a killed client (SIGKILL of the channel side) leaves no tcpdump behind', async () => {
    const c = startCapture({ filter: 'udp port 9' });
    await waitListening(c);
    // The shell's stdin is our pipe: killing `ip netns exec` closes it, like a crashed client.
    c.child.kill('SIGKILL');
    c.child.stdin.destroy();
    await waitFor(() => !tcpdumpAlive(), 10000, 'tcpdump to exit after the client died');
  });

  it('a filter tcpdump rejects is reported as a filter error', async () => {
    const c = startCapture({ filter: 'host and or' });
    const { code } = await c.exit;
    assert.equal(code, 1);
    const errs = c.stderrLines.map(parseRemoteCaptureStderrLine).filter((l) => l.kind === 'error');
    assert.equal(errs[0]?.kind === 'error' && errs[0].code, 'filter-syntax', c.stderrLines.join('\n'));
  });

  it('a missing interface is reported as such', async () => {
    const c = startCapture({ iface: 'nosuch0' });
    const { code } = await c.exit;
    assert.notEqual(code, 0);
    const errs = c.stderrLines.map(parseRemoteCaptureStderrLine).filter((l) => l.kind === 'error');
    assert.equal(errs[0]?.kind === 'error' && errs[0].code, 'no-such-device', c.stderrLines.join('\n'));
  });

  it('hostile filter text reaches tcpdump as one unchanged argument', async () => {
    const hostile = "icmp and not host 10.9.9.9 or (udp port 53 and ip[8] > 1) and not (ether host 'x')";
    const c = startCapture({ filter: hostile, heartbeatTimeoutSec: 1 });
    await c.exit;
    const f = c.stderrLines.map(parseRemoteCaptureStderrLine).find((l) => l.kind === 'filter');
    assert.deepEqual(f, { kind: 'filter', filter: hostile });
  });
});
