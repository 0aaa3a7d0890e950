/**
 * Interface counters through a command runner, as text for a read-only document, and the
 * before/after difference of a capture as one summary line ("drops/errors/overruns that grew").
 */
import type { CommandRunner } from '../discovery/runHostDiscovery';
import { validateInterfaceName } from '../capture/validateCaptureInput';
import { parseIpStatsJson, type CounterName, type InterfaceCounterDiff, type InterfaceCounters } from './interfaceCounters';
import { runHostTool, type HostToolOptions } from './runHostTool';

export async function fetchInterfaceCounters(run: CommandRunner, iface: string, o: HostToolOptions): Promise<InterfaceCounters> {
  const dev = validateInterfaceName(iface);
  // Counters are readable by anyone: never sudo for them.
  const list = parseIpStatsJson(await runHostTool(run, ['ip', '-s', '-s', '-j', 'link', 'show', 'dev', dev], { ...o, sudo: 'never' }));
  const c = list.find((x) => x.ifname === dev) ?? list[0];
  if (!c) throw new Error(`ip printed no counters for ${dev} on ${o.host}`);
  return c;
}

const LABELS: Record<CounterName, string> = {
  rxPackets: 'rx packets', rxBytes: 'rx bytes', rxErrors: 'rx errors', rxDropped: 'rx dropped', rxMissed: 'rx missed (overruns)',
  txPackets: 'tx packets', txBytes: 'tx bytes', txErrors: 'tx errors', txDropped: 'tx dropped',
};

export function renderInterfaceCounters(host: string, c: InterfaceCounters, at: Date): string {
  const row = (k: CounterName): string => `    ${LABELS[k].padEnd(22)}${String(c[k]).padStart(16)}`;
  return [
    `Counters of ${c.ifname} on ${host} at ${at.toISOString()}   (ip -s -s -j link show dev ${c.ifname})`,
    '',
    'receive',
    ...(['rxPackets', 'rxBytes', 'rxErrors', 'rxDropped', 'rxMissed'] as const).map(row),
    'transmit',
    ...(['txPackets', 'txBytes', 'txErrors', 'txDropped'] as const).map(row),
    '',
    'rx dropped/missed growing while a capture lacks packets: the NIC or its driver dropped them, not the network.',
    '',
  ].join('\n');
}

/** One line for a capture's summary: the counters between its start and its end. */
export function describeCounterDiff(host: string, d: InterfaceCounterDiff): string {
  const head = `counters of ${d.ifname} on ${host} during the capture: rx ${d.delta.rxPackets} packets, tx ${d.delta.txPackets} packets`;
  if (d.wrapped.length > 0) return `${head}; counters went down (${d.wrapped.map((k) => LABELS[k]).join(', ')}): the interface was reset or recreated`;
  if (d.problems.length === 0) return `${head}; no drops, errors or overruns grew`;
  return `${head}; GREW: ${d.problems.map((k) => `${LABELS[k]} +${d.delta[k]}`).join(', ')}`;
}
