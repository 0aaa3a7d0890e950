/**
 * The ring captures a host holds, from the scan's report (buildRingHostScanCommand): the process table
 * lines (`ps -eo pid=,ppid=,pgid=,user:32=,etimes=,args=`) and, per directory under the base, the state
 * file and `stat -c 'file %s %Y %n'` lines. Joined by capture id, so a ring shows up whether only its
 * tcpdump runs (its directory was deleted), only its directory is left (tcpdump gone), or both.
 * Pure: unit-tested on output captured from the lab (test/fixtures/ringFind).
 */

export class RingScanParseError extends Error {
  override readonly name = 'RingScanParseError';
}

export type RingProcessRole = 'tcpdump' | 'timeout' | 'sudo' | 'pruner';

export interface RingProcess {
  pid: number;
  ppid: number;
  pgid: number;
  user: string;
  elapsedSec: number;
  args: string;
  role: RingProcessRole;
  captureId: string;
}

export interface RingDirFile { name: string; size: number; mtimeSec: number }

export interface RingDirEntry {
  captureId: string;
  owner: string;
  mtimeSec: number;
  /** key=value lines of its state file (empty when there is none or it is unreadable). */
  params: Record<string, string>;
  files: RingDirFile[];
  /** The scan could not list the directory (permissions). */
  unreadable: boolean;
}

export interface RingHostScan {
  uid: number;
  user: string;
  nowSec: number;
  /**
   * /proc's hidepid option ('0' = every process visible; else a non-root login sees only its own; 'unknown' = no
   * hidepid in the mount table, yet ps does not show pid 1 to this login).
   */
  hidepid: string;
  /**
   * How the process table was read: 'all' (nothing hidden from this login), 'sudo' (hidepid, read through
   * `sudo -n ps`), 'own' (hidepid and no usable sudo: only this login's processes).
   */
  processView: 'all' | 'sudo' | 'own';
  psFailed: boolean;
  baseMissing: boolean;
  baseUnreadable: boolean;
  processes: RingProcess[];
  dirs: RingDirEntry[];
}

/** One ring found on the host; `state` says which halves exist. */
export interface FoundRing {
  captureId: string;
  /**
   * running: its tcpdump runs; stopped: only the directory is left; no-directory: tcpdump writes into a deleted
   * directory; unknown: no tcpdump in sight, but the scan could not have seen it (hidepid without sudo, and the ring
   * may belong to another login; or `ps` failed), so it may be running.
   */
  state: 'running' | 'unknown' | 'stopped' | 'no-directory';
  iface?: string;
  filter?: string;
  snaplen?: number;
  startedSec?: number;
  ageSec?: number;
  /** `user@machine` that started it (state file), when recorded. */
  startedBy?: string;
  /** Login that runs it on the host (state file, else the process or directory owner). */
  owner?: string;
  hopscopeVersion?: string;
  rotation?: string;
  /** Ring files (ring*.pcap*) in the directory. */
  fileCount: number;
  /** Bytes of every file in the directory (ring files, state, log). */
  diskBytes: number;
  /** tcpdump, timeout and sudo processes writing into the directory: what Stop signals. */
  pids: number[];
  /** The pid the state file records (the `timeout` around tcpdump): what Stop checks for an `unknown` ring. */
  statePid?: number;
  hasStateFile: boolean;
}

const CAPTURE_ID = '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function roleOf(args: string, base: string): { role: RingProcessRole; captureId: string } | undefined {
  const argv0 = (args.split(' ')[0] ?? '').replace(/^.*\//, '');
  const b = escapeRegExp(base.replace(/\/+$/, ''));
  if (argv0 === 'tcpdump' || argv0 === 'timeout' || argv0 === 'sudo') {
    const m = new RegExp(`\\s-w ${b}/(${CAPTURE_ID})/ring[-.]`).exec(args);
    return m ? { role: argv0, captureId: m[1] } : undefined;
  }
  if (argv0 === 'sh' || argv0 === 'bash' || argv0 === 'dash') {
    const m = new RegExp(`\\sring-prune ${b}/(${CAPTURE_ID}) \\d+ \\d+$`).exec(args);
    return m ? { role: 'pruner', captureId: m[1] } : undefined;
  }
  return undefined;
}

