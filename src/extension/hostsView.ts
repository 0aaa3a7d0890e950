import * as vscode from 'vscode';
import { parseWorkspaceHostsYaml, type WorkspaceHost } from './workspaceHostsFile';
import { listLocalInterfaces, type LocalInterface } from './localInterfaces';

/** Where a workspace declares its hosts, relative to each workspace folder. */
const HOSTS_FILE = '.hopscope/hosts.yaml';

type HostsNode =
  | { type: 'thisMachine' }
  | { type: 'host'; host: WorkspaceHost }
  | { type: 'interface'; iface: LocalInterface }
  | { type: 'message'; text: string };

const INTERFACE_ICONS: Record<string, string> = {
  loopback: 'debug-restart',
  bridge: 'type-hierarchy',
  veth: 'arrow-swap',
  tun: 'lock',
  vxlan: 'layers',
  device: 'plug',
};

/** The Hosts view: "This machine" (with its interfaces) plus the hosts of `.hopscope/hosts.yaml`. */
class HostsTreeDataProvider implements vscode.TreeDataProvider<HostsNode> {
  private readonly changed = new vscode.EventEmitter<HostsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getTreeItem(node: HostsNode): vscode.TreeItem {
    switch (node.type) {
      case 'thisMachine': {
        const item = new vscode.TreeItem('This machine', vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('vm');
        item.contextValue = 'host';
        item.id = 'thisMachine';
        return item;
      }
      case 'host': {
        const { alias, address, port, user } = node.host;
        const item = new vscode.TreeItem(alias, vscode.TreeItemCollapsibleState.None);
        item.description = `${user === undefined ? '' : `${user}@`}${address}${port === undefined ? '' : `:${port}`}`;
        item.iconPath = new vscode.ThemeIcon('remote');
        item.contextValue = 'host';
        item.id = `host:${alias}`;
        item.accessibilityInformation = { label: alias };
        return item;
      }
      case 'interface': {
        const { name, kind, state } = node.iface;
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        item.description = `${kind} · ${state}`;
        item.iconPath = new vscode.ThemeIcon(INTERFACE_ICONS[kind] ?? 'plug');
        item.contextValue = 'interface';
        item.id = `thisMachine/${name}`;
        item.accessibilityInformation = { label: name };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }

  async getChildren(node?: HostsNode): Promise<HostsNode[]> {
    if (node === undefined) return [{ type: 'thisMachine' }, ...(await this.workspaceHosts())];
    if (node.type !== 'thisMachine') return [];
    try {
      return (await listLocalInterfaces()).map((iface) => ({ type: 'interface', iface }));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(text);
      return [{ type: 'message', text }];
    }
  }

  private async workspaceHosts(): Promise<HostsNode[]> {
    const nodes: HostsNode[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, HOSTS_FILE);
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue; // no hosts file in this folder
      }
      const { hosts, problems } = parseWorkspaceHostsYaml(text);
      for (const problem of problems) {
        this.log.warn(`${uri.fsPath}: ${problem}`);
        nodes.push({ type: 'message', text: `${HOSTS_FILE}: ${problem}` });
      }
      nodes.push(...hosts.map((host): HostsNode => ({ type: 'host', host })));
    }
    return nodes;
  }
}

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const provider = new HostsTreeDataProvider(log);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${HOSTS_FILE}`);
  return [
    provider,
    watcher,
    watcher.onDidChange(() => provider.refresh()),
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    vscode.window.registerTreeDataProvider('hopscope.hosts', provider),
    vscode.commands.registerCommand('hopscope.hosts.refresh', () => provider.refresh()),
  ];
}
