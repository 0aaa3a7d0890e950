// One SSH connection per host, shared by discovery and captures: connected on demand, reconnected on
// demand after a drop (keepalive detects dead links), at most N channels open at once per connection.
import type { ClientChannel } from 'ssh2';
import { quoteShellArg } from '../core/capture/shellQuote';
import { shellCommandLine } from '../core/capture/shellCommandLine';
import { ChannelLimiter } from './channelLimiter';
import { connectTarget, type SshConnectOptions, type SshConnection } from './sshConnect';
import {
  SshCommandNotFoundError, SshCommandTimeoutError, SshConnectionLostError, SshSudoPasswordRequiredError,
} from './sshErrors';
import { describeTarget, type SshTarget } from './sshTarget';

export interface SshPoolOptions extends SshConnectOptions {
  /** Channels open at once per connection; OpenSSH's MaxSessions defaults to 10. */
  readonly maxChannels?: number;
}

export type RemoteCommand = readonly string[] | { readonly script: string; readonly args: readonly string[] };

export interface ExecOptions {
  readonly timeoutMs?: number;
  /** Run through `sudo -n` according to the host's sudo mode. */
  readonly sudo?: boolean;
  /** Resolve with the exit code instead of throwing on 127 / sudo refusals. */
  readonly raw?: boolean;
}

export interface ExecResult { readonly stdout: string; readonly stderr: string; readonly code: number | null; readonly signal?: string }

interface PoolEntry { readonly identity: string; connection?: Promise<SshConnection>; readonly limiter: ChannelLimiter }

// Runs "$@" directly, or through sudo -n: always, or (auto) only when the login user is not root.
const sudoWrapper = 'm=$1; shift; if [ "$m" = always ] || { [ "$m" = auto ] && [ "$(id -u)" != 0 ]; }; then exec sudo -n -- "$@"; fi; exec "$@"';
const closeGraceMs = 2000;
const sudoRefusal = /^sudo: (a password is required|a terminal is required|.*is not in the sudoers file|.*is not allowed to execute.*|sorry, you must have a tty.*)$/m;

export class SshConnectionPool {
  private readonly entries = new Map<string, PoolEntry>();
  private disposed = false;
  /** Connections opened so far (for tests and the status view). */
  connectCount = 0;

  constructor(private readonly opts: SshPoolOptions) {}

  private entry(target: SshTarget): PoolEntry {
    // Same alias with different settings (edited hosts file): drop the old connection.
    const identity = JSON.stringify(target);
    let e = this.entries.get(target.alias);
    if (!e || e.identity !== identity) {
      e?.connection?.then((c) => c.end(), () => undefined);
      e = { identity, limiter: new ChannelLimiter(this.opts.maxChannels ?? 8) };
      this.entries.set(target.alias, e);
    }
    return e;
  }

  /** The live connection, opening one if there is none (or the last one dropped). */
  connection(target: SshTarget): Promise<SshConnection> {
    if (this.disposed) return Promise.reject(new Error('SSH connection pool is disposed.'));
    const e = this.entry(target);
    if (!e.connection) {
      this.connectCount++;
      const p = connectTarget(target, this.opts);
      e.connection = p;
      p.then((c) => {
        c.client.on('error', (err: Error & { level?: string }) => this.opts.log?.(`${target.alias}: ${err.level === 'client-timeout' ? 'keepalive timeout, connection dropped' : err.message}`));
        c.client.once('close', () => { if (e.connection === p) e.connection = undefined; });
      }, () => { if (e.connection === p) e.connection = undefined; });
    }
    return e.connection;
  }

