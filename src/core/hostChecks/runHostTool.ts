/**
 * Runs one read-only host-check tool (ip, virsh, ebtables, iptables, nft) through a command runner and
 * turns the ways it fails in the field into one clear, typed outcome: the tool is not installed, it
 * needs root and `sudo -n` was refused or not allowed, or it ran and failed (its own message). Retries
 * once with `sudo -n` when the tool says it lacks rights and the host's sudo mode allows it.
 */
import type { CommandResult, CommandRunner } from '../discovery/runHostDiscovery';

export type HostToolFailure = 'missing' | 'refused' | 'failed';

export class HostToolError extends Error {
  override readonly name = 'HostToolError';
  constructor(readonly tool: string, readonly failure: HostToolFailure, message: string, readonly stderr = '') {
    super(message);
  }
}

export interface HostToolOptions {
  /** The host's alias, for messages. */
  host: string;
  sudo: 'auto' | 'always' | 'never';
  isRoot: boolean;
  /** Exit codes that are a normal answer (e.g. 1 for a lookup that found nothing). Default [0]. */
  okCodes?: readonly number[];
}

/** Debian/RHEL package that brings each tool, for the "not installed" message. */
const PACKAGES: Record<string, string> = {
  ip: 'iproute2', virsh: 'libvirt-clients (RHEL: libvirt-client)', ebtables: 'ebtables, or iptables for ebtables-nft',
  iptables: 'iptables', nft: 'nftables', tcpdump: 'tcpdump',
};

const NOT_FOUND = (r: CommandResult): boolean =>
  r.exitCode === 127 || /command not found|: not found|exec of ".*" failed|No such file or directory \(os error 2\)|^sh: \d+: .*: not found/m.test(r.stderr);
const NO_RIGHTS = (r: CommandResult): boolean =>
  r.exitCode !== 0 && /Permission denied|Operation not permitted|you must be root|must be run as root|authentication (unavailable|failed)|polkit|access denied/i.test(r.stderr);
const SUDO_REFUSED = /^sudo: (a password is required|a terminal is required|.*is not in the sudoers file.*|.*is not allowed to execute.*|sorry, you must have a tty.*)$/m;
const SUDO_MISSING = (r: CommandResult): boolean => r.exitCode === 127 && /sudo/.test(r.stderr) && !/^sudo: /m.test(r.stderr);

function firstLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(0, n).join(' | ');
}

/** stdout of argv on the host, or a HostToolError saying exactly what went wrong. */
export async function runHostTool(run: CommandRunner, argv: string[], o: HostToolOptions): Promise<string> {
  const tool = argv[0];
  const ok = (r: CommandResult): boolean => r.exitCode !== null && (o.okCodes ?? [0]).includes(r.exitCode);
  const missing = (): HostToolError =>
    new HostToolError(tool, 'missing', `${tool} is not installed on ${o.host} (or not on the login's PATH)${PACKAGES[tool] ? `; package: ${PACKAGES[tool]}` : ''}.`);
  const viaSudo = async (firstError?: CommandResult): Promise<string> => {
    const r = await run(['sudo', '-n', ...argv]);
    if (ok(r)) return r.stdout;
    const why = firstError ? ` (${firstLines(firstError.stderr, 1)})` : '';
    if (SUDO_MISSING(r)) throw new HostToolError(tool, 'refused', `${tool} needs root on ${o.host}${why}, and sudo is not installed there.`, r.stderr);
    const refusal = SUDO_REFUSED.exec(r.stderr);
    if (refusal) {
      throw new HostToolError(tool, 'refused',
        `${tool} needs root on ${o.host}${why}, and sudo -n was refused: ${refusal[0]}. Allow it without a password (NOPASSWD) or log in as root.`, r.stderr);
    }
    if (/^sudo: .*command not found$/m.test(r.stderr) || NOT_FOUND(r)) throw missing();
    throw new HostToolError(tool, 'failed', `sudo -n ${tool} on ${o.host} failed (exit ${r.exitCode ?? 'none'}): ${firstLines(r.stderr) || '(no message)'}`, r.stderr);
  };
  if (o.sudo === 'always' && !o.isRoot) return viaSudo();
  const r = await run(argv);
  if (ok(r)) return r.stdout;
  if (NOT_FOUND(r) && !NO_RIGHTS(r)) throw missing();
  if (NO_RIGHTS(r)) {
    if (o.sudo === 'never' || o.isRoot) {
      throw new HostToolError(tool, 'refused', `${tool} needs more rights on ${o.host}: ${firstLines(r.stderr, 1)}${o.isRoot ? '' : ' (sudo is set to never for this host)'}.`, r.stderr);
    }
    return viaSudo(r);
  }
  if (r.exitCode === null) throw new HostToolError(tool, 'failed', `${tool} on ${o.host} did not finish (connection lost or killed).`, r.stderr);
  throw new HostToolError(tool, 'failed', `${tool} on ${o.host} failed (exit ${r.exitCode}): ${firstLines(r.stderr) || '(no message)'}`, r.stderr);
}
