// "Find Ring Captures on Host": the rings a host holds that this window may not know (another machine,
// a lost workspace state, a colleague), from one scan of its process table and ring directories; adopt
// one into the ring manager (then Fetch Window / Stop work as for our own), stop its tcpdump, or delete
// its files. No VS Code API, so lab tests drive it directly.
import { findRingsInScan, parseRingHostScan, ringScanLimits, type FoundRing, type RingHostScan } from '../../core/capture/ringHostScan';
import {
  buildRingDeleteCommand, buildRingHostScanCommand, buildRingStopFoundCommand, describeRingProcessBlindness, parseRingDeleteOutput,
  parseRingStopFoundOutput,
} from '../../core/capture/ringHostScanCommand';
import type { HostsModel } from '../hosts/hostsModel';
import { runHostShell } from './hostShellCommand';
import type { RingCapture, RingCaptureManager } from './ringCaptureManager';

export interface FoundHostRing extends FoundRing {
  /** This window already lists it (started here, remembered, or adopted). */
  known: boolean;
  /** Stopping or deleting it needs root: it belongs to another login and we are not root. */
  needsSudo: boolean;
}

export interface HostRingReport {
  host: string;
  scan: RingHostScan;
  rings: FoundHostRing[];
  /** What the scan could not see (hidepid, no ps, unreadable directory), for the user. */
  limits: string[];
}

/** A clean-up step the login may not do on its own (the host's sudo refused or is not configured). */
export class RingSudoRequiredError extends Error {
  override readonly name = 'RingSudoRequiredError';
}

/**
 * The host hides processes from this login (/proc hidepid, no usable sudo) or `ps` failed, so whether a tcpdump
 * still runs cannot be checked: Delete refuses, Stop says so instead of "stopped".
 */
export class RingCannotVerifyError extends Error {
  override readonly name = 'RingCannotVerifyError';
}

export class RingHostFinder {
  constructor(private readonly hosts: HostsModel, private readonly rings: RingCaptureManager) {}

  private get baseDir(): string { return this.rings.baseDir; }

  async scan(host: string, timeoutMs = 30_000): Promise<HostRingReport> {
    const r = await runHostShell(this.hosts.endpoint(host), buildRingHostScanCommand(this.baseDir, this.hosts.host(host)?.sudo ?? 'never'), timeoutMs);
    if (r.code !== 0) throw new Error(`scanning ${host} for ring captures failed (exit ${r.code ?? 'none'}): ${r.stderr.trim() || '(no message)'}`);
    const scan = parseRingHostScan(r.stdout, this.baseDir);
    const rings = findRingsInScan(scan).map((f): FoundHostRing => ({
      ...f,
      known: this.rings.get(`${host}/${f.captureId}`) !== undefined,
      needsSudo: scan.uid !== 0 && f.owner !== undefined && f.owner !== scan.user,
    }));
    return { host, scan, rings, limits: ringScanLimits(scan) };
  }

  /** Lists it in the ring manager (and so in the Captures view); its status is read from the host. */
  async adopt(host: string, ring: FoundRing): Promise<RingCapture> {
    if (ring.state === 'no-directory') throw new Error(`ring ${ring.captureId} on ${host} has no directory left: nothing to fetch; stop its tcpdump instead`);
    const adopted = this.rings.remember(host, ring.captureId, ring.iface ?? '', this.baseDir);
    return this.rings.refresh(adopted.key);
  }

