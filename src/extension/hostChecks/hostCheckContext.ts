// How host checks reach a host: the hosts model's command runner (SSH pool or local process) and the
// options runHostTool needs (alias, sudo mode, whether the login is root — asked once per host).
// No VS Code API, so lab tests drive it directly.
import type { CommandRunner } from '../../core/discovery/runHostDiscovery';
import type { FetchNwfilterOptions } from '../../core/hostChecks/fetchNwfilterTree';
import type { HostsModel } from '../hosts/hostsModel';
import { runnerIsRoot } from '../hosts/hostCommandRunners';

export interface HostCheckContext {
  run: CommandRunner;
  options: FetchNwfilterOptions;
}

const rootCache = new WeakMap<HostsModel, Map<string, Promise<boolean>>>();

export async function hostCheckContext(model: HostsModel, alias: string): Promise<HostCheckContext> {
  const entry = model.host(alias);
  if (!entry) throw new Error(`Unknown host "${alias}".`);
  const run = model.runner(alias);
  let cache = rootCache.get(model);
  if (!cache) rootCache.set(model, cache = new Map());
  let isRoot = cache.get(alias);
  if (!isRoot) {
    isRoot = runnerIsRoot(run);
    cache.set(alias, isRoot);
    isRoot.catch(() => cache.delete(alias));
  }
  return { run, options: { host: alias, sudo: entry.sudo, isRoot: await isRoot, libvirtUri: entry.libvirtUri } };
}
