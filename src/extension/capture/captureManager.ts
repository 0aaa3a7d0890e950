// Running captures of this window: started through hostCaptureStarter, each with its live text; the
// Captures view, status bar and documents listen to `onDidChange`. disposeAll() stops every capture.
import { existsSync } from 'node:fs';
import type { CaptureResult, LiveCaptureSession } from '../../core/capture/liveCaptureSession';
import type { RemoteCaptureCommandOptions } from '../../core/capture/remoteCaptureCommand';
import type { HostsModel } from '../hosts/hostsModel';
import { captureFilePath } from './captureFilePath';
import { startHostCapture } from './hostCaptureStarter';
import { LiveCaptureText } from './liveCaptureText';

export interface RunningCapture {
  readonly id: string;
  readonly host: string;
  readonly iface: string;
  readonly file: string;
  readonly filter: string;
  readonly session: LiveCaptureSession;
  readonly text: LiveCaptureText;
  result?: CaptureResult;
}

export type CaptureStartOptions = Omit<RemoteCaptureCommandOptions, 'iface' | 'sudo'>;

let nextId = 1;

export class CaptureManager {
  private readonly captures = new Map<string, RunningCapture>();
  private readonly listeners = new Set<(c: RunningCapture | undefined) => void>();
  private readonly textListeners = new Set<(c: RunningCapture) => void>();

  constructor(private readonly hosts: HostsModel, private readonly storageRoot: () => string, private readonly maxTextLines: () => number) {}

  /** A capture started, changed state, counted packets (throttled) or ended. */
  onDidChange(cb: (c: RunningCapture | undefined) => void): { dispose(): void } {
    this.listeners.add(cb);
    return { dispose: () => this.listeners.delete(cb) };
  }

  /** The capture's text has new lines (at most ~10 times a second). */
  onDidChangeText(cb: (c: RunningCapture) => void): { dispose(): void } {
    this.textListeners.add(cb);
    return { dispose: () => this.textListeners.delete(cb) };
  }

  get all(): RunningCapture[] { return [...this.captures.values()]; }
  get running(): RunningCapture[] { return this.all.filter((c) => c.result === undefined); }
  get(id: string): RunningCapture | undefined { return this.captures.get(id); }

  async start(host: string, iface: string, options: CaptureStartOptions): Promise<RunningCapture> {
    const entry = this.hosts.host(host);
    if (!entry) throw new Error(`Unknown host "${host}".`);
    const endpoint = this.hosts.endpoint(host);
    const file = captureFilePath(this.storageRoot(), host, iface, new Date(), existsSync);
    const id = `c${nextId++}`;
    // Listeners fire only after the session exists; the record is filled in right after it starts.
    const ref: { capture?: RunningCapture } = {};
    const text = new LiveCaptureText(this.maxTextLines(), () => { if (ref.capture) { this.fireText(ref.capture); this.fire(ref.capture); } });
    const session = await startHostCapture(endpoint, {
      ...options, iface, sudo: entry.sudo, file, excludeOwnSsh: endpoint.kind === 'ssh' && options.excludeOwnSsh,
    }, {
      onRecord: (rec) => text.addRecord(rec),
      onStateChange: () => { if (ref.capture) this.fire(ref.capture); },
      onMessage: (line) => { if (!/^(tcpdump: )?listening on |^\d+ packets? /.test(line)) text.addNote(line); },
      onEnd: (result) => {
        const capture = ref.capture;
        if (!capture) return;
        capture.result = result;
        text.addNote(describeCaptureEnd(result));
        text.flush();
        this.fire(capture);
      },
    });
    const capture: RunningCapture = { id, host, iface, file, filter: options.filter, session, text };
    ref.capture = capture;
    this.captures.set(id, capture);
    this.fire(capture);
    return capture;
  }

  stop(id: string): void { this.captures.get(id)?.session.stop(); }

  /** Stops every running capture and waits until each file is closed. */
  async stopAll(): Promise<void> {
    const running = this.running;
    for (const c of running) c.session.stop();
    await Promise.all(running.map((c) => c.session.done));
  }

  /** Forgets an ended capture (its file stays). */
  forget(id: string): void {
    const c = this.captures.get(id);
    if (c?.result === undefined) return;
    c.text.dispose();
    this.captures.delete(id);
    this.fire(undefined);
  }

  private fire(c: RunningCapture | undefined): void { for (const l of this.listeners) l(c); }
  private fireText(c: RunningCapture): void { for (const l of this.textListeners) l(c); }
}

export function describeCaptureEnd(r: CaptureResult): string {
  const reason = {
    stopped: 'stopped', 'packet-limit': 'packet limit reached', 'duration-limit': 'duration limit reached',
    'size-limit': 'file size limit reached', 'connection-lost': 'connection lost', error: 'failed',
  }[r.reason];
  const parts = [`capture ${reason}: ${r.packets} packets, ${r.bytes} bytes`];
  if (r.droppedByKernel) parts.push(`${r.droppedByKernel} dropped by kernel`);
  if (r.error) parts.push(r.error.message);
  return parts.join('; ');
}
