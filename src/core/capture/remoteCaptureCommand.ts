/**
 * The command line that runs tcpdump on a remote host over an SSH exec channel and guarantees it
 * ends on every way of stopping (see recipes/remote-capture.md, form F8): a `timeout` ceiling, a
 * PID handshake on stderr, a watchdog that stops tcpdump on stdin EOF or a missing heartbeat, and
 * a signal trap. The script is a constant; user data reaches it only as positional parameters,
 * each quoted by `quoteShellArg`, so nothing untrusted is ever spliced into shell text.
 */
import type { CaptureOptions } from './captureOptions';
import { REMOTE_HEARTBEAT_TIMEOUT_SEC } from './captureOptions';
import { quoteShellArg } from './shellQuote';
import { validateBoundedInteger, validateFilterText, validateInterfaceName } from './validateCaptureInput';

export type SudoMode = 'auto' | 'always' | 'never';

export interface RemoteCaptureCommandOptions extends CaptureOptions {
  sudo: SudoMode;
  /** Exclude this SSH connection's own packets (read from $SSH_CONNECTION on the host). */
  excludeOwnSsh: boolean;
  /** Seconds without a heartbeat line before the watchdog stops tcpdump; 0 = only stdin EOF. */
  heartbeatTimeoutSec?: number;
}

// $1 ceiling  $2 iface  $3 filter  $4 heartbeat s  $5 snaplen  $6 count  $7 sudo mode  $8 exclude ssh
const CAPTURE_SCRIPT = [
  'exec 3<&0 </dev/null',
  't=$(PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin" command -v tcpdump) || { echo "rcap-error tcpdump-missing" >&2; exit 127; }',
  'z=',
  'case "$7" in always) z="sudo -n" ;; auto) [ "$(id -u)" = 0 ] || z="sudo -n" ;; esac',
  'f="$3"',
  'if [ "$8" = 1 ] && [ -n "$SSH_CONNECTION" ]; then',
  '  set -f; set -- "$@" $SSH_CONNECTION; set +f',
  '  case "$9${10}${11}${12}" in',
  '    *[!0-9A-Fa-f.:]*) ;;',
  '    *) x="not (host $9 and host ${11} and tcp port ${10} and tcp port ${12})"',
  '       if [ -n "$f" ]; then f="($f) and $x"; else f="$x"; fi ;;',
  '  esac',
  'fi',
  'echo "rcap-filter $f" >&2',
  'c=; [ "$6" -gt 0 ] && c="-c $6"',
  'timeout -s INT -k 5 "$1" $z "$t" ${z:+-Z "$(id -un)"} -i "$2" -s "$5" $c -U --immediate-mode -w - -- "$f" &',
  'p=$!',
  'echo "rcap-pid $$ $p" >&2',
  'trap \'kill -INT "$p" 2>/dev/null\' INT TERM HUP',
  '{ if [ "$4" -gt 0 ]; then while read -r -t "$4" _; do :; done; else while read -r _; do :; done; fi',
  '  kill -INT "$p"; } <&3 >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  'wait "$p"; rc=$?',
  'while [ "$rc" -gt 128 ] && kill -0 "$p" 2>/dev/null; do wait "$p"; rc=$?; done',
  'kill "$w" 2>/dev/null',
  'exit "$rc"',
].join('\n');

/** Builds the exec command string for one remote capture. Throws CaptureInputError on bad input. */
export function buildRemoteCaptureCommand(o: RemoteCaptureCommandOptions): string {
  const iface = validateInterfaceName(o.iface);
  const filter = validateFilterText(o.filter);
  const ceiling = validateBoundedInteger('maxDurationSec', o.maxDurationSec, 1, 7 * 24 * 3600);
  const snaplen = validateBoundedInteger('snaplen', o.snaplen === 0 ? 262144 : o.snaplen, 14, 262144);
  const count = validateBoundedInteger('maxPackets', o.maxPackets, 0, 2 ** 31 - 1);
  const hb = o.heartbeatTimeoutSec ?? REMOTE_HEARTBEAT_TIMEOUT_SEC;
  const args = [String(ceiling), iface, filter, String(hb), String(snaplen), String(count), o.sudo, o.excludeOwnSsh ? '1' : '0'];
  // --norc: Debian's bash sources ~/.bashrc for ssh commands, which may print or fork a lot.
  return `exec /bin/bash --norc -c ${quoteShellArg(CAPTURE_SCRIPT)} rcap ${args.map(quoteShellArg).join(' ')}`;
}

/**
 * Checks a filter on the remote host without opening a device (tcpdump 4.99+ `-d -y`); exit 0
 * means valid, anything else carries tcpdump's message on stderr.
 */
export function buildFilterCheckCommand(filter: string, linkTypeName = 'EN10MB'): string {
  const f = validateFilterText(filter);
  if (!/^[A-Z0-9_]{2,32}$/.test(linkTypeName)) throw new Error(`invalid link type name ${linkTypeName}`);
  const script = [
  't=$(PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin" command -v tcpdump) || { echo "rcap-error tcpdump-missing" >&2; exit 127; }',
  'exec "$t" -d -y "$1" -- "$2" >/dev/null',
].join('\n');
  return `exec /bin/bash --norc -c ${quoteShellArg(script)} rcap-check ${quoteShellArg(linkTypeName)} ${quoteShellArg(f)}`;
}
