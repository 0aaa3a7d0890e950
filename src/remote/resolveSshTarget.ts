// Turns a HostEntry (from src/core/hosts) into an SshTarget with its ProxyJump chain resolved.
import { parseJumpSpec, type HostEntry } from '../core/hosts/hostEntry';
import type { SshTarget } from './sshTarget';

export interface ResolveDefaults { readonly localUser: string; readonly defaultIdentityFiles: readonly string[] }

export function resolveSshTarget(alias: string, hosts: ReadonlyMap<string, HostEntry>, defaults: ResolveDefaults, stack: readonly string[] = []): SshTarget {
  if (stack.includes(alias) || stack.length > 8) throw new Error(`ProxyJump loop: ${[...stack, alias].join(' -> ')}`);
  const h = hosts.get(alias);
  if (!h) throw new Error(`Unknown host "${alias}".`);
  if (h.address === undefined) throw new Error(`Host "${alias}" is this machine; it has no SSH target.`);
  let jump: SshTarget | undefined;
  // The chain lists the nearest hop first; each later hop is reached through the one before it.
  for (const [i, hop] of h.jump.entries()) {
    if (hosts.has(hop)) {
      const r = resolveSshTarget(hop, hosts, defaults, [...stack, alias]);
      // The first hop keeps its own ProxyJump; later hops are reached through the previous one.
      jump = { ...r, jump: i === 0 ? r.jump : jump };
    } else jump = jumpSpecTarget(hop, `${alias}#jump${i + 1}`, defaults, jump);
  }
  return {
    alias: h.alias, host: h.address, port: h.port ?? 22, user: h.user ?? defaults.localUser,
    identityFiles: h.identityFiles.length > 0 ? h.identityFiles : defaults.defaultIdentityFiles, jump, sudo: h.sudo,
  };
}

function jumpSpecTarget(spec: string, alias: string, defaults: ResolveDefaults, jump: SshTarget | undefined): SshTarget {
  const s = parseJumpSpec(spec);
  if (!s) throw new Error(`Jump host "${spec}" is neither a known alias nor user@host:port.`);
  return { alias, host: s.host, port: s.port ?? 22, user: s.user ?? defaults.localUser, identityFiles: defaults.defaultIdentityFiles, jump, sudo: 'never' };
}
