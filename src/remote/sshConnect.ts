// Opens one authenticated ssh2 Client for a target, through its ProxyJump chain, with known_hosts
// checking, keepalive and typed errors.
import { Client, type ClientChannel } from 'ssh2';
import { appendKnownHost, checkHostKey, keyTypeOfBlob, sshFingerprint } from './knownHosts';
import { createAuthHandler } from './sshAuth';
import { HandshakeDeadline } from './handshakeDeadline';
import {
  SshAuthError, SshConnectionLostError, SshError, SshHostKeyMismatchError, SshHostKeyRejectedError, SshHostUnreachableError,
} from './sshErrors';
import type { SshPrompts } from './sshPrompts';
import { describeTarget, type SshTarget } from './sshTarget';

export interface SshConnectOptions {
  readonly prompts: SshPrompts;
  /** Read in order; new keys are appended to the first. */
  readonly knownHostsFiles: readonly string[];
  /** Hash names of newly accepted keys like `ssh-keygen -H` (OpenSSH HashKnownHosts). */
  readonly hashKnownHosts?: boolean;
  readonly agentSocket?: string;
  readonly readyTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  readonly log?: (line: string) => void;
}

export interface SshConnection {
  readonly client: Client;
  /** Ends this connection and every jump connection under it. */
  end(): void;
  /** Drops the sockets at once (no goodbye). */
  destroy(): void;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET']);

function forwardOut(client: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => (err ? reject(err) : resolve(ch)));
  });
}

/** Connects one hop; `sock` is the channel from the previous hop, if any. */
function connectHop(target: SshTarget, opts: SshConnectOptions, sock: ClientChannel | undefined, via: string | undefined): Promise<Client> {
  const client = new Client();
  const readyTimeout = opts.readyTimeoutMs ?? 20000;
  let timedOut = false;
  const deadline = new HandshakeDeadline(readyTimeout, () => { timedOut = true; client.emit('error', Object.assign(new Error('handshake timed out'), { level: 'client-timeout' })); });
  const prompts = deadline.wrap(opts.prompts);
  const auth = createAuthHandler(target, prompts, opts.agentSocket);
  let hostKeyFailure: SshError | undefined;
  const where = describeTarget(target);
  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const keyType = keyTypeOfBlob(key) ?? 'unknown';
    (async () => {
      const r = await checkHostKey(opts.knownHostsFiles, target.host, target.port, keyType, key);
      switch (r.status) {
        case 'known': return true;
        case 'revoked':
          hostKeyFailure = new SshHostKeyRejectedError(`Host key ${r.fingerprint} of ${target.host} is marked @revoked in ${r.file}:${r.line}; Hopscope will not connect.`, target.host, r.fingerprint);
          return false;
        case 'mismatch':
          hostKeyFailure = new SshHostKeyMismatchError(target.host, r.fingerprint, r.expected, r.file, r.line);
          return false;
        case 'unknown': {
          const ok = await prompts.confirmHostKey({ host: target.host, port: target.port, fingerprint: r.fingerprint, keyType, otherKnownKeyTypes: r.otherKeyTypes });
          if (!ok) {
            hostKeyFailure = new SshHostKeyRejectedError(`The host key ${r.fingerprint} (${keyType}) of ${target.host} was not accepted; not connected.`, target.host, r.fingerprint);
            return false;
          }
          const file = opts.knownHostsFiles[0];
          if (file) await appendKnownHost(file, target.host, target.port, { type: keyType, blob: key }, { hash: opts.hashKnownHosts });
          opts.log?.(`added host key ${sshFingerprint(key)} for ${target.host}:${target.port} to ${file ?? '(nowhere)'}`);
          return true;
        }
      }
    })().then(verify, (e: unknown) => {
      hostKeyFailure = new SshHostKeyRejectedError(`Could not check the host key of ${target.host}: ${(e as Error).message}`, target.host, sshFingerprint(key));
      verify(false);
    });
  };
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    client.once('ready', () => { settled = true; deadline.stop(); resolve(client); });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      deadline.stop();
      // A socket still connecting (blackholed SYN) must be destroyed: end() would leave it retrying for minutes.
      if (timedOut) client.destroy(); else client.end();
      const through = via ? ` (through ${via})` : '';
      if (hostKeyFailure) reject(hostKeyFailure);
      else if (err.level === 'client-authentication') {
        const why = auth.notes.length ? ` Notes: ${auth.notes.join('; ')}.` : '';
        reject(new SshAuthError(`Authentication as ${where} failed: the server refused every method tried (agent, keys, password).${why}`, target.host));
      } else if (timedOut || err.level === 'client-timeout' || /timed out/i.test(err.message)) {
        reject(new SshHostUnreachableError(`${where}${through} did not answer within ${readyTimeout / 1000} s (timeout). Is the host up and the port open?`, target.host, 'timeout'));
      } else if (err.code && unreachableCodes.has(err.code)) {
        const text = err.code === 'ECONNREFUSED' ? 'refused the connection (nothing listens on that port)' : `is unreachable (${err.code})`;
        reject(new SshHostUnreachableError(`${where}${through} ${text}.`, target.host, err.code));
      } else {
        reject(new SshConnectionLostError(`SSH connection to ${where}${through} failed: ${err.message}`, target.host));
      }
    });
    client.connect({
      host: target.host, port: target.port, username: target.user, sock,
      hostVerifier, authHandler: auth.handler, readyTimeout: 0,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 5000, keepaliveCountMax: opts.keepaliveCountMax ?? 3,
    });
    deadline.start();
  });
}

/** Jump chain first (outermost hop first), each next hop reached with forwardOut through the previous. */
export async function connectTarget(target: SshTarget, opts: SshConnectOptions): Promise<SshConnection> {
  const chain: SshTarget[] = [];
  for (let t: SshTarget | undefined = target; t; t = t.jump) {
    if (chain.includes(t) || chain.length > 8) throw new Error(`ProxyJump chain for ${target.alias} loops or is longer than 8 hops.`);
    chain.unshift(t);
  }
  const clients: Client[] = [];
  const endAll = (): void => { for (const c of [...clients].reverse()) c.end(); };
  try {
    let sock: ClientChannel | undefined;
    let via: string | undefined;
    for (const hop of chain) {
      if (clients.length > 0) {
        try { sock = await forwardOut(clients[clients.length - 1], hop.host, hop.port); } catch (e) {
          throw new SshHostUnreachableError(`Jump host ${via ?? ''} could not reach ${describeTarget(hop)}: ${(e as Error).message}.`, hop.host, 'jump');
        }
      }
      const c = await connectHop(hop, opts, sock, via);
      clients.push(c);
      via = describeTarget(hop);
    }
  } catch (e) {
    endAll();
    throw e;
  }
  const client = clients[clients.length - 1];
  // A jump hop dying takes the whole chain down.
  for (const c of clients.slice(0, -1)) c.once('close', () => client.end());
  client.once('close', endAll);
  return { client, end: endAll, destroy: () => { for (const c of [...clients].reverse()) c.destroy(); } };
}
