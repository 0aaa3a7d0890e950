// A fully resolved SSH destination: what src/core/hosts produces for one host, plus its jump chain.

export type SudoMode = 'auto' | 'always' | 'never';

export interface SshTarget {
  /** Pool key and display name. */
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Private key files tried in order (after the agent). */
  readonly identityFiles: readonly string[];
  /** The hop before this one (ProxyJump); its own `jump` continues the chain towards the client. */
  readonly jump?: SshTarget;
  readonly sudo: SudoMode;
}

export function describeTarget(t: SshTarget): string {
  return `${t.user}@${t.host}${t.port === 22 ? '' : `:${t.port}`}`;
}
