// Starts one live capture on a host: the F8 wrapper over an SSH exec channel, or the same wrapper as a
// local child process for "This machine" (it runs tcpdump through `sudo -n` when not root). Also
// checks a BPF filter on the host before a capture starts.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildFilterCheckCommand, buildRemoteCaptureCommand, type RemoteCaptureCommandOptions } from '../../core/capture/remoteCaptureCommand';
import { childProcessTransport, execChannelTransport, type CaptureTransport } from '../../core/capture/captureTransport';
import { HEARTBEAT_INTERVAL_MS, REMOTE_HEARTBEAT_TIMEOUT_SEC } from '../../core/capture/captureOptions';
import { LiveCaptureSession, type LiveCaptureListener } from '../../core/capture/liveCaptureSession';
import type { HostEndpoint } from '../hosts/hostsModel';

export async function openCaptureTransport(endpoint: HostEndpoint, command: string): Promise<CaptureTransport> {
  if (endpoint.kind === 'ssh') return execChannelTransport(await endpoint.pool.execStream(endpoint.target, command));
  const cp = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    cp.once('spawn', resolve);
    cp.once('error', reject);
  });
  return childProcessTransport(cp);
}

/** Undefined when tcpdump on the host accepts the filter, else its message. */
export async function checkCaptureFilter(endpoint: HostEndpoint, filter: string): Promise<string | undefined> {
  if (filter.trim() === '') return undefined;
  const command = buildFilterCheckCommand(filter);
  let code: number | null;
  let stderr: string;
  if (endpoint.kind === 'ssh') {
    const r = await endpoint.pool.exec(endpoint.target, { script: command, args: [] }, { raw: true, timeoutMs: 15_000 });
    ({ code, stderr } = r);
  } else {
    // The check command is built from quoted words only; /bin/sh runs it as sshd would.
    ({ code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile('/bin/sh', ['-c', command], { timeout: 15_000, encoding: 'utf8' }, (error, _out, err) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr: err });
      });
    }));
  }
  if (code === 0) return undefined;
  if (/rcap-error tcpdump-missing/.test(stderr)) return 'tcpdump is not installed on the host';
  return stderr.trim().replace(/^tcpdump: /, '') || `tcpdump exited with code ${code}`;
}

export interface HostCaptureRequest extends RemoteCaptureCommandOptions {
  /** Local file the pcap is written to (its folder is created). */
  readonly file: string;
}

export async function startHostCapture(endpoint: HostEndpoint, request: HostCaptureRequest, listener: LiveCaptureListener): Promise<LiveCaptureSession> {
  const command = buildRemoteCaptureCommand(request);
  mkdirSync(dirname(request.file), { recursive: true });
  const transport = await openCaptureTransport(endpoint, command);
  // Heartbeats at a third of the watchdog's timeout, so one late heartbeat never stops a capture.
  const hb = request.heartbeatTimeoutSec ?? REMOTE_HEARTBEAT_TIMEOUT_SEC;
  const heartbeatIntervalMs = hb > 0 ? Math.min(HEARTBEAT_INTERVAL_MS, Math.floor((hb * 1000) / 3)) : HEARTBEAT_INTERVAL_MS;
  return new LiveCaptureSession(transport, { file: request.file, maxFileBytes: request.maxFileBytes, maxPackets: request.maxPackets, heartbeatIntervalMs }, listener);
}
