/**
 * A live capture end to end on this machine: the remote-capture wrapper and real tcpdump in a
 * namespace, streamed through the local-process transport (the same path "This machine" uses;
 * the SSH transport is exercised by the SSH lab tests) into the session, which writes the file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRemoteCaptureCommand, type RemoteCaptureCommandOptions } from '../../src/core/capture/remoteCaptureCommand';
import { childProcessTransport } from '../../src/core/capture/captureTransport';
import { LiveCaptureSession, type CaptureState, type LiveCaptureOptions } from '../../src/core/capture/liveCaptureSession';
import { createVethNamespacePair, type VethNamespacePair } from './support/vethNamespacePair';

let pair: VethNamespacePair;
const tmp = mkdtempSync(join(tmpdir(), 'hopscope-live-'));

function start(over: Partial<RemoteCaptureCommandOptions>, opts: Partial<LiveCaptureOptions> = {}, cmdOverride?: string) {
  const cmd = cmdOverride ?? buildRemoteCaptureCommand({
    iface: pair.iface, filter: 'icmp', snaplen: 0, maxPackets: 0, maxDurationSec: 60, maxFileBytes: 0, sudo: 'auto', excludeOwnSsh: false, ...over,
  });
  const cp = spawn('ip', ['netns', 'exec', pair.ns, '/bin/sh', '-c', cmd]);
  const file = join(tmp, `cap-${Math.random().toString(36).slice(2)}.pcap`);
  const states: CaptureState[] = [];
  let texts = 0;
  const session = new LiveCaptureSession(childProcessTransport(cp), { file, maxFileBytes: 0, maxPackets: over.maxPackets ?? 0, heartbeatIntervalMs: 200, ...opts }, {
    onStateChange: (s) => states.push(s),
    onRecord: () => { texts++; },
  });
  return { session, file, states, records: () => texts, cp };
}

async function running(session: LiveCaptureSession): Promise<void> {
  const end = Date.now() + 10_000;
  while (session.state === 'starting') {
    if (Date.now() > end) throw new Error('capture never started');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The real tcpdump's view of the saved file: packet count and whether it complains. */
function tcpdumpRead(file: string): { packets: number; stderr: string; status: number | null } {
  const r = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8' });
  return { packets: r.stdout.split('\n').filter(Boolean).length, stderr: r.stderr, status: r.status };
}

describe('live capture session (real tcpdump, local transport)', () => {
  before(async () => { pair = await createVethNamespacePair({ prefix: 'hs', tag: 'lc', ipv4Net: '10.208.1' }); });
  after(() => { pair?.destroy(); rmSync(tmp, { recursive: true, force: true }); });

  it('streams every packet into the file and to the listener, and stops cleanly', async () => {
    const c = start({});
    await running(c.session);
    pair.ping(5);
    c.session.stop();
    const r = await c.session.done;
    assert.equal(r.reason, 'stopped');
    assert.equal(r.exitCode, 0);
    assert.equal(r.packets, 10);
    assert.equal(c.records(), 10);
    assert.equal(r.captured, 10);
    assert.deepEqual(c.states, ['running', 'stopping', 'stopped']);
    const read = tcpdumpRead(c.file);
    assert.equal(read.packets, 10);
    assert.equal(read.status, 0, read.stderr);
    assert.equal(statSync(c.file).size, r.bytes);
    assert.equal(pair.tcpdumpRunning(), false);
  });

  it('keeps every packet already received when the connection dies mid-capture', async () => {
    const c = start({});
    await running(c.session);
    pair.ping(3);
    // Wait until the packets reached us, then kill the transport like a dropped link.
    const end = Date.now() + 5000;
    while (c.session.packetCount < 6 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    c.cp.kill('SIGKILL');
    const r = await c.session.done;
    assert.equal(r.reason, 'connection-lost');
    assert.equal(r.packets, 6);
    const read = tcpdumpRead(c.file);
    assert.equal(read.packets, 6);
    assert.equal(read.status, 0, read.stderr);
    const deadline = Date.now() + 10_000;
    while (pair.tcpdumpRunning() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(pair.tcpdumpRunning(), false);
  });

  it('stops at the file-size limit with a valid file', async () => {
    const c = start({ filter: '' }, { maxFileBytes: 1000 });
    await running(c.session);
    pair.ping(10, 0.02);
    const r = await c.session.done;
    assert.equal(r.reason, 'size-limit');
    assert.ok(r.bytes >= 1000 && r.bytes < 1000 + 300, `bytes ${r.bytes}`);
    assert.equal(tcpdumpRead(c.file).status, 0);
  });

  it('names the packet limit when tcpdump -c ends the capture', async () => {
    const c = start({ maxPackets: 3 });
    await running(c.session);
    pair.ping(4);
    const r = await c.session.done;
    assert.equal(r.reason, 'packet-limit');
    assert.equal(r.packets, 3);
  });

  it('reports tcpdump\'s error and fails without a packet', async () => {
    const c = start({ iface: 'nosuch0' });
    const r = await c.session.done;
    assert.equal(r.reason, 'error');
    assert.equal(r.error?.code, 'no-such-device');
    assert.deepEqual(c.states.at(-1), 'failed');
  });

  it('refuses a stream that is not a capture (a login script printing on stdout)', async () => {
    const c = start({}, {}, 'echo "Welcome to hv1"; exec cat');
    const r = await c.session.done;
    assert.equal(r.reason, 'error');
    assert.equal(r.error?.code, 'stream');
    assert.match(r.error?.message ?? '', /not a capture|magic/i);
  });
});
