import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaptureIndex, readIndexedRecords } from '../../src/core/pcap/captureIndex';
import { readCaptureFile } from '../../src/core/pcap/captureStreamReader';
import { fixture } from './pcapTestTools';

interface Seen { index: number; ts: string; bytes: string; ifId: number }

async function sequential(path: string): Promise<Seen[]> {
  const out: Seen[] = [];
  await readCaptureFile(path, { onRecord: (r) => out.push({ index: r.index, ts: `${r.tsSec}.${r.tsNsec}`, bytes: Buffer.from(r.data).toString('hex'), ifId: r.interfaceId }) });
  return out;
}

describe('capture index (random access by packet number)', () => {
  for (const name of ['lo.pcap', 'lo-nsec-be.pcap', 'lo.pcapng', 'merged.pcapng', 'any.pcapng']) {
    it(`reads any range of ${name} exactly as the sequential reader does`, async () => {
      const path = fixture(name);
      const all = await sequential(path);
      const index = await buildCaptureIndex(path);
      assert.equal(index.count, all.length);
      assert.ok(all.length > 3);
      for (const [start, count] of [[0, 1], [1, 2], [all.length - 1, 5], [Math.floor(all.length / 2), all.length], [0, all.length]]) {
        const got: Seen[] = [];
        await readIndexedRecords(index, start, count, (r) => got.push({ index: r.index, ts: `${r.tsSec}.${r.tsNsec}`, bytes: Buffer.from(r.data).toString('hex'), ifId: r.interfaceId }));
        assert.deepEqual(got, all.slice(start, start + count), `${name} [${start}, +${count})`);
      }
    });
  }

  it('keeps every complete packet of a truncated file readable and reports where it broke', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-index-'));
    try {
      const path = join(dir, 'cut.pcap');
      copyFileSync(fixture('lo.pcap'), path);
      const all = await sequential(fixture('lo.pcap'));
      truncateSync(path, statSync(path).size - 10);
      const index = await buildCaptureIndex(path);
      assert.equal(index.count, all.length - 1);
      assert.equal(index.error?.code, 'truncated');
      const got: string[] = [];
      await readIndexedRecords(index, index.count - 1, 10, (r) => got.push(Buffer.from(r.data).toString('hex')));
      assert.deepEqual(got, [all[all.length - 2].bytes]);
      assert.equal(index.prefix.length, 24);
      assert.deepEqual(Buffer.from(index.prefix), readFileSync(path).subarray(0, 24));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a capture', async () => {
    await assert.rejects(buildCaptureIndex(fixture('makeFixtures.sh')), /not-a-capture|not a capture|magic/i);
  });
});
