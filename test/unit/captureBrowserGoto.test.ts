/**
 * "Go to packet" on the host side: CaptureBrowser.rowOf maps a packet number to its row in the whole
 * file and in a filtered view (the frames tshark -Y selects on the same real capture), -1 when hidden.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CaptureBrowser } from '../../src/core/browse/captureBrowser';

const FILE = join(__dirname, '..', 'fixtures', 'capture', 'ping6.pcap');

describe('capture browser: go to packet', () => {
  it('finds a packet\'s row in the whole file and in a filtered view, -1 where the filter hides it', async () => {
    const b = new CaptureBrowser(FILE);
    await b.open();
    assert.equal(b.rowOf(0, 1), 0);
    assert.equal(b.rowOf(0, b.packetCount), b.packetCount - 1);
    assert.equal(b.rowOf(0, b.packetCount + 1), -1);
    assert.equal(b.rowOf(0, 0), -1);
    const shown = execFileSync('tshark', ['-r', FILE, '-Y', 'icmpv6.type == 128', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim().split('\n').map(Number);
    assert.ok(shown.length >= 2 && shown.length < b.packetCount, `echo requests: ${shown.join(',')}`);
    const { view, count } = await b.applyFilter('icmpv6.type == 128');
    assert.equal(count, shown.length);
    shown.forEach((n, row) => assert.equal(b.rowOf(view, n), row, `packet ${n}`));
    for (let n = 1; n <= b.packetCount; n++) if (!shown.includes(n)) assert.equal(b.rowOf(view, n), -1, `hidden packet ${n}`);
    const rows = await b.rows(view, 0, count);
    assert.deepEqual(rows.map((r) => r.number), shown);
  });
});
