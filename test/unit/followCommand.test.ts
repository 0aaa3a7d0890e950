// `hopscope follow`: the document on stdout, --raw as tshark's `-z follow,tcp,raw` prints it, clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCliInProcess } from '../support/runCliInProcess';

const FOLLOW = join(__dirname, '..', 'fixtures', 'follow', 'follow.pcap');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCliInProcess(args);
  return { code: r.code, stdout: r.stdoutBytes.toString('latin1'), stderr: r.stderr };
}

test('follow --raw prints what tshark -z follow,tcp,raw prints for the second connection on reused ports', async () => {
  const golden = execFileSync('tshark', ['-r', FOLLOW, '-q', '-z', 'follow,tcp,raw,1'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const body = /\nNode 0:[\s\S]*?\n(?==+\n)/.exec(golden)?.[0].slice(1);
  assert.ok(body, golden);
  const r = await cli(['follow', '--raw', FOLLOW, '22']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, body);
});

test('follow prints the document: header with counts and the filter, client and server lines marked', async () => {
  const r = await cli(['follow', FOLLOW, '16']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Follow UDP stream of packet 16 in /);
  assert.match(r.stdout, /^> A 10\.228\.1\.1:40201 -> 10\.228\.1\.2:40200: 2 packets, 26 payload bytes$/m);
  assert.match(r.stdout, /^< B 10\.228\.1\.2:40200 -> 10\.228\.1\.1:40201: 2 packets, 42 payload bytes$/m);
  assert.match(r.stdout, /filter: udp and ip\.addr == 10\.228\.1\.1 and ip\.addr == 10\.228\.1\.2 and udp\.port == 40201 and udp\.port == 40200$/m);
  assert.match(r.stdout, /^> udp question one\n<<< 10\.228\.1\.2:40200, packet 16, 24 bytes\n< answer: udp question one$/m);
  assert.match(r.stdout, /^> udp \.\. two$/m);
});

test('follow: bad arguments and unfollowable packets give a clear error and exit code', async () => {
  assert.equal((await cli(['follow', FOLLOW])).code, 2);
  assert.match((await cli(['follow', FOLLOW, 'x'])).stderr, /packet number must be a positive integer, not 'x'/);
  assert.match((await cli(['follow', '--hex', FOLLOW, '1'])).stderr, /unknown option '--hex'/);
  const missing = await cli(['follow', join(FOLLOW, '..', 'nope.pcap'), '1']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot open .*nope\.pcap: no such file/);
  const beyond = await cli(['follow', FOLLOW, '500']);
  assert.equal(beyond.code, 1);
  assert.match(beyond.stderr, /has 28 packets, no packet 500/);
  const notACapture = await cli(['follow', join(__dirname, 'followCommand.test.ts'), '1']);
  assert.equal(notACapture.code, 1);
  assert.match(notACapture.stderr, /hopscope follow: /);
});
