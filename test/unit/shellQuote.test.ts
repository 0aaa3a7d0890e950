import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { quoteShellArg } from '../../src/core/capture/shellQuote';
import { shellCommandLine } from '../../src/core/capture/shellCommandLine';

import { hostileWords } from '../support/hostileWords';


test('quoteShellArg wraps in single quotes and escapes embedded quotes', () => {
  assert.equal(quoteShellArg('abc'), "'abc'");
  assert.equal(quoteShellArg("a'b"), `'a'\\''b'`);
  assert.equal(quoteShellArg(''), "''");
});

test('quoteShellArg rejects NUL', () => {
  assert.throws(() => quoteShellArg('a\0b'), /NUL/);
});

test('shellCommandLine quotes every word and rejects an empty argv', () => {
  assert.equal(shellCommandLine(['ls', 'a b']), "'ls' 'a b'");
  assert.throws(() => shellCommandLine([]), /empty/);
});

test('every hostile word survives /bin/sh and /bin/bash as one identical argv word', () => {
  for (const shell of ['/bin/sh', '/bin/bash']) {
    const line = `printf '%s\\0' ${hostileWords.map(quoteShellArg).join(' ')}`;
    const r = spawnSync(shell, ['-c', line], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const words = r.stdout.split('\0').slice(0, -1);
    assert.deepEqual(words, hostileWords, shell);
  }
});
