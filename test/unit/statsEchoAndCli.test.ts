/**
 * The seed's case: one echo reply 120 ms late among sub-millisecond ones is the outlier; every round trip
 * equals tshark's icmp.resptime on the same file. And the `hopscope stats` CLI: report, --json, --top, errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { PcapWriter } from '../../src/core/pcap/pcapWriter';
import { computeCaptureStats } from '../../src/core/stats/computeCaptureStats';
import { runCliInProcess } from '../support/runCliInProcess';

const dir = mkdtempSync(join(tmpdir(), 'hst-echo-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const late = join(dir, 'late-reply.pcap');

async function makeLateReplyCapture(): Promise<void> {
  // Six pings on lo (fixture), the reply of the 3rd IPv4 echo (packet 6) delayed by 120 ms.
  const recs: { sec: number; nsec: number; data: Uint8Array }[] = [];
  await readCaptureFile(join(__dirname, '..', 'fixtures', 'pcap', 'lo.pcap'), { onRecord(r) { recs.push({ sec: r.tsSec, nsec: r.tsNsec, data: r.data.slice() }); } });
  const r = recs[5];
  const ns = r.nsec + 120_000_000;
  r.sec += Math.floor(ns / 1e9);
  r.nsec = ns % 1e9;
  recs.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
  const fd = openSync(late, 'w');
  const w = new PcapWriter(fd, { linkType: 1 });
  for (const x of recs) w.writeRecord(x.sec, x.nsec, x.data);
  await w.close();
  closeSync(fd);
}

test('a single 120 ms reply is the outlier; all RTTs equal tshark icmp.resptime / icmpv6.resptime', async () => {
  await makeLateReplyCapture();
  const s = await computeCaptureStats(late);
  assert.equal(s.icmpEcho.outliers.length, 1);
  const o = s.icmpEcho.outliers[0];
  assert.deepEqual([o.ipVersion, o.seq], [4, 3]);
  assert.ok(o.rttMs > 120 && o.rttMs < 121, `${o.rttMs}`);
  assert.ok((s.icmpEcho.medianMs ?? 1) < 1);
  assert.equal(s.icmpEcho.maxMs, o.rttMs);
  const golden = execFileSync('tshark', ['-r', late, '-n', '-Y', 'icmp.resptime || icmpv6.resptime', '-T', 'fields', '-e', 'icmp.seq', '-e', 'icmpv6.echo.sequence_number', '-e', 'icmp.resptime', '-e', 'icmpv6.resptime'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')
    .map((l) => l.split('\t')).map(([s4, s6, t4, t6]) => `${s4 || s6} ${Number(t4 || t6).toFixed(6)}`);
  assert.deepEqual(s.icmpEcho.series.map((r) => `${r.seq} ${r.rttMs.toFixed(6)}`).sort(), golden.sort());
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCliInProcess(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

test('hopscope stats: readable report with the outlier, --json, --top, bad input', async () => {
  await makeLateReplyCapture();
  const r = await cli(['stats', '--top', '2', late]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Top talkers/);
  assert.match(r.out, /RTT outliers\n.*\n127\.0\.0\.1 > 127\.0\.0\.1\s+\d+\s+3\s+[\d.]+\s+120\.\d{3} ms/);
  const j = await cli(['stats', '--json', late]);
  const parsed = JSON.parse(j.out) as { packets: number; icmpEcho: { outliers: unknown[] } };
  assert.equal(parsed.packets, 14);
  assert.equal(parsed.icmpEcho.outliers.length, 1);
  assert.equal((await cli(['stats', '--top', 'x', late])).code, 2);
  assert.equal((await cli(['stats'])).code, 2);
  const missing = await cli(['stats', join(dir, 'nope.pcap')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.pcap/);
  const junk = join(dir, 'junk.pcap');
  writeFileSync(junk, 'not a capture at all, just text\n');
  const bad = await cli(['stats', junk]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /junk\.pcap/);
});
