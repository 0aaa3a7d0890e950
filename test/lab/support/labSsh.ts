/**
 * The lab's SSH side: client and host keys (ssh-keygen), one real OpenSSH sshd per host namespace,
 * a known_hosts with the lab hosts' keys, an ssh_config (Host hv1 / hv2 via ProxyJump jump / jump),
 * and the system users for sudo tests.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execInSync, run, runSync, sleepSync } from './labProcess';

export const labSudoUser = 'hopscope-lab';
export const labNoSudoUser = 'hopscope-lab-nosudo';
const sudoersDropIn = '/etc/sudoers.d/hopscope-lab';

export interface SshdSpec {
  name: string;
  namespace: string;
  address: string;
  port: number;
  dir: string;
  authorizedKeysPath: string;
  /** sshd `SetEnv` entries (NAME=value), seen by every session's command. */
  setEnv: string[];
  extraConfig: readonly string[];
}

export interface SshdFiles {
  configPath: string;
  hostKeyPath: string;
  hostKeyPublic: string;
  fingerprintSha256: string;
  pidFile: string;
  logPath: string;
}

export async function generateKey(path: string, comment: string): Promise<void> {
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

export function fingerprintOf(pubPath: string): string {
  const out = runSync(['ssh-keygen', '-l', '-E', 'sha256', '-f', pubPath]);
  const m = /(SHA256:\S+)/.exec(out);
  if (!m) throw new Error(`lab: no fingerprint in ${out}`);
  return m[1];
}

/** sshd's config values are single tokens we generate; refuse anything that could break a line. */
function token(v: string): string {
  if (!/^[A-Za-z0-9_.:/=@+-]+$/.test(v)) throw new Error(`lab: unsafe sshd config token ${JSON.stringify(v)}`);
  return v;
}

export async function writeSshd(spec: SshdSpec): Promise<SshdFiles> {
  mkdirSync(spec.dir, { recursive: true, mode: 0o755 });
  const hostKeyPath = join(spec.dir, 'ssh_host_ed25519_key');
  await generateKey(hostKeyPath, `${spec.name}-hostkey`);
  const configPath = join(spec.dir, 'sshd_config');
  const pidFile = join(spec.dir, 'sshd.pid');
  const logPath = join(spec.dir, 'sshd.log');
  const lines = [
    `Port ${spec.port}`,
    `ListenAddress ${token(spec.address)}`,
    `HostKey ${token(hostKeyPath)}`,
    `AuthorizedKeysFile ${token(spec.authorizedKeysPath)}`,
    `PidFile ${token(pidFile)}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    'PrintMotd no',
    'MaxStartups 100:30:200',
    'LogLevel VERBOSE',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    ...(spec.setEnv.length ? [`SetEnv ${spec.setEnv.map(token).join(' ')}`] : []),
    ...spec.extraConfig.map((l) => {
      if (!/^[A-Za-z]+ [^\n\r]+$/.test(l)) throw new Error(`lab: sshdExtraConfig line must be one directive: ${JSON.stringify(l)}`);
      return l;
    }),
  ];
  writeFileSync(configPath, lines.join('\n') + '\n');
  const hostKeyPublic = readFileSync(`${hostKeyPath}.pub`, 'utf8').trim();
  return { configPath, hostKeyPath, hostKeyPublic, fingerprintSha256: fingerprintOf(`${hostKeyPath}.pub`), pidFile, logPath };
}

export function startSshd(namespace: string, files: SshdFiles): void {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const r = execInSync(namespace, ['/usr/sbin/sshd', '-f', files.configPath, '-E', files.logPath]);
  if (r.code !== 0) {
    const log = existsSync(files.logPath) ? readFileSync(files.logPath, 'utf8') : '';
    throw new Error(`lab: sshd in ${namespace} failed (${String(r.code)}): ${r.stderr} ${log}`);
  }
}

/** True once sshd has a listening socket on address:port inside the namespace. */
export function sshdListening(namespace: string, address: string, port: number): boolean {
  const r = execInSync(namespace, ['ss', '-Hltn', 'src', `${address}:${port}`]);
  return r.code === 0 && r.stdout.includes(`${address}:${port}`);
}

export function knownHostsLine(address: string, port: number, hostKeyPublic: string): string {
  const [type, key] = hostKeyPublic.split(/\s+/);
  return `${port === 22 ? address : `[${address}]:${port}`} ${type} ${key}`;
}

export interface SshConfigHost {
  alias: string;
  address: string;
  port: number;
  proxyJump?: string;
}

export function sshConfigText(hosts: readonly SshConfigHost[], identityFile: string, knownHosts: string, user: string): string {
  const out: string[] = [];
  for (const h of hosts) {
    out.push(`Host ${h.alias}`,
      `  HostName ${h.address}`,
      `  Port ${h.port}`,
      `  User ${user}`,
      `  IdentityFile ${identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  ConnectTimeout 10',
      ...(h.proxyJump ? [`  ProxyJump ${h.proxyJump}`] : []),
      '');
  }
  return out.join('\n');
}

function userExists(name: string): boolean {
  return execInSync('', ['id', '-u', name]).code === 0;
}

/**
 * Creates (once; left in place afterwards) `hopscope-lab` with sudo rights for tcpdump only and
 * `hopscope-lab-nosudo` with none. Password field `*`: no password login, but not "locked", so
 * sshd (UsePAM no) still accepts public keys.
 */
export function ensureLabUsers(): void {
  for (const u of [labSudoUser, labNoSudoUser]) {
    // Parallel labs may race here: useradd exits 9 (exists) or 10 (passwd/group locked by the other one).
    for (let attempt = 0; !userExists(u); attempt++) {
      const r = execInSync('', ['useradd', '--create-home', '--shell', '/bin/bash', '--password', '*', u]);
      if (r.code === 0 || userExists(u)) break;
      if (r.code !== 10 || attempt >= 20) throw new Error(`lab: useradd ${u} failed (${String(r.code)}): ${r.stderr}`);
      sleepSync(100);
    }
  }
  const rule = `# Hopscope test lab: sudo tests (see test/lab/README.md)\n${labSudoUser} ALL=(root) NOPASSWD: /usr/bin/tcpdump\n`;
  if (!existsSync(sudoersDropIn) || readFileSync(sudoersDropIn, 'utf8') !== rule) {
    const tmp = `${sudoersDropIn}.tmp${process.pid}`;
    writeFileSync(tmp, rule, { mode: 0o440 });
    runSync(['visudo', '-cqf', tmp]);
    runSync(['mv', '-f', tmp, sudoersDropIn]);
  }
  chmodSync(sudoersDropIn, 0o440);
}
