/**
 * "Find Ring Captures on Host" on the real lab (sshd + tcpdump in namespaces): a ring started through the
 * extension's manager is forgotten locally (a fresh manager = lost workspace state), found on hv1 with
 * the other rings there — one started from another machine, one by another login (`hopscope-lab`,
 * tcpdump under sudo), a stopped one (directory only), one whose directory was deleted — adopted, a window
 * fetched and stopped. The other login cannot stop or delete root's rings (sudo refused: said so);
 * root stops and deletes theirs (KiB freed). Every process naming our base directory is killed afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './support/hypervisorLab';
import { waitUntil } from './support/labProcess';
import { SshConnectionPool } from '../../src/remote/sshSession';
import { refusingPrompts } from '../../src/remote/sshPrompts';
import { HostsModel } from '../../src/extension/hosts/hostsModel';
import { loadHostEntries } from '../../src/extension/hosts/loadHostEntries';
import { RingCaptureManager } from '../../src/extension/ring/ringCaptureManager';
import { RingHostFinder, RingSudoRequiredError, unknownRunningRings, type HostRingReport } from '../../src/extension/ring/ringHostFinder';

let lab: Lab;
let pool: SshConnectionPool;
let model: HostsModel;
const work = mkdtempSync(join(tmpdir(), 'hsrf-lab-'));
// Our own base directory (the lab's hosts share this file system), writable by both logins like /tmp.
const base = mkdtempSync(join(tmpdir(), 'hsrf-ringbase-'));
chmodSync(base, 0o1777);

/** Every process whose command line names our base directory (tcpdump, timeout, sudo, pruner). */
function basePids(): number[] {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n')
    .map((l) => /^\s*(\d+) (.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[2].includes(`${base}/`)).map((m) => Number(m[1]));
}
const tcpdumpsIn = (captureId: string): Promise<number[]> => lab.pgrep('hv1', new RegExp(`^\\S*tcpdump .*-w ${base}/${captureId}/`));

before(async () => {
  lab = await startLab();
  pool = new SshConnectionPool({ prompts: refusingPrompts, knownHostsFiles: [lab.knownHostsPath], readyTimeoutMs: 8000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 });
  model = new HostsModel(pool, { localUser: 'root', defaultIdentityFiles: [lab.privateKeyPath] });
  const hosts = loadHostEntries({ workspaceFolders: [], sshConfigPath: lab.sshConfigPath, homeDir: work, localUser: 'root' }).hosts;
  const hv1 = hosts.find((h) => h.alias === 'hv1');
  assert.ok(hv1);
  // The same host reached as the lab's sudo user (sudoers: tcpdump only, no kill, no rm).
  model.setHosts([...hosts, { ...hv1, alias: 'hv1-lab', user: lab.users.sudo }]);
});

after(async () => {
  for (const pid of basePids()) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  await pool?.dispose(500);
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
});

test('a ring this window forgot is found with the host\'s other rings and orphans, adopted, fetched and stopped; another login is told it needs sudo', async () => {
  const req = { filter: 'icmp', rotateSeconds: 1, fileCount: 8, fileSizeMb: 0, maxDurationSec: 120 };
  const vm1 = lab.vm('vm1');
  const first = new RingCaptureManager(model, () => work, base, { startedBy: 'root@workstation', hopscopeVersion: '0.1.0' });
  const mine = await first.start('hv1', vm1.backendDevice, req);
  const colleague = new RingCaptureManager(model, () => work, base, { startedBy: 'alice@laptop2', hopscopeVersion: '0.1.0' });
  const alices = await colleague.start('hv1', 'br0', { ...req, filter: 'udp port 53' });
  const left = await colleague.start('hv1', 'eth0', req);
  await colleague.stop(left.key);
  const doomed = await colleague.start('hv1', 'mgmt0', { ...req, filter: 'tcp port 2' });
  rmSync(join(base, doomed.captureId), { recursive: true, force: true });
  const labUser = new RingCaptureManager(model, () => work, base, { startedBy: 'hopscope-lab@jumpbox', hopscopeVersion: '0.1.0' });
  const theirs = await labUser.start('hv1-lab', vm1.backendDevice, req);
  const pinged = await lab.ping('vm1', lab.vm('vm2').ip, 30);
  assert.ok(pinged.received >= 28, `ping received ${pinged.received}`);

  // A new window: its manager knows nothing (the workspace state is lost).
  const rings = new RingCaptureManager(model, () => work, base);
  const finder = new RingHostFinder(model, rings);
  const report: HostRingReport = await finder.scan('hv1');
  assert.deepEqual(report.limits, []);
  const by = new Map(report.rings.map((r) => [r.captureId, r]));
  assert.deepEqual(report.rings.map((r) => r.captureId).sort(), [mine.captureId, alices.captureId, left.captureId, doomed.captureId, theirs.captureId].sort());
  const found = by.get(mine.captureId);
  assert.ok(found);
  assert.deepEqual([found.state, found.iface, found.filter, found.snaplen, found.startedBy, found.owner, found.hopscopeVersion, found.known, found.needsSudo],
    ['running', vm1.backendDevice, 'icmp', 262144, 'root@workstation', 'root', '0.1.0', false, false]);
  assert.ok(found.fileCount >= 2 && found.diskBytes > 24 * found.fileCount, `${found.fileCount} files, ${found.diskBytes} bytes`);
  assert.ok(found.ageSec !== undefined && found.ageSec >= 0 && found.ageSec < 120);
  assert.equal(found.pids.length, 2, 'timeout and tcpdump');
  assert.deepEqual([by.get(alices.captureId)?.state, by.get(alices.captureId)?.startedBy, by.get(alices.captureId)?.filter], ['running', 'alice@laptop2', 'udp port 53']);
  assert.deepEqual([by.get(left.captureId)?.state, by.get(left.captureId)?.pids], ['stopped', []]);
  assert.deepEqual([by.get(doomed.captureId)?.state, by.get(doomed.captureId)?.iface, by.get(doomed.captureId)?.filter, by.get(doomed.captureId)?.fileCount],
    ['no-directory', 'mgmt0', 'tcp port 2', 0]);
  assert.deepEqual([by.get(theirs.captureId)?.state, by.get(theirs.captureId)?.owner, by.get(theirs.captureId)?.pids.length], ['running', lab.users.sudo, 3]);
  assert.equal(unknownRunningRings(report).length, 4, 'the badge counts the four running tcpdumps');

  // Adopt: Fetch Window and Stop work as for a ring of this window.
  const adopted = await finder.adopt('hv1', found);
  assert.equal(adopted.status?.state, 'running');
  assert.equal((await finder.scan('hv1')).rings.find((r) => r.captureId === mine.captureId)?.known, true);
  await assert.rejects(finder.adopt('hv1', by.get(doomed.captureId) ?? found), /no directory left/);
  const at = Date.now() / 1000 - 1.5;
  const fetched = await rings.fetchWindow(adopted.key, at, 2, 1);
  const read = spawnSync('tcpdump', ['-nn', '-r', fetched.file], { encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  const lines = read.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, fetched.packets);
  assert.ok(lines.length > 0 && lines.every((l) => /ICMP echo (request|reply)/.test(l)), read.stdout.slice(0, 300));
  assert.equal((await rings.stop(adopted.key)).status?.state, 'stopped');
  assert.deepEqual(await tcpdumpsIn(mine.captureId), []);

  // The other login sees root's rings but may not stop or delete them: it is told so.
  const asLab = new RingHostFinder(model, new RingCaptureManager(model, () => work, base));
  const labView = await asLab.scan('hv1-lab');
  const alicesSeen = labView.rings.find((r) => r.captureId === alices.captureId);
  assert.ok(alicesSeen?.needsSudo);
  await assert.rejects(asLab.stop('hv1-lab', alicesSeen), (e: unknown) => e instanceof RingSudoRequiredError && /needs sudo rights this login lacks: its tcpdump runs as root/.test(e.message));
  assert.equal((await tcpdumpsIn(alices.captureId)).length, 1, 'still running');
  // Adopted by the other login, Fetch works (the files are readable) but Stop says why it cannot.
  const labRings = new RingCaptureManager(model, () => work, base);
  const adoptedByLab = await new RingHostFinder(model, labRings).adopt('hv1-lab', alicesSeen);
  assert.equal(adoptedByLab.status?.state, 'running', 'status of another login\'s tcpdump');
  await assert.rejects(labRings.stop(adoptedByLab.key), /still runs as root: this login may not stop it; stopping it needs sudo rights on hv1-lab/);
  assert.equal((await tcpdumpsIn(alices.captureId)).length, 1, 'still running');
  const leftSeen = labView.rings.find((r) => r.captureId === left.captureId);
  assert.ok(leftSeen);
  await assert.rejects(asLab.deleteFiles('hv1-lab', leftSeen), (e: unknown) => e instanceof RingSudoRequiredError && /belongs to root/.test(e.message));
  assert.ok(existsSync(join(base, left.captureId)));

  // Root stops the other login's ring and the one without a directory, and deletes the files left.
  for (const id of [theirs.captureId, doomed.captureId, alices.captureId]) {
    const ring = by.get(id);
    assert.ok(ring);
    const r = await finder.stop('hv1', ring);
    assert.ok(r.signalled.length >= 1, `${id}: signalled ${r.signalled.join(',')}`);
    assert.deepEqual(await tcpdumpsIn(id), [], `${id} stopped`);
  }
  await assert.rejects(finder.deleteFiles('hv1', by.get(doomed.captureId) ?? found), /no directory/);
  const freed = await finder.deleteFiles('hv1', by.get(theirs.captureId) ?? found);
  assert.ok(freed.freedKiB >= 4, `freed ${freed.freedKiB} KiB`);
  assert.ok(!existsSync(join(base, theirs.captureId)));
  const last = await finder.scan('hv1');
  assert.deepEqual(unknownRunningRings(last), []);
  assert.deepEqual(last.rings.filter((r) => r.state !== 'stopped'), []);
  // The pruners beside the rings notice within a second that their tcpdump is gone.
  await waitUntil(() => basePids().length === 0, 5000, 'no process naming the ring directory');
});
