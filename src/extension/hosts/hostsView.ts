// Feature: the Hosts view. Reads hosts.yaml of every workspace folder and ~/.ssh/config, reloads them
// when they change, and shows discovery results per host.
import * as vscode from 'vscode';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ExtensionServices } from '../extensionServices';
import { HOSTS_FILE, loadHostEntries } from './loadHostEntries';
import { registerHostsTree } from './hostsTree';

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  let problems: string[] = [];
  const sshConfigPath = join(homedir(), '.ssh', 'config');
  const reload = (): void => {
    const r = loadHostEntries({
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      sshConfigPath, homeDir: homedir(), localUser: userInfo().username,
    });
    problems = r.problems;
    for (const p of problems) log.warn(p);
    services.hosts.setHosts(r.hosts);
    log.info(`hosts: ${r.hosts.map((h) => h.alias).join(', ')}`);
  };
  reload();
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${HOSTS_FILE}`);
  const sshWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(join(homedir(), '.ssh')), 'config'));
  return [
    watcher, sshWatcher,
    ...[watcher, sshWatcher].flatMap((w) => [w.onDidChange(reload), w.onDidCreate(reload), w.onDidDelete(reload)]),
    vscode.workspace.onDidChangeWorkspaceFolders(reload),
    ...registerHostsTree(services.hosts, reload, () => problems),
  ];
}
