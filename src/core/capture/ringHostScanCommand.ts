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
import { DEFAULT_RING_BASE_DIR, ringCaptureDir, RingInputError } from './ringCaptureCommand';
import type { SudoMode } from './remoteCaptureCommand';

/** The process table columns the scan asks for (procps-ng); args last, as it may hold spaces. */
export const RING_SCAN_PS_COMMAND = 'ps -eo pid=,ppid=,pgid=,user:32=,etimes=,args=';

// $1 base dir. Sections: header, hidepid of /proc (non-root users then see only their own processes),
// the process table lines that mention the base dir, then one block per capture directory.
const SCAN_SCRIPT = [
  'b=$1',
  'echo "ring-scan $(id -u) $(id -un) $(date +%s)"',
  'h=$(awk \'$2 == "/proc" && $3 == "proc" { print $4; exit }\' /proc/mounts 2>/dev/null | tr "," "\\n" | sed -n "s/^hidepid=//p")',
  'echo "ring-hidepid ${h:-0}"',
  'echo "ring-ps"',
  `{ ${RING_SCAN_PS_COMMAND} 2>/dev/null || echo "ring-ps-failed"; } | grep -F -e "$b/" -e ring-ps-failed`,
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
const STOP_SCRIPT = [
  'd=$1; z=; case "$2" in always) z="sudo -n" ;; auto) [ "$(id -u)" = 0 ] || z="sudo -n" ;; esac; shift 2',
  'mine() { a=$(ps -o args= -p "$1" 2>/dev/null) || return 1; case "$a" in *" -w $d/ring"*) return 0 ;; esac; return 1; }',
  'left=; r=0',
  'for p in "$@"; do',
  '  case "$p" in ""|*[!0-9]*) continue ;; esac',
  '  mine "$p" || { echo "ring-gone $p"; continue; }',
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

// $1 capture dir, $2 sudo mode. Refuses while a tcpdump still writes there; prints the KiB freed.
const DELETE_SCRIPT = [
  'd=$1; z=; case "$2" in always) z="sudo -n" ;; auto) [ "$(id -u)" = 0 ] || z="sudo -n" ;; esac',
  '[ -d "$d" ] || { echo "ring-error no-directory" >&2; exit 4; }',
  // The table is read whole before grep starts, so grep's own command line is not in it.
  `t=$(${RING_SCAN_PS_COMMAND} 2>/dev/null); w=$(printf "%s\\n" "$t" | grep -F -e " -w $d/ring" | head -n 1)`,
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

export function buildRingHostScanCommand(baseDir = DEFAULT_RING_BASE_DIR): string {
  return `exec /bin/sh -c ${quoteShellArg(SCAN_SCRIPT)} ring-scan ${quoteShellArg(checkedBase(baseDir))}`;
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

/** What the stop script reported: pids signalled, gone before the signal, refused (no sudo), still alive. */
export interface RingStopFoundResult {
  signalled: number[];
  gone: number[];
  needsSudo: number[];
  stillRunning: number[];
}

export function parseRingStopFoundOutput(stdout: string, stderr: string): RingStopFoundResult {
  const pids = (text: string, re: RegExp): number[] => [...text.matchAll(re)].map((m) => Number(m[1]));
  return {
    signalled: pids(stdout, /^ring-signalled (\d+)/gm),
    gone: pids(stdout, /^ring-gone (\d+)$/gm),
    needsSudo: pids(stderr, /^ring-error needs-sudo kill (\d+)$/gm),
    stillRunning: pids(stdout, /^ring-still-running (\d+)$/gm),
  };
}

export type RingDeleteResult =
  | { kind: 'deleted'; freedKiB: number }
  | { kind: 'needs-sudo' | 'still-running' | 'no-directory'; detail: string }
  | { kind: 'failed'; detail: string };

export function parseRingDeleteOutput(stdout: string, stderr: string, code: number | null): RingDeleteResult {
  const err = /^ring-error (needs-sudo|still-running|no-directory)(?: (.*))?$/m.exec(stderr);
  if (err) return { kind: err[1] as 'needs-sudo' | 'still-running' | 'no-directory', detail: (err[2] ?? '').trim() };
  const m = /^ring-deleted (\d+)$/m.exec(stdout);
  if (code === 0 && m) return { kind: 'deleted', freedKiB: Number(m[1]) };
  return { kind: 'failed', detail: `exit ${code ?? 'none'}: ${stderr.trim() || stdout.trim() || '(no message)'}` };
}
