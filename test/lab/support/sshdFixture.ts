/**
 * REMOTE-TEAM SSHD FIXTURE (minimal; the shared lab in hypervisorLab.ts may replace it later).
 * Two network namespaces per test process, each with its own real /usr/sbin/sshd:
 *   root ns  --veth /30--  "a" (sshd :2222; also the jump host)  --veth /30--  "i" (sshd :2222, reachable only via a)
 * Addresses come from 10.204.0.0/16, one /28 per process (derived from the pid). Names start with hsr<pid>.
 * Login users: root (keys) and a throwaway user hsr<pid>u (password + key, no sudo rights).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface SshdNode { readonly ns: string; readonly addr: string; readonly hostKey: string; proc?: ChildProcess; log: string }

export interface SshdFixture {
  readonly dir: string;
  readonly port: number;
  /** Port in ns a where SYNs are silently dropped (timeout). */
  readonly blackholePort: number;
  /** Port in ns a where nothing listens (ECONNREFUSED). */
  readonly closedPort: number;
  readonly a: SshdNode;
  readonly inner: SshdNode;
  readonly user: { readonly name: string; readonly password: string };
  readonly keys: { readonly plain: string; readonly encrypted: string; readonly encryptedPassphrase: string; readonly wrong: string };
  restartSshd(node: SshdNode): Promise<void>;
  regenerateHostKey(node: SshdNode): Promise<void>;
  /** Drops all SSH traffic in ns a both ways (no FIN, no RST): a dead link. */
  cutSsh(on: boolean): void;
  dispose(): void;
}

