/**
 * Where the time of opening a webview goes: wall time and extension host CPU at each stage, from the
 * command (or the editor being opened) to the first rows painted by the page. The page reports its own
 * stages with its `Date.now()` (same machine clock), the host adds its CPU at the time it hears of them.
 * Logged as one line, `timeline <label> {json}`, when the last stage arrives: the e2e timing report
 * (test/e2e/compareTimings.test.ts) reads it. One line per opened view: cheap enough to stay on.
 */
import type { PageStartTimes } from '../protocol/startupTimingProtocol';

export interface TimelineLog { info(message: string): void }

export interface TimelineStage { stage: string; wallMs: number; cpuMs: number }

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export class StartupTimeline {
  readonly startedAt = Date.now();
  private readonly cpu0 = cpuMs();
  private readonly stages: TimelineStage[] = [];
  private done = false;

  constructor(private readonly label: string, private readonly log: TimelineLog, private readonly lastStage: string) {}

  /** Records a stage (`atMs`: when it happened, if not now, e.g. a page's stage) once. */
  mark(stage: string, atMs = Date.now()): void {
    if (this.done || this.stages.some((s) => s.stage === stage)) return;
    this.stages.push({ stage, wallMs: atMs - this.startedAt, cpuMs: Math.round(cpuMs() - this.cpu0) });
    if (stage === this.lastStage) this.finish();
  }

  /** The page's start-up times sent with its 'ready' (CPU: the host's when it hears of them). */
  markPage(t: PageStartTimes): void {
    if (t.navigationAtMs !== undefined) this.mark('pageNavigation', t.navigationAtMs);
    if (t.documentFetchedAtMs !== undefined) this.mark('documentFetched', t.documentFetchedAtMs);
    if (t.scriptFetchedAtMs !== undefined) this.mark('scriptFetched', t.scriptFetchedAtMs);
    this.mark('scriptLoaded', t.loadedAtMs);
  }

  /** Logs what was recorded (also when the view closed before its last stage). */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.stages.sort((a, b) => a.wallMs - b.wallMs);
    this.log.info(`timeline ${this.label} ${JSON.stringify({ startedAt: this.startedAt, stages: this.stages })}`);
  }
}
