/**
 * "Fetch the window around T" for a ring capture: which ring files cover [T - before, T + after].
 * A file covers from its start (the strftime time in its name for -G rings, else the previous file's
 * last write) to its last write (mtime; tcpdump -U writes each packet at once). Pure: it works on the
 * `status` output (`stat -c '%n %Y %s'`) or on an `ls --full-time` listing.
 */
export interface RingFile {
  name: string;
  /** Last modification, epoch seconds. */
  mtimeSec: number;
  size: number;
}

export interface RingStatus {
  state: 'running' | 'stopped' | 'absent';
  nowSec?: number;
  /** key=value lines of the state file (pid, started, rotation, seconds, files, tzoffset, iface, filter…). */
  params: Record<string, string>;
  files: RingFile[];
  log: string[];
}

export class RingStatusParseError extends Error {
  override readonly name = 'RingStatusParseError';
}

export function parseRingStatus(text: string): RingStatus {
  const lines = text.split('\n');
  const head = /^ring-status (running|stopped|absent)$/.exec(lines[0]?.trim() ?? '');
  if (!head) throw new RingStatusParseError(`not a ring status report: ${JSON.stringify(text.slice(0, 80))}`);
  const status: RingStatus = { state: head[1] as RingStatus['state'], params: {}, files: [], log: [] };
  let section: 'state' | 'files' | 'log' = 'state';
  for (const line of lines.slice(1)) {
    if (line === 'ring-files') { section = 'files'; continue; }
    if (line === 'ring-log') { section = 'log'; continue; }
    if (section === 'log') { if (line !== '') status.log.push(line); continue; }
    if (line === '') continue;
    if (section === 'files') {
      const m = /^(\S+) (\d+) (\d+)$/.exec(line);
      if (!m) throw new RingStatusParseError(`bad file line ${JSON.stringify(line)}`);
      status.files.push({ name: m[1], mtimeSec: Number(m[2]), size: Number(m[3]) });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new RingStatusParseError(`bad state line ${JSON.stringify(line)}`);
    const key = line.slice(0, eq);
    if (key === 'now') status.nowSec = Number(line.slice(eq + 1));
    else status.params[key] = line.slice(eq + 1);
  }
  return status;
}

/** `ls -l --full-time` lines: `-rw-r--r-- 1 u g 1234 2026-11-23 13:40:01.123456789 +0000 name`. */
export function parseLsFullTime(text: string): RingFile[] {
  const out: RingFile[] = [];
  for (const line of text.split('\n')) {
    const m = /^-\S*\s+\d+\s+\S+\s+\S+\s+(\d+)\s+(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.\d+)? ([+-])(\d\d)(\d\d)\s+(.+)$/.exec(line);
    if (!m) continue;
    const utc = Date.UTC(+m[2], +m[3] - 1, +m[4], +m[5], +m[6], +m[7]) / 1000;
    const offset = (m[8] === '-' ? -1 : 1) * (+m[9] * 3600 + +m[10] * 60);
    out.push({ name: m[11].replace(/^.*\//, ''), mtimeSec: utc - offset, size: +m[1] });
  }
  return out;
}

/** Seconds east of UTC from `date +%z` text (+0100 → 3600). */
export function parseTzOffset(text: string | undefined): number {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(text ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
}

/** Start time encoded in a -G ring file name (tcpdump's strftime uses the host's local time). */
export function ringNameStartSec(name: string, tzOffsetSec: number): number | undefined {
  const m = /^ring-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.pcap\d*$/.exec(name);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 - tzOffsetSec;
}

/** tcpdump's pcap_set_timeout (1000 ms) without --immediate-mode. */
export const PACKET_BUFFER_TIMEOUT_SEC = 1;

export interface RingFileCoverage extends RingFile {
  /** Earliest packet time the file can hold (-Infinity for the oldest size-ring file). */
  startSec: number;
  endSec: number;
}

/** Files ordered oldest first with the time span each can hold. */
export function ringFileCoverage(files: readonly RingFile[], tzOffsetSec = 0): RingFileCoverage[] {
  const withStart = files.map((f) => ({ ...f, nameStart: ringNameStartSec(f.name, tzOffsetSec) }));
  withStart.sort((a, b) => (a.nameStart ?? a.mtimeSec) - (b.nameStart ?? b.mtimeSec) || a.mtimeSec - b.mtimeSec);
  return withStart.map(({ nameStart, ...f }, i) => ({
    ...f,
    // tcpdump names a -G file by the time it processes the first packet after rotating, and libpcap hands
    // packets over up to its 1 s buffer timeout late: the file can hold packets up to 1 s older than its
    // name (seen here: packets of 37.55 in the file named 38).
    startSec: nameStart !== undefined ? nameStart - PACKET_BUFFER_TIMEOUT_SEC : i > 0 ? withStart[i - 1].mtimeSec : -Infinity,
    // mtime has whole seconds: a packet written at 12.7 s shows as 12; count the whole second.
    endSec: f.mtimeSec + 1,
  }));
}

/** The ring files that may hold packets from [atSec - beforeSec, atSec + afterSec], oldest first. */
export function selectRingWindow(files: readonly RingFile[], atSec: number, beforeSec: number, afterSec: number, tzOffsetSec = 0): RingFileCoverage[] {
  const from = atSec - beforeSec;
  const to = atSec + afterSec;
  return ringFileCoverage(files, tzOffsetSec).filter((f) => f.startSec <= to && f.endSec >= from);
}
