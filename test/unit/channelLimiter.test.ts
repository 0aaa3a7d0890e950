import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelLimiter } from '../../src/remote/channelLimiter';

test('ChannelLimiter grants at most N at once, in order, and release is idempotent', async () => {
  const l = new ChannelLimiter(2);
  const r1 = await l.acquire();
  const r2 = await l.acquire();
  const order: number[] = [];
  const p3 = l.acquire().then((r) => { order.push(3); return r; });
  const p4 = l.acquire().then((r) => { order.push(4); return r; });
  await Promise.resolve();
  assert.equal(l.inUse, 2);
  assert.equal(l.queued, 2);
  r1(); r1();
  const r3 = await p3;
  assert.equal(l.inUse, 2);
  assert.equal(l.queued, 1);
  r2();
  const r4 = await p4;
  r3(); r4();
  assert.deepEqual(order, [3, 4]);
  assert.equal(l.inUse, 0);
  assert.equal(l.peak, 2);
});

test('ChannelLimiter rejects a non-positive limit', () => {
  assert.throws(() => new ChannelLimiter(0), /positive/);
});
