/**
 * Loading captures in worker threads (from the .ts worker source through tsx here): the columns that
 * come back transferred are those of an in-thread load of the same real captures, in the order given;
 * a worker that cannot start leaves its files to the calling thread; an unreadable file is named.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { loadCaptureColumns } from '../../src/core/align/loadCaptureColumns';
import { syncCaptureLoaders } from '../../src/core/align/syncCaptureLoaders';
import { CaptureLoadError, loadCapturesInParallel, workerScriptPath } from '../../src/core/align/loadCapturesInParallel';
import type { CaptureColumns } from '../../src/core/align/captureColumns';

const NAMES = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const specs = NAMES.map((n, i) => ({ path: join(__dirname, '..', 'fixtures', 'align', 'drop', `${n}.pcap`), name: n, host: i < 3 ? 'A' : 'B' }));

const COLUMNS = ['time', 'idA', 'idB', 'flow', 'pairKey', 'meta', 'src4', 'dst4', 'port1', 'port2', 'tcpSeq', 'l4Length', 'flags',
  'srcMac', 'dstMac', 'ttl', 'vlan', 'dscp', 'natKey'] as const;

function assertSameColumns(got: CaptureColumns, want: CaptureColumns): void {
  assert.equal(got.name, want.name);
  assert.equal(got.host, want.host);
  assert.equal(got.length, want.length);
  assert.equal(got.baseSec, want.baseSec);
  for (const k of COLUMNS) assert.deepEqual(got[k].subarray(0, got.length), want[k].subarray(0, want.length), k);
}

describe('loadCapturesInParallel', () => {
  it('finds the worker source under tsx', () => {
    assert.match(workerScriptPath() ?? '', /parseCaptureWorker\.ts$/);
  });

  it('workers (and the calling thread) give the columns of an in-thread load, in the order given', async () => {
    const want = await Promise.all(specs.map((s) => loadCaptureColumns(s.path, s.name, s.host, syncCaptureLoaders)));
    assert.ok(want.every((c) => c.length > 0));
    for (const parseOnCallingThread of [false, true]) {
      const where: string[] = [];
      const got = await loadCapturesInParallel(specs, syncCaptureLoaders, {
        minWorkerBytes: 0, maxWorkers: 2, parseOnCallingThread, onLoaded: (i, w) => { where[i] = w; },
      });
      // The machine may have one core: then only the calling thread parses when it shares the work.
      const workers = where.filter((w) => w === 'worker').length;
      assert.ok(workers >= (parseOnCallingThread ? Math.min(1, availableParallelism() - 1) : specs.length), where.join());
      assert.equal(got.length, specs.length);
      got.forEach((c, i) => assertSameColumns(c, want[i]));
    }
  });

  it('a worker that cannot start leaves its files to the calling thread', async () => {
    const where: string[] = [];
    const got = await loadCapturesInParallel(specs.slice(0, 3), syncCaptureLoaders, {
      minWorkerBytes: 0, workerScript: join(__dirname, 'no-such-worker.js'), onLoaded: (i, w) => { where[i] = w; },
    });
    assert.deepEqual(where, ['calling thread', 'calling thread', 'calling thread']);
    assert.deepEqual(got.map((c) => c.name), NAMES.slice(0, 3));
    assert.ok(got.every((c) => c.length > 0));
  });

  it('names the first unreadable capture (in a worker and in-thread)', async () => {
    const bad = [specs[0], { path: join(__dirname, 'missing-1.pcap'), name: 'm1', host: 'A' }, specs[1], { path: join(__dirname, 'missing-3.pcap'), name: 'm3', host: 'B' }];
    for (const minWorkerBytes of [0, Infinity]) {
      await assert.rejects(loadCapturesInParallel(bad, syncCaptureLoaders, { minWorkerBytes }), (e: unknown) => {
        assert.ok(e instanceof CaptureLoadError);
        assert.equal(e.index, 1);
        assert.match(e.message, /ENOENT/);
        return true;
      });
    }
  });
});
