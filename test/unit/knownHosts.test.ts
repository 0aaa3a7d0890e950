import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendKnownHost, checkHostKey, entryMatchesHost, parseKnownHosts, sshFingerprint } from '../../src/remote/knownHosts';

let dir = '';
interface Key { type: string; b64: string; blob: Buffer; pubLine: string; fp: string }
const keys: Record<string, Key> = {};

function genKey(name: string, type: string): Key {
  const f = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', f]);
  const pubLine = readFileSync(`${f}.pub`, 'utf8').trim();
  const [t, b64] = pubLine.split(' ');
  // Golden fingerprint from ssh-keygen itself: "256 SHA256:xxx comment (ED25519)".
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${f}.pub`], { encoding: 'utf8' }).split(' ')[1];
  return { type: t, b64, blob: Buffer.from(b64, 'base64'), pubLine, fp };
}

/** Line numbers ssh-keygen -F reports for a host ("# Host h found: line N"). */
function sshKeygenFind(file: string, host: string): number[] {
  const r = spawnSync('ssh-keygen', ['-F', host, '-f', file], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), `hsr-kh-${process.pid}-`));
  keys.a = genKey('a', 'ed25519');
  keys.b = genKey('b', 'ed25519');
  keys.r = genKey('r', 'rsa');
  keys.e = genKey('e', 'ecdsa');
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('fingerprints equal ssh-keygen -lf for ed25519, rsa and ecdsa', () => {
  for (const k of Object.values(keys)) assert.equal(sshFingerprint(k.blob), k.fp);
});

test('plain, comma list, [host]:port, wildcard, negation, comments: same lines as ssh-keygen -F', async () => {
  const f = join(dir, 'kh-plain');
  const text = [
    '# comment', '',
    `alpha,10.0.0.1 ${keys.a.type} ${keys.a.b64}`,            // 3
    `[alpha]:2222 ${keys.b.type} ${keys.b.b64}`,               // 4
    `*.lab,!bad.lab ${keys.r.type} ${keys.r.b64} comment`,    // 5
    `db?.example ${keys.e.type} ${keys.e.b64}`,                // 6
    'garbage-line',                                            // 7
  ].join('\n') + '\n';
  writeFileSync(f, text);
  const parsed = parseKnownHosts(text, f);
  assert.equal(parsed.entries.length, 4);
  assert.deepEqual(parsed.problems.map((p) => p.line), [7]);
  for (const host of ['alpha', '10.0.0.1', '[alpha]:2222', 'x.lab', 'bad.lab', 'db1.example', 'db12.example', 'nothing']) {
    const ours = parsed.entries.filter((e) => entryMatchesHost(e, host.toLowerCase())).map((e) => e.line);
    assert.deepEqual(ours, sshKeygenFind(f, host), host);
  }
  assert.deepEqual(await checkHostKey([f], 'alpha', 22, 'ssh-ed25519', keys.a.blob), { status: 'known', file: f, line: 3 });
  assert.deepEqual(await checkHostKey([f], 'ALPHA', 2222, 'ssh-ed25519', keys.b.blob), { status: 'known', file: f, line: 4 });
  assert.equal((await checkHostKey([f], 'x.lab', 22, 'rsa-sha2-512', keys.r.blob)).status, 'known');
  assert.equal((await checkHostKey([f], 'bad.lab', 22, 'rsa-sha2-512', keys.r.blob)).status, 'unknown');
  const mm = await checkHostKey([f], 'alpha', 22, 'ssh-ed25519', keys.b.blob);
  assert.deepEqual(mm, { status: 'mismatch', fingerprint: keys.b.fp, expected: [keys.a.fp], file: f, line: 3 });
  const other = await checkHostKey([f], 'alpha', 22, 'ecdsa-sha2-nistp256', keys.e.blob);
  assert.equal(other.status, 'unknown');
  if (other.status === 'unknown') { assert.deepEqual(other.otherKeyTypes, ['ssh-ed25519']); assert.equal(other.fingerprint, keys.e.fp); }
});

test('hashed file from ssh-keygen -H: found, same line numbers as ssh-keygen -F', async () => {
  const f = join(dir, 'kh-hashed');
  writeFileSync(f, `alpha ${keys.a.type} ${keys.a.b64}\n[beta]:2200 ${keys.b.type} ${keys.b.b64}\n`);
  execFileSync('ssh-keygen', ['-H', '-f', f], { stdio: 'ignore' });
  const text = readFileSync(f, 'utf8');
  assert.match(text, /^\|1\|/);
  assert.deepEqual(sshKeygenFind(f, 'alpha'), [1]);
  assert.deepEqual(await checkHostKey([f], 'alpha', 22, 'ssh-ed25519', keys.a.blob), { status: 'known', file: f, line: 1 });
  assert.deepEqual(await checkHostKey([f], 'beta', 2200, 'ssh-ed25519', keys.b.blob), { status: 'known', file: f, line: 2 });
  assert.equal((await checkHostKey([f], 'beta', 22, 'ssh-ed25519', keys.b.blob)).status, 'unknown');
  assert.equal((await checkHostKey([f], 'alpha', 22, 'ssh-ed25519', keys.b.blob)).status, 'mismatch');
});

test('@revoked wins over a plain entry; @cert-authority is recognised but never matches a plain key', async () => {
  const f = join(dir, 'kh-markers');
  writeFileSync(f, [
    `gamma ${keys.a.type} ${keys.a.b64}`,
    `@revoked gamma ${keys.a.type} ${keys.a.b64}`,
    `@cert-authority *.ca ${keys.b.type} ${keys.b.b64}`,
  ].join('\n'));
  const r = await checkHostKey([f], 'gamma', 22, 'ssh-ed25519', keys.a.blob);
  assert.deepEqual(r, { status: 'revoked', fingerprint: keys.a.fp, file: f, line: 2 });
  const ca = await checkHostKey([f], 'h.ca', 22, 'ssh-ed25519', keys.b.blob);
  assert.equal(ca.status, 'unknown');
  if (ca.status === 'unknown') assert.deepEqual(ca.certAuthorityLines, [{ file: f, line: 3 }]);
});

test('several files: a missing file is empty, the second file is read', async () => {
  const f = join(dir, 'kh-second');
  writeFileSync(f, `delta ${keys.e.type} ${keys.e.b64}\n`);
  assert.deepEqual(await checkHostKey([join(dir, 'missing'), f], 'delta', 22, 'x', keys.e.blob), { status: 'known', file: f, line: 1 });
});

test('appendKnownHost creates dir 0700 and file 0600, plain and hashed lines ssh-keygen -F finds', async () => {
  const f = join(dir, 'new', 'sub', 'known_hosts');
  await appendKnownHost(f, 'Epsilon', 22, { type: keys.a.type, blob: keys.a.blob });
  await appendKnownHost(f, 'zeta', 2022, { type: keys.r.type, blob: keys.r.blob }, { hash: true });
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'new', 'sub')).mode & 0o777, 0o700);
  const lines = readFileSync(f, 'utf8').split('\n');
  assert.equal(lines[0], `epsilon ${keys.a.type} ${keys.a.b64}`);
  assert.match(lines[1], /^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-rsa /);
  assert.deepEqual(sshKeygenFind(f, 'epsilon'), [1]);
  assert.deepEqual(sshKeygenFind(f, '[zeta]:2022'), [2]);
  assert.equal((await checkHostKey([f], 'zeta', 2022, 'rsa-sha2-256', keys.r.blob)).status, 'known');
});

test('appendKnownHost adds a newline when the file lacks one, refuses separators in names', async () => {
  const f = join(dir, 'kh-nonl');
  writeFileSync(f, `eta ${keys.a.type} ${keys.a.b64}`);
  await appendKnownHost(f, 'theta', 22, { type: keys.b.type, blob: keys.b.blob });
  assert.deepEqual(sshKeygenFind(f, 'theta'), [2]);
  await assert.rejects(appendKnownHost(f, 'a b', 22, { type: keys.b.type, blob: keys.b.blob }), /separator/);
  await assert.rejects(appendKnownHost(f, 'a,b', 22, { type: keys.b.type, blob: keys.b.blob }), /separator/);
});
