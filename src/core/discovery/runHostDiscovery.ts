/**
 * Runs a host's discovery commands through an injected command runner (SSH exec for remote hosts, a
 * child process for this machine) and builds its inventory. Commands run concurrently up to a limit;
 * each failure degrades only its own part. Fallbacks cover what the field has: iproute2 without
 * `-j` (RHEL 7), `brctl` without `bridge -j`, virsh needing `-c qemu:///system` or sudo. A missing
 * Open vSwitch or bridge-utils is normal on many hosts and is not reported as an error.
 */
import { buildHostInventory, type DiscoveryCommandOutput, type HostDiscoveryOutputs } from './buildHostInventory';
import type { HostInventory } from './hostInventory';
import { parseVirshList } from './parseVirshList';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** null when the command did not exit normally (signal, dropped connection). */
  exitCode: number | null;
}

/** Runs argv on the host; the runner is responsible for quoting each word. */
export type CommandRunner = (argv: string[]) => Promise<CommandResult>;

export interface HostDiscoveryOptions {
  /** libvirt URI for virsh; when absent, root uses virsh's default and others qemu:///system. */
  libvirtUri?: string;
  /** Whether `sudo -n` may be tried when a read-only command is refused for lack of rights. */
  sudo: 'auto' | 'always' | 'never';
  /** Whether the login user is root (decided by the caller from `id -u`). */
  isRoot: boolean;
  /** Commands in flight at once on this host (OpenSSH allows 10 sessions per connection). */
  concurrency?: number;
}

const NOT_FOUND = (r: CommandResult): boolean => r.exitCode === 127 || /command not found|: not found|No such file or directory/.test(r.stderr);
const NO_JSON = (r: CommandResult): boolean => r.exitCode !== 0 && /Option "-j" is unknown|unknown option|invalid option/i.test(r.stderr);
const NO_RIGHTS = (r: CommandResult): boolean => r.exitCode !== 0 && /Permission denied|Operation not permitted|authentication (unavailable|failed)|polkit|access denied|database connection failed/i.test(r.stderr);

const toOutput = (r: CommandResult): DiscoveryCommandOutput => ({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 });

function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export async function runHostDiscovery(run: CommandRunner, o: HostDiscoveryOptions): Promise<HostInventory> {
  const limit = limiter(o.concurrency ?? 6);
  const exec = (argv: string[]): Promise<CommandResult> => limit(() => run(argv));
  const sudoFirst = o.sudo === 'always' && !o.isRoot;
  /** Runs argv, retrying with `sudo -n` once when refused for lack of rights (and allowed). */
  const privileged = async (argv: string[]): Promise<CommandResult> => {
    if (sudoFirst) return exec(['sudo', '-n', ...argv]);
    const r = await exec(argv);
    if (NO_RIGHTS(r) && o.sudo !== 'never' && !o.isRoot) {
      const again = await exec(['sudo', '-n', ...argv]);
      // Keep the first error when sudo itself is refused: it names the real cause.
      return again.exitCode === 0 ? again : { ...again, stderr: `${r.stderr.trim()}\n${again.stderr.trim()}` };
    }
    return r;
  };
  const withFallback = async (json: string[], text: string[]): Promise<CommandResult> => {
    const r = await exec(json);
    return NO_JSON(r) ? exec(text) : r;
  };
  const uri = o.libvirtUri ?? (o.isRoot ? undefined : 'qemu:///system');
  const virsh = (args: string[]): string[] => (uri ? ['virsh', '-c', uri, ...args] : ['virsh', ...args]);

  const outputs: HostDiscoveryOutputs = {};
  const ovsShow = privileged(['ovs-vsctl', 'show']);
  const [ipLink, ipAddr, bridgeLink, virshList] = await Promise.all([
    withFallback(['ip', '-j', '-d', 'link', 'show'], ['ip', '-d', 'link', 'show']),
    withFallback(['ip', '-j', 'addr', 'show'], ['ip', 'addr', 'show']),
    exec(['bridge', '-j', 'link', 'show']),
    privileged(virsh(['list', '--all'])),
  ]);
  outputs.ipLink = toOutput(ipLink);
  outputs.ipAddr = toOutput(ipAddr);
  if (bridgeLink.exitCode === 0) outputs.bridgeLink = toOutput(bridgeLink);
  else {
    const brctl = await exec(['brctl', 'show']);
    if (!NOT_FOUND(brctl)) outputs.brctlShow = toOutput(brctl);
  }
  outputs.virshList = toOutput(virshList);
  if (virshList.exitCode === 0) {
    let names: string[] = [];
    try { names = parseVirshList(virshList.stdout).map((d) => d.name); } catch { /* reported by buildHostInventory */ }
    const dumps = await Promise.all(names.map((n) => privileged(virsh(['dumpxml', '--domain', n]))));
    outputs.virshDumpXml = Object.fromEntries(names.map((n, i) => [n, toOutput(dumps[i])]));
  }
  const ovs = await ovsShow;
  if (!NOT_FOUND(ovs)) {
    outputs.ovsVsctlShow = toOutput(ovs);
    if (ovs.exitCode === 0) outputs.ovsListInterface = toOutput(await privileged(['ovs-vsctl', '--format=json', 'list', 'Interface']));
  }
  return buildHostInventory(outputs);
}
