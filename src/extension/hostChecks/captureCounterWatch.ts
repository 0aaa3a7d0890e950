// Interface counters before and after every live capture: a snapshot as soon as the capture has started
// (the manager announces it once tcpdump runs, so the first packets can precede it), another
// when it ends, and the difference as a note at the end of the capture's text ("rx dropped +12" says
// the NIC dropped what the capture lacks). No VS Code API, so lab tests drive it with a CaptureManager.
import type { CaptureManager, RunningCapture } from '../capture/captureManager';
import type { HostsModel } from '../hosts/hostsModel';
import { diffInterfaceCounters, type InterfaceCounters } from '../../core/hostChecks/interfaceCounters';
import { describeCounterDiff, fetchInterfaceCounters } from '../../core/hostChecks/interfaceCountersReport';
import { hostCheckContext } from './hostCheckContext';

export interface CounterWatchResult {
  captureId: string;
  /** The note added to the capture's text. */
  note: string;
}

export function watchCaptureCounters(
  captures: CaptureManager, hosts: HostsModel, onResult?: (r: CounterWatchResult) => void,
): { dispose(): void; started(captureId: string): Promise<void> } {
  const before = new Map<string, Promise<InterfaceCounters | Error>>();
  const finished = new Set<string>();
  const snapshot = async (c: RunningCapture): Promise<InterfaceCounters | Error> => {
    try {
      const ctx = await hostCheckContext(hosts, c.host);
      return await fetchInterfaceCounters(ctx.run, c.iface, ctx.options);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };
  const finish = async (c: RunningCapture): Promise<void> => {
    const start = await before.get(c.id);
    before.delete(c.id);
    let note: string;
    if (!start || start instanceof Error) note = `counters of ${c.iface} on ${c.host}: no snapshot at the start (${start?.message ?? 'none'})`;
    else {
      const end = await snapshot(c);
      note = end instanceof Error ? `counters of ${c.iface} on ${c.host}: no snapshot at the end (${end.message})` : describeCounterDiff(c.host, diffInterfaceCounters(start, end));
    }
    c.text.addNote(note);
    c.text.flush();
    onResult?.({ captureId: c.id, note });
  };
  const sub = captures.onDidChange((c) => {
    // `any` has no counters of its own.
    if (!c || c.iface === 'any' || finished.has(c.id)) return;
    if (!before.has(c.id)) before.set(c.id, snapshot(c));
    if (c.result !== undefined) {
      finished.add(c.id);
      void finish(c);
    }
  });
  return {
    dispose: () => sub.dispose(),
    /** Resolves once the start snapshot of the capture is taken (it races the capture's first packets). */
    started: async (id) => { await before.get(id); },
  };
}
