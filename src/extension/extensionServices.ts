// What the features share, built once per activation: the SSH connection pool (prompts through VS Code
// UI), the hosts model (hosts + discovery) and the running captures.
import * as vscode from 'vscode';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SshConnectionPool } from '../remote/sshSession';
import { HostsModel } from './hosts/hostsModel';
import { createSshPromptsUi } from './hosts/sshPromptsUi';
import { CaptureManager } from './capture/captureManager';
import { RingCaptureManager } from './ring/ringCaptureManager';

export interface ExtensionServices {
  readonly pool: SshConnectionPool;
  readonly hosts: HostsModel;
  readonly captures: CaptureManager;
  readonly rings: RingCaptureManager;
  /** Folder that holds `captures/`: the first workspace folder, else the extension's global storage. */
  storageRoot(): string;
}

function setting<T>(section: string, key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(section).get<T>(key, fallback);
}

export function createExtensionServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ExtensionServices {
  const home = homedir();
  const extraKnownHosts = setting<string[]>('hopscope.ssh', 'knownHostsFiles', []).map((p) => p.replace(/^~(?=\/|$)/, home));
  const pool = new SshConnectionPool({
    prompts: createSshPromptsUi(context.secrets),
    knownHostsFiles: [...extraKnownHosts, join(home, '.ssh', 'known_hosts')],
    agentSocket: process.env.SSH_AUTH_SOCK,
    keepaliveIntervalMs: 10_000,
    keepaliveCountMax: 3,
    log: (line) => log.info(`ssh: ${line}`),
  });
  const hosts = new HostsModel(pool, {
    localUser: userInfo().username,
    defaultIdentityFiles: ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f)),
  }, setting('hopscope.hosts', 'discoveryConcurrency', 4));
  const storageRoot = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? context.globalStorageUri.fsPath;
  const captures = new CaptureManager(hosts, storageRoot, () => setting('hopscope.capture', 'liveTextLines', 20_000));
  // The version goes into each ring's state file, for whoever finds the ring later.
  const version = (context.extension.packageJSON as { version?: unknown }).version;
  const rings = new RingCaptureManager(hosts, storageRoot, undefined, { hopscopeVersion: typeof version === 'string' ? version : undefined });
  return { pool, hosts, captures, rings, storageRoot };
}
