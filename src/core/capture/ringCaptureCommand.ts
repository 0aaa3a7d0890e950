/**
 * Long-running ring-buffer captures that survive the SSH connection: `start` launches tcpdump detached
 * (setsid + nohup, `timeout` as a ceiling) writing rotating files into a per-capture directory, and
 * records pid and parameters in `<dir>/state`; `status` and `stop` read that state later, from any
 * connection. Scripts are constants; user data reaches them only as quoted positional parameters.
 *
 * Rotation: tcpdump 4.0+ rotates by time (`-G`, strftime names). `-W` with `-G` alone makes tcpdump
 * EXIT after W files (man tcpdump), so the ring is kept by a small pruner beside it that deletes all but
 * the newest W files. Older tcpdump rotates by size only (`-C` MB with `-W` files: its own ring).
 * `-Z <login user>` keeps the files writable after tcpdump drops root (the seed's "ring-…pcap0:
 * Permission denied" on rotation).
 */
import { quoteShellArg } from './shellQuote';
import { validateFilterText, validateInterfaceName } from './validateCaptureInput';
import type { RingRotation } from './tcpdumpVersion';
import type { SudoMode } from './remoteCaptureCommand';

export class RingInputError extends Error {
  override readonly name = 'RingInputError';
}

export interface RingCaptureOptions {
  /** Names the capture directory under baseDir: letters, digits, '_', '-', '.'. */
  captureId: string;
  /** Absolute directory holding the per-capture directories; default /var/tmp/hopscope-ring. */
  baseDir?: string;
  iface: string;
  filter: string;
  snaplen?: number;
  rotation: RingRotation;
  /** -G seconds per file (time rotation). */
  rotateSeconds?: number;
  /** Files kept (-W). */
  fileCount: number;
  /** -C megabytes per file: required for size rotation, optional extra cut for time rotation (0 = none). */
  fileSizeMb?: number;
  /** Ceiling enforced by `timeout` on the host. */
  maxDurationSec: number;
  sudo: SudoMode;
  /** Who started it (`user@machine` of the VS Code side), recorded in the state file for other windows. */
  startedBy?: string;
  /** Hopscope's version, recorded in the state file. */
  hopscopeVersion?: string;
}

export const DEFAULT_RING_BASE_DIR = '/var/tmp/hopscope-ring';

function bounded(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RingInputError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  return v;
}

/** The capture's directory on the host, validated (absolute, plain characters, no '..'). */
export function ringCaptureDir(captureId: string, baseDir = DEFAULT_RING_BASE_DIR): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(captureId) || captureId.includes('..')) {
    throw new RingInputError(`invalid capture id ${JSON.stringify(captureId)}: 1-64 of A-Z a-z 0-9 _ . - (not starting with . or -)`);
  }
  if (!/^\/[A-Za-z0-9_./-]{0,200}$/.test(baseDir) || baseDir.split('/').includes('..')) {
    throw new RingInputError(`invalid base directory ${JSON.stringify(baseDir)}: an absolute path of A-Z a-z 0-9 _ . - /`);
  }
  return `${baseDir.replace(/\/+$/, '')}/${captureId}`;
}

/**
 * A label for the state file's `startedby=`/`hopscope=` lines: one line of plain characters (others
 * become '_'), so a state file stays one key=value per line whatever the local user or machine name.
 */
export function ringStateLabel(text: string, max = 128): string {
  return text.replace(/[^A-Za-z0-9_.@+:-]/g, '_').slice(0, max);
}

