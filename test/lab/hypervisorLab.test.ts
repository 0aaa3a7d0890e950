/**
 * The test lab itself, through the real parts: OpenSSH sshd/ssh (ProxyJump for hv2), the libvirt
 * test driver over SSH, kernel forwarding across two bridges and a switch, tcpdump, nft faults,
 * parallel labs in separate processes, and cleanup after stop() and after a crash.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import { startLab, type Lab, type LabHost } from './support/hypervisorLab';
import { execIn, pidAlive, waitUntil, type ExecResult } from './support/labProcess';
import { cleanupStaleLabs, defaultLockRoot, listLabLocks } from './support/labRegistry';

let lab: Lab;

function ssh(host: string, remote: string[], user?: string, extra: string[] = []): Promise<ExecResult> {
  const argv = lab.sshArgv(host, remote, user);
  return execIn('', [argv[0], ...extra, ...argv.slice(1)]);
}

async function netnsList(): Promise<string[]> {
  return (await execIn('', ['ip', 'netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

interface Capture { child: ChildProcessWithoutNullStreams; file: string; closed: Promise<void> }

async function startTcpdump(ns: string, iface: string, file: string): Promise<Capture> {
  const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', iface, '-U', '--immediate-mode', '-n', '-w', file, 'icmp']);
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  await waitUntil(() => err.includes('listening on'), 10000, `tcpdump on ${iface} listening`);
  return { child, file, closed };
}

async function stopTcpdumpAndRead(c: Capture): Promise<string[]> {
  c.child.kill('SIGINT');
  await c.closed;
  const r = await execIn('', ['tcpdump', '-n', '-r', c.file]);
  return r.stdout.split('\n').filter(Boolean);
}

/** Starts `labCli up` in its own process; resolves with its parsed summary once ready. */
function labCliUp(): { child: ChildProcessWithoutNullStreams; ready: Promise<{ id: number; vms: { namespace: string; ip: string }[]; hosts: { namespace: string }[] }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'labCli.ts'), 'up']);
  let out = '';
  const ready = new Promise<{ id: number; vms: { namespace: string; ip: string }[]; hosts: { namespace: string }[] }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const i = out.indexOf('\nready.');
      if (i >= 0) resolve(JSON.parse(out.slice(0, i)) as { id: number; vms: { namespace: string; ip: string }[]; hosts: { namespace: string }[] });
    });
    child.on('close', (code) => reject(new Error(`labCli up exited ${String(code)}: ${out}`)));
  });
  return { child, ready };
}

/** ssh2 connection verifying the lab host key (`sock` for a hop through the jump host). */
function ssh2Connect(h: LabHost, sock?: Duplex): Promise<Client> {
  const expected = h.hostKeyPublic.split(/\s+/)[1];
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => resolve(c)).on('error', reject);
    c.connect({
      ...(sock ? { sock } : { host: h.sshAddress, port: h.sshPort }), username: 'root',
      privateKey: readFileSync(h.privateKeyPath), readyTimeout: 10000,
      hostVerifier: (key: Buffer) => key.toString('base64') === expected,
    });
  });
}

function ssh2Exec(c: Client, cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err: Error | undefined, ch: ClientChannel) => {
      if (err) { reject(err); return; }
      let out = '';
      ch.on('data', (d: Buffer) => { out += d.toString(); });
      ch.stderr.on('data', () => undefined);
      ch.on('close', () => resolve(out));
    });
  });
}