  /**
   * Signals its tcpdump (and the timeout/sudo around it); resolves once they are gone. For a ring in state `unknown`
   * (the scan may not have seen its tcpdump) the pid its state file records is checked too, and unless something was
   * signalled it refuses to call the ring stopped.
   */
  async stop(host: string, ring: FoundRing): Promise<{ signalled: number[] }> {
    const entry = this.hosts.host(host);
    if (!entry) throw new Error(`Unknown host "${host}".`);
    const maybeHidden = ring.state === 'unknown';
    const pids = maybeHidden && ring.statePid !== undefined ? [...new Set([...ring.pids, ring.statePid])] : ring.pids;
    const unverified = (why: string): RingCannotVerifyError => new RingCannotVerifyError(`cannot verify whether ring ${ring.captureId}'s tcpdump on ${host} `
      + `still runs: this login cannot see the processes of other users there (or \`ps\` failed), and ${why}. Stop it as root or with sudo rights.`);
    if (pids.length === 0) {
      if (maybeHidden) throw unverified('its state file records no pid to check');
      return { signalled: [] };
    }
    const r = await runHostShell(this.hosts.endpoint(host), buildRingStopFoundCommand(ring.captureId, this.baseDir, pids, entry.sudo));
    const out = parseRingStopFoundOutput(r.stdout, r.stderr);
    if (out.needsSudo.length > 0) {
      throw new RingSudoRequiredError(`stopping ring ${ring.captureId} on ${host} needs sudo rights this login lacks: `
        + `its tcpdump runs as ${ring.owner ?? 'another user'} (pids ${out.needsSudo.join(', ')}) and \`sudo -n kill\` was refused. `
        + `Ask its owner or an administrator, or connect as root.`);
    }
    if (out.cannotVerify.length > 0 && out.blindness) {
      const done = out.signalled.length > 0 ? ` (signalled: ${out.signalled.join(', ')})` : '';
      throw new RingCannotVerifyError(`cannot verify whether ring ${ring.captureId}'s tcpdump on ${host} still runs: `
        + `${describeRingProcessBlindness(out.blindness)}. Pids ${out.cannotVerify.join(', ')} are alive but hidden, so they were not signalled${done}. `
        + `Stop it as root or with sudo rights.`);
    }
    if (r.code !== 0 || out.stillRunning.length > 0) {
      throw new Error(`stopping ring ${ring.captureId} on ${host} failed (exit ${r.code ?? 'none'}): ${out.stillRunning.length ? `still running: ${out.stillRunning.join(', ')}` : r.stderr.trim()}`);
    }
    // The recorded pid has ended, yet a tcpdump it started (under sudo, as another user) can outlive it unseen.
    if (maybeHidden && out.signalled.length === 0) throw unverified(`its recorded process (${pids.join(', ')}) has ended, which does not prove its tcpdump did`);
    await this.refreshKnown(host, ring.captureId);
    return { signalled: out.signalled };
  }

  /** Deletes its directory (refused while a tcpdump writes there); the KiB freed on the host's disk. */
  async deleteFiles(host: string, ring: FoundRing): Promise<{ freedKiB: number }> {
    const entry = this.hosts.host(host);
    if (!entry) throw new Error(`Unknown host "${host}".`);
    const r = await runHostShell(this.hosts.endpoint(host), buildRingDeleteCommand(ring.captureId, this.baseDir, entry.sudo));
    const out = parseRingDeleteOutput(r.stdout, r.stderr, r.code);
    switch (out.kind) {
      case 'deleted':
        this.rings.forget(`${host}/${ring.captureId}`);
        return { freedKiB: out.freedKiB };
      case 'needs-sudo':
        throw new RingSudoRequiredError(`deleting ring ${ring.captureId} on ${host} needs sudo rights this login lacks: its directory belongs to `
          + `${ring.owner ?? 'another user'} and \`sudo -n rm\` was refused. Ask its owner or an administrator, or connect as root.`);
      case 'cannot-verify':
        throw new RingCannotVerifyError(`refusing to delete ring ${ring.captureId} on ${host}: cannot verify that no tcpdump writes there: `
          + `${describeRingProcessBlindness(out.blindness)}. Nothing was deleted; delete it as root or with sudo rights.`);
      case 'still-running': throw new Error(`ring ${ring.captureId} on ${host} still has a tcpdump writing into it: stop it first (${out.detail})`);
      case 'no-directory': throw new Error(`ring ${ring.captureId} on ${host} has no directory (already deleted)`);
      default: throw new Error(`deleting ring ${ring.captureId} on ${host} failed (${out.detail})`);
    }
  }

  private async refreshKnown(host: string, captureId: string): Promise<void> {
    const key = `${host}/${captureId}`;
    if (this.rings.get(key)) await this.rings.refresh(key);
  }
}

/** Rings whose tcpdump runs on the host and that this window does not list: what the host badge counts. */
export function unknownRunningRings(report: HostRingReport): FoundHostRing[] {
  return report.rings.filter((r) => !r.known && (r.state === 'running' || r.state === 'no-directory'));
}
