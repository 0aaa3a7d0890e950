/** Compare reveals an open panel of the same, unchanged captures: the key behind it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureSetKey } from '../../src/core/align/captureSetKey';

test('captureSetKey: the same files in any order are one set; a rewritten, touched or other file is another', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-setkey-'));
  try {
    const [a, b, c] = ['a.pcap', 'b.pcap', 'c.pcap'].map((n) => join(dir, n));
    for (const f of [a, b, c]) writeFileSync(f, 'x');
    const ab = captureSetKey([a, b]);
    assert.equal(captureSetKey([b, a]), ab);
    assert.equal(captureSetKey([join(dir, '.', 'b.pcap'), a]), ab, 'the same path spelt otherwise');
    assert.notEqual(captureSetKey([a, c]), ab);
    assert.notEqual(captureSetKey([a, b, c]), ab);
    writeFileSync(b, 'xy'); // re-captured into the same name
    const grown = captureSetKey([a, b]);
    assert.notEqual(grown, ab);
    utimesSync(a, new Date(1_000_000), new Date(1_000_000));
    assert.notEqual(captureSetKey([a, b]), grown);
    rmSync(c);
    assert.notEqual(captureSetKey([a, c]), captureSetKey([a, b]), 'a missing file still has a key of its own');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