describe('hypervisor lab', () => {
  before(async () => {
    lab = await startLab();
    console.log(`lab ${lab.id} started in ${lab.startMs.toFixed(0)} ms`);
  });
  after(async () => {
    await lab.stop();
    console.log(`lab ${lab.id} stopped in ${(lab.stopMs ?? 0).toFixed(0)} ms`);
  });

  it('logs in to hv1 directly and to hv2 through the jump host with the real ssh, seeing each namespace', async () => {
    for (const h of lab.hosts) {
      const r = await ssh(h.name, ['ip', '-j', 'link'], undefined, ['-o', `UserKnownHostsFile=${lab.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes']);
      assert.equal(r.code, 0, r.stderr);
      const names = (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname);
      const mine = lab.vms.filter((v) => v.host === h.name).map((v) => v.backendDevice);
      assert.ok(mine.length > 0);
      for (const n of ['br0', 'eth0', 'mgmt0', ...mine]) assert.ok(names.includes(n), `${h.name} lacks ${n}: ${names.join(',')}`);
      for (const other of lab.vms.filter((v) => v.host !== h.name)) assert.ok(!names.includes(other.backendDevice));
    }
    assert.equal(lab.host('hv2').proxyJump, 'jump');
  });

  it('ssh2 reaches hv2 through the jump host (forwardOut) with the host keys of the lab records', async () => {
    const jump = await ssh2Connect(lab.jump);
    try {
      const hv2 = lab.host('hv2');
      const sock = await new Promise<ClientChannel>((resolve, reject) => {
        jump.forwardOut('127.0.0.1', 0, hv2.sshAddress, hv2.sshPort, (err: Error | undefined, ch: ClientChannel) => (err ? reject(err) : resolve(ch)));
      });
      const c = await ssh2Connect(hv2, sock);
      try {
        assert.ok((await ssh2Exec(c, 'ip -br link')).includes(lab.vm('vm2').backendDevice));
        assert.match(await ssh2Exec(c, 'echo $LIBVIRT_DEFAULT_URI'), new RegExp(`^${hv2.libvirtUri ?? 'none'}$`, 'm'));
      } finally {
        c.end();
      }
      // The wrong key (jump's) for hv1 is refused.
      await assert.rejects(ssh2Connect({ ...lab.host('hv1'), hostKeyPublic: lab.jump.hostKeyPublic }), /verification failed/i);
    } finally {
      jump.end();
    }
  });

  it('hv2 is reachable only through the jump host', async () => {
    const direct = await ssh('hv2', ['true'], undefined, ['-o', 'ProxyJump=none', '-o', 'ConnectTimeout=2']);
    assert.notEqual(direct.code, 0);
    assert.match(direct.stderr, /unreachable|timed out|No route/i);
  });

  it('refuses a host whose key is not the one in known_hosts', async () => {
    const wrong = join(lab.tmpDir, 'known_hosts.wrong');
    const hv1 = lab.host('hv1');
    writeFileSync(wrong, `${hv1.sshAddress} ${lab.jump.hostKeyPublic}\n`);
    const r = await ssh('hv1', ['true'], undefined, ['-o', `UserKnownHostsFile=${wrong}`]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    const fp = await execIn('', ['ssh-keygen', '-l', '-E', 'sha256', '-F', hv1.sshAddress, '-f', lab.knownHostsPath]);
    assert.ok(fp.stdout.includes(hv1.hostKeyFingerprint), fp.stdout);
  });

  it('runs virsh over SSH against the host node file; target devs and filterref come back unchanged', async () => {
    const list = await ssh('hv1', ['virsh', 'list', '--all']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /\bvm1\s+running/);
    assert.match(list.stdout, new RegExp(`${lab.shutOffDomain}\\s+shut off`));
    const iflist = await ssh('hv2', ['virsh', '-c', lab.host('hv2').libvirtUri ?? '', 'domiflist', 'vm2']);
    assert.match(iflist.stdout, new RegExp(`^\\s*${lab.vm('vm2').backendDevice}\\s+bridge\\s+br0\\s+virtio\\s+${lab.vm('vm2').mac}`, 'm'));
    const xml = await ssh('hv1', ['virsh', 'dumpxml', 'vm1']);
    assert.ok(xml.stdout.includes(`<target dev='${lab.vm('vm1').backendDevice}'/>`), xml.stdout);
    assert.ok(xml.stdout.includes(`<parameter name='IP' value='${lab.vm('vm1').ip}'/>`));
  });

  it('vm1 pings vm2 across both hosts and the switch; tcpdump on hv1 backend and the switch sees it', async () => {
    const vm1 = lab.vm('vm1');
    const onBackend = await startTcpdump(lab.host('hv1').namespace, vm1.backendDevice, join(lab.tmpDir, 'backend.pcap'));
    const onSwitch = await startTcpdump(lab.switch.namespace, lab.switch.ports.hv2, join(lab.tmpDir, 'switch.pcap'));
    const p = await lab.ping('vm1', lab.vm('vm2').ip, 3);
    assert.equal(p.received, 3, p.stdout + p.stderr);
    for (const c of [onBackend, onSwitch]) {
      const lines = await stopTcpdumpAndRead(c);
      assert.equal(lines.filter((l) => l.includes(`${vm1.ip} > ${lab.vm('vm2').ip}: ICMP echo request`)).length, 3, lines.join('\n'));
      assert.equal(lines.filter((l) => l.includes('ICMP echo reply')).length, 3);
    }
  });

  it('sudo user may run tcpdump through sudo -n; the no-sudo user is refused', async () => {
    const ok = await ssh('hv1', ['sudo', '-n', '/usr/bin/tcpdump', '--version'], lab.users.sudo);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /tcpdump version/);
    const refused = await ssh('hv1', ['sudo', '-n', '/usr/bin/tcpdump', '--version'], lab.users.noSudo);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /a password is required/);
  });

  it('exec and pgrep see the namespace: sshd runs in hv1, not in vm1', async () => {
    const pids = await lab.pgrep('hv1', /sshd_config/);
    assert.equal(pids.length, 1);
    assert.equal(Number(readFileSync(lab.host('hv1').sshdPidFile, 'utf8').trim()), pids[0]);
    assert.deepEqual(await lab.pgrep('vm1', /sshd/), []);
    const r = await lab.exec(lab.vm('vm1').namespace, ['ip', '-br', 'addr', 'show', 'dev', 'eth0']);
    assert.ok(r.stdout.includes(`${lab.vm('vm1').ip}/24`));
  });

  it('sshArgv quotes each remote argument so it arrives as one identical word', async () => {
    const hostile = ["a'b", '$(id)', '`id`', 'x; touch /tmp/hsl-pwned', 'two\nlines', '*', '~', '!!', 'back\\slash', '', ' lead'];
    const r = await ssh('hv1', ['printf', '%s\\0', ...hostile]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), hostile);
    assert.ok(!existsSync('/tmp/hsl-pwned'));
  });

  it('dropOn drops matching frames until removed', async () => {
    const drop = await lab.dropOn('hv2', 'eth0', 'in', 'icmp type echo-request');
    const lost = await lab.ping('vm1', lab.vm('vm2').ip, 2);
    assert.equal(lost.received, 0);
    assert.equal(await drop.dropped(), 2);
    await drop.remove();
    await drop.remove();
    assert.equal((await lab.ping('vm1', lab.vm('vm2').ip, 2)).received, 2);
    await assert.rejects(lab.dropOn('hv2', 'eth0', 'in', 'accept; flush ruleset'), /one expression/);
  });

  it('setLinkDown cuts the path; setLinkUp and waitForCarrier restore it', async () => {
    await lab.setLinkDown('hv1', 'eth0');
    assert.equal((await lab.ping('vm1', lab.vm('vm2').ip, 1)).received, 0);
    await lab.setLinkUp('hv1', 'eth0');
    await lab.waitForCarrier(lab.host('hv1').namespace, 'eth0');
    await lab.waitForCarrier(lab.host('hv1').namespace, 'br0');
    assert.equal((await lab.ping('vm1', lab.vm('vm2').ip, 2)).received, 2);
  });

  it('cutSshConnection makes SSH time out silently (no RST) until restored', async () => {
    const cut = await lab.cutSshConnection('hv1');
    const r = await ssh('hv1', ['true'], undefined, ['-o', 'ConnectTimeout=2']);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /timed out/i);
    assert.doesNotMatch(r.stderr, /refused|reset/i);
    assert.ok((await cut.dropped()) > 0);
    await cut.restore();
    assert.equal((await ssh('hv1', ['true'])).code, 0);
  });
});

describe('lab instances', () => {
  it('scales: 3 hosts, 2 VMs each, sshd on port 2222 with [addr]:port known_hosts entries', async () => {
    const big = await startLab({ hosts: 3, vmsPerHost: 2, sshPort: 2222, sshdExtraConfig: ['ClientAliveInterval 5'], net48: 'fd00:202' });
    try {
      console.log(`3x2 lab started in ${big.startMs.toFixed(0)} ms`);
      const kh = readFileSync(big.knownHostsPath, 'utf8');
      for (const h of [big.jump, ...big.hosts]) assert.ok(kh.includes(`[${h.sshAddress}]:2222 ssh-ed25519 `), kh);
      for (const h of big.hosts) {
        const r = await execIn('', big.sshArgv(h.name, ['virsh', 'list', '--name']));
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.stdout.split('\n').filter(Boolean), big.vms.filter((v) => v.host === h.name).map((v) => v.name));
      }
      assert.equal(big.vm('vm6').host, 'hv3');
      const effective = await execIn('', ['/usr/sbin/sshd', '-T', '-f', big.host('hv3').sshdConfigPath]);
      assert.match(effective.stdout, /^clientaliveinterval 5$/m);
      assert.match(effective.stdout, /^port 2222$/m);
      assert.equal((await big.ping('vm1', big.vm('vm6').ip, 2)).received, 2);
      assert.equal((await big.ping('vm4', big.vm('vm3').ip, 2)).received, 2);
      assert.equal(big.vm('vm6').ip6, `fd00:202:${big.id.toString(16)}::106`);
      assert.equal((await big.ping('vm1', big.vm('vm6').ip6 ?? '', 2)).received, 2);
    } finally {
      await big.stop();
    }
  });


  it('two labs started concurrently in separate processes do not collide, and SIGTERM/SIGINT clean each', async () => {
    const a = labCliUp();
    const b = labCliUp();
    try {
      const [la, lb] = await Promise.all([a.ready, b.ready]);
      assert.notEqual(la.id, lb.id);
      const present = await netnsList();
      for (const l of [la, lb]) for (const h of l.hosts) assert.ok(present.includes(h.namespace));
      for (const [l, other] of [[la, lb], [lb, la]] as const) {
        const ok = await execIn(l.vms[0].namespace, ['ping', '-c', '2', '-i', '0.1', '-W', '1', l.vms[1].ip]);
        assert.equal(ok.code, 0, ok.stdout);
        const cross = await execIn(l.vms[0].namespace, ['ping', '-c', '1', '-W', '1', other.vms[1].ip]);
        assert.notEqual(cross.code, 0);
      }
      const closed = [a, b].map((p) => new Promise<void>((r) => p.child.on('close', () => r())));
      a.child.kill('SIGTERM');
      b.child.kill('SIGINT');
      await Promise.all(closed);
      const after = await netnsList();
      for (const l of [la, lb]) for (const h of l.hosts) assert.ok(!after.includes(h.namespace));
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
    }
  });

  it('a bad option fails startLab clearly and leaves nothing behind', async () => {
    const locksBefore = listLabLocks().filter((l) => l.state?.ownerPid === process.pid).map((l) => l.dir);
    await assert.rejects(startLab({ sshdExtraConfig: ['Port 22\nPermitEmptyPasswords yes'] }), /one directive/);
    // Accepted by us, refused by sshd once the network exists: the lab is torn down, sshd's reason reported.
    const err = await startLab({ sshdExtraConfig: ['NoSuchDirective yes'] }).then(() => null, (e: unknown) => e as Error);
    assert.match(err?.message ?? '', /sshd in \S+ failed.*Bad configuration option/s);
    const base = /sshd in (\w+)-/.exec(err?.message ?? '')?.[1] ?? '?';
    // Other processes may take that id right away; its namespaces may exist only under a lock not ours.
    const owner = listLabLocks().find((l) => l.dir.endsWith(`/${base}`))?.state?.ownerPid;
    if ((await netnsList()).some((n) => n.startsWith(`${base}-`))) assert.ok(owner !== undefined && owner !== process.pid);
    assert.deepEqual(listLabLocks().filter((l) => l.state?.ownerPid === process.pid).map((l) => l.dir), locksBefore);
  });

  it('after stop() no namespace, sshd, root link, temp dir or lock remains; stop() is idempotent', async () => {
    const l = await startLab();
    const namespaces = [l.jump, ...l.hosts].map((h) => h.namespace).concat(l.vms.map((v) => v.namespace), l.switch.namespace);
    const sshdPids = [l.jump, ...l.hosts].map((h) => Number(readFileSync(h.sshdPidFile, 'utf8').trim()));
    assert.ok(sshdPids.every(pidAlive));
    await l.stop();
    await l.stop();
    const present = await netnsList();
    for (const n of namespaces) assert.ok(!present.includes(n), n);
    for (const p of sshdPids) assert.ok(!pidAlive(p), `sshd ${p} still alive`);
    assert.notEqual((await execIn('', ['pgrep', '-f', l.tmpDir])).code, 0);
    assert.ok(!existsSync(l.tmpDir));
    assert.ok(!existsSync(join(defaultLockRoot, `${l.prefix}${l.id}`)));
    assert.notEqual((await execIn('', ['ip', 'link', 'show', 'dev', `${l.prefix}${l.id}-hv1`])).code, 0);
  });

  it('labCli down tears down a test-owned lab without signalling it; the owner\'s stop() then spares a new lab on that id', async () => {
    const l = await startLab();
    const down = await execIn('', [process.execPath, '--import', 'tsx', join(import.meta.dirname, 'labCli.ts'), 'down', String(l.id)]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(!(await netnsList()).includes(l.host('hv1').namespace));
    const next = await startLab();
    try {
      await l.stop();
      if (next.id === l.id) assert.ok((await netnsList()).includes(next.host('hv1').namespace), 'stale stop() deleted the new lab');
      assert.equal((await next.ping('vm1', next.vm('vm2').ip, 1)).received, 1);
    } finally {
      await next.stop();
    }
    assert.ok(!(await netnsList()).includes(next.host('hv1').namespace), 'the new lab must still stop cleanly');
    assert.ok(!existsSync(next.tmpDir));
  });

  it('cleanupStaleLabs removes the leftovers of a lab whose owner was SIGKILLed', async () => {
    const c = labCliUp();
    const info = await c.ready;
    const closed = new Promise<void>((r) => c.child.on('close', () => r()));
    c.child.kill('SIGKILL');
    await closed;
    assert.ok((await netnsList()).includes(info.hosts[0].namespace), 'a SIGKILLed owner cannot clean up');
    const cleaned = cleanupStaleLabs();
    assert.ok(cleaned.some((d) => d.endsWith(`hsl${info.id}`)), cleaned.join(','));
    const present = await netnsList();
    for (const h of info.hosts) assert.ok(!present.includes(h.namespace));
    assert.notEqual((await execIn('', ['pgrep', '-f', `hopscope-lab-hsl${info.id}-`])).code, 0);
  });
});
