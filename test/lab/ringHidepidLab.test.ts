/**
 * Ring clean-up on a host whose /proc is mounted hidepid=2, on the real lab: a second sshd on hv1 runs in its own
 * mount namespace (unshare) with a new procfs mounted hidepid=2 over /proc — kernel 5.8+ gives each procfs mount its
 * own options, so the machine's /proc (and every other test) is untouched — and a sudoers drop-in bind-mounted there
 * that gives `hopscope-lab` full sudo (outside, it keeps tcpdump only). Root starts a ring through the normal sshd;
 * through the hidden sshd the login without sudo sees root's ring as "unknown" (not "stopped") and may neither delete
 * (refused, files kept, tcpdump running) nor be told "stopped"; the sudo login sees the tcpdump through `sudo -n ps`,
 * stops it (no process left) and deletes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './support/hypervisorLab';
import { execInSync, waitUntil } from './support/labProcess';
import { knownHostsLine, sshdListening, writeSshd, type SshdFiles } from './support/labSsh';
import { SshConnectionPool } from '../../src/remote/sshSession';
import { refusingPrompts } from '../../src/remote/sshPrompts';
import { HostsModel } from '../../src/extension/hosts/hostsModel';
import { loadHostEntries } from '../../src/extension/hosts/loadHostEntries';
import { RingCaptureManager } from '../../src/extension/ring/ringCaptureManager';
import { RingCannotVerifyError, RingHostFinder } from '../../src/extension/ring/ringHostFinder';

const HIDDEN_PORT = 2299;
let lab: Lab;
let pool: SshConnectionPool;
let model: HostsModel;
let hidden: SshdFiles | undefined;
const work = mkdtempSync(join(tmpdir(), 'hsrh-lab-'));
const base = mkdtempSync(join(tmpdir(), 'hsrh-ringbase-'));
chmodSync(base, 0o1777);

/** Every process whose command line names our base directory (tcpdump, timeout, pruner), seen from outside. */
function basePids(): number[] {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n')
    .map((l) => /^\s*(\d+) (.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[2].includes(`${base}/`)).map((m) => Number(m[1]));
}

function hiddenSshdPid(): number | undefined {
  if (!hidden || !existsSync(hidden.pidFile)) return undefined;
  const pid = Number(readFileSync(hidden.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

before(async () => {
  lab = await startLab();
  const hv1 = lab.host('hv1');
  const dir = join(work, 'hidden-sshd');
  hidden = await writeSshd({ name: 'hv1-hidden', namespace: hv1.namespace, address: hv1.sshAddress, port: HIDDEN_PORT, dir,
    authorizedKeysPath: join(lab.tmpDir, 'authorized_keys'), setEnv: [], extraConfig: [] });
  const sudoers = join(work, 'sudoers-hidden');
  writeFileSync(sudoers, `${lab.users.sudo} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
  chmodSync(sudoers, 0o440);
  // sshd daemonizes inside the private mount namespace; that namespace ends with its last process.
  const inner = 'mount -t proc -o hidepid=2 proc /proc && mount --bind "$1" /etc/sudoers.d/hopscope-lab && exec /usr/sbin/sshd -f "$2" -E "$3"';
  const r = execInSync(hv1.namespace, ['unshare', '--mount', '--propagation', 'private', '/bin/sh', '-c', inner, 'hidden-sshd', sudoers, hidden.configPath, hidden.logPath]);
  assert.equal(r.code, 0, `hidden sshd: ${r.stderr}`);
  await waitUntil(() => sshdListening(hv1.namespace, hv1.sshAddress, HIDDEN_PORT), 30000, 'hidden sshd listening');
  const knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, knownHostsLine(hv1.sshAddress, HIDDEN_PORT, hidden.hostKeyPublic) + '\n');
  pool = new SshConnectionPool({ prompts: refusingPrompts, knownHostsFiles: [lab.knownHostsPath, knownHosts], readyTimeoutMs: 8000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 });
  model = new HostsModel(pool, { localUser: 'root', defaultIdentityFiles: [lab.privateKeyPath] });
  const hosts = loadHostEntries({ workspaceFolders: [], sshConfigPath: lab.sshConfigPath, homeDir: work, localUser: 'root' }).hosts;
  const entry = hosts.find((h) => h.alias === 'hv1');
  assert.ok(entry);
  model.setHosts([...hosts,
    { ...entry, alias: 'hidden-nosudo', port: HIDDEN_PORT, user: lab.users.noSudo, sudo: 'auto' },
    { ...entry, alias: 'hidden-sudo', port: HIDDEN_PORT, user: lab.users.sudo, sudo: 'auto' }]);
});

after(async () => {
  for (const pid of basePids()) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  await pool?.dispose(500);
  const sshd = hiddenSshdPid();
  if (sshd) try { process.kill(sshd, 'SIGTERM'); } catch { /* gone */ }
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
});

test('hidepid=2: without sudo, root\'s ring is "unknown", Delete is refused (files kept, tcpdump running) and Stop says it cannot verify; with sudo, Stop ends the tcpdump and Delete frees the directory', async () => {
  const outside = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => / \/proc proc /.test(l));
  assert.ok(outside.every((l) => !/hidepid=(?!0|off)/.test(l)), `the machine's /proc stays as it was: ${outside.join(' | ')}`);
  const inside = lab.exec('', ['nsenter', '-t', String(hiddenSshdPid()), '-m', 'cat', '/proc/mounts']);
  assert.match((await inside).stdout, /proc \/proc proc \S*hidepid=invisible/);

  // Root starts a ring through the ordinary sshd (no hidepid there).
  const vm1 = lab.vm('vm1');
  const rootRings = new RingCaptureManager(model, () => work, base, { startedBy: 'root@admin', hopscopeVersion: '0.1.0' });
  const ring = await rootRings.start('hv1', vm1.backendDevice, { filter: 'icmp', rotateSeconds: 1, fileCount: 8, fileSizeMb: 0, maxDurationSec: 120 });
  const pinged = await lab.ping('vm1', lab.vm('vm2').ip, 4);
  assert.ok(pinged.received >= 3, `ping received ${pinged.received}`);
  const tcpdumps = (): Promise<number[]> => lab.pgrep('hv1', new RegExp(`^\\S*tcpdump .*-w ${base}/${ring.captureId}/`));
  assert.equal((await tcpdumps()).length, 1);
  const rootView = (await new RingHostFinder(model, new RingCaptureManager(model, () => work, base)).scan('hv1')).rings.find((r) => r.captureId === ring.captureId);
  assert.ok(rootView && rootView.pids.length === 2, `root sees timeout and tcpdump: ${JSON.stringify(rootView?.pids)}`);
  // The directory is handed to the login without sudo, so that nothing but the check stops it deleting the files: the
  // case that loses data (e.g. its own ring whose `timeout` died, leaving root's sudo and tcpdump, both hidden).
  const chown = spawnSync('chown', [lab.users.noSudo, join(base, ring.captureId)], { encoding: 'utf8' });
  assert.equal(chown.status, 0, chown.stderr);
  const files = (): number => spawnSync('ls', [join(base, ring.captureId)], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.startsWith('ring-')).length;

  // The login without sudo: the scan says what it cannot see; Delete is refused, Stop does not say "stopped".
  const noSudo = new RingHostFinder(model, new RingCaptureManager(model, () => work, base));
  const blind = await noSudo.scan('hidden-nosudo');
  assert.deepEqual([blind.scan.hidepid, blind.scan.processView], ['invisible', 'own']);
  assert.match(blind.limits.join('\n'), /hidepid=invisible: hopscope-lab-nosudo sees only its own processes/);
  const seenBlind = blind.rings.find((r) => r.captureId === ring.captureId);
  assert.ok(seenBlind);
  assert.deepEqual(seenBlind.pids, [], 'root\'s tcpdump is hidden from it');
  // Root's ring (its state file says so) with no tcpdump in sight: "unknown", never "stopped".
  assert.deepEqual([seenBlind.state, seenBlind.owner], ['unknown', 'root']);
  const statePid = seenBlind.statePid ?? -1;
  assert.ok(rootView.pids.includes(statePid), `the state file's pid ${statePid} is its timeout (root sees ${rootView.pids.join(', ')})`);
  // Stop checks the pid the state file records: alive but hidden, so it is neither signalled nor called stopped.
  await assert.rejects(noSudo.stop('hidden-nosudo', seenBlind), (e: unknown) => e instanceof RingCannotVerifyError
    && new RegExp(`Pids ${statePid} are alive but hidden, so they were not signalled`).test(e.message));
  assert.equal((await tcpdumps()).length, 1, 'tcpdump still running');
  await assert.rejects(noSudo.deleteFiles('hidden-nosudo', seenBlind), (e: unknown) => e instanceof RingCannotVerifyError
    && /refusing to delete ring \S+ on hidden-nosudo: cannot verify that no tcpdump writes there: \/proc is mounted hidepid=invisible, so hopscope-lab-nosudo sees only its own processes, and hopscope-lab-nosudo has no sudo rights for `ps` there/.test(e.message));
  assert.ok(files() >= 1, 'files still there');
  assert.equal((await tcpdumps()).length, 1, 'tcpdump still running');
  // Given the pids root's scan found (another window), Stop neither signals nor calls them gone.
  await assert.rejects(noSudo.stop('hidden-nosudo', rootView), (e: unknown) => e instanceof RingCannotVerifyError
    && /cannot verify whether ring \S+'s tcpdump on hidden-nosudo still runs: \/proc is mounted hidepid=invisible.*alive but hidden, so they were not signalled/.test(e.message));
  assert.equal((await tcpdumps()).length, 1, 'tcpdump still running');
  // Adopted into that login's ring manager: its status is "running" (kill -0 answers EPERM), and Stop says it cannot.
  const noSudoRings = new RingCaptureManager(model, () => work, base);
  const adopted = await new RingHostFinder(model, noSudoRings).adopt('hidden-nosudo', seenBlind);
  assert.equal(adopted.status?.state, 'running');
  await assert.rejects(noSudoRings.stop(adopted.key), /still runs as root: this login may not stop it/);
  assert.equal((await tcpdumps()).length, 1, 'tcpdump still running');

  // The sudo login sees root's processes through `sudo -n ps`: Delete is refused while it runs, Stop ends it, Delete frees.
  const withSudo = new RingHostFinder(model, new RingCaptureManager(model, () => work, base));
  const full = await withSudo.scan('hidden-sudo');
  assert.deepEqual([full.scan.hidepid, full.scan.processView, full.limits], ['invisible', 'sudo', []]);
  const seen = full.rings.find((r) => r.captureId === ring.captureId);
  assert.ok(seen);
  assert.deepEqual([seen.state, seen.pids], ['running', rootView.pids]);
  await assert.rejects(withSudo.deleteFiles('hidden-sudo', seen), /still has a tcpdump writing into it: stop it first/);
  assert.ok(files() >= 1);
  const stopped = await withSudo.stop('hidden-sudo', seen);
  assert.ok(stopped.signalled.length >= 1, `signalled ${stopped.signalled.join(',')}`);
  assert.deepEqual(await tcpdumps(), []);
  // The pruner beside the ring notices within a second that its tcpdump is gone: no orphan.
  await waitUntil(() => basePids().length === 0, 5000, 'no process naming the ring directory');
  // Stopped now, yet the login without sudo still cannot tell: its recorded pid has ended, a tcpdump could outlive it.
  const stale = (await noSudo.scan('hidden-nosudo')).rings.find((r) => r.captureId === ring.captureId);
  assert.ok(stale);
  assert.equal(stale.state, 'unknown');
  await assert.rejects(noSudo.stop('hidden-nosudo', stale), (e: unknown) => e instanceof RingCannotVerifyError
    && new RegExp(`its recorded process \\(${statePid}\\) has ended, which does not prove its tcpdump did`).test(e.message));
  const freed = await withSudo.deleteFiles('hidden-sudo', seen);
  assert.ok(freed.freedKiB >= 4, `freed ${freed.freedKiB} KiB`);
  assert.ok(!existsSync(join(base, ring.captureId)));
});
