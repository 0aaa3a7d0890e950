// Ring-buffer captures on hosts: started detached on the host (they outlive the SSH connection and this
// window), listed again from the host after a reconnect, stopped, and "fetch the window around T":
// only the ring files covering [T - before, T + after] are copied down and merged into one pcap.
// No VS Code API, so lab tests drive it directly; the Captures view and commands wrap it.
import { join } from 'node:path';
import { hostname, tmpdir, userInfo } from 'node:os';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import {
  buildRingStartCommand, buildRingStatusCommand, buildRingStopCommand, DEFAULT_RING_BASE_DIR, ringCaptureDir, RingInputError,
} from '../../core/capture/ringCaptureCommand';
import { buildTcpdumpVersionCommand, parseTcpdumpVersion, ringRotationFor, type RingRotation } from '../../core/capture/tcpdumpVersion';
import { parseRingStatus, parseTzOffset, selectRingWindow, type RingFileCoverage, type RingStatus } from '../../core/capture/ringWindow';
import { quoteShellArg } from '../../core/capture/shellQuote';
import { mergeCaptures } from '../../core/slice/mergeCaptures';
import type { HostsModel } from '../hosts/hostsModel';
import { downloadHostFile, runHostShell } from './hostShellCommand';

export interface RingStartRequest {
  filter: string;
  /** Seconds per file (time rotation, tcpdump 4.0+). */
  rotateSeconds: number;
  fileCount: number;
  /** MB per file: the rotation size for old tcpdump; an extra cut for time rotation (0 = none). */
  fileSizeMb: number;
  /** Ceiling on the host (`timeout`). */
  maxDurationSec: number;
}

export interface RingCapture {
  /** `<host>/<captureId>`. */
  readonly key: string;
  readonly host: string;
  readonly captureId: string;
  readonly baseDir: string;
  iface: string;
  rotation?: RingRotation;
  status?: RingStatus;
  /** Why the last status could not be read (connection lost…); the capture itself may still run. */
  error?: string;
}

export interface FetchedWindow {
  /** Merged pcap of the files covering the window. */
  file: string;
  files: RingFileCoverage[];
  packets: number;
}

const LIST_SCRIPT = 'for d in "$1"/*/; do [ -f "$d/state" ] && basename -- "$d"; done; exit 0';

export class RingCaptureManager {
  private readonly rings = new Map<string, RingCapture>();
  private readonly listeners = new Set<() => void>();

  /** `startedBy`/`hopscopeVersion` go into each ring's state file, for other windows and colleagues. */
  constructor(
    private readonly hosts: HostsModel, private readonly storageRoot: () => string, readonly baseDir = DEFAULT_RING_BASE_DIR,
    private readonly identity: { startedBy?: string; hopscopeVersion?: string } = {},
  ) {}

  onDidChange(cb: () => void): { dispose(): void } {
    this.listeners.add(cb);
    return { dispose: () => this.listeners.delete(cb) };
  }

  get all(): RingCapture[] { return [...this.rings.values()]; }
  get(key: string): RingCapture | undefined { return this.rings.get(key); }

  private require(key: string): RingCapture {
    const r = this.rings.get(key);
    if (!r) throw new Error(`no ring capture ${key}`);
    return r;
  }

  private async shell(host: string, command: string, what: string): Promise<string> {
    const r = await runHostShell(this.hosts.endpoint(host), command);
    const err = /^ring-error (.*)$/m.exec(r.stderr)?.[1];
    if (err === 'tcpdump-missing') throw new Error(`tcpdump is not installed on ${host}`);
    if (err?.startsWith('not-owner')) throw new Error(`${err.slice('not-owner '.length)} on ${host} belongs to another login (or is a symlink): refusing to write a ring there`);
    if (err?.startsWith('already-running')) throw new Error(`a ring capture with this id already runs on ${host} (pid ${err.split(' ')[1]})`);
    if (r.code !== 0) throw new Error(`${what} on ${host} failed (exit ${r.code ?? 'none'}): ${(err ?? r.stderr.trim()) || '(no message)'}`);
    return r.stdout;
  }

