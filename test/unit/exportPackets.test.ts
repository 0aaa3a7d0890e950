/**
 * Export Packets of the pcap editor: a filtered view (or a range of it) written to a new pcap, read
 * back by tcpdump and compared with tcpdump's own reading of the source file with the same selection.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';
import { exportPackets, parsePacketRange } from '../../src/core/browse/exportPackets';

const SOURCE = join(__dirname, '..', 'fixtures', 'align', 'drop', 'hostA-upl.pcap');
const dir = mkdtempSync(join(tmpdir(), `hsy-export-${process.pid}-`));

function tcpdump(file: string, ...filter: string[]): string[] {
  const r = spawnSync('tcpdump', ['-nn', '--nano', '-tt', '-r', file, ...filter], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

describe('export packets of a pcap editor view', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses packet ranges', () => {
    assert.deepEqual(parsePacketRange('10-200'), { from: 10, to: 200 });
    assert.deepEqual(parsePacketRange(' 7 '), { from: 7, to: 7 });
    assert.deepEqual(parsePacketRange('5-'), { from: 5, to: Infinity });
    for (const bad of ['', '0', '9-3', 'a-b', '1-2-3']) assert.equal(parsePacketRange(bad), undefined, bad);
  });

  it('writes the packets a filter shows, with their timestamps, as tcpdump reads them', async () => {
    const b = new CaptureBrowser(SOURCE);
    await b.open();
    const { view, count } = await b.applyFilter('tcp');
    const out = join(dir, 'tcp.pcap');
    assert.equal(await exportPackets(b, { view }, out), count);
    assert.deepEqual(tcpdump(out), tcpdump(SOURCE, 'tcp'));
    assert.equal(count, 10);
  });

  it('writes a range of packet numbers of the whole file', async () => {
    const b = new CaptureBrowser(SOURCE);
    await b.open();
    const out = join(dir, 'range.pcap');
    assert.equal(await exportPackets(b, { view: 0, from: 3, to: 7 }, out), 5);
    assert.deepEqual(tcpdump(out), tcpdump(SOURCE).slice(2, 7));
  });
});
