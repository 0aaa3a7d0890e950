/**
 * Where a live capture's bytes come from: an SSH exec channel (remote hosts) or a local child
 * process ("This machine"). Both carry the pcap stream on stdout, the wrapper's handshake and
 * tcpdump's messages on stderr, and take heartbeats / EOF on stdin.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface CaptureTransport {
  onData(cb: (chunk: Uint8Array) => void): void;
  onStderr(cb: (chunk: Uint8Array) => void): void;
  /** Called once, when the process has exited and its streams are closed. */
  onClose(cb: (code: number | null, signal: string | null) => void): void;
  /** Writes to the remote stdin; false when it can no longer be written. */
  write(text: string): boolean;
  /** Sends EOF: the graceful stop. */
  end(): void;
  /** Tears the channel down without waiting (after a graceful stop timed out). */
  destroy(): void;
}

/** The parts of ssh2's ClientChannel a capture uses. */
export interface ExecChannelLike extends Readable {
  stderr: Readable;
  writable: boolean;
  write(chunk: string): boolean;
  end(): this;
  close(): void;
  on(event: 'exit', cb: (code: number | null, signal?: string) => void): this;
  on(event: 'close', cb: () => void): this;
  on(event: 'data', cb: (chunk: Buffer) => void): this;
  on(event: string, cb: (...args: never[]) => void): this;
}

export function execChannelTransport(ch: ExecChannelLike): CaptureTransport {
  let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
  ch.on('exit', (code, signal) => { exit = { code, signal: signal ?? null }; });
  return {
    onData: (cb) => { ch.on('data', (d: Buffer) => cb(d)); },
    onStderr: (cb) => { ch.stderr.on('data', (d: Buffer) => cb(d)); },
    onClose: (cb) => { ch.on('close', () => cb(exit.code, exit.signal)); },
    write: (text) => (ch.writable ? (ch.write(text), true) : false),
    end: () => { if (ch.writable) ch.end(); },
    destroy: () => ch.close(),
  };
}

export function childProcessTransport(cp: ChildProcessWithoutNullStreams): CaptureTransport {
  const stdin: Writable = cp.stdin;
  stdin.on('error', () => { /* EPIPE once the process is gone: the close event reports the end */ });
  return {
    onData: (cb) => { cp.stdout.on('data', (d: Buffer) => cb(d)); },
    onStderr: (cb) => { cp.stderr.on('data', (d: Buffer) => cb(d)); },
    onClose: (cb) => { cp.on('close', (code, signal) => cb(code, signal)); },
    write: (text) => (stdin.writable ? (stdin.write(text), true) : false),
    end: () => { if (stdin.writable) stdin.end(); },
    destroy: () => { cp.kill('SIGKILL'); },
  };
}
