// The Hosts view: hosts from hosts.yaml, ~/.ssh/config and this machine; expanding a host runs
// discovery (SSH through the shared pool, local processes for this machine) with progress in the view.
import * as vscode from 'vscode';
import type { InterfaceGroup } from '../../core/discovery/hostInventory';
import type { HostsModel } from './hostsModel';
import { hostsTreeItem, type HostsNode } from './hostsTreeNodes';

const GROUP_ORDER: InterfaceGroup[] = ['physical', 'bridges', 'bonds', 'vlans', 'ovs', 'tap', 'other'];

export class HostsTreeDataProvider implements vscode.TreeDataProvider<HostsNode> {
  private readonly changed = new vscode.EventEmitter<HostsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly hostNodes = new Map<string, HostsNode>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: HostsModel, private readonly problems: () => readonly string[]) {
    this.subscription = model.onDidChange((alias) => {
      if (alias === undefined) { this.changed.fire(undefined); return; }
      // Only a forgotten inventory redraws a host: a finished discovery is already awaited by
      // getChildren, and refreshing the host then races VS Code's fetch of its expanded children.
      const node = this.hostNodes.get(alias);
      if (node && model.state(alias).status === 'idle') this.changed.fire(node);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getTreeItem(node: HostsNode): vscode.TreeItem {
    return hostsTreeItem(node);
  }

  getParent(): undefined { return undefined; }

  async getChildren(node?: HostsNode): Promise<HostsNode[]> {
    if (node === undefined) {
      this.hostNodes.clear();
      const hosts = this.model.hosts.map((host): HostsNode => {
        const n: HostsNode = { kind: 'host', host };
        this.hostNodes.set(host.alias, n);
        return n;
      });
      return [...this.problems().map((text, i): HostsNode => ({ kind: 'message', id: `problem/${i}`, text })), ...hosts];
    }
    switch (node.kind) {
      case 'host': return this.hostChildren(node.host.alias);
      case 'section': return this.sectionChildren(node.host, node.section);
      case 'group': return this.interfaces(node.host, node.names, node.group);
      case 'interface': return this.interfaces(node.host, node.iface.ports, 'port');
      case 'vm': return node.vm.vnics.map((vnic, index): HostsNode => ({ kind: 'vnic', host: node.host, vm: node.vm.name, vnic, index }));
      default: return [];
    }
  }

  private async hostChildren(alias: string): Promise<HostsNode[]> {
    try {
      const inv = await vscode.window.withProgress(
        { location: { viewId: 'hopscope.hosts' }, title: vscode.l10n.t('Discovering {0}', alias) },
        () => this.model.inventory(alias),
      );
      const nodes: HostsNode[] = [{ kind: 'section', host: alias, section: 'interfaces' }];
      if (inv.vms.length > 0) nodes.push({ kind: 'section', host: alias, section: 'vms' });
      nodes.push(...inv.errors.map((error, i): HostsNode => ({ kind: 'error', host: alias, error, id: `host/${alias}/error/${i}` })));
      return nodes;
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      return [{ kind: 'message', id: `host/${alias}/failed`, text, tooltip: `${text}\n\n${vscode.l10n.t('Refresh the host to try again.')}` }];
    }
  }

  private async sectionChildren(alias: string, section: 'interfaces' | 'vms'): Promise<HostsNode[]> {
    const inv = await this.model.inventory(alias);
    if (section === 'vms') return inv.vms.map((vm): HostsNode => ({ kind: 'vm', host: alias, vm }));
    return GROUP_ORDER.filter((g) => inv.groups[g].length > 0).map((group): HostsNode => ({ kind: 'group', host: alias, group, names: inv.groups[group] }));
  }

  private async interfaces(alias: string, names: readonly string[], parent: string): Promise<HostsNode[]> {
    const inv = await this.model.inventory(alias);
    return names.flatMap((name) => {
      const iface = inv.interfaces.find((i) => i.name === name);
      return iface ? [{ kind: 'interface', host: alias, iface, parent } satisfies HostsNode] : [];
    });
  }
}

export function registerHostsTree(model: HostsModel, reload: () => void, problems: () => readonly string[]): vscode.Disposable[] {
  const provider = new HostsTreeDataProvider(model, problems);
  const view = vscode.window.createTreeView('hopscope.hosts', { treeDataProvider: provider, showCollapseAll: true });
  return [
    provider,
    view,
    vscode.commands.registerCommand('hopscope.hosts.refresh', () => reload()),
    vscode.commands.registerCommand('hopscope.hosts.refreshHost', (node?: HostsNode) => {
      if (node?.kind === 'host') model.invalidate(node.host.alias);
    }),
  ];
}
