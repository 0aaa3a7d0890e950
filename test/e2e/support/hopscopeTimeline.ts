// The extension's own start-up figures (src/extension/startupTimeline.ts), read back from its log in the
// run's user-data dir: one `timeline <label> {startedAt, stages}` line per opened view, and the
// `activated: …` line. Stage times are turned into ms since the test's own start (same machine clock).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StageFigure { wallMs: number; cpuMs: number }

/** The Hopscope log lines of a run (every extension host session). */
export function hopscopeLogLines(runDir: string): string[] {
  const logs = join(runDir, 'user-data', 'logs');
  const lines: string[] = [];
  for (const session of readdirSync(logs)) {
    for (const host of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
      const file = join(logs, session, host, 'hopscope.hopscope', 'Hopscope.log');
      if (statSync(file, { throwIfNoEntry: false })) lines.push(...readFileSync(file, 'utf8').split('\n'));
    }
  }
  return lines;
}

interface TimelineLine { startedAt: number; stages: { stage: string; wallMs: number; cpuMs: number }[] }

function findTimeline(runDir: string, label: string, notBefore: number): TimelineLine | undefined {
  const prefix = `timeline ${label} `;
  for (const line of hopscopeLogLines(runDir)) {
    const at = line.indexOf(prefix);
    if (at < 0) continue;
    const t = JSON.parse(line.slice(at + prefix.length)) as TimelineLine;
    if (t.startedAt >= notBefore) return t;
  }
  return undefined;
}

/**
 * The first `label` timeline that started at or after `testStartEpochMs`, waited for (the log is written
 * after the page reports its painted rows): `stage → { wallMs since the test's start, extension host CPU
 * since the host's start of the view }`, plus `hostStart` (the command reaching the extension host).
 */
export async function readTimeline(runDir: string, label: string, testStartEpochMs: number, timeoutMs = 15_000): Promise<Record<string, StageFigure>> {
  const deadline = Date.now() + timeoutMs;
  // The view starts after the test's key/click (same machine clock); 50 ms only for rounding. A wider
  // margin picked the previous view's line when the test opened two within a second (negative stages).
  const notBefore = testStartEpochMs - 50;
  let t = findTimeline(runDir, label, notBefore);
  while (!t && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100)); // polling the log file for the line to appear
    t = findTimeline(runDir, label, notBefore);
  }
  if (!t) return {};
  const offset = t.startedAt - testStartEpochMs;
  const out: Record<string, StageFigure> = { hostStart: { wallMs: offset, cpuMs: 0 } };
  for (const s of t.stages) out[s.stage] = { wallMs: s.wallMs + offset, cpuMs: s.cpuMs };
  return out;
}

/** `activated: N ms since the bundle started loading, M ms extension host CPU` of the run's first host. */
export function activationFigure(runDir: string): StageFigure | undefined {
  const m = hopscopeLogLines(runDir).map((l) => /activated: (\d+) ms since the bundle started loading, (\d+) ms extension host CPU/.exec(l)).find(Boolean);
  return m ? { wallMs: Number(m[1]), cpuMs: Number(m[2]) } : undefined;
}
