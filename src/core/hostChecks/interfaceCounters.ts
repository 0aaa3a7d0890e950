/**
 * Interface counters from `ip -s -s -j link show dev X` (rx/tx packets, bytes, errors, dropped, missed),
 * and the difference between two snapshots: did the NIC itself drop what the capture lacks?
 */
import { quoteShellArg } from '../capture/shellQuote';
import { validateInterfaceName } from '../capture/validateCaptureInput';
import { HostCheckParseError } from './hostCheckParseError';

export interface InterfaceCounters {
  ifname: string;
  rxPackets: number;
  rxBytes: number;
  rxErrors: number;
  rxDropped: number;
  /** rx missed_errors (only with -s -s); 0 when the output does not say. */
  rxMissed: number;
  txPackets: number;
  txBytes: number;
  txErrors: number;
  txDropped: number;
}

export type CounterName = Exclude<keyof InterfaceCounters, 'ifname'>;
export const COUNTER_NAMES: CounterName[] = ['rxPackets', 'rxBytes', 'rxErrors', 'rxDropped', 'rxMissed', 'txPackets', 'txBytes', 'txErrors', 'txDropped'];

/** The command (one shell word per argument, quoted) that prints the counters of `iface`. */
export function buildIpStatsCommand(iface: string): string {
  return `ip -s -s -j link show dev ${quoteShellArg(validateInterfaceName(iface))}`;
}

function num(o: Record<string, unknown>, key: string, where: string, optional = false): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (optional && v === undefined) return 0;
  throw new HostCheckParseError('ip-stats', `${where}.${key} is missing or not a counter`);
}

/** Parses the JSON array `ip -s [-s] -j link show` prints (stats64, or stats on old iproute2). */
export function parseIpStatsJson(text: string): InterfaceCounters[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new HostCheckParseError('ip-stats', 'not JSON (is iproute2 older than 4.14, without -j?)', text.trim());
  }
  if (!Array.isArray(doc)) throw new HostCheckParseError('ip-stats', 'expected a JSON array', text.trim());
  return doc.map((link: unknown, i) => {
    if (typeof link !== 'object' || link === null) throw new HostCheckParseError('ip-stats', `entry ${i} is not an object`);
    const l = link as Record<string, unknown>;
    const ifname = l.ifname;
    if (typeof ifname !== 'string') throw new HostCheckParseError('ip-stats', `entry ${i} has no ifname`);
    const stats = (l.stats64 ?? l.stats) as Record<string, unknown> | undefined;
    if (typeof stats !== 'object' || stats === null) throw new HostCheckParseError('ip-stats', `${ifname} has no statistics (run ip with -s)`);
    const rx = stats.rx as Record<string, unknown> | undefined;
    const tx = stats.tx as Record<string, unknown> | undefined;
    if (typeof rx !== 'object' || rx === null || typeof tx !== 'object' || tx === null) throw new HostCheckParseError('ip-stats', `${ifname}: rx/tx missing`);
    return {
      ifname,
      rxPackets: num(rx, 'packets', 'rx'), rxBytes: num(rx, 'bytes', 'rx'), rxErrors: num(rx, 'errors', 'rx'),
      rxDropped: num(rx, 'dropped', 'rx'), rxMissed: num(rx, 'missed_errors', 'rx', true),
      txPackets: num(tx, 'packets', 'tx'), txBytes: num(tx, 'bytes', 'tx'), txErrors: num(tx, 'errors', 'tx'), txDropped: num(tx, 'dropped', 'tx'),
    };
  });
}

export interface InterfaceCounterDiff {
  ifname: string;
  delta: Record<CounterName, number>;
  /** Counters that went down: the interface was reset or recreated between the snapshots. */
  wrapped: CounterName[];
  /** Error/drop/miss counters that grew: the lead for "lost on this NIC, not in the network". */
  problems: CounterName[];
}

export function diffInterfaceCounters(before: InterfaceCounters, after: InterfaceCounters): InterfaceCounterDiff {
  if (before.ifname !== after.ifname) throw new Error(`counters of ${before.ifname} and ${after.ifname} cannot be compared`);
  const delta = {} as Record<CounterName, number>;
  const wrapped: CounterName[] = [];
  for (const k of COUNTER_NAMES) {
    delta[k] = after[k] - before[k];
    if (delta[k] < 0) wrapped.push(k);
  }
  const problems = (['rxErrors', 'rxDropped', 'rxMissed', 'txErrors', 'txDropped'] as const).filter((k) => delta[k] > 0);
  return { ifname: after.ifname, delta, wrapped, problems };
}
