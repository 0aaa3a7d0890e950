/**
 * `npx tsx bench/statisticsTab.ts [packets]`: the pcap editor's Statistics tab on a generated mix
 * (bench/generateCapture.ts, default 500k packets): CPU time of the chunked, yielding computation
 * (computeCaptureStatisticsView) against the engine's plain pass (computeCaptureStats), the longest
 * stall of the event loop while it runs (how long a row request could wait), and the size of the
 * message posted to the webview. CPU from process.cpuUsage, never wall time.
 */
import { mkdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateCapture } from './generateCapture';
import { computeCaptureStats } from '../src/core/stats/computeCaptureStats';
import { computeCaptureStatisticsView } from '../src/extension/pcapEditor/captureStatistics';

const packets = Number(process.argv[2] ?? 500_000);
const dir = join(__dirname, '.data');
mkdirSync(dir, { recursive: true });
const file = join(dir, `mixed-${packets}.pcap`);
if (!existsSync(file)) generateCapture(file, packets);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  await computeCaptureStats(file); // warm-up (JIT, page cache)
  let t = cpuMs();
  await computeCaptureStats(file);
  const plain = cpuMs() - t;

  // Event-loop lateness: a 0 ms timer re-armed continuously; the largest gap between its runs.
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  let progressCalls = 0;
  t = cpuMs();
  const view = await computeCaptureStatisticsView(file, () => { progressCalls++; });
  const chunked = cpuMs() - t;
  running = false;
  const payload = JSON.stringify({ type: 'stats', view }).length;
  console.log(`file: ${packets} packets, ${(statSync(file).size / 1048576).toFixed(1)} MiB`);
  console.log(`computeCaptureStats (one pass):          ${plain.toFixed(0)} ms CPU`);
  console.log(`computeCaptureStatisticsView (chunked):  ${chunked.toFixed(0)} ms CPU, ${progressCalls} progress calls`);
  console.log(`longest event-loop stall while computing: ${maxGap.toFixed(1)} ms (timer lateness, includes other load)`);
  console.log(`stats message to the webview: ${(payload / 1024).toFixed(1)} KiB (${view.stats.perSecond.buckets.length} seconds, ${view.stats.icmpEcho.series.length} RTT points)`);
}

void main();
