/** computeCaptureStats against tshark's statistics taps on the committed fixtures (exact counts and bytes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { computeCaptureStats } from '../../src/core/stats/computeCaptureStats';
import { compareWithTshark } from './captureStatsCompare';

const FIXTURE_DIRS = [join(__dirname, '..', 'fixtures', 'capture'), join(__dirname, '..', 'fixtures', 'pcap')];
const files = FIXTURE_DIRS.flatMap((d) => readdirSync(d).filter((n) => /\.pcap(ng)?$/.test(n)).map((n) => join(d, n)));

for (const file of files) {
  test(`stats match tshark endpoints/conv/io,stat/ip_hosts: ${file.split('/').slice(-2).join('/')}`, async () => {
    const stats = await computeCaptureStats(file);
    compareWithTshark(file, stats, !/(geneve|gre|vxlan)\.pcap$/.test(file));
  });
}

test('the fixture list is not empty (the golden loop above ran)', () => {
  assert.ok(files.length >= 20, `${files.length} fixtures`);
});

test('stats match tshark on a 20k-packet generated mix (TCP 5-tuples reused with new SYNs split like tcp.stream)', async () => {
  const { generateCapture } = await import('../../bench/generateCapture');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'hst-statsgen-'));
  try {
    const file = join(dir, 'mix.pcap');
    generateCapture(file, 20000);
    const stats = await computeCaptureStats(file);
    assert.equal(stats.packets, 20000);
    compareWithTshark(file, stats);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