  async start(host: string, iface: string, req: RingStartRequest): Promise<RingCapture> {
    const entry = this.hosts.host(host);
    if (!entry) throw new Error(`Unknown host "${host}".`);
    const version = parseTcpdumpVersion(await this.shell(host, buildTcpdumpVersionCommand(), 'tcpdump --version'));
    // No version text: assume the old one, whose size ring works everywhere.
    const rotation = version ? ringRotationFor(version) : 'size';
    if (rotation === 'size' && req.fileSizeMb < 1) throw new RingInputError(`tcpdump ${version?.text ?? '(unknown version)'} on ${host} rotates by size only: give a file size of at least 1 MB`);
    const captureId = `${iface.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    const command = buildRingStartCommand({
      captureId, baseDir: this.baseDir, iface, filter: req.filter, rotation, rotateSeconds: req.rotateSeconds, fileCount: req.fileCount,
      fileSizeMb: req.fileSizeMb, maxDurationSec: req.maxDurationSec, sudo: entry.sudo,
      startedBy: this.identity.startedBy ?? `${userInfo().username}@${hostname()}`, hopscopeVersion: this.identity.hopscopeVersion,
    });
    const out = await this.shell(host, command, 'starting the ring capture');
    if (!/^ring-started \d+ /m.test(out)) throw new Error(`the ring capture on ${host} did not report its start: ${out.trim()}`);
    const ring: RingCapture = { key: `${host}/${captureId}`, host, captureId, baseDir: this.baseDir, iface, rotation };
    this.rings.set(ring.key, ring);
    this.fire();
    await this.refresh(ring.key);
    return ring;
  }

  /** Reads the capture's state and files from the host (reconnecting if the connection dropped). */
  async refresh(key: string): Promise<RingCapture> {
    const ring = this.require(key);
    try {
      ring.status = parseRingStatus(await this.shell(ring.host, buildRingStatusCommand(ring.captureId, ring.baseDir), 'ring status'));
      ring.iface = ring.status.params.iface ?? ring.iface;
      const rot = ring.status.params.rotation;
      if (rot === 'time' || rot === 'size') ring.rotation = rot;
      ring.error = undefined;
    } catch (e) {
      ring.error = e instanceof Error ? e.message : String(e);
    }
    this.fire();
    return ring;
  }

  /** Ring captures found on the host (e.g. started from another window, or before a reload). */
  async discover(host: string): Promise<RingCapture[]> {
    const out = await this.shell(host, `exec /bin/sh -c ${quoteShellArg(LIST_SCRIPT)} ring-list ${quoteShellArg(this.baseDir)}`, 'listing ring captures');
    const found: RingCapture[] = [];
    for (const id of out.split('\n').map((l) => l.trim()).filter(Boolean)) {
      try { ringCaptureDir(id, this.baseDir); } catch { continue; } // not one of ours
      const key = `${host}/${id}`;
      if (!this.rings.has(key)) this.rings.set(key, { key, host, captureId: id, baseDir: this.baseDir, iface: '' });
      found.push(await this.refresh(key));
    }
    return found;
  }

  async stop(key: string): Promise<RingCapture> {
    const ring = this.require(key);
    await this.shell(ring.host, buildRingStopCommand(ring.captureId, ring.baseDir), 'stopping the ring capture');
    const after = await this.refresh(key);
    // The stop script cannot signal another login's tcpdump (an adopted ring): say so instead of nothing.
    if (after.status?.state === 'running') {
      const owner = after.status.params.user;
      throw new Error(`the ring capture ${key} still runs${owner ? ` as ${owner}` : ''}: this login may not stop it; stopping it needs sudo rights on ${ring.host} (or its owner)`);
    }
    return after;
  }

  /** Copies the files that can hold packets of [atSec - beforeSec, atSec + afterSec] and merges them. */
  async fetchWindow(key: string, atSec: number, beforeSec: number, afterSec: number): Promise<FetchedWindow> {
    const ring = await this.refresh(key);
    if (!ring.status) throw new Error(ring.error ?? `no status for ${key}`);
    // A file tcpdump has just opened can still be empty (not even the pcap header yet).
    const files = selectRingWindow(ring.status.files.filter((f) => f.size >= 24), atSec, beforeSec, afterSec, parseTzOffset(ring.status.params.tzoffset));
    if (files.length === 0) {
      const span = ring.status.files.length ? `it holds ${ring.status.files.map((f) => f.name).join(', ')}` : 'it holds no files';
      throw new Error(`no ring file of ${ring.host}/${ring.iface} covers ${new Date(atSec * 1000).toISOString()} ±${beforeSec}/${afterSec} s (${span})`);
    }
    const stamp = new Date(atSec * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const folder = join(this.storageRoot(), 'captures', ring.host.replace(/[^A-Za-z0-9_.-]/g, '_'), `ring-${ring.captureId}`);
    const endpoint = this.hosts.endpoint(ring.host);
    const dir = ringCaptureDir(ring.captureId, ring.baseDir);
    // The pieces go to a temporary folder (not under captures/, which the Captures view lists): the ring
    // keeps them, only the merged window is kept locally.
    const parts = await mkdtemp(join(tmpdir(), 'hopscope-ring-'));
    try {
      const local: string[] = [];
      for (const f of files) {
        const target = join(parts, f.name);
        await downloadHostFile(endpoint, `${dir}/${f.name}`, target);
        local.push(target);
      }
      const file = join(folder, `${ring.iface || 'ring'}-window-${stamp}.pcap`);
      await mkdir(folder, { recursive: true });
      const merged = await mergeCaptures(local, file);
      this.fire(); // the Captures view lists the new window file
      return { file, files, packets: merged.packetsWritten };
    } finally {
      await rm(parts, { recursive: true, force: true });
    }
  }

  /** A ring known from earlier (e.g. this workspace's saved list); its status is read by refresh(). */
  remember(host: string, captureId: string, iface: string, baseDir = this.baseDir): RingCapture {
    ringCaptureDir(captureId, baseDir); // refuses ids and folders the commands would refuse
    const key = `${host}/${captureId}`;
    const ring = this.rings.get(key) ?? { key, host, captureId, baseDir, iface };
    this.rings.set(key, ring);
    this.fire();
    return ring;
  }

  forget(key: string): void {
    if (this.rings.delete(key)) this.fire();
  }

  private fire(): void { for (const l of this.listeners) l(); }
}
