// The hosts and what discovery found on them, shared by the Hosts view and the capture commands:
// one SshConnectionPool, one inventory per host (cached until refreshed), discovery of several
// hosts in parallel up to a limit. No VS Code API here, so lab tests drive it directly.
import { localHostAlias, type HostEntry } from '../../core/hosts/hostEntry';
import { runHostDiscovery, type CommandRunner } from '../../core/discovery/runHostDiscovery';
import type { HostInventory } from '../../core/discovery/hostInventory';
import { resolveSshTarget, type ResolveDefaults } from '../../remote/resolveSshTarget';
import type { SshConnectionPool } from '../../remote/sshSession';
import type { SshTarget } from '../../remote/sshTarget';
import { localCommandRunner, runnerIsRoot, sshCommandRunner } from './hostCommandRunners';

/** How commands reach a host: through the pool, or as local processes. */
export type HostEndpoint =
  | { readonly kind: 'ssh'; readonly alias: string; readonly pool: SshConnectionPool; readonly target: SshTarget }
  | { readonly kind: 'local'; readonly alias: string };

export type DiscoveryState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly promise: Promise<HostInventory> }
  | { readonly status: 'done'; readonly inventory: HostInventory }
  | { readonly status: 'failed'; readonly message: string };

export class HostsModel {
  private entries: HostEntry[] = [];
  private readonly discoveries = new Map<string, DiscoveryState>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly listeners = new Set<(alias: string | undefined) => void>();

  constructor(
    readonly pool: SshConnectionPool,
    private readonly defaults: ResolveDefaults,
    /** Hosts discovered at once; each host also limits its own commands. */
    private readonly concurrency = 4,
  ) {}

  /** Called with the alias whose state changed, or undefined when the host list changed. */
  onDidChange(cb: (alias: string | undefined) => void): { dispose(): void } {
    this.listeners.add(cb);
    return { dispose: () => this.listeners.delete(cb) };
  }

  setHosts(hosts: readonly HostEntry[]): void {
    this.entries = [...hosts];
    this.discoveries.clear();
    this.fire(undefined);
  }

  get hosts(): readonly HostEntry[] { return this.entries; }

  host(alias: string): HostEntry | undefined { return this.entries.find((h) => h.alias === alias); }

  endpoint(alias: string): HostEndpoint {
    const h = this.host(alias);
    if (!h) throw new Error(`Unknown host "${alias}".`);
    if (h.alias === localHostAlias || h.address === undefined) return { kind: 'local', alias };
    const map = new Map(this.entries.map((e) => [e.alias, e]));
    return { kind: 'ssh', alias, pool: this.pool, target: resolveSshTarget(alias, map, this.defaults) };
  }

  runner(alias: string): CommandRunner {
    const e = this.endpoint(alias);
    return e.kind === 'local' ? localCommandRunner : sshCommandRunner(e.pool, e.target);
  }

  state(alias: string): DiscoveryState { return this.discoveries.get(alias) ?? { status: 'idle' }; }

  /** Forgets one host's inventory (all when alias is undefined); the next inventory() discovers again. */
  invalidate(alias?: string): void {
    if (alias === undefined) this.discoveries.clear();
    else this.discoveries.delete(alias);
    this.fire(alias);
  }

  /** The host's inventory, discovering it when not known yet (one discovery per host at a time). */
  inventory(alias: string): Promise<HostInventory> {
    const s = this.state(alias);
    if (s.status === 'done') return Promise.resolve(s.inventory);
    if (s.status === 'running') return s.promise;
    const promise = this.limited(() => this.discover(alias));
    this.discoveries.set(alias, { status: 'running', promise });
    promise.then((inventory) => {
      if (this.discoveries.get(alias)?.status === 'running') this.discoveries.set(alias, { status: 'done', inventory });
      this.fire(alias);
    }, (e: unknown) => {
      if (this.discoveries.get(alias)?.status === 'running') this.discoveries.set(alias, { status: 'failed', message: e instanceof Error ? e.message : String(e) });
      this.fire(alias);
    });
    return promise;
  }

  private async discover(alias: string): Promise<HostInventory> {
    const h = this.host(alias);
    if (!h) throw new Error(`Unknown host "${alias}".`);
    const run = this.runner(alias);
    const isRoot = await runnerIsRoot(run);
    return runHostDiscovery(run, { sudo: h.sudo, isRoot, libvirtUri: h.libvirtUri });
  }

  private async limited<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try { return await job(); } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private fire(alias: string | undefined): void {
    for (const l of this.listeners) l(alias);
  }
}
