/**
 * The Statistics tab's host side (src/extension/pcapEditor/captureStatistics.ts): the stats engine fed
 * chunk by chunk without blocking the event loop, progress in bytes, per-second packet ranges checked
 * against tshark's frame.number / frame.time_relative, one computation per document, damaged tails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { computeCaptureStats } from '../../src/core/stats/computeCaptureStats';
import { CaptureStatisticsCache, computeCaptureStatisticsView, sendCaptureStatistics } from '../../src/extension/pcapEditor/captureStatistics';
import type { StatsHostMessage } from '../../src/protocol/captureStatisticsProtocol';

const FIXTURE = join(__dirname, '..', 'fixtures', 'stats', 'stats-mix.pcap');

describe('Statistics tab data (extension host side)', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hs2s-statsview-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('the same numbers as the stats engine, and per-second packet ranges as tshark numbers the frames', async () => {
    const view = await computeCaptureStatisticsView(FIXTURE);
    assert.deepEqual(view.stats, await computeCaptureStats(FIXTURE));
    assert.equal(view.warning, undefined);
    const text = execFileSync('tshark', ['-r', FIXTURE, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_relative'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const expected: { first: number; last: number }[] = [];
    for (const line of text.trim().split('\n')) {
      const [n, rel] = line.split('\t');
      const s = Math.floor(Number(rel));
      expected[s] ??= { first: Number(n), last: Number(n) };
      expected[s].last = Number(n);
    }
    assert.deepEqual(view.secondPackets, Array.from(expected, (e) => e ?? { first: 0, last: 0 }));
  });

  it('reads a multi-chunk file with progress in bytes and lets the event loop run between chunks', async () => {
    const file = join(dir, 'mix.pcap');
    generateCapture(file, 6000);
    const size = statSync(file).size;
    const progress: number[] = [];
    let ticks = 0;
    let ticking = true;
    const tick = (): void => { ticks++; if (ticking) setTimeout(tick, 0); };
    setTimeout(tick, 0);
    const view = await computeCaptureStatisticsView(file, (read, total) => { assert.equal(total, size); progress.push(read); });
    ticking = false;
    assert.equal(view.stats.packets, 6000);
    assert.ok(progress.length >= 4, `${progress.length} progress calls for ${size} bytes`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(progress.at(-1), size);
    assert.ok(ticks >= progress.length - 1, `timers ran ${ticks} times during ${progress.length} chunks`);
  });

  it('computes once per document and shares it; a failure is not cached', async () => {
    const cache = new CaptureStatisticsCache();
    const doc = {}, other = {};
    const a = cache.get(doc, FIXTURE);
    assert.equal(cache.get(doc, FIXTURE), a);
    assert.notEqual(cache.get(other, FIXTURE), a);
    await a;
    const missing = {};
    await assert.rejects(cache.get(missing, join(dir, 'nope.pcap')), /ENOENT/);
    const again = cache.get(missing, join(dir, 'nope.pcap'));
    await assert.rejects(again, /ENOENT/);
  });

  it('a damaged tail: statistics of the packets before it, with a warning', async () => {
    const bytes = readFileSync(FIXTURE);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    // tcpdump prints the complete packets, then fails on the cut one.
    const td = spawnSync('tcpdump', ['-r', cut, '-n'], { encoding: 'utf8' });
    assert.match(td.stderr, /truncated/);
    const tcpdumpCount = td.stdout.trim().split('\n').length;
    const view = await computeCaptureStatisticsView(cut);
    assert.equal(view.stats.packets, tcpdumpCount);
    assert.match(view.warning ?? '', new RegExp(`statistics of the ${tcpdumpCount} packets before it`));
  });

  it('sendCaptureStatistics: progress then the view; an error message for a file that is not a capture', async () => {
    const posts: StatsHostMessage[] = [];
    await sendCaptureStatistics(new CaptureStatisticsCache(), {}, FIXTURE, (m) => posts.push(m));
    assert.deepEqual(posts.map((m) => m.type), ['statsProgress', 'stats']);
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, 'not a capture at all, just text that is long enough');
    const bad: StatsHostMessage[] = [];
    await sendCaptureStatistics(new CaptureStatisticsCache(), {}, junk, (m) => bad.push(m));
    assert.equal(bad.at(-1)?.type, 'statsError');
    assert.match((bad.at(-1) as { message: string }).message, /^Cannot compute statistics: /);
  });
});
