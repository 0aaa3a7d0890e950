/**
 * Bring a lab up or down by hand.
 *   npx tsx test/lab/labCli.ts up [--hosts N] [--vms-per-host K] [--prefix P] [--net16 A.B] [--port N]
 *       starts a lab, prints how to reach it, and keeps it until Ctrl-C / SIGTERM / `down`.
 *   npx tsx test/lab/labCli.ts down <id> [--prefix P]   stops one lab (SIGTERM to a labCli owner; a test
 *                                                       process owning it is not signalled: torn down directly)
 *   npx tsx test/lab/labCli.ts down-all [--prefix P]    stops every lab under the lock root (or of prefix P)
 *   npx tsx test/lab/labCli.ts status                   lists labs, owners and namespaces present
 *   npx tsx test/lab/labCli.ts cleanup                  removes labs whose owner died
 */
import { readFileSync } from 'node:fs';
import { startLab, type LabOptions } from './support/hypervisorLab';
import { cleanupStaleLabs, defaultLockRoot, listLabLocks, teardownLab, type LabLockInfo } from './support/labRegistry';
import { execInSync, pidAlive, waitUntil } from './support/labProcess';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`not an integer: ${v}`);
  return n;
}

/** True when the owner is a `labCli up` process (safe to signal); test processes are never signalled. */
function ownerIsLabCli(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a, i) => a.endsWith('labCli.ts') && argv[i + 1] === 'up');
  } catch {
    return false;
  }
}

async function stopLock(info: LabLockInfo): Promise<void> {
  if (info.state && info.alive && info.state.ownerPid !== process.pid && ownerIsLabCli(info.state.ownerPid)) {
    process.kill(info.state.ownerPid, 'SIGTERM');
    const pid = info.state.ownerPid;
    try {
      await waitUntil(() => !pidAlive(pid), 10000, `owner ${pid} to stop its lab`);
    } catch { /* fall through to a direct teardown */ }
  }
  const again = listLabLocks(info.dir.slice(0, info.dir.lastIndexOf('/'))).find((l) => l.dir === info.dir);
  if (again?.state) teardownLab(again.state, again.dir);
  console.log(`stopped ${info.dir}`);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  const lockRoot = flag(args, '--lock-root') ?? defaultLockRoot;
  const prefix = flag(args, '--prefix') ?? 'hsl';
  switch (cmd) {
    case 'up': {
      const options: LabOptions = {
        prefix, lockRoot, net16: flag(args, '--net16'), hosts: num(flag(args, '--hosts')),
        vmsPerHost: num(flag(args, '--vms-per-host')), sshPort: num(flag(args, '--port')),
      };
      const lab = await startLab(options);
      console.log(JSON.stringify({
        id: lab.id, startMs: Math.round(lab.startMs), sshConfig: lab.sshConfigPath, knownHosts: lab.knownHostsPath,
        hosts: lab.hosts.map((h) => ({ name: h.name, namespace: h.namespace, ssh: `${h.sshAddress}:${h.sshPort}`, via: h.proxyJump, libvirtUri: h.libvirtUri, data: h.dataAddress })),
        jump: { namespace: lab.jump.namespace, ssh: `${lab.jump.sshAddress}:${lab.jump.sshPort}` },
        vms: lab.vms.map((v) => ({ name: v.name, namespace: v.namespace, host: v.host, ip: v.ip, mac: v.mac, backend: v.backendDevice })),
      }, null, 1));
      console.log(`\nready. try: ssh -F ${lab.sshConfigPath} hv2 virsh list --all\nCtrl-C (or labCli down ${lab.id}) stops it.`);
      setInterval(() => undefined, 1 << 30); // keep the owner alive; exit handlers tear down
      return new Promise<number>(() => undefined);
    }
    case 'down': {
      const id = num(args.find((a) => /^\d+$/.test(a)));
      if (id === undefined) throw new Error('down needs a lab id (see status)');
      const info = listLabLocks(lockRoot).find((l) => l.state?.prefix === prefix && l.state.id === id);
      if (!info) { console.log(`no lab ${prefix}${id}`); return 1; }
      await stopLock(info);
      return 0;
    }
    case 'down-all': {
      // With --prefix only that prefix's labs; without, every lab under the lock root.
      const only = flag(args, '--prefix');
      for (const info of listLabLocks(lockRoot)) {
        if (only === undefined || info.state?.prefix === only) await stopLock(info);
      }
      if (only === undefined) cleanupStaleLabs(lockRoot, true);
      return 0;
    }
    case 'cleanup': {
      const c = cleanupStaleLabs(lockRoot);
      console.log(c.length ? `removed ${c.join(', ')}` : 'no stale labs');
      return 0;
    }
    case 'status': {
      const present = execInSync('', ['ip', 'netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
      const locks = listLabLocks(lockRoot);
      if (!locks.length) console.log(`no labs under ${lockRoot}`);
      for (const l of locks) {
        const ns = l.state ? l.state.namespaces.filter((n) => present.includes(n)) : [];
        console.log(`${l.dir}  owner ${l.state?.ownerPid ?? '?'} ${l.alive ? 'alive' : 'DEAD (run cleanup)'}  since ${l.state?.createdAt ?? '?'}  namespaces: ${ns.join(' ') || '-'}`);
      }
      return 0;
    }
    default:
      console.error('usage: labCli.ts up|down <id>|down-all|status|cleanup [--prefix P] [--lock-root DIR]');
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
