import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerBin, CODE_SERVER_VERSION } from './paths';
import { snapshotProcessTree, terminateTree, killTreeNow } from './processTree';

export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** Private directory for this run (user data, extensions, XDG dirs, logs). */
  runDir: string;
  /** The packaged extension to install. */
  vsix: string;
  /** Extra user settings (the extension's own settings reach activate()). */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  url: string;
  userDataDir: string;
  /** code-server's own process (root of the tree stop() ends). */
  pid: number;
  /** Ends code-server and every process it started; safe to call twice. */
  stop(): Promise<void>;
}

const BASE_SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern', // predictable token colours
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  // The manifest says extensionKind ["ui"] (run where the user's SSH keys are). In code-server the UI
  // side is a browser web worker, which cannot run a Node extension: let it run on the server side.
  'remote.extensionKind': { 'hopscope.hopscope': ['workspace'] },
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function waitForHealthz(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server at ${url} not healthy after ${timeoutMs} ms`);
}

/** Starts an isolated code-server (own XDG, user-data and extensions dirs; no marketplace) with the vsix installed. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = codeServerBin();
  if (!existsSync(bin)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${bin}: run test/e2e/installCodeServer.sh ` +
      '(or point HOPSCOPE_CODE_SERVER_DIR at an install)');
  }
  const userDataDir = join(options.runDir, 'user-data');
  const extensionsDir = join(options.runDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(options.runDir, 'xdg', 'config'), // else it writes ~/.config/code-server
    XDG_DATA_HOME: join(options.runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(options.runDir, 'xdg', 'cache'),
    EXTENSIONS_GALLERY: '{}', // no marketplace queries at all
  };
  const dirs = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  await run(bin, ['--install-extension', options.vsix, ...dirs], env);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(options.runDir, 'code-server.log'));
  const child = spawn(bin, [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...dirs, options.workspace,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const rootPid = child.pid;
  if (rootPid === undefined) throw new Error(`cannot start ${bin}`);

  // Whatever happens to the test process, its code-server tree goes with it.
  const onExit = (): void => killTreeNow(snapshotProcessTree(rootPid));
  // A signal ends node without 'exit' handlers: kill the tree, then exit as the signal would have.
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await terminateTree(snapshotProcessTree(rootPid));
    log.end();
  };
  try {
    await waitForHealthz(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, userDataDir, pid: rootPid, stop };
}
