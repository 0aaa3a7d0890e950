/**
 * Instance ids and teardown. An id is owned by an atomic `mkdir <lockRoot>/<prefix><id>`; the lock
 * holds state.json (owner pid, namespaces, root links, temp dir) so a crashed run can be cleaned
 * by anyone later. Teardown is synchronous so process exit handlers can run it.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execInSync, pidAlive, pidStartTime, sleepSync } from './labProcess';
import { maxLabId } from './labTopology';

export const defaultLockRoot = '/run/hopscope-lab';

export interface LabState {
  ownerPid: number;
  /** Owner's /proc start time: a pid reused by another process does not keep a dead lab "alive". */
  ownerStartTime?: string | null;
  prefix: string;
  id: number;
  namespaces: string[];
  rootLinks: string[];
  tmpDir: string;
  createdAt: string;
}

export interface LabLock {
  id: number;
  dir: string;
}

function lockName(prefix: string, id: number): string {
  return `${prefix}${id}`;
}

export function writeLabState(lock: LabLock, state: LabState): void {
  writeFileSync(join(lock.dir, 'state.json.tmp'), JSON.stringify(state, null, 1));
  renameSync(join(lock.dir, 'state.json.tmp'), join(lock.dir, 'state.json'));
}

export function readLabState(dir: string): LabState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

export function ownerAlive(st: LabState): boolean {
  if (!pidAlive(st.ownerPid)) return false;
  return !st.ownerStartTime || pidStartTime(st.ownerPid) === st.ownerStartTime;
}

/** A lock is stale when its owner is dead, or it never got a state file within 30 s. */
function isStale(dir: string): boolean {
  const st = readLabState(dir);
  if (st) return !ownerAlive(st);
  try {
    return Date.now() - statSync(dir).mtimeMs > 30000;
  } catch {
    return false;
  }
}

/** Takes the lowest free id, reclaiming stale ones first. */
export function acquireLabId(prefix: string, lockRoot: string): LabLock {
  mkdirSync(lockRoot, { recursive: true });
  for (let id = 0; id <= maxLabId; id++) {
    const dir = join(lockRoot, lockName(prefix, id));
    try {
      mkdirSync(dir);
      writeLabState({ id, dir }, { ownerPid: process.pid, ownerStartTime: pidStartTime(process.pid), prefix, id, namespaces: [], rootLinks: [], tmpDir: '', createdAt: new Date().toISOString() });
      return { id, dir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStale(dir) && reclaimStaleLock(dir, prefix, id)) id--; // retry the same id
    }
  }
  throw new Error(`lab: all ${maxLabId + 1} lab ids of prefix ${prefix} under ${lockRoot} are in use (run: npx tsx test/lab/labCli.ts status)`);
}

/** Moves a stale lock aside (atomic: only one cleaner wins) and tears its leftovers down. */
function reclaimStaleLock(dir: string, prefix: string, id: number): boolean {
  const aside = `${dir}.stale.${process.pid}`;
  try {
    renameSync(dir, aside);
  } catch {
    return false;
  }
  const st = readLabState(aside);
  teardownLab(st ?? { ownerPid: 0, prefix, id, namespaces: [], rootLinks: [], tmpDir: '', createdAt: '' }, aside);
  return true;
}

function namespacePids(ns: string): number[] {
  const r = execInSync('', ['ip', 'netns', 'pids', ns]);
  return r.code === 0 ? r.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** Kills every process in the lab's namespaces, deletes namespaces, root links, temp dir and lock. */
export function teardownLab(state: LabState, lockDir: string): void {
  const listed = execInSync('', ['ip', 'netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
  const mine = new Set(state.namespaces);
  // Also anything named like this id, in case the state file lagged behind a crash.
  for (const n of listed) if (n.startsWith(`${state.prefix}${state.id}-`)) mine.add(n);
  // Zombies have left the namespace, so an empty `ip netns pids` means every process there is dead.
  const deadline = Date.now() + 3000;
  for (const ns of mine) {
    for (;;) {
      const pids = namespacePids(ns);
      if (pids.length === 0 || Date.now() > deadline) break;
      for (const p of pids) {
        try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
      }
      sleepSync(10);
    }
  }
  for (const ns of mine) if (listed.includes(ns)) execInSync('', ['ip', 'netns', 'del', ns]);
  for (const l of state.rootLinks) {
    if (execInSync('', ['ip', 'link', 'show', 'dev', l]).code === 0) execInSync('', ['ip', 'link', 'del', 'dev', l]);
  }
  if (state.tmpDir) rmSync(state.tmpDir, { recursive: true, force: true });
  rmSync(lockDir, { recursive: true, force: true });
}

/**
 * The owner's own teardown (stop(), exit handlers): skips the namespaces when the lock no longer
 * holds this lab (someone ran `labCli down` and the id may already belong to a new lab).
 */
export function teardownOwnLab(state: LabState, lockDir: string): void {
  const now = readLabState(lockDir);
  if (now && (now.ownerPid !== state.ownerPid || now.createdAt !== state.createdAt)) {
    if (state.tmpDir) rmSync(state.tmpDir, { recursive: true, force: true });
    return;
  }
  teardownLab(state, lockDir);
}

export interface LabLockInfo {
  dir: string;
  state: LabState | null;
  alive: boolean;
}

export function listLabLocks(lockRoot = defaultLockRoot): LabLockInfo[] {
  let names: string[] = [];
  try {
    names = readdirSync(lockRoot);
  } catch {
    return [];
  }
  return names.map((n) => {
    const dir = join(lockRoot, n);
    const state = readLabState(dir);
    return { dir, state, alive: state ? ownerAlive(state) : false };
  });
}

/** Removes the leftovers of labs whose owner process is dead; returns the lock dirs cleaned. */
export function cleanupStaleLabs(lockRoot = defaultLockRoot, includeLive = false): string[] {
  const cleaned: string[] = [];
  for (const info of listLabLocks(lockRoot)) {
    if (info.alive && !includeLive) continue;
    if (!info.state && !info.dir.includes('.stale.') && !isStale(info.dir) && !includeLive) continue;
    const m = /^([a-z][a-z0-9]*?)(\d+)(?:\.stale\.\d+)?$/.exec(info.dir.split('/').pop() ?? '');
    const state = info.state ?? (m ? { ownerPid: 0, prefix: m[1], id: Number(m[2]), namespaces: [], rootLinks: [], tmpDir: '', createdAt: '' } : null);
    if (!state) continue;
    teardownLab(state, info.dir);
    cleaned.push(info.dir);
  }
  return cleaned;
}
