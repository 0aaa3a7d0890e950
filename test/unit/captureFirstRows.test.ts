/**
 * CaptureBrowser.firstRows (readFirstRecords): the rows the pcap editor shows while a large file is
 * still being indexed are the file's first packets as `tcpdump -nn -r` prints them, and the same rows
 * the index serves afterwards.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';

const fixtures = join(__dirname, '..', 'fixtures');
const dir = join(fixtures, 'capture');

function tcpdumpPackets(file: string): string[] {
  const out = execFileSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const packets: string[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    if (/^\d\d:\d\d:\d\d\.\d{6} /.test(line)) packets.push(line.slice(16));
    else packets[packets.length - 1] += ` ${line.trim()}`;
  }
  return packets;
}

describe('CaptureBrowser.firstRows (before the index)', () => {
  for (const file of ['capture/tcp.pcap', 'capture/ping4.pcap', 'capture/vxlan.pcap', 'pcap/lo.pcapng']) {
    it(`${file}: the first packets as tcpdump prints them, equal to the indexed rows`, async () => {
      const path = join(fixtures, file);
      const expected = tcpdumpPackets(path);
      assert.ok(expected.length > 3);
      const b = new CaptureBrowser(path);
      const early = await b.firstRows(3);
      assert.deepEqual(early.map((r) => r.number), [1, 2, 3]);
      assert.deepEqual(early.map((r) => r.info), expected.slice(0, 3));
      const all = await b.firstRows(expected.length + 10);
      assert.equal(all.length, expected.length);
      await b.open();
      assert.deepEqual(await b.rows(0, 0, 3), early);
    });
  }

  it('a file cut inside a later packet still gives the packets before the cut', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'hopscope-first-rows-'));
    try {
      const bytes = readFileSync(join(dir, 'tcp.pcap'));
      const cut = join(tmp, 'cut.pcap');
      writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
      const rows = await new CaptureBrowser(cut).firstRows(2);
      assert.deepEqual(rows.map((r) => r.number), [1, 2]);
      await assert.rejects(new CaptureBrowser(cut).firstRows(100_000), /truncated/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
