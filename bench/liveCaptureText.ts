/**
 * `npx tsx bench/liveCaptureText.ts [packetsPerSecond] [seconds] [windowLines]`: the cost of a live
 * capture's text at a packet rate: formatting each record (TcpdumpFormatter) into the LiveCaptureText
 * window, and the whole-text rebuild that each batched onDidChange triggers (VS Code re-reads all of it).
 * Records are real ICMP frames (bench/recordData.ts) with advancing timestamps; prints per-second CPU.
 */
import { LiveCaptureText } from '../src/extension/capture/liveCaptureText';
import type { CaptureRecord } from '../src/core/pcap/captureRecord';

const rate = Number(process.argv[2] ?? 20_000);
const seconds = Number(process.argv[3] ?? 5);
const windowLines = Number(process.argv[4] ?? 20_000);

// Ethernet + IPv4 + ICMP echo request, 98 bytes (ping's default size).
const frame = Buffer.from(
  '52540000010152540000010208004500005400004000400100000a0200020a0200030800f7ff000100010000000000000000'
  + '0'.repeat(2 * 56), 'hex');
const rec: CaptureRecord = { tsSec: 1_700_000_000, tsNsec: 0, caplen: frame.length, origLen: frame.length, data: frame, linkType: 1, interfaceId: 0, index: 0, fileOffset: 0 };

let notifies = 0;
let rebuildMs = 0;
let textBytes = 0;
const text = new LiveCaptureText(windowLines, () => {
  const t0 = performance.now();
  textBytes = text.text().length; // what provideTextDocumentContent returns on each onDidChange
  rebuildMs += performance.now() - t0;
  notifies++;
});

async function main(): Promise<void> {
  let formatMs = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(rate * seconds, Math.floor(((performance.now() - start) / 1000) * rate));
      const t0 = performance.now();
      for (; sent < due; sent++) {
        rec.tsNsec = (sent % rate) * Math.floor(1e9 / rate);
        rec.tsSec = 1_700_000_000 + Math.floor(sent / rate);
        text.addRecord(rec);
      }
      formatMs += performance.now() - t0;
      if (sent >= rate * seconds) { clearInterval(tick); setTimeout(resolve, 200); }
    }, 5);
  });
  text.dispose();
  const wall = (performance.now() - start) / 1000;
  console.log(`rate ${rate}/s for ${seconds}s, window ${windowLines} lines: ${sent} records in ${wall.toFixed(2)} s wall`);
  console.log(`format+append: ${(formatMs / seconds).toFixed(0)} ms CPU per second (${((formatMs * 1000) / sent).toFixed(2)} µs/record)`);
  console.log(`onDidChange text rebuilds: ${notifies} (${(notifies / wall).toFixed(1)}/s), ${(rebuildMs / notifies).toFixed(1)} ms each, ${(textBytes / 1024 / 1024).toFixed(1)} MB text`);
  console.log(`extension-host CPU share: ${(((formatMs + rebuildMs) / 1000 / wall) * 100).toFixed(0)}%`);
}

void main();
