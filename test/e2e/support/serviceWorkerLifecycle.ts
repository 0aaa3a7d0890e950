// Chromium's service-worker lifecycle, recorded through the DevTools protocol (the ServiceWorker domain
// of the workbench page's target reports every registration of its browser context; the webview frames
// live in that target). VS Code's webview host page (pre/index.html) registers
// `service-worker.js?…&id=<webview id>&…` and fetches the webview's document only once that version
// controls it and is activated. code-server serves every webview from one origin, so each webview after
// the window's first brings a new version of the same registration, which replaces the active one:
// Chromium then holds the new version in `activating` (and the webview's document request with it)
// for ~1 s. This records when each version reached each status, on the test's clock.
import type { Page } from 'playwright-core';

export type ServiceWorkerStatus = 'new' | 'installing' | 'installed' | 'activating' | 'activated' | 'redundant';

export interface ServiceWorkerVersionRecord {
  versionId: string;
  registrationId: string;
  scriptURL: string;
  /** When the status was first reported: performance.now() of the test process and the sampled CPU figure. */
  statusAt: Partial<Record<ServiceWorkerStatus, { at: number; cpuMs: number }>>;
  /** The version of the same registration that was active when this one was first reported. */
  replacedVersionId?: string;
  /**
   * How many targets (pages; a page's frames are one target) the replaced version controlled when this
   * one became `activating`: 0 = no webview of the window was using it any more.
   */
  replacedControlledTargets?: number;
}

export interface ServiceWorkerRecorder {
  /** The version registered by the webview with this id (its script URL carries `id=<webviewId>`). */
  versionOf(webviewId: string): ServiceWorkerVersionRecord | undefined;
  /** index.html's console line for this webview when it found another worker controlling it ("Waiting for controllerchange"). */
  controllerMessageOf(webviewId: string): string | undefined;
  stop(): Promise<void>;
}

const webviewIdOf = (scriptURL: string): string | null => {
  try { return new URL(scriptURL).searchParams.get('id'); } catch { return null; }
};

/** Starts recording the service-worker versions of `page`'s browser context; `sampleCpuMs` is read at each new status. */
export async function recordServiceWorkers(page: Page, sampleCpuMs: () => number): Promise<ServiceWorkerRecorder> {
  const versions = new Map<string, ServiceWorkerVersionRecord>();
  const controllerMessages: string[] = [];
  const controlledTargets = new Map<string, number>();
  const session = await page.context().newCDPSession(page);
  session.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
    const at = performance.now();
    for (const v of updated) {
      let record = versions.get(v.versionId);
      if (!record) {
        const active = [...versions.values()].find((r) => r.registrationId === v.registrationId && r.statusAt.activated && !r.statusAt.redundant);
        record = { versionId: v.versionId, registrationId: v.registrationId, scriptURL: v.scriptURL, statusAt: {}, replacedVersionId: active?.versionId };
        versions.set(v.versionId, record);
      }
      if (!record.statusAt[v.status] && v.status === 'activating' && record.replacedVersionId !== undefined) {
        record.replacedControlledTargets = controlledTargets.get(record.replacedVersionId);
      }
      record.statusAt[v.status] ??= { at, cpuMs: sampleCpuMs() };
      controlledTargets.set(v.versionId, v.controlledClients?.length ?? 0);
    }
  });
  const onConsole = (message: { text(): string }): void => {
    const text = message.text();
    if (text.includes('unexpected service worker controller')) controllerMessages.push(text);
  };
  page.on('console', onConsole);
  await session.send('ServiceWorker.enable');
  return {
    versionOf: (webviewId) => [...versions.values()].find((r) => webviewIdOf(r.scriptURL) === webviewId),
    // "Found unexpected service worker controller. Found: <old script>. Expected: <this webview's script>. …"
    controllerMessageOf: (webviewId) => controllerMessages.find((l) => /Expected: \S*[?&]id=([0-9a-f-]+)/.exec(l)?.[1] === webviewId),
    async stop() {
      page.off('console', onConsole);
      await session.detach().catch(() => undefined);
    },
  };
}