function run(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function tryRun(argv: string[]): void { spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' }); }

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listening(ns: string, port: number): boolean {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

export async function startSshdFixture(): Promise<SshdFixture> {
  const pid = process.pid;
  const idx = pid % 4000;
  const base = `10.204.${idx >> 4}.`;
  const b = (idx & 15) * 16;
  const dir = mkdtempSync(join(tmpdir(), `hsr-sshd-${pid}-`));
  chmodSync(dir, 0o755);
  const port = 2222;
  const a: SshdNode = { ns: `hsr${pid}a`, addr: `${base}${b + 2}`, hostKey: join(dir, 'a_host_ed25519'), log: '' };
  const inner: SshdNode = { ns: `hsr${pid}i`, addr: `${base}${b + 6}`, hostKey: join(dir, 'i_host_ed25519'), log: '' };
  const user = { name: `hsr${pid}u`, password: `pw-${randomBytes(6).toString('hex')}-'"$x` };
  const keys = { plain: join(dir, 'id_plain'), encrypted: join(dir, 'id_enc'), encryptedPassphrase: `pp-${randomBytes(6).toString('hex')}`, wrong: join(dir, 'id_wrong') };
  const cleanups: (() => void)[] = [];
  const fixture: SshdFixture = {
    dir, port, blackholePort: 2299, closedPort: 2300, a, inner, user, keys,
    async restartSshd(node) {
      stopSshd(node);
      await startSshd(node);
    },
    async regenerateHostKey(node) {
      rmSync(node.hostKey, { force: true });
      rmSync(`${node.hostKey}.pub`, { force: true });
      run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', node.hostKey]);
      await fixture.restartSshd(node);
    },
    cutSsh(on) {
      if (on) {
        run(['ip', 'netns', 'exec', a.ns, 'nft', '-f', '-'],
          `table inet hsrcut {\n chain i {\n  type filter hook input priority 0;\n  tcp dport ${port} drop\n }\n chain o {\n  type filter hook output priority 0;\n  tcp sport ${port} drop\n }\n}\n`);
      } else tryRun(['ip', 'netns', 'exec', a.ns, 'nft', 'delete', 'table', 'inet', 'hsrcut']);
    },
    dispose() { for (const c of cleanups.reverse()) { try { c(); } catch { /* keep cleaning */ } } },
  };

  /** Session processes sshd forked for connections still open: kill them by pid before the namespace goes. */
  function killNamespaceProcesses(ns: string): void {
    const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
    for (const p of r.stdout.split(/\s+/).filter((x) => /^\d+$/.test(x))) { try { process.kill(Number(p), 'SIGKILL'); } catch { /* gone */ } }
  }

  function stopSshd(node: SshdNode): void {
    const p = node.proc;
    node.proc = undefined;
    if (p && p.exitCode === null) p.kill('SIGTERM');
    const pidFile = join(dir, `${node.ns}.pid`);
    try { process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM'); } catch { /* gone */ }
    spawnSync('sh', ['-c', `while ip netns exec ${node.ns} ss -Hltn 'sport = :${port}' | grep -q .; do sleep 0.05; done`], { timeout: 5000 });
  }

  async function startSshd(node: SshdNode): Promise<void> {
    const cfg = join(dir, `${node.ns}.sshd_config`);
    writeFileSync(cfg, [
      `Port ${port}`, 'ListenAddress 0.0.0.0', `HostKey ${node.hostKey}`, `PidFile ${join(dir, `${node.ns}.pid`)}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys_%u')}`, 'UsePAM no', 'StrictModes no', 'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no', 'PermitRootLogin yes', 'AllowTcpForwarding yes', 'MaxSessions 10', 'LogLevel VERBOSE', '',
    ].join('\n'));
    const proc = spawn('ip', ['netns', 'exec', node.ns, '/usr/sbin/sshd', '-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => { node.log = (node.log + d.toString()).slice(-20000); });
    node.proc = proc;
    try {
      await waitFor(() => listening(node.ns, port) || proc.exitCode !== null, 10000, `sshd in ${node.ns}`);
    } catch (e) { proc.kill(); throw e; }
    if (proc.exitCode !== null) throw new Error(`sshd in ${node.ns} exited: ${node.log}`);
  }

  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    mkdirSync('/run/sshd', { recursive: true });
    for (const node of [a, inner]) {
      run(['ip', 'netns', 'add', node.ns]);
      cleanups.push(() => tryRun(['ip', 'netns', 'del', node.ns]));
      cleanups.push(() => killNamespaceProcesses(node.ns));
      run(['ip', '-n', node.ns, 'link', 'set', 'lo', 'up']);
    }
    run(['ip', 'link', 'add', `hsr${pid}r`, 'type', 'veth', 'peer', 'name', `hsr${pid}A`, 'netns', a.ns]);
    cleanups.push(() => tryRun(['ip', 'link', 'del', `hsr${pid}r`]));
    run(['ip', 'addr', 'add', `${base}${b + 1}/30`, 'dev', `hsr${pid}r`]);
    run(['ip', 'link', 'set', `hsr${pid}r`, 'up']);
    run(['ip', '-n', a.ns, 'addr', 'add', `${a.addr}/30`, 'dev', `hsr${pid}A`]);
    run(['ip', '-n', a.ns, 'link', 'set', `hsr${pid}A`, 'up']);
    run(['ip', '-n', a.ns, 'link', 'add', `hsr${pid}b`, 'type', 'veth', 'peer', 'name', `hsr${pid}c`, 'netns', inner.ns]);
    run(['ip', '-n', a.ns, 'addr', 'add', `${base}${b + 5}/30`, 'dev', `hsr${pid}b`]);
    run(['ip', '-n', a.ns, 'link', 'set', `hsr${pid}b`, 'up']);
    run(['ip', '-n', inner.ns, 'addr', 'add', `${inner.addr}/30`, 'dev', `hsr${pid}c`]);
    run(['ip', '-n', inner.ns, 'link', 'set', `hsr${pid}c`, 'up']);
    run(['ip', 'netns', 'exec', a.ns, 'nft', '-f', '-'],
      `table inet hsrblackhole {\n chain i {\n  type filter hook input priority 0;\n  tcp dport ${fixture.blackholePort} drop\n }\n}\n`);

    run(['useradd', '-M', '-N', '-s', '/bin/sh', '-d', join(dir, 'home'), user.name]);
    cleanups.push(() => tryRun(['userdel', '-f', user.name]));
    mkdirSync(join(dir, 'home'));
    const uid = Number(run(['id', '-u', user.name]).trim());
    chownSync(join(dir, 'home'), uid, 0);
    run(['chpasswd'], `${user.name}:${user.password}\n`);

    for (const node of [a, inner]) run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', node.hostKey]);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'plain', '-f', keys.plain]);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', keys.encryptedPassphrase, '-C', 'enc', '-f', keys.encrypted]);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'wrong', '-f', keys.wrong]);
    const authorized = [keys.plain, keys.encrypted].map((k) => readFileSync(`${k}.pub`, 'utf8')).join('');
    writeFileSync(join(dir, 'authorized_keys_root'), authorized);
    writeFileSync(join(dir, `authorized_keys_${user.name}`), authorized);

    for (const node of [a, inner]) {
      await startSshd(node);
      cleanups.push(() => stopSshd(node));
    }
  } catch (e) {
    fixture.dispose();
    throw e;
  }
  return fixture;
}
