/**
 * Everything the "Show nwfilter" view needs for one vNIC, fetched through a command runner: the
 * filter tree from virsh, expanded with the vNIC's parameters, the backend device's ebtables/iptables/nft
 * rules, and (given a frame, e.g. a Compare verdict's proof packet) the rule that decides it.
 */
import type { CommandRunner } from '../discovery/runHostDiscovery';
import type { NwfilterParameter } from '../discovery/hostInventory';
import { expandNwfilter } from './expandNwfilter';
import { fetchNwfilterTree, type FetchNwfilterOptions } from './fetchNwfilterTree';
import { fetchBackendFirewallRules } from './backendFirewallRules';
import { nwfilterVerdictForFrame, type NwfilterFrame, type NwfilterVerdict } from './nwfilterVerdict';
import { renderNwfilterReport, type NwfilterReport } from './renderNwfilterReport';
import { HostToolError } from './runHostTool';

export interface VnicFilterTarget {
  host: string;
  vm: string;
  /** Backend device on the host (vnet0, tap…). */
  device: string;
  filterRef?: { filter: string; parameters: NwfilterParameter[] };
  /** The guest MAC: libvirt binds `$MAC` to it unless the filterref sets MAC itself. */
  mac?: string;
}

/** The filterref's parameters plus the ones libvirt fills in itself (MAC = the interface's MAC). */
export function effectiveNwfilterParameters(t: VnicFilterTarget): NwfilterParameter[] {
  const params = [...(t.filterRef?.parameters ?? [])];
  if (t.mac && !params.some((p) => p.name === 'MAC')) params.push({ name: 'MAC', value: t.mac.toLowerCase() });
  return params;
}

export interface VnicNwfilterReport extends NwfilterReport {
  verdict?: NwfilterVerdict;
}

export async function buildVnicNwfilterReport(run: CommandRunner, t: VnicFilterTarget, o: FetchNwfilterOptions, frame?: NwfilterFrame): Promise<VnicNwfilterReport> {
  if (!t.filterRef) {
    throw new HostToolError('virsh', 'failed', `${t.vm}'s interface ${t.device} on ${t.host} has no <filterref>: libvirt applies no nwfilter to it.`);
  }
  const [tree, firewall] = await Promise.all([
    fetchNwfilterTree(run, t.filterRef.filter, o),
    fetchBackendFirewallRules(run, t.device, o),
  ]);
  const parameters = effectiveNwfilterParameters(t);
  const expanded = expandNwfilter(t.filterRef.filter, parameters, (n) => tree.definitions.get(n));
  const verdict = frame ? nwfilterVerdictForFrame(expanded, frame) : undefined;
  const report = renderNwfilterReport({
    host: t.host, vm: t.vm, device: t.device, filter: t.filterRef.filter, parameters,
    expanded, problems: tree.problems, firewall, verdict: frame && verdict ? { frame, result: verdict } : undefined,
  });
  return { ...report, verdict };
}
