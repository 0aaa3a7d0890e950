/**
 * SshConnectionPool against real OpenSSH sshd processes in network namespaces (test/lab/support/sshdFixture.ts):
 * auth methods, known_hosts decisions, ProxyJump, unreachable hosts, channel queueing, keepalive, sudo.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSshdFixture, type SshdFixture } from './support/sshdFixture';
import { SshConnectionPool, type SshPoolOptions } from '../../src/remote/sshSession';
import type { HostKeyQuestion, SshPrompts } from '../../src/remote/sshPrompts';
import type { SshTarget } from '../../src/remote/sshTarget';
import {
  SshAuthError, SshCommandNotFoundError, SshCommandTimeoutError, SshHostKeyMismatchError, SshHostKeyRejectedError, SshHostUnreachableError, SshSudoPasswordRequiredError,
} from '../../src/remote/sshErrors';
import { hostileWords } from '../support/hostileWords';

let fx: SshdFixture;
const pools: SshConnectionPool[] = [];
let agent: ChildProcess | undefined;
const logLines: string[] = [];

interface ScriptedPrompts extends SshPrompts { readonly asked: { hostKey: HostKeyQuestion[]; passphrase: string[]; password: number } }

function prompts(answers: { hostKey?: boolean; passphrase?: string; password?: string } = {}): ScriptedPrompts {
  const asked = { hostKey: [] as HostKeyQuestion[], passphrase: [] as string[], password: 0 };
  return {
    asked,
    passphrase: (p) => { asked.passphrase.push(p); return Promise.resolve(answers.passphrase); },
    password: () => { asked.password++; return Promise.resolve(answers.password); },
    keyboardInteractive: () => Promise.resolve(undefined),
    confirmHostKey: (q) => { asked.hostKey.push(q); return Promise.resolve(answers.hostKey ?? false); },
  };
}

/** known_hosts written by the real ssh-keyscan for a node reachable from the root namespace. */
function keyscan(addr: string, file: string): void {
  const r = spawnSync('ssh-keyscan', ['-p', String(fx.port), '-t', 'ed25519', addr], { encoding: 'utf8' });
  assert.match(r.stdout, /ssh-ed25519/, r.stderr);
  writeFileSync(file, r.stdout);
}

let khSeq = 0;
function knownHostsFile(scanA = true): string {
  const f = join(fx.dir, `known_hosts_${++khSeq}`);
  if (scanA) keyscan(fx.a.addr, f); else writeFileSync(f, '');
  return f;
}

function pool(p: SshPrompts, knownHosts: string, extra: Partial<SshPoolOptions> = {}): SshConnectionPool {
  const pl = new SshConnectionPool({ prompts: p, knownHostsFiles: [knownHosts], readyTimeoutMs: 4000, log: (l) => logLines.push(l), ...extra });
  pools.push(pl);
  return pl;
}

function target(over: Partial<SshTarget> = {}): SshTarget {
  return { alias: 'a', host: fx.a.addr, port: fx.port, user: 'root', identityFiles: [fx.keys.plain], sudo: 'auto', ...over };
}

before(async () => { fx = await startSshdFixture(); });
after(async () => {
  if (process.env.HSR_SSHD_LOG) console.error(fx?.a.log);
  const t = Date.now();
  await Promise.all(pools.map((p) => p.dispose()));
  if (process.env.HSR_SSHD_LOG) console.error(`pools disposed in ${Date.now() - t} ms`);
  agent?.kill();
  fx?.dispose();
  if (process.env.HSR_SSHD_LOG) setTimeout(() => console.error('still active:', process.getActiveResourcesInfo().join(',')), 3000).unref();
});

