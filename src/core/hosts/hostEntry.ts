// One host the user can capture on, whatever file it came from.

export type HostSudoMode = 'auto' | 'always' | 'never';

export type HostSource =
  | { readonly kind: 'local' }
  | { readonly kind: 'workspace'; readonly file: string; readonly line: number }
  | { readonly kind: 'ssh-config'; readonly file: string };

export interface HostEntry {
  readonly alias: string;
  /** Host name or IP address; undefined for the local machine. */
  readonly address?: string;
  readonly port?: number;
  readonly user?: string;
  /** Private keys, `~` already expanded. */
  readonly identityFiles: readonly string[];
  /** ProxyJump chain, the hop nearest to us first: aliases of other entries or `user@host:port`. */
  readonly jump: readonly string[];
  readonly sudo: HostSudoMode;
  readonly libvirtUri?: string;
  readonly groups: readonly string[];
  readonly tags: readonly string[];
  readonly source: HostSource;
}

export const localHostAlias = 'local';

/** "This machine": always present, no SSH. */
export const localHostEntry: HostEntry = {
  alias: localHostAlias, identityFiles: [], jump: [], sudo: 'auto', groups: [], tags: [], source: { kind: 'local' },
};

/** Splits an OpenSSH ProxyJump value (`a,b`, or `none`). */
export function parseJumpList(value: string | undefined): string[] {
  if (!value || value.trim().toLowerCase() === 'none') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `[user@]host[:port]` as ProxyJump writes a hop (IPv6 in brackets). */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } | undefined {
  const m = /^(?:([^@\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(spec.replace(/^ssh:\/\//, ''));
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port };
}
