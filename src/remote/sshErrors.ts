// Typed SSH failures with user-facing messages. Messages name hosts, users, files and lines only:
// never a password, passphrase or key (built from those fields alone, never from prompt answers).

export type SshErrorKind =
  | 'auth-failed'
  | 'host-unreachable'
  | 'host-key-mismatch'
  | 'host-key-rejected'
  | 'sudo-password-required'
  | 'command-not-found'
  | 'command-timeout'
  | 'connection-lost';

export abstract class SshError extends Error {
  abstract readonly kind: SshErrorKind;
  constructor(message: string, readonly host: string) {
    super(message);
  }
}

export class SshAuthError extends SshError {
  override readonly name = 'SshAuthError';
  readonly kind = 'auth-failed';
}

export class SshHostUnreachableError extends SshError {
  override readonly name = 'SshHostUnreachableError';
  readonly kind = 'host-unreachable';
  /** ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ENOTFOUND or 'timeout'. */
  constructor(message: string, host: string, readonly reason: string) {
    super(message, host);
  }
}

export class SshHostKeyMismatchError extends SshError {
  override readonly name = 'SshHostKeyMismatchError';
  readonly kind = 'host-key-mismatch';
  constructor(host: string, readonly fingerprint: string, readonly expected: string[], readonly file: string, readonly line: number) {
    super(
      `Host key for ${host} has CHANGED: the server sent ${fingerprint}, but ${file}:${line} expects ${expected.join(' or ')}. ` +
        'This may be a man-in-the-middle attack, or the host was reinstalled. Verify the new key out of band, then remove the old line ' +
        `(ssh-keygen -R ${host} -f ${file}). Hopscope will not connect.`,
      host,
    );
  }
}

export class SshHostKeyRejectedError extends SshError {
  override readonly name = 'SshHostKeyRejectedError';
  readonly kind = 'host-key-rejected';
  constructor(message: string, host: string, readonly fingerprint: string) {
    super(message, host);
  }
}

export class SshSudoPasswordRequiredError extends SshError {
  override readonly name = 'SshSudoPasswordRequiredError';
  readonly kind = 'sudo-password-required';
  constructor(host: string, user: string, readonly sudoMessage: string) {
    super(
      `sudo on ${host} refused to run without a password for user ${user} (${sudoMessage}). ` +
        'Hopscope only uses non-interactive sudo (sudo -n): add a NOPASSWD sudoers rule for the needed commands, or log in as root.',
      host,
    );
  }
}

export class SshCommandNotFoundError extends SshError {
  override readonly name = 'SshCommandNotFoundError';
  readonly kind = 'command-not-found';
  constructor(host: string, readonly command: string) {
    super(`Command ${JSON.stringify(command)} was not found on ${host} (exit 127). Install it or check PATH for the login user.`, host);
  }
}

export class SshCommandTimeoutError extends SshError {
  override readonly name = 'SshCommandTimeoutError';
  readonly kind = 'command-timeout';
  constructor(host: string, readonly command: string, readonly timeoutMs: number) {
    super(`Command ${JSON.stringify(command)} on ${host} did not finish within ${timeoutMs / 1000} s; it was stopped.`, host);
  }
}

export class SshConnectionLostError extends SshError {
  override readonly name = 'SshConnectionLostError';
  readonly kind = 'connection-lost';
}