  /**
   * Opens an exec channel (counted against the channel limit until it closes). For captures.
   * `onOpen` runs synchronously when the channel opens: attach 'exit'/'close' listeners there, because a
   * fast command's exit status can arrive in the same packet burst as the open confirmation.
   */
  async execStream(target: SshTarget, command: string, onOpen?: (ch: ClientChannel) => void): Promise<ClientChannel> {
    const e = this.entry(target);
    const release = await e.limiter.acquire();
    try {
      const conn = await this.connection(target);
      const ch = await new Promise<ClientChannel>((resolve, reject) => {
        conn.client.exec(command, (err, channel) => {
          if (err) { reject(new SshConnectionLostError(`Could not open a channel on ${describeTarget(target)}: ${err.message}`, target.host)); return; }
          channel.once('close', release); // release() is idempotent
          onOpen?.(channel);
          resolve(channel);
        });
      });
      return ch;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Runs a short command and collects its output. Never joins argv unquoted. */
  async exec(target: SshTarget, command: RemoteCommand, opts: ExecOptions = {}): Promise<ExecResult> {
    const argv = 'script' in command ? ['/bin/sh', '-c', command.script, 'hopscope', ...command.args] : [...command];
    const display = 'script' in command ? 'sh -c <script>' : argv[0] ?? '';
    const useSudo = opts.sudo === true && target.sudo !== 'never';
    const line = useSudo ? `exec /bin/sh -c ${quoteShellArg(sudoWrapper)} sudo ${quoteShellArg(target.sudo)} ${shellCommandLine(argv)}` : `exec ${shellCommandLine(argv)}`;
    const timeoutMs = opts.timeoutMs ?? 30000;
    let collected: Promise<ExecResult> | undefined;
    await this.execStream(target, line, (ch) => { collected = collectExec(ch, target, display, timeoutMs); });
    if (!collected) throw new Error('exec channel opened without a collector');
    const result = await collected;
    if (opts.raw) return result;
    const sudoLine = sudoRefusal.exec(result.stderr);
    if (useSudo && result.code === 1 && sudoLine) throw new SshSudoPasswordRequiredError(target.host, target.user, sudoLine[0]);
    if (result.code === 127 || (useSudo && result.code === 1 && /^sudo: .*: command not found$/m.test(result.stderr))) {
      throw new SshCommandNotFoundError(target.host, display);
    }
    return result;
  }

  /** Most channels open at once so far on this host's connection. */
  channelPeak(target: SshTarget): number {
    return this.entries.get(target.alias)?.limiter.peak ?? 0;
  }

  /** Closes one host's connection (the next call reconnects). */
  disconnect(target: SshTarget): void {
    const e = this.entries.get(target.alias);
    e?.connection?.then((c) => c.end(), () => undefined);
    if (e) e.connection = undefined;
  }

  /** Ends every connection; resolves once they are closed (destroyed after `graceMs` if the peer is silent). */
  async dispose(graceMs = 2000): Promise<void> {
    this.disposed = true;
    const pending = [...this.entries.values()].map((e) => e.connection);
    this.entries.clear();
    await Promise.all(pending.map(async (p) => {
      const c = await p?.catch(() => undefined);
      if (!c) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { c.destroy(); resolve(); }, graceMs);
        c.client.once('close', () => { clearTimeout(t); resolve(); });
        c.end();
      });
    }));
  }
}

/** Collects one exec channel's output; must be called synchronously when the channel opens. */
function collectExec(ch: ClientChannel, target: SshTarget, display: string, timeoutMs: number): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let code: number | null = null;
    let signal: string | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // sshd confirms the close only once the remote process exits (a silent one may never): free the
      // slot after a grace period so one stuck command cannot block the queue.
      ch.close();
      setTimeout(() => ch.emit('close'), closeGraceMs).unref();
      reject(new SshCommandTimeoutError(target.host, display, timeoutMs));
    }, timeoutMs);
    ch.on('data', (d: Buffer) => out.push(d));
    ch.stderr.on('data', (d: Buffer) => err.push(d));
    ch.on('exit', (c: number | null, s?: string) => { code = c; signal = s; });
    ch.once('close', () => {
      clearTimeout(timer);
      if (timedOut) return;
      // No exit status and no signal: the channel died with its connection.
      if (code === null && signal === undefined) {
        reject(new SshConnectionLostError(`The connection to ${describeTarget(target)} dropped while running ${display}.`, target.host));
        return;
      }
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, signal });
    });
    ch.end();
  });
}