// $1 dir $2 ceiling $3 iface $4 filter $5 snaplen $6 -G s $7 -W n $8 -C MB $9 sudo mode ${10} rotation ${11} pruner script
// ${12} started by ${13} Hopscope version
const START_SCRIPT = [
  'umask 022',
  't=$(PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin" command -v tcpdump) || { echo "ring-error tcpdump-missing" >&2; exit 127; }',
  'd=$1; c=$2; i=$3; f=$4; s=$5; g=$6; n=$7; m=$8; r=${10}; ps=${11}; by=${12}; hv=${13}',
  'z=; case "$9" in always) z="sudo -n" ;; auto) [ "$(id -u)" = 0 ] || z="sudo -n" ;; esac',
  // The base is shared by every login on the host (sticky, like /tmp): each ring directory belongs to the login that
  // made it, and one made in advance by someone else (or a symlink) is refused rather than written through.
  'b=${d%/*}',
  '[ -d "$b" ] || { mkdir -p -- "$b" && chmod 1777 -- "$b"; } || { echo "ring-error mkdir $b" >&2; exit 2; }',
  'mkdir -p -- "$d" || { echo "ring-error mkdir $d" >&2; exit 2; }',
  '{ [ -O "$d" ] && [ ! -L "$d" ]; } || { echo "ring-error not-owner $d" >&2; exit 2; }',
  'if [ -f "$d/state" ]; then',
  '  op=$(sed -n "s/^pid=//p" "$d/state")',
  '  if [ -n "$op" ] && kill -0 "$op" 2>/dev/null; then echo "ring-error already-running $op" >&2; exit 3; fi',
  'fi',
  'rm -f -- "$d"/ring*.pcap*',
  'if [ "$r" = time ]; then',
  '  set -- -G "$g"; w="$d/ring-%Y%m%d-%H%M%S.pcap"',
  '  [ "$m" -gt 0 ] && set -- "$@" -C "$m"',
  'else',
  '  set -- -C "$m" -W "$n"; w="$d/ring.pcap"',
  'fi',
  'ss=; command -v setsid >/dev/null 2>&1 && ss=setsid',
  'u=$(id -un)',
  '$ss nohup timeout -s TERM -k 5 "$c" $z "$t" -Z "$u" -i "$i" -s "$s" -n -U "$@" -w "$w" -- "$f" </dev/null >>"$d/tcpdump.log" 2>&1 &',
  'p=$!',
  'q=',
  'if [ "$r" = time ]; then $ss nohup /bin/sh -c "$ps" ring-prune "$d" "$n" "$p" </dev/null >/dev/null 2>&1 & q=$!; fi',
  '{ echo "pid=$p"; echo "pgroup=${ss:+$p}"; echo "pruner=$q"; echo "started=$(date +%s)"; echo "tzoffset=$(date +%z)"',
  '  echo "rotation=$r"; echo "seconds=$g"; echo "files=$n"; echo "megabytes=$m"; echo "iface=$i"; echo "ceiling=$c"',
  '  echo "snaplen=$s"; echo "user=$u"; echo "startedby=$by"; echo "hopscope=$hv"',
  '  printf "filter=%s\\n" "$f"; } >"$d/state.tmp" && mv -f -- "$d/state.tmp" "$d/state"',
  'echo "ring-started $p $d"',
].join('\n');

// $1 dir $2 files kept $3 tcpdump's (timeout's) pid
const PRUNE_SCRIPT = [
  'prune() { ls -1 "$1" 2>/dev/null | grep "^ring-[0-9]\\{8\\}-[0-9]\\{6\\}\\.pcap" | sort -r | awk -v k="$2" "NR>k" | while read -r x; do rm -f -- "$1/$x"; done; }',
  'while kill -0 "$3" 2>/dev/null; do prune "$@"; sleep 1; done',
  'prune "$@"',
].join('\n');

/**
 * Shell function: `pid_gone P` succeeds only when kill -0 says "No such process" (ESRCH). kill -0 also fails for
 * another login's process (EPERM: a ring adopted from a colleague), and ps cannot show a process that /proc hides
 * (hidepid); kill does not go through /proc, so ESRCH is the one proof that a pid is gone.
 */
export const PID_GONE_FUNCTION = 'pid_gone() { e=$(LC_ALL=C kill -0 "$1" 2>&1) && return 1; case "$e" in *"No such process"*) return 0 ;; esac; return 1; }';

