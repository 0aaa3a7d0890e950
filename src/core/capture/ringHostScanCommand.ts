/**
 * Finding the ring-buffer captures on a host that this window does not know (another machine, a lost
 * workspace state, a colleague): one read-only scan of the process table and of the ring directory
 * layout, and the two clean-up actions (stop the tcpdumps, delete a ring's directory).
 *
 * Scripts are constants; the base directory, capture directory and pids reach them only as quoted
 * positional parameters (validated first). The stop script re-checks every pid's command line before
 * signalling it, so a pid reused since the scan is never killed.
 */
import { quoteShellArg } from './shellQuote';
import { DEFAULT_RING_BASE_DIR, PID_GONE_FUNCTION, ringCaptureDir, RingInputError } from './ringCaptureCommand';
import type { SudoMode } from './remoteCaptureCommand';

/** The process table columns the scan asks for (procps-ng); args last, as it may hold spaces. */
export const RING_SCAN_PS_COMMAND = 'ps -eo pid=,ppid=,pgid=,user:32=,etimes=,args=';

// Needs z (the sudo prefix or empty). Sets h (/proc's hidepid, 0 = none, unknown = hidden otherwise), s (why sudo
// cannot help: sudo-off / sudo-refused) and v, how this login sees the whole process table: "" (plain ps does),
// "sudo -n" (hidepid hides other users' processes, `sudo -n ps` shows them) or "-" (it cannot: hidepid, not root, not
// in /proc's gid= group, and sudo off or refused); pv is the prefix for ps. A second procfs mounted over /proc has its
// own options (kernel 5.8+): the last /proc line of the mount table is the one ps reads.
const PROCESS_VIEW = [
  'o=$(awk \'$2 == "/proc" && $3 == "proc" { o = $4 } END { print o }\' /proc/mounts 2>/dev/null | tr "," "\\n")',
  'h=$(printf "%s\\n" "$o" | sed -n "s/^hidepid=//p"); g=$(printf "%s\\n" "$o" | sed -n "s/^gid=//p"); h=${h:-0}',
  // Whatever the mount table says: a non-root login whose ps cannot see pid 1 does not see every process.
  'case "$h" in 0|off) [ "$(id -u)" = 0 ] || ! command -v ps >/dev/null 2>&1 || ps -p 1 -o pid= >/dev/null 2>&1 || h=unknown ;; esac',
  'v=; s=sudo-off; [ -n "$z" ] && s=sudo-refused',
  'case "$h" in 0|off) ;; *)',
  '  if [ "$(id -u)" != 0 ] && ! { [ -n "$g" ] && id -G | tr " " "\\n" | grep -qx -- "$g"; }; then',
  '    v=-; [ -n "$z" ] && $z ps -p 1 -o pid= >/dev/null 2>&1 && v=$z',
  '  fi ;;',
  'esac',
  'pv=$v; [ "$v" = - ] && pv=',
];

const SUDO_PREFIX = 'z=; case "$2" in always) z="sudo -n" ;; auto) [ "$(id -u)" = 0 ] || z="sudo -n" ;; esac';

// $1 base dir, $2 sudo mode. Sections: header, hidepid of /proc and how the process table was read (all: plain ps
// sees everything; sudo: through `sudo -n ps`; own: only this login's processes), the process table lines that
// mention the base dir, then one block per capture directory.
const SCAN_SCRIPT = [
  'b=$1',
  SUDO_PREFIX,
  'echo "ring-scan $(id -u) $(id -un) $(date +%s)"',
  ...PROCESS_VIEW,
  'echo "ring-hidepid $h"',
  'case "$v" in "") echo "ring-ps-view all" ;; -) echo "ring-ps-view own" ;; *) echo "ring-ps-view sudo" ;; esac',
  'echo "ring-ps"',
  `{ $pv ${RING_SCAN_PS_COMMAND} 2>/dev/null || echo "ring-ps-failed"; } | grep -F -e "$b/" -e ring-ps-failed`,
  'echo "ring-dirs"',
  '[ -d "$b" ] || { echo "ring-nobase"; exit 0; }',
  '[ -r "$b" ] && [ -x "$b" ] || { echo "ring-unreadable-base"; exit 0; }',
  'for d in "$b"/*/; do',
  '  [ -d "$d" ] || continue',
  '  d=${d%/}; n=${d##*/}',
  // Only names a capture id can have: a name with a newline could otherwise fake lines of the report.
  '  case "$n" in *[!A-Za-z0-9_.-]*) continue ;; esac',
  '  echo "ring-dir $(stat -c "%U %Y" -- "$d") $n"',
  '  [ -r "$d/state" ] && sed "s/^/state /" "$d/state"',
  // One stat per directory, not per file: a ring can hold thousands of files.
  '  (cd -- "$d" 2>/dev/null && { stat -c "file %s %Y %n" -- * 2>/dev/null; :; }) || echo "ring-unreadable"',
  'done',
  'exit 0',
].join('\n');

