/**
 * The page's start-up stages for the host's timeline (src/extension/startupTimeline.ts). Imported first
 * by each webview so `scriptLoadedAt` is taken before the page builds anything.
 */
import type { PageStartTimes, PageTimingMessage } from '../../src/protocol/startupTimingProtocol';

const scriptLoadedAt = Date.now();

/**
 * When this document started navigating (VS Code's webview frames before it), when it had arrived, and
 * when its script had arrived (the fetch through the webview's service worker), as `Date.now()` times;
 * then the script's start.
 */
export function pageStartTimes(scriptName: string): PageStartTimes {
  const origin = performance.timeOrigin;
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const script = performance.getEntriesByType('resource').find((e) => e.name.includes(scriptName)) as PerformanceResourceTiming | undefined;
  return {
    loadedAtMs: scriptLoadedAt,
    navigationAtMs: Math.round(origin),
    documentFetchedAtMs: nav && nav.responseEnd > 0 ? Math.round(origin + nav.responseEnd) : undefined,
    scriptFetchedAtMs: script ? Math.round(origin + script.responseEnd) : undefined,
  };
}

let painted = false;

/** Once, after the first rows are in the DOM: the next frame is when they are on screen. */
export function reportRowsPainted(post: (m: PageTimingMessage) => void): void {
  if (painted) return;
  painted = true;
  requestAnimationFrame(() => post({ type: 'timing', stage: 'rowsPainted', atMs: Date.now() }));
}
