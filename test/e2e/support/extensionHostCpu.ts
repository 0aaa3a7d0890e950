import { readFileSync } from 'node:fs';
import { snapshotProcessTree } from './processTree';

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

function cmdline(pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; }
}

function cpuMsOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND; // utime + stime
  } catch {
    return 0; // gone
  }
}

/**
 * CPU time (user + system, ms, 10 ms resolution) of the extension host processes under code-server's
 * process tree: where the extension parses, indexes and aligns. The machine is shared, so CPU time, not
 * wall time, says what the extension costs.
 */
export function extensionHostCpuMs(codeServerPid: number): number {
  return snapshotProcessTree(codeServerPid)
    .filter((p) => /--type=extensionHost/.test(cmdline(p.pid)))
    .reduce((sum, p) => sum + cpuMsOf(p.pid), 0);
}