const STATUS_SCRIPT = [
  PID_GONE_FUNCTION,
  '[ -f "$1/state" ] || { echo "ring-status absent"; exit 0; }',
  'p=$(sed -n "s/^pid=//p" "$1/state")',
  's=stopped',
  'case "$p" in ""|*[!0-9]*) ;; *) pid_gone "$p" || s=running ;; esac',
  'echo "ring-status $s"',
  'echo "now=$(date +%s)"',
  'cat "$1/state"',
  'echo "ring-files"',
  'cd "$1" && for x in ring*.pcap*; do [ -f "$x" ] && stat -c "%n %Y %s" -- "$x"; done',
  'echo "ring-log"',
  'tail -n 5 "$1/tcpdump.log" 2>/dev/null',
  'exit 0',
].join('\n');

const STOP_SCRIPT = [
  '[ -f "$1/state" ] || { echo "ring-error no-capture $1" >&2; exit 4; }',
  'p=$(sed -n "s/^pid=//p" "$1/state"); g=$(sed -n "s/^pgroup=//p" "$1/state"); q=$(sed -n "s/^pruner=//p" "$1/state")',
  'case "$p" in ""|*[!0-9]*) echo "ring-error bad-state" >&2; exit 4 ;; esac',
  // The group (setsid made timeout its leader) holds timeout, sudo and tcpdump. TERM, not INT: a
  // background job of a non-interactive sh starts with SIGINT ignored. tcpdump flushes on TERM.
  't=$p; [ -n "$g" ] && t="-$g"',
  'kill -s TERM -- "$t" 2>/dev/null',
  'k=0; while kill -0 "$p" 2>/dev/null && [ "$k" -lt 100 ]; do sleep 0.1; k=$((k+1)); done',
  'if kill -0 "$p" 2>/dev/null; then kill -s KILL -- "$t" 2>/dev/null; echo "ring-killed $p"; fi',
  'if [ -n "$q" ]; then k=0; while kill -0 "$q" 2>/dev/null && [ "$k" -lt 50 ]; do sleep 0.1; k=$((k+1)); done; fi',
  'echo "ring-stopped $p"',
].join('\n');

export function buildRingStartCommand(o: RingCaptureOptions): string {
  const dir = ringCaptureDir(o.captureId, o.baseDir);
  const iface = validateInterfaceName(o.iface);
  const filter = validateFilterText(o.filter);
  const snaplen = bounded('snaplen', o.snaplen ?? 262144, 14, 262144);
  const files = bounded('fileCount', o.fileCount, 2, 10000);
  const ceiling = bounded('maxDurationSec', o.maxDurationSec, 1, 30 * 24 * 3600);
  let seconds = 0;
  let mb = bounded('fileSizeMb', o.fileSizeMb ?? 0, 0, 100000);
  if (o.rotation === 'time') seconds = bounded('rotateSeconds', o.rotateSeconds ?? 0, 1, 86400);
  else mb = bounded('fileSizeMb', mb, 1, 100000);
  const args = [dir, String(ceiling), iface, filter, String(snaplen), String(seconds), String(files), String(mb), o.sudo, o.rotation, PRUNE_SCRIPT,
    ringStateLabel(o.startedBy ?? ''), ringStateLabel(o.hopscopeVersion ?? '', 32)];
  return `exec /bin/sh -c ${quoteShellArg(START_SCRIPT)} ring-start ${args.map(quoteShellArg).join(' ')}`;
}

export function buildRingStatusCommand(captureId: string, baseDir?: string): string {
  return `exec /bin/sh -c ${quoteShellArg(STATUS_SCRIPT)} ring-status ${quoteShellArg(ringCaptureDir(captureId, baseDir))}`;
}

export function buildRingStopCommand(captureId: string, baseDir?: string): string {
  return `exec /bin/sh -c ${quoteShellArg(STOP_SCRIPT)} ring-stop ${quoteShellArg(ringCaptureDir(captureId, baseDir))}`;
}
