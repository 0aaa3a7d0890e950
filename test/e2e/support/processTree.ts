import { readdirSync, readFileSync } from 'node:fs';

/** A process identified by pid AND start time, so a recycled pid is never signalled. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

/** The process and all its descendants, parents before children (breadth first), from /proc. */
export function snapshotProcessTree(rootPid: number): ProcessIdentity[] {
  const children = new Map<number, ProcStat[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat === undefined) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat);
    children.set(stat.ppid, siblings);
  }
  const root = readStat(rootPid);
  if (root === undefined) return [];
  const ordered: ProcessIdentity[] = [];
  const queue: ProcStat[] = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    ordered.push({ pid: next.pid, startTime: next.startTime });
    queue.push(...(children.get(next.pid) ?? []));
  }
  return ordered;
}

/** Alive = same pid and start time, and not a zombie waiting to be reaped. */
export function isAlive(process: ProcessIdentity): boolean {
  const stat = readStat(process.pid);
  return stat !== undefined && stat.startTime === process.startTime && stat.state !== 'Z';
}

function signal(target: ProcessIdentity, name: NodeJS.Signals): void {
  if (!isAlive(target)) return;
  try {
    process.kill(target.pid, name);
  } catch {
    // exited between the check and the signal
  }
}

/** Synchronous last resort (for process 'exit' handlers): SIGKILL every still-living member. */
export function killTreeNow(tree: readonly ProcessIdentity[]): void {
  for (const member of tree) signal(member, 'SIGKILL');
}

/**
 * Ends a process tree by pid: SIGTERM parents before children (a file watcher killed before its
 * parent would be respawned), wait until they exit, then SIGKILL whatever is left.
 */
export async function terminateTree(tree: readonly ProcessIdentity[], graceMs = 5_000): Promise<void> {
  for (const member of tree) signal(member, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (tree.some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  killTreeNow(tree);
}
