// `hopscope <command> --help` prints that command's usage on stdout and exits 0; the top level lists them all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliInProcess } from '../support/runCliInProcess';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCliInProcess(argv);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

test('hopscope --help lists every command, and each command --help prints its own usage', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  const names = [...top.out.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
  assert.deepEqual(names.sort(), ['align', 'follow', 'info', 'merge', 'print', 'slice', 'stats']);
  for (const name of names) {
    for (const flag of ['--help', '-h']) {
      const r = await run([name, flag]);
      assert.equal(r.code, 0, `${name} ${flag}`);
      assert.match(r.out, new RegExp(`^usage: hopscope ${name} `), `${name} ${flag}`);
      assert.equal(r.err, '');
    }
  }
});

test('a command without its arguments still fails with exit 2 and the usage on stderr', async () => {
  const r = await run(['info']);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage: hopscope info/);
});
