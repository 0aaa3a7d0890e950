/**
 * Dumps a vNIC's nwfilter and every filter it references (`virsh nwfilter-dumpxml`, breadth first,
 * each name once) so expandNwfilter can follow the filterrefs offline. A referenced filter the host
 * does not define is left out (expandNwfilter lists it as unresolved); the vNIC's own filter missing,
 * or virsh itself failing, is an error with the tool's reason.
 */
import type { NwfilterDefinition } from '../discovery/hostInventory';
import type { CommandRunner } from '../discovery/runHostDiscovery';
import { parseVirshNwfilterXml } from '../discovery/parseVirshNwfilterXml';
import { HostToolError, runHostTool, type HostToolOptions } from './runHostTool';

export interface NwfilterTree {
  root: string;
  definitions: Map<string, NwfilterDefinition>;
  /** Filters that could not be dumped, with the reason (not defined on the host, bad XML). */
  problems: { filter: string; message: string }[];
}

export interface FetchNwfilterOptions extends HostToolOptions {
  /** libvirt URI; like discovery: root uses virsh's default, others qemu:///system. */
  libvirtUri?: string;
  /** Upper bound on filters dumped (libvirt ships ~25). */
  maxFilters?: number;
}

const NOT_DEFINED = /Network filter not found|no nwfilter with matching name|failed to get nwfilter/i;
const NO_DRIVER = /not supported by the connection driver|nwfilter driver is not running|no connection driver available/i;

export async function fetchNwfilterTree(run: CommandRunner, root: string, o: FetchNwfilterOptions): Promise<NwfilterTree> {
  const uri = o.libvirtUri ?? (o.isRoot ? undefined : 'qemu:///system');
  const virsh = (args: string[]): string[] => (uri ? ['virsh', '-c', uri, ...args] : ['virsh', ...args]);
  const tree: NwfilterTree = { root, definitions: new Map(), problems: [] };
  const queue = [root];
  const seen = new Set(queue);
  const limit = o.maxFilters ?? 200;
  while (queue.length > 0) {
    const batch = queue.splice(0, 6);
    const results = await Promise.all(batch.map(async (name) => {
      try {
        return { name, def: parseVirshNwfilterXml(await runHostTool(run, virsh(['nwfilter-dumpxml', name]), o)) };
      } catch (e) {
        return { name, error: e };
      }
    }));
    for (const r of results) {
      if ('def' in r && r.def) {
        tree.definitions.set(r.name, r.def);
        for (const entry of r.def.entries) {
          if (entry.kind === 'filterref' && !seen.has(entry.filter) && seen.size < limit) {
            seen.add(entry.filter);
            queue.push(entry.filter);
          }
        }
        continue;
      }
      const e = r.error;
      if (e instanceof HostToolError && e.failure === 'failed' && NO_DRIVER.test(e.stderr)) {
        throw new HostToolError('virsh', 'failed',
          `libvirt on ${o.host} (${uri ?? 'default URI'}) has no nwfilter support: ${e.stderr.trim().split('\n').pop() ?? ''}. Is the nwfilter driver (virtnwfilterd / libvirtd) running?`, e.stderr);
      }
      if (e instanceof HostToolError && e.failure !== 'failed') throw e;
      const message = e instanceof HostToolError && NOT_DEFINED.test(e.stderr) ? `not defined on ${o.host}` : e instanceof Error ? e.message : String(e);
      if (r.name === root) throw new HostToolError('virsh', 'failed', `nwfilter '${root}' ${message.startsWith('not defined') ? message : `could not be read: ${message}`}`);
      tree.problems.push({ filter: r.name, message });
    }
  }
  return tree;
}
