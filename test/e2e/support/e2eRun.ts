// One end-to-end run of a test file: a private temp dir with the workspace, the packaged extension
// installed into an isolated code-server, the workbench open in Chromium; scenarios keep a screenshot
// (and the logs on failure) under test-results/; finish() ends all of it, also after a failed start.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer, type CodeServer } from './codeServer';
import { extensionPackageFor } from './extensionPackage';
import { TEST_RESULTS_DIR } from './paths';
import { openWorkbench, type Workbench } from './workbench';

export interface E2eRunStartOptions {
  /** Fills the workspace before code-server opens it. */
  prepare?: (workspace: string) => void | Promise<void>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Prints each phase's duration (build + package, code-server, workbench). */
  logPhases?: boolean;
}

export interface E2eRun {
  readonly runDir: string;
  /** The folder code-server opens (created empty; fill it in `prepare`). */
  readonly workspace: string;
  readonly workbench: Workbench;
  readonly server: CodeServer;
  start: (options?: E2eRunStartOptions) => Promise<void>;
  /** Runs a scenario; on failure keeps a `<name>-failure` screenshot and, at finish(), the logs. */
  scenario: (name: string, body: (wb: Workbench) => Promise<void>) => Promise<void>;
  /** Closes the browser, stops code-server, keeps the logs if anything failed, removes the temp dir. */
  finish: () => Promise<void>;
}

/**
 * Call in the describe body (the paths exist at once); `start` in `before`, `finish` in `after`.
 * `label` names the run's temp dir, its log copies (`test-results/<label>-code-server.log`) and the
 * duration line printed at the end.
 */
export function createE2eRun(label: string): E2eRun {
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), `hs-${label}-${process.pid}-`));
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let failed = false;
  // Also when the process ends on a signal (codeServer.ts exits on SIGINT/SIGTERM after killing its tree).
  const removeRunDir = (): void => rmSync(runDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);

  return {
    runDir,
    workspace,
    get workbench(): Workbench {
      assert.ok(workbench, 'workbench did not open');
      return workbench;
    },
    get server(): CodeServer {
      assert.ok(server, 'code-server did not start');
      return server;
    },
    async start(options = {}) {
      let t = Date.now();
      const phase = (name: string): void => {
        if (options.logPhases) console.log(`${label} ${name}: ${Date.now() - t} ms`);
        t = Date.now();
      };
      await options.prepare?.(workspace);
      phase('workspace');
      const { vsix, bytes, shared } = extensionPackageFor(runDir);
      phase(shared ? `suite's shared package (${bytes} bytes)` : `build + package (${bytes} bytes)`);
      server = await startCodeServer({ workspace, runDir, vsix, settings: options.settings });
      phase('install vsix + code-server healthy');
      workbench = await openWorkbench(server.url, { runDir });
      phase('workbench ready');
    },
    async scenario(name, body) {
      assert.ok(workbench, 'workbench did not open');
      try {
        await body(workbench);
        await workbench.screenshot(name);
      } catch (error) {
        failed = true;
        await workbench.screenshot(`${name}-failure`).catch(() => undefined);
        throw error;
      }
    },
    async finish() {
      await workbench?.close().catch(() => undefined);
      await server?.stop();
      if (failed || workbench === undefined) {
        mkdirSync(TEST_RESULTS_DIR, { recursive: true });
        for (const log of ['code-server.log', 'user-data/logs']) {
          const from = join(runDir, log);
          if (existsSync(from)) cpSync(from, join(TEST_RESULTS_DIR, `${label}-${log.replace('/', '-')}`), { recursive: true });
        }
      }
      removeRunDir();
      process.removeListener('exit', removeRunDir);
      console.log(`${label} run: ${Date.now() - started} ms`);
    },
  };
}