// $1 capture dir, $2 sudo mode, then pids. A pid is signalled only while its command line still writes
// into $1 (tcpdump, its timeout and sudo all carry `-w $1/ring…`). TERM: tcpdump flushes and exits.
// When hidepid hides it and sudo cannot show it (or there is no ps), a pid is "gone" only if kill -0 says so
// (ESRCH; kill does not go through /proc): a live pid we cannot check is said so, never called gone.
const STOP_SCRIPT = [
  `d=$1; ${SUDO_PREFIX}; shift 2`,
  PID_GONE_FUNCTION,
  ...PROCESS_VIEW,
  'u=$(id -un); psok=; command -v ps >/dev/null 2>&1 && psok=1',
  // 0: it still writes into $1; 1: another command line; 2: ps does not show the pid.
  'mine() { a=$($pv ps -o args= -p "$1" 2>/dev/null) || return 2; case "$a" in *" -w $d/ring"*) return 0 ;; esac; return 1; }',
  'left=; r=0',
  'for p in "$@"; do',
  '  case "$p" in ""|*[!0-9]*) continue ;; esac',
  '  mine "$p"; m=$?',
  // Not shown by a ps that cannot see everything (hidepid, or no ps at all): only kill -0's ESRCH proves it gone. A
  // pid kill -0 may even signal can still be hidden (sudo: our real uid, root's /proc entry).
  '  if [ "$m" = 2 ] && { [ -z "$psok" ] || [ "$v" = - ]; }; then',
  '    if ! pid_gone "$p"; then',
  '      if [ -z "$psok" ]; then echo "ring-error cannot-verify $p ps-failed" >&2; else echo "ring-error cannot-verify $p hidepid=$h $u $s" >&2; fi',
  '      r=7; continue',
  '    fi',
  '  fi',
  '  [ "$m" = 0 ] || { echo "ring-gone $p"; continue; }',
  '  if kill -s TERM "$p" 2>/dev/null; then echo "ring-signalled $p"',
  '  elif [ -n "$z" ] && $z kill -s TERM "$p" 2>/dev/null; then echo "ring-signalled $p sudo"',
  // Signalling the timeout first ends tcpdump too: a kill that failed because the pid is gone is fine.
  '  elif ! mine "$p"; then echo "ring-gone $p"; continue',
  '  else echo "ring-error needs-sudo kill $p" >&2; r=5; continue; fi',
  '  left="$left $p"',
  'done',
  'k=0; for p in $left; do while mine "$p" && [ "$k" -lt 100 ]; do sleep 0.1; k=$((k+1)); done; done',
  'for p in $left; do if mine "$p"; then echo "ring-still-running $p"; r=6; fi; done',
  'exit $r',
].join('\n');

// $1 capture dir, $2 sudo mode. Refuses while a tcpdump still writes there, and whenever it cannot see every
// process (hidepid without root or usable sudo, or ps failing): deleting a running ring's files is never a guess.
// Prints the KiB freed.
const DELETE_SCRIPT = [
  `d=$1; ${SUDO_PREFIX}`,
  '[ -d "$d" ] || { echo "ring-error no-directory" >&2; exit 4; }',
  ...PROCESS_VIEW,
  '[ "$v" = - ] && { echo "ring-error cannot-verify hidepid=$h $(id -un) $s" >&2; exit 7; }',
  // The table is read whole before grep starts, so grep's own command line is not in it.
  `t=$($pv ${RING_SCAN_PS_COMMAND} 2>/dev/null) && [ -n "$t" ] || { echo "ring-error cannot-verify ps-failed" >&2; exit 7; }`,
  'w=$(printf "%s\\n" "$t" | grep -F -e " -w $d/ring" | head -n 1)',
  '[ -n "$w" ] && { echo "ring-error still-running $w" >&2; exit 3; }',
  'k=$(du -sk -- "$d" 2>/dev/null | cut -f1)',
  'rm -rf -- "$d" 2>/dev/null',
  'if [ -e "$d" ] && [ -n "$z" ]; then $z rm -rf -- "$d" 2>/dev/null; fi',
  '[ -e "$d" ] && { echo "ring-error needs-sudo rm $d" >&2; exit 5; }',
  'echo "ring-deleted ${k:-0}"',
].join('\n');

function checkedBase(baseDir: string): string {
  // ringCaptureDir validates the base directory (absolute, plain characters, no '..').
  return ringCaptureDir('x', baseDir).replace(/\/x$/, '');
}

/** `sudo` is the host's sudo mode: under hidepid a non-root login lists other users' processes through `sudo -n ps`. */
export function buildRingHostScanCommand(baseDir = DEFAULT_RING_BASE_DIR, sudo: SudoMode = 'never'): string {
  return `exec /bin/sh -c ${quoteShellArg(SCAN_SCRIPT)} ring-scan ${[checkedBase(baseDir), sudo].map(quoteShellArg).join(' ')}`;
}

