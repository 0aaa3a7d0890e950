/**
 * A live capture the way the extension will do it: real tcpdump in a network namespace writing
 * `-U -w -` to a pipe, our streaming reader on the pipe's chunks, our PcapWriter appending each record
 * to a file. The stream is then cut abruptly (tcpdump SIGKILLed, nobody calls flush or close): every
 * packet already received must be in the file, which tcpdump must read.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureStreamReader } from '../../src/core/pcap/captureStreamReader';
import { PcapWriter } from '../../src/core/pcap/pcapWriter';
import { runSync, waitUntil } from './support/labProcess';

const ns = `hsp${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'hsp-live-'));
const started: Array<{ kill(signal?: NodeJS.Signals): boolean }> = [];

after(() => {
  for (const p of started) p.kill('SIGKILL');
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(dir, { recursive: true, force: true });
});

test('live append: records received before an abrupt stream drop are all in the file', async () => {
  runSync(['ip', 'netns', 'add', ns]);
  runSync(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  const out = join(dir, 'live.pcap');
  const fd = openSync(out, 'w');
  try {
    let writer: PcapWriter | undefined;
    const reader = new CaptureStreamReader({
      onInterface: (iface) => { writer = new PcapWriter(fd, { linkType: iface.linkType, snaplen: iface.snaplen }); },
      onRecord: (rec) => writer?.writeRecord(rec.tsSec, rec.tsNsec, rec.data, rec.origLen),
    });
    const tcpdump = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', 'lo', '-U', '--immediate-mode', '-w', '-', 'icmp']);
    started.push(tcpdump);
    let stderr = '';
    let chunks = 0;
    tcpdump.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    tcpdump.stdout.on('data', (d: Buffer) => { chunks++; reader.push(d); });
    await waitUntil(() => stderr.includes('listening on'), 10000, 'tcpdump to listen');
    runSync(['ip', 'netns', 'exec', ns, 'ping', '-c', '20', '-i', '0.02', '-s', '1000', '127.0.0.1']);
    await waitUntil(() => reader.recordCount >= 40, 10000, '40 records through the pipe');
    const exited = new Promise((resolve) => tcpdump.on('close', resolve));
    tcpdump.kill('SIGKILL'); // the "connection drop": no clean end, no flush, no close
    await exited;
    const text = runSync(['tcpdump', '-nn', '-r', out]).trim().split('\n');
    assert.equal(text.length, 40, `${chunks} chunks from the pipe`);
    const seqs = text.filter((l) => l.includes('ICMP echo request')).map((l) => Number(/seq (\d+)/.exec(l)?.[1]));
    assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(text.filter((l) => l.includes('ICMP echo reply')).length, 20);
  } finally {
    closeSync(fd);
  }
});
