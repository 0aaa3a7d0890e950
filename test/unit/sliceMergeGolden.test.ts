/**
 * sliceCapture / mergeCaptures against editcap -A/-B, editcap -r, tshark -Y -w and mergecap on the same
 * inputs: the same packets in the same order (tcpdump -nn -tt text, tshark fields for mixed link types).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceCapture } from '../../src/core/slice/sliceCapture';
import { mergeCaptures } from '../../src/core/slice/mergeCaptures';
import { parseCaptureTimeBound } from '../../src/core/slice/captureTimeBound';
import { parsePacketRanges } from '../../src/core/slice/packetRanges';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { DisplayFilterError } from '../../src/core/filter/displayFilterSyntax';

const F = join(__dirname, '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'hst-slice-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (ext: string): string => join(dir, `f${n++}.${ext}`);

function tcpdumpText(file: string): string {
  return execFileSync('tcpdump', ['-nn', '-tt', '--time-stamp-precision=nano', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
function tsharkLines(file: string): string {
  return execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.protocols'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
async function firstTime(file: string): Promise<[number, number]> {
  let t: [number, number] | undefined;
  await readCaptureFile(file, { onRecord(r) { t ??= [r.tsSec, r.tsNsec]; } });
  if (!t) throw new Error('empty');
  return t;
}
const epochText = (sec: number, nsec: number): string => `${sec}.${String(nsec).padStart(9, '0')}`;

const SLICE_INPUTS = ['pcap/lo.pcap', 'pcap/lo-nsec-be.pcap', 'pcap/any.pcapng', 'pcap/lo.pcapng', 'capture/ping4.pcap'];
// (two-sections.pcapng is left out: editcap 4.0 itself fails writing it — 'interface 0 encap 1 != packet encap 210'.)

for (const name of SLICE_INPUTS) {
  test(`slice --from +0.3 --to +0.65 equals editcap -A/-B: ${name}`, async () => {
    const input = join(F, name);
    const [s, ns] = await firstTime(input);
    const total = BigInt(s) * 1_000_000_000n + BigInt(ns);
    const a = total + 300_000_000n, b = total + 650_000_000n;
    const at = (x: bigint): string => epochText(Number(x / 1_000_000_000n), Number(x % 1_000_000_000n));
    const golden = tmp('pcapng');
    execFileSync('editcap', ['-A', at(a), '-B', at(b), input, golden]);
    const ours = tmp(name.endsWith('ng') ? 'pcapng' : 'pcap');
    await sliceCapture(input, ours, { startTime: parseCaptureTimeBound('+0.3'), endTime: parseCaptureTimeBound('+0.65') });
    assert.equal(tcpdumpText(ours), tcpdumpText(golden));
    // The absolute forms select the same packets.
    const iso = new Date(Number(a / 1_000_000n)).toISOString().replace(/\.\d+Z$/, `.${String(a % 1_000_000_000n).padStart(9, '0')}Z`);
    const ours2 = tmp('pcap');
    await sliceCapture(input, ours2, { startTime: parseCaptureTimeBound(iso), endTime: parseCaptureTimeBound(`@${at(b)}`) });
    assert.equal(tcpdumpText(ours2), tcpdumpText(golden));
  });
}

test('slice --packets 2-4,9,12- equals editcap -r', async () => {
  const input = join(F, 'pcap/lo.pcapng');
  const golden = tmp('pcapng');
  execFileSync('editcap', ['-r', input, golden, '2-4', '9', '12-14']);
  const ours = tmp('pcapng');
  const r = await sliceCapture(input, ours, { packetNumbers: parsePacketRanges('2-4,9,12-') });
  assert.equal(r.packetsWritten, 7);
  assert.equal(tcpdumpText(ours), tcpdumpText(golden));
});

for (const [name, filter] of [['pcap/lo.pcap', 'icmp || tcp.port == 9'], ['capture/vxlan.pcap', 'ip.addr == 10.201.3.1'], ['capture/ping6.pcap', 'icmpv6.type == 128']] as const) {
  test(`slice --filter '${filter}' equals tshark -Y -w: ${name}`, async () => {
    const input = join(F, name);
    const golden = tmp('pcap');
    execFileSync('tshark', ['-r', input, '-Y', filter, '-F', 'pcap', '-w', golden], { stdio: 'ignore' });
    const ours = tmp('pcap');
    const r = await sliceCapture(input, ours, { displayFilter: filter });
    assert.ok(r.packetsWritten > 0 && r.packetsWritten < r.packetsRead, `${r.packetsWritten}/${r.packetsRead}`);
    assert.equal(tcpdumpText(ours), tcpdumpText(golden));
  });
}

test('merge of same-link-type pcaps equals mergecap, written as classic pcap', async () => {
  const inputs = ['capture/ping4.pcap', 'capture/tcp.pcap', 'capture/vlan.pcap', 'capture/dns.pcap'].map((x) => join(F, x));
  const golden = tmp('pcapng');
  execFileSync('mergecap', ['-w', golden, ...inputs]);
  const ours = tmp('pcap');
  const r = await mergeCaptures(inputs, ours);
  assert.equal(r.format, 'pcap');
  assert.equal(tcpdumpText(ours), tcpdumpText(golden));
});

test('merge with equal timestamps and byte orders (lo.pcap + lo-be.pcap + lo-nsec.pcapng) equals mergecap', async () => {
  const inputs = ['pcap/lo.pcap', 'pcap/lo-be.pcap', 'pcap/lo-nsec.pcapng'].map((x) => join(F, x));
  const golden = tmp('pcapng');
  execFileSync('mergecap', ['-w', golden, ...inputs]);
  const ours = tmp('pcapng');
  await mergeCaptures(inputs, ours);
  assert.equal(tcpdumpText(ours), tcpdumpText(golden));
});

test('merge of different link types gives pcapng with one IDB per input, equal to mergecap (tshark fields)', async () => {
  const inputs = ['pcap/lo.pcap', 'pcap/any.pcap'].map((x) => join(F, x));
  const golden = tmp('pcapng');
  execFileSync('mergecap', ['-w', golden, ...inputs]);
  const ours = tmp('pcapng');
  const r = await mergeCaptures(inputs, ours);
  assert.equal(r.format, 'pcapng');
  assert.equal(tsharkLines(ours), tsharkLines(golden));
  const info = execFileSync('capinfos', ['-I', ours], { encoding: 'utf8' });
  assert.match(info, /Number of interfaces in file: 2/);
});

test('bad filter, bad range, missing input: clear errors, no output file left', async () => {
  const out = tmp('pcap');
  await assert.rejects(sliceCapture(join(F, 'pcap/lo.pcap'), out, { displayFilter: 'ip.addr ==' }), DisplayFilterError);
  assert.throws(() => parsePacketRanges('5-2'), /must not decrease/);
  assert.throws(() => parseCaptureTimeBound('yesterday'), /neither ISO/);
  await assert.rejects(sliceCapture(join(dir, 'missing.pcap'), out, {}), /ENOENT/);
  await assert.rejects(mergeCaptures([join(F, 'pcap/lo.pcap'), join(dir, 'missing.pcap')], out), /ENOENT/);
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(dir).filter((x) => x.endsWith('.partial')), []);
});

test('the CLI writes files tcpdump and tshark both open', () => {
  const out = tmp('pcap');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), 'slice', join(F, 'pcap/lo.pcap'), '-o', out, '--packets', '1-4', '--filter', 'icmp'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /4 of 14 packets/);
  assert.equal(tcpdumpText(out).trim().split('\n').length, 4);
  assert.equal(tsharkLines(out).trim().split('\n').length, 4);
});

test('an existing FIFO (or device) as output is written in place, never renamed over', async () => {
  const { spawn } = await import('node:child_process');
  const { statSync, readFileSync } = await import('node:fs');
  const fifo = join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  const copy = tmp('pcap');
  const reader = spawn('/bin/sh', ['-c', 'cat "$1" > "$2"', 'sh', fifo, copy]);
  const done = new Promise((r) => reader.once('exit', r));
  await sliceCapture(join(F, 'pcap/lo.pcap'), fifo, { packetNumbers: parsePacketRanges('1-2') });
  await done;
  assert.ok(statSync(fifo).isFIFO(), 'still a FIFO');
  assert.equal(tcpdumpText(copy).trim().split('\n').length, 2);
  assert.ok(readFileSync(copy).length > 24);
});
