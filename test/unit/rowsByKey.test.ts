import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowsByKey } from '../../src/core/align/rowsByKey';

test('RowsByKey lists the rows of each key in insertion order, like a Map of arrays (keys 0 and ≥ 2^31 included, growing past its first size)', () => {
  const table = new RowsByKey(4);
  const expected = new Map<number, number[]>();
  let s = 12345;
  for (let row = 0; row < 5000; row++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const key = row % 97 === 0 ? 0 : row % 89 === 0 ? 0xfffffff0 : (s >>> 20) * 0x10001 >>> 0;
    table.add(key, row);
    const list = expected.get(key);
    if (list) list.push(row); else expected.set(key, [row]);
  }
  for (const [key, rows] of expected) {
    const got: number[] = [];
    for (let e = table.first(key); e >= 0; e = table.next(e)) got.push(table.row(e));
    assert.deepEqual(got, rows, `key ${key}`);
  }
  let absent = 1;
  while (expected.has(absent)) absent++;
  assert.equal(table.first(absent), -1);
});
