// Questions the SSH layer asks the user; the extension answers them with VS Code UI, tests with scripts.
// Answers are secrets: they are used once and never logged or put into an error message.

export interface HostKeyQuestion {
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
  readonly keyType: string;
  /** Key types already known for this host (OpenSSH warns when a new type appears). */
  readonly otherKnownKeyTypes: readonly string[];
}

export interface KeyboardInteractiveQuestion {
  readonly host: string;
  readonly user: string;
  readonly name: string;
  readonly instructions: string;
  readonly prompts: readonly { readonly prompt: string; readonly echo: boolean }[];
}

export interface SshPrompts {
  /** Passphrase for an encrypted key; undefined skips the key. `attempt` starts at 1. */
  passphrase(keyPath: string, attempt: number): Promise<string | undefined>;
  /** Password for user@host; undefined skips password authentication. */
  password(info: { host: string; user: string; attempt: number }): Promise<string | undefined>;
  /** One answer per prompt; undefined cancels. */
  keyboardInteractive(info: KeyboardInteractiveQuestion): Promise<string[] | undefined>;
  /** Accept (true) or refuse an unknown host key. */
  confirmHostKey(info: HostKeyQuestion): Promise<boolean>;
}

/** Prompts for non-interactive use (CLI without a TTY): every question is refused. */
export const refusingPrompts: SshPrompts = {
  passphrase: () => Promise.resolve(undefined),
  password: () => Promise.resolve(undefined),
  keyboardInteractive: () => Promise.resolve(undefined),
  confirmHostKey: () => Promise.resolve(false),
};