/**
 * The ring processes among `ps -eo pid=,ppid=,pgid=,user:32=,etimes=,args=` lines: tcpdump, the
 * `timeout` and `sudo` around it, and the pruner, each with the capture id its command line names.
 * Every other line (grep, the scan itself, a `less` of a log…) is ignored.
 */
export function parseRingProcesses(text: string, baseDir: string): RingProcess[] {
  const out: RingProcess[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(.+)$/.exec(line);
    if (!m) continue;
    const role = roleOf(m[6], baseDir);
    if (!role) continue;
    out.push({ pid: +m[1], ppid: +m[2], pgid: +m[3], user: m[4], elapsedSec: +m[5], args: m[6], ...role });
  }
  return out;
}

export function parseRingHostScan(text: string, baseDir: string): RingHostScan {
  const lines = text.split('\n');
  // A login script may print before the report: start at its header.
  const start = lines.findIndex((l) => l.startsWith('ring-scan '));
  const head = /^ring-scan (\d+) (\S+) (\d+)$/.exec(lines[start] ?? '');
  if (!head) throw new RingScanParseError(`not a ring scan report: ${JSON.stringify(text.slice(0, 120))}`);
  const scan: RingHostScan = {
    uid: +head[1], user: head[2], nowSec: +head[3], hidepid: '0', processView: 'all', psFailed: false, baseMissing: false, baseUnreadable: false, processes: [], dirs: [],
  };
  let section: 'head' | 'ps' | 'dirs' = 'head';
  const psLines: string[] = [];
  let dir: RingDirEntry | undefined;
  let sawView = false;
  for (const line of lines.slice(start + 1)) {
    if (line === 'ring-ps') { section = 'ps'; continue; }
    if (line === 'ring-dirs') { section = 'dirs'; continue; }
    if (section === 'head') {
      const h = /^ring-hidepid (\S+)$/.exec(line);
      if (h) scan.hidepid = h[1];
      const v = /^ring-ps-view (all|sudo|own)$/.exec(line);
      if (v) { scan.processView = v[1] as RingHostScan['processView']; sawView = true; }
      continue;
    }
    if (section === 'ps') {
      if (line === 'ring-ps-failed') scan.psFailed = true;
      else psLines.push(line);
      continue;
    }
    if (line === 'ring-nobase') { scan.baseMissing = true; continue; }
    if (line === 'ring-unreadable-base') { scan.baseUnreadable = true; continue; }
    const d = /^ring-dir (\S+) (\d+) (\S+)$/.exec(line);
    if (d) {
      dir = { captureId: d[3], owner: d[1], mtimeSec: +d[2], params: {}, files: [], unreadable: false };
      if (new RegExp(`^${CAPTURE_ID}$`).test(d[3]) && !d[3].includes('..')) scan.dirs.push(dir);
      continue;
    }
    if (!dir || line === '') continue;
    if (line === 'ring-unreadable') { dir.unreadable = true; continue; }
    const s = /^state ([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (s) { dir.params[s[1]] = s[2]; continue; }
    const f = /^file (\d+) (\d+) (.+)$/.exec(line);
    if (f) { dir.files.push({ name: f[3], size: +f[1], mtimeSec: +f[2] }); continue; }
    // Anything else (a state line without '=') is not ours to interpret: skip it rather than fail the scan.
  }
  scan.processes = parseRingProcesses(psLines.join('\n'), baseDir);
  // A report without the line (an older scan script): hidepid hides others' processes from a non-root login.
  if (!sawView && scan.hidepid !== '0' && scan.hidepid !== 'off' && scan.uid !== 0) scan.processView = 'own';
  return scan;
}

function num(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function option(args: string, flag: string): string | undefined {
  return new RegExp(`\\s${flag} (\\S+)`).exec(args)?.[1];
}

/**
 * A directory without a visible tcpdump whose tcpdump the scan could have missed: `ps` failed (nothing was seen), or
 * only this login's processes were (hidepid, no sudo) and the ring may be another login's — its directory or the
 * login its state file records is not this one ('UNKNOWN', stat's name for an unmapped uid, is not this one either) —
 * or a `timeout`/`sudo` of it is in sight while its tcpdump is not.
 */
function tcpdumpMayBeHidden(scan: RingHostScan, dir: RingDirEntry, procs: RingProcess[]): boolean {
  if (scan.psFailed) return true;
  if (scan.processView !== 'own') return false;
  const recorded = dir.params.user || undefined;
  return dir.owner !== scan.user || (recorded !== undefined && recorded !== scan.user) || procs.some((p) => p.role !== 'pruner');
}

/** The rings of one scan, ordered running first (then directory deleted, unknown, stopped), then by capture id. */
export function findRingsInScan(scan: RingHostScan): FoundRing[] {
  const ids = new Set([...scan.dirs.map((d) => d.captureId), ...scan.processes.map((p) => p.captureId)]);
  const found: FoundRing[] = [];
  for (const captureId of ids) {
    const dir = scan.dirs.find((d) => d.captureId === captureId);
    const procs = scan.processes.filter((p) => p.captureId === captureId);
    // A pruner alone (no directory, no tcpdump) is the last second of a ring that already ended.
    if (!dir && procs.every((q) => q.role === 'pruner')) continue;
    const tcpdump = procs.find((p) => p.role === 'tcpdump');
    const outer = procs.find((p) => p.role === 'timeout') ?? tcpdump;
    const p = dir?.params ?? {};
    const startedSec = num(p.started) ?? (outer ? scan.nowSec - outer.elapsedSec : undefined);
    const ringFiles = (dir?.files ?? []).filter((f) => /^ring.*\.pcap\d*$/.test(f.name));
    const filterFromArgs = tcpdump ? / -- (.*)$/.exec(tcpdump.args)?.[1] : undefined;
    found.push({
      captureId,
      state: tcpdump ? (dir ? 'running' : 'no-directory') : dir && tcpdumpMayBeHidden(scan, dir, procs) ? 'unknown' : 'stopped',
      iface: p.iface ?? (tcpdump ? option(tcpdump.args, '-i') : undefined),
      filter: p.filter ?? filterFromArgs,
      snaplen: num(p.snaplen) ?? num(tcpdump ? option(tcpdump.args, '-s') : undefined),
      startedSec,
      ageSec: startedSec !== undefined ? Math.max(0, scan.nowSec - startedSec) : dir ? Math.max(0, scan.nowSec - dir.mtimeSec) : undefined,
      startedBy: p.startedby || undefined,
      owner: p.user || tcpdump?.user || dir?.owner,
      hopscopeVersion: p.hopscope || undefined,
      rotation: p.rotation,
      fileCount: ringFiles.length,
      diskBytes: (dir?.files ?? []).reduce((sum, f) => sum + f.size, 0),
      pids: procs.filter((q) => q.role !== 'pruner').map((q) => q.pid).sort((a, b) => a - b),
      ...(num(p.pid) !== undefined ? { statePid: num(p.pid) } : {}),
      hasStateFile: dir !== undefined && Object.keys(p).length > 0,
    });
  }
  const rank = { running: 0, 'no-directory': 1, unknown: 2, stopped: 3 } as const;
  return found.sort((a, b) => rank[a.state] - rank[b.state] || a.captureId.localeCompare(b.captureId));
}

/** Why the scan may have missed something, for the user (empty when it saw everything). */
export function ringScanLimits(scan: RingHostScan): string[] {
  const out: string[] = [];
  if (scan.psFailed) out.push('`ps` failed on the host: running tcpdumps could not be listed, only ring directories');
  if (scan.processView === 'own') {
    const hides = scan.hidepid === 'unknown' ? `/proc does not show pid 1 to ${scan.user}` : `/proc is mounted with hidepid=${scan.hidepid}`;
    out.push(`${hides}: ${scan.user} sees only its own processes; rings of other users need root (or sudo) to be listed as running, stopped or deleted`);
  }
  if (scan.baseUnreadable) out.push(`the ring directory is not readable by ${scan.user}`);
  return out;
}