describe('authentication', () => {
  it('key auth runs a command', async () => {
    const r = await pool(prompts(), knownHostsFile()).exec(target(), ['id', '-un']);
    assert.deepEqual(r, { stdout: 'root\n', stderr: '', code: 0, signal: undefined });
  });

  it('encrypted key: the passphrase prompt is asked, the right answer logs in', async () => {
    const p = prompts({ passphrase: fx.keys.encryptedPassphrase });
    const r = await pool(p, knownHostsFile()).exec(target({ identityFiles: [fx.keys.encrypted] }), ['true']);
    assert.equal(r.code, 0);
    assert.deepEqual(p.asked.passphrase, [fx.keys.encrypted]);
  });

  it('encrypted key: a wrong passphrase (asked 3 times) ends in SshAuthError without the secret', async () => {
    const secret = `wrong-${fx.keys.encryptedPassphrase}`;
    const p = prompts({ passphrase: secret });
    const err = await pool(p, knownHostsFile()).exec(target({ identityFiles: [fx.keys.encrypted] }), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshAuthError, String(err));
    assert.equal(p.asked.passphrase.length, 3);
    assert.match(err.message, /wrong passphrase for .*id_enc/);
    for (const text of [err.message, String(err), err.stack ?? '', JSON.stringify(err), ...logLines]) {
      assert.ok(!text.includes(secret) && !text.includes(fx.keys.encryptedPassphrase));
    }
  });

  it('agent auth (ssh-agent + ssh-add), no identity files', async () => {
    const sock = join(fx.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (!existsSync(sock)) { if (Date.now() > deadline) throw new Error('ssh-agent socket'); await new Promise((r) => setTimeout(r, 20)); }
    const add = spawnSync('ssh-add', [fx.keys.plain], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    const r = await pool(prompts(), knownHostsFile(), { agentSocket: sock }).exec(target({ identityFiles: [] }), ['id', '-un']);
    assert.equal(r.stdout, 'root\n');
  });

  it('password auth through the prompt; the password never appears in errors or logs', async () => {
    const p = prompts({ password: fx.user.password });
    const r = await pool(p, knownHostsFile()).exec(target({ user: fx.user.name, identityFiles: [] }), ['id', '-un']);
    assert.equal(r.stdout, `${fx.user.name}\n`);
    const bad = prompts({ password: `${fx.user.password}x` });
    const err = await pool(bad, knownHostsFile()).exec(target({ user: fx.user.name, identityFiles: [] }), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshAuthError, String(err));
    assert.ok(bad.asked.password >= 1);
    for (const text of [err.message, err.stack ?? '', ...logLines]) assert.ok(!text.includes(fx.user.password));
  });

  it('a key the server does not know: SshAuthError naming user and host', async () => {
    const err = await pool(prompts(), knownHostsFile()).exec(target({ identityFiles: [fx.keys.wrong] }), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshAuthError, String(err));
    assert.match(err.message, new RegExp(`root@${fx.a.addr.replace(/\./g, '\\.')}:${fx.port}`));
    // No key material in what the user or a log sees.
    const keyBody = readFileSync(fx.keys.wrong, 'utf8').split('\n')[1];
    for (const text of [err.message, err.stack ?? '', ...logLines]) assert.ok(!text.includes(keyBody));
  });
});

describe('host keys', () => {
  it('unknown key: prompt, accept appends to known_hosts (ssh-keygen -F finds it), next connect is silent', async () => {
    const kh = knownHostsFile(false);
    const p = prompts({ hostKey: true });
    await pool(p, kh).exec(target(), ['true']);
    assert.equal(p.asked.hostKey.length, 1);
    const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${fx.a.hostKey}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
    assert.deepEqual(p.asked.hostKey[0], { host: fx.a.addr, port: fx.port, fingerprint: fp, keyType: 'ssh-ed25519', otherKnownKeyTypes: [] });
    const find = spawnSync('ssh-keygen', ['-F', `[${fx.a.addr}]:${fx.port}`, '-f', kh], { encoding: 'utf8' });
    assert.match(find.stdout, /found: line 1/);
    const again = prompts({ hostKey: false });
    await pool(again, kh).exec(target(), ['true']);
    assert.equal(again.asked.hostKey.length, 0);
  });

  it('unknown key refused: SshHostKeyRejectedError, nothing written', async () => {
    const kh = knownHostsFile(false);
    const err = await pool(prompts({ hostKey: false }), kh).exec(target(), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshHostKeyRejectedError, String(err));
    assert.equal(readFileSync(kh, 'utf8'), '');
  });

  it('regenerated host key: SshHostKeyMismatchError naming file and line, no prompt', async () => {
    const kh = knownHostsFile(true);
    await fx.regenerateHostKey(fx.a);
    const p = prompts({ hostKey: true });
    const err = await pool(p, kh).exec(target(), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshHostKeyMismatchError, String(err));
    assert.equal(err.file, kh);
    assert.equal(err.line, 1);
    assert.match(err.message, new RegExp(`${kh}:1`));
    assert.equal(p.asked.hostKey.length, 0);
  });
});

describe('reachability', () => {
  it('ProxyJump through a to the inner namespace (not routed from here)', async () => {
    const kh = knownHostsFile(true);
    const p = prompts({ hostKey: true });
    const inner = target({ alias: 'inner', host: fx.inner.addr, jump: target() });
    const r = await pool(p, kh).exec(inner, ['cat', '/proc/sys/kernel/hostname']);
    assert.equal(r.code, 0);
    assert.deepEqual(p.asked.hostKey.map((q) => q.host), [fx.inner.addr]);
    const ip = await pools[pools.length - 1].exec(inner, ['ip', '-4', '-o', 'addr', 'show']);
    assert.match(ip.stdout, new RegExp(fx.inner.addr.replace(/\./g, '\\.')));
  });

  it('connection refused: SshHostUnreachableError ECONNREFUSED', async () => {
    const err = await pool(prompts(), knownHostsFile()).exec(target({ port: fx.closedPort }), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshHostUnreachableError, String(err));
    assert.equal(err.reason, 'ECONNREFUSED');
    assert.match(err.message, /refused/);
  });

  it('blackholed port: SshHostUnreachableError timeout with a clear message', async () => {
    const err = await pool(prompts(), knownHostsFile(), { readyTimeoutMs: 2000 }).exec(target({ port: fx.blackholePort }), ['true']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshHostUnreachableError, String(err));
    assert.equal(err.reason, 'timeout');
    assert.match(err.message, /did not answer within 2 s/);
  });
});

describe('commands', () => {
  it('hostile argv words arrive as identical words', async () => {
    const r = await pool(prompts(), knownHostsFile()).exec(target(), ['printf', '%s\\0', ...hostileWords]);
    // printf's format is itself an argv word; '\\0' in it is printf's NUL escape.
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), hostileWords);
  });

  it('script form: data only in "$@"', async () => {
    const r = await pool(prompts(), knownHostsFile()).exec(target(), { script: 'for a; do printf "<%s>" "$a"; done', args: ['$(id)', "a'b", 'c d'] });
    assert.equal(r.stdout, "<$(id)><a'b><c d>");
  });

  it('12 concurrent execs share one connection, at most 8 channels open', async () => {
    const pl = pool(prompts(), knownHostsFile());
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => pl.exec(target(), ['sh', '-c', 'sleep 0.5; echo "$0"', String(i)])));
    assert.deepEqual(rs.map((r) => r.stdout), Array.from({ length: 12 }, (_, i) => `${i}\n`));
    assert.equal(pl.connectCount, 1);
    assert.equal(pl.channelPeak(target()), 8);
  });

  it('a command over its timeout: SshCommandTimeoutError, and its channel slot is freed while it still runs', async () => {
    const pl = pool(prompts(), knownHostsFile(), { maxChannels: 1 });
    const pidFile = join(fx.dir, 'sleeper.pid');
    await pl.exec(target(), ['true']); // connected first: the timeout covers the command only
    const err = await pl.exec(target(), { script: 'echo $$ > "$1"; exec sleep 30', args: [pidFile] }, { timeoutMs: 1500 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshCommandTimeoutError, String(err));
    assert.match(err.message, /did not finish within 1.5 s/);
    const sleeper = readFileSync(pidFile, 'utf8').trim();
    try {
      const r = await pl.exec(target(), ['sh', '-c', 'kill -0 "$0" && echo still-running', sleeper]);
      assert.equal(r.stdout, 'still-running\n');
    } finally { try { process.kill(Number(sleeper)); } catch { /* already gone */ } }
  });

  it('exit 127: SshCommandNotFoundError', async () => {
    const err = await pool(prompts(), knownHostsFile()).exec(target(), ['hopscope-no-such-command']).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshCommandNotFoundError, String(err));
  });

  it('sudo -n as a user without rights: SshSudoPasswordRequiredError', async () => {
    const t = target({ user: fx.user.name });
    const pl = pool(prompts(), knownHostsFile());
    const plain = await pl.exec(t, ['id', '-un']);
    assert.equal(plain.stdout, `${fx.user.name}\n`);
    const err = await pl.exec(t, ['id', '-un'], { sudo: true }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SshSudoPasswordRequiredError, String(err));
    const asRoot = await pl.exec(target(), ['id', '-un'], { sudo: true });
    assert.equal(asRoot.stdout, 'root\n');
  });

  it('dead link (nft drop in the namespace) is detected by keepalive; the next exec reconnects', async () => {
    const pl = pool(prompts(), knownHostsFile());
    const conn = await pl.connection(target());
    const closed = new Promise<number>((resolve) => conn.client.once('close', () => resolve(Date.now())));
    const cutAt = Date.now();
    fx.cutSsh(true);
    try {
      const at = await closed;
      assert.ok(at - cutAt < 25000, `closed after ${at - cutAt} ms`);
    } finally { fx.cutSsh(false); }
    const r = await pl.exec(target(), ['echo', 'back']);
    assert.equal(r.stdout, 'back\n');
    assert.equal(pl.connectCount, 2);
  });
});