export function buildRingStopFoundCommand(captureId: string, baseDir: string, pids: readonly number[], sudo: SudoMode): string {
  const dir = ringCaptureDir(captureId, baseDir);
  for (const p of pids) if (!Number.isInteger(p) || p <= 1) throw new RingInputError(`not a process id: ${p}`);
  if (pids.length === 0) throw new RingInputError(`no process to stop for ${captureId}`);
  return `exec /bin/sh -c ${quoteShellArg(STOP_SCRIPT)} ring-stop-found ${[dir, sudo, ...pids.map(String)].map(quoteShellArg).join(' ')}`;
}

export function buildRingDeleteCommand(captureId: string, baseDir: string, sudo: SudoMode): string {
  return `exec /bin/sh -c ${quoteShellArg(DELETE_SCRIPT)} ring-delete ${[ringCaptureDir(captureId, baseDir), sudo].map(quoteShellArg).join(' ')}`;
}

/**
 * Why a script could not see every process on the host, so could not tell whether a tcpdump still runs: /proc hides
 * other users' processes (hidepid) from this non-root login and sudo is off for the host or refused `ps`; or ps failed.
 */
export type RingProcessBlindness =
  | { kind: 'hidepid'; hidepid: string; user: string; sudo: 'off' | 'refused' }
  | { kind: 'ps-failed' };

/** For the user, e.g. "/proc is mounted hidepid=2, so ops sees only its own processes, and ops has no sudo rights…". */
export function describeRingProcessBlindness(b: RingProcessBlindness): string {
  if (b.kind === 'ps-failed') return '`ps` failed on the host';
  const hides = b.hidepid === 'unknown' ? `/proc does not show pid 1 to ${b.user}, so it does not see every process,`
    : `/proc is mounted hidepid=${b.hidepid}, so ${b.user} sees only its own processes,`;
  const sudo = b.sudo === 'off' ? 'sudo is off for this host (its sudo setting is "never")' : `${b.user} has no sudo rights for \`ps\` there (\`sudo -n ps\` was refused)`;
  return `${hides} and ${sudo}`;
}

/** The reason the scripts print after `ring-error cannot-verify [pid]`; blindnessFrom reads its groups. */
const CANNOT_VERIFY_REASON = '(?:hidepid=(\\S+) (\\S+) (sudo-off|sudo-refused)|ps-failed)';

function blindnessFrom(m: RegExpMatchArray, group: number): RingProcessBlindness {
  if (m[group] === undefined) return { kind: 'ps-failed' };
  return { kind: 'hidepid', hidepid: m[group], user: m[group + 1], sudo: m[group + 2] === 'sudo-off' ? 'off' : 'refused' };
}

/**
 * What the stop script reported: pids signalled, gone before the signal, refused (no sudo), still alive, and pids it
 * could not check (hidden by hidepid, or no ps; alive by kill -0): neither signalled nor called gone.
 */
export interface RingStopFoundResult {
  signalled: number[];
  gone: number[];
  needsSudo: number[];
  stillRunning: number[];
  cannotVerify: number[];
  /** Set when cannotVerify is not empty. */
  blindness?: RingProcessBlindness;
}

export function parseRingStopFoundOutput(stdout: string, stderr: string): RingStopFoundResult {
  const pids = (text: string, re: RegExp): number[] => [...text.matchAll(re)].map((m) => Number(m[1]));
  const hidden = [...stderr.matchAll(new RegExp(`^ring-error cannot-verify (\\d+) ${CANNOT_VERIFY_REASON}$`, 'gm'))];
  const first = hidden.at(0);
  return {
    signalled: pids(stdout, /^ring-signalled (\d+)/gm),
    gone: pids(stdout, /^ring-gone (\d+)$/gm),
    needsSudo: pids(stderr, /^ring-error needs-sudo kill (\d+)$/gm),
    stillRunning: pids(stdout, /^ring-still-running (\d+)$/gm),
    cannotVerify: hidden.map((m) => Number(m[1])),
    ...(first ? { blindness: blindnessFrom(first, 2) } : {}),
  };
}

export type RingDeleteResult =
  | { kind: 'deleted'; freedKiB: number }
  | { kind: 'needs-sudo' | 'still-running' | 'no-directory'; detail: string }
  | { kind: 'cannot-verify'; blindness: RingProcessBlindness }
  | { kind: 'failed'; detail: string };

export function parseRingDeleteOutput(stdout: string, stderr: string, code: number | null): RingDeleteResult {
  const hidden = new RegExp(`^ring-error cannot-verify ${CANNOT_VERIFY_REASON}$`, 'm').exec(stderr);
  if (hidden) return { kind: 'cannot-verify', blindness: blindnessFrom(hidden, 1) };
  const err = /^ring-error (needs-sudo|still-running|no-directory)(?: (.*))?$/m.exec(stderr);
  if (err) return { kind: err[1] as 'needs-sudo' | 'still-running' | 'no-directory', detail: (err[2] ?? '').trim() };
  const m = /^ring-deleted (\d+)$/m.exec(stdout);
  if (code === 0 && m) return { kind: 'deleted', freedKiB: Number(m[1]) };
  return { kind: 'failed', detail: `exit ${code ?? 'none'}: ${stderr.trim() || stdout.trim() || '(no message)'}` };
}
