/**
 * Start-up figures a webview reports to the extension host (which logs them with its own, see
 * src/extension/startupTimeline.ts): times are `Date.now()` of the page, the same clock as the host's
 * on one machine. Imports nothing: shared by the webview bundles.
 */
export type PageTimingStage = 'rowsPainted';

/** The page painted its first rows (sent once per page load). */
export interface PageTimingMessage { type: 'timing'; stage: PageTimingStage; atMs: number }

/** Sent with the page's 'ready'. */
export interface PageStartTimes {
  /** The page's document started navigating (after VS Code's own webview frames). */
  navigationAtMs?: number;
  /**
   * The page's document had arrived: VS Code's webview host navigates a frame to its `fake.html` and
   * writes the page into it; in code-server that navigation waits for the webview service worker's
   * activation (test/e2e/README.md, "Where the webview start goes").
   */
  documentFetchedAtMs?: number;
  /** The page's script had arrived (fetched through the webview's service worker). */
  scriptFetchedAtMs?: number;
  /** The page's script started running. */
  loadedAtMs?: number;
}
