// The nodes of the Hosts view and how each one looks (label, icon, description, tooltip, contextValue).
// contextValue: host.local | host.ssh, interface.<state>, bridge.<state>, vm.<state>, vnic.backend |
// vnic.nobackend, group, error — the menus in package.json match them with regexes.
import * as vscode from 'vscode';
import { localHostAlias, type HostEntry } from '../../core/hosts/hostEntry';
import type { DiscoveryError, HostInterface, HostVm, HostVnic, InterfaceGroup } from '../../core/discovery/hostInventory';

export type HostsNode =
  | { kind: 'host'; host: HostEntry }
  | { kind: 'section'; host: string; section: 'interfaces' | 'vms' }
  | { kind: 'group'; host: string; group: InterfaceGroup; names: string[] }
  | { kind: 'interface'; host: string; iface: HostInterface; parent: string }
  | { kind: 'vm'; host: string; vm: HostVm }
  | { kind: 'vnic'; host: string; vm: string; vnic: HostVnic; index: number }
  | { kind: 'error'; host: string; error: DiscoveryError; id: string }
  | { kind: 'message'; id: string; text: string; tooltip?: string };

export const GROUP_LABELS: Record<InterfaceGroup, string> = {
  physical: 'Physical', bridges: 'Bridges', bonds: 'Bonds', vlans: 'VLANs', ovs: 'Open vSwitch', tap: 'Taps', other: 'Other',
};

const KIND_ICONS: Record<string, string> = {
  physical: 'plug', bridge: 'type-hierarchy', bond: 'link', vlan: 'tag', veth: 'arrow-swap', tun: 'lock', tap: 'debug-disconnect',
  openvswitch: 'server-process', vxlan: 'layers', macvtap: 'debug-disconnect', macvlan: 'symbol-interface', loopback: 'debug-restart', other: 'circle-outline',
};

const STATE_COLORS: Record<string, string | undefined> = { up: 'testing.iconPassed', down: 'disabledForeground', 'no-carrier': 'list.warningForeground' };

function stateIcon(icon: string, state: string): vscode.ThemeIcon {
  const color = STATE_COLORS[state];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

function md(lines: (string | undefined)[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.filter((l): l is string => l !== undefined).join('  \n'));
}

/** The label the e2e test and users see for a vNIC: backend · MAC · bridge · nwfilter. */
export function vnicLabel(v: HostVnic): string {
  const bridge = v.sourceBridge ?? v.sourceNetwork ?? v.sourceDev;
  return [v.backend ?? '(no backend)', v.mac, bridge, v.filterRef?.filter].filter((p): p is string => !!p).join(' · ');
}

/** A host node's resource URI: file decorations (the ring badge) attach to it. */
export function hostNodeUri(alias: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'hopscope-host', path: `/${encodeURIComponent(alias)}` });
}

export function nodeId(n: HostsNode): string {
  switch (n.kind) {
    case 'host': return `host/${n.host.alias}`;
    case 'section': return `host/${n.host}/${n.section}`;
    case 'group': return `host/${n.host}/interfaces/${n.group}`;
    case 'interface': return `host/${n.host}/${n.parent}/${n.iface.name}`;
    case 'vm': return `host/${n.host}/vms/${n.vm.name}`;
    case 'vnic': return `host/${n.host}/vms/${n.vm}/${n.index}`;
    case 'error': return n.id;
    case 'message': return n.id;
  }
}

export function hostsTreeItem(n: HostsNode): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  let item: vscode.TreeItem;
  switch (n.kind) {
    case 'host': {
      const local = n.host.alias === localHostAlias;
      item = new vscode.TreeItem(local ? vscode.l10n.t('This machine') : n.host.alias, C.Collapsed);
      const h = n.host;
      item.description = local ? undefined : `${h.user ? `${h.user}@` : ''}${h.address ?? ''}${h.port && h.port !== 22 ? `:${h.port}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(local ? 'vm' : 'remote');
      item.contextValue = local ? 'host.local' : 'host.ssh';
      item.resourceUri = hostNodeUri(h.alias);
      item.tooltip = md([`**${h.alias}**`, h.address && `address: ${h.address}`, h.jump.length ? `via: ${h.jump.join(' → ')}` : undefined,
        `sudo: ${h.sudo}`, h.libvirtUri && `libvirt: ${h.libvirtUri}`,
        h.source.kind === 'local' ? 'this machine' : h.source.kind === 'workspace' ? `from ${h.source.file}:${h.source.line}` : `from ${h.source.file}`]);
      break;
    }
    case 'section':
      item = new vscode.TreeItem(n.section === 'interfaces' ? vscode.l10n.t('Interfaces') : vscode.l10n.t('VMs'), C.Expanded);
      item.iconPath = new vscode.ThemeIcon(n.section === 'interfaces' ? 'symbol-interface' : 'vm');
      item.contextValue = 'group';
      break;
    case 'group':
      item = new vscode.TreeItem(GROUP_LABELS[n.group], n.group === 'physical' || n.group === 'bridges' ? C.Expanded : C.Collapsed);
      item.description = String(n.names.length);
      item.contextValue = 'group';
      break;
    case 'interface': {
      const i = n.iface;
      const isBridge = i.kind === 'bridge' || i.kind === 'openvswitch' || i.kind === 'bond';
      item = new vscode.TreeItem(i.name, isBridge && i.ports.length > 0 && n.parent !== 'port' ? C.Collapsed : C.None);
      const addr = i.addresses.find((a) => a.family === 'inet')?.local;
      item.description = [i.state, addr, i.vlan ? `VLAN ${i.vlan.id}` : undefined, i.master ? `in ${i.master}` : undefined].filter(Boolean).join(' · ');
      item.iconPath = stateIcon(KIND_ICONS[i.kind] ?? 'plug', i.state);
      item.contextValue = `${i.kind === 'bridge' ? 'bridge' : 'interface'}.${i.state}`;
      item.tooltip = md([`**${i.name}** (${i.kind}${i.infoKind && i.infoKind !== i.kind ? `, ${i.infoKind}` : ''})`, `state: ${i.operState}`,
        i.mac && `MAC: ${i.mac}`, i.mtu !== undefined ? `MTU: ${i.mtu}` : undefined,
        ...i.addresses.map((a) => `${a.family}: ${a.local}/${a.prefixLen}`), i.master && `master: ${i.master}`,
        i.ports.length ? `ports: ${i.ports.join(', ')}` : undefined]);
      break;
    }
    case 'vm': {
      const v = n.vm;
      item = new vscode.TreeItem(v.name, v.vnics.length > 0 ? C.Collapsed : C.None);
      item.description = [v.state, v.displayName].filter(Boolean).join(' · ');
      item.iconPath = stateIcon('vm', v.state === 'running' ? 'up' : v.state === 'shut off' ? 'down' : 'no-carrier');
      item.contextValue = `vm.${v.state.replace(/ /g, '-')}`;
      item.tooltip = md([`**${v.name}**`, v.displayName && `Nova name: ${v.displayName}`, v.uuid && `UUID: ${v.uuid}`, `state: ${v.state}`]);
      break;
    }
    case 'vnic': {
      const v = n.vnic;
      item = new vscode.TreeItem(vnicLabel(v), C.None);
      item.description = v.guestIps.join(', ') || undefined;
      item.iconPath = stateIcon('plug', v.backend ? (v.linkState === 'down' ? 'down' : 'up') : 'down');
      if (v.backend) item.contextValue = 'vnic.backend';
      else item.contextValue = 'vnic.nobackend';
      item.tooltip = md([`**${v.backend ?? 'no backend device (VM not running)'}**`, `type: ${v.type}`, v.mac && `guest MAC: ${v.mac}`,
        v.sourceBridge && `bridge: ${v.sourceBridge}`, v.sourceNetwork && `network: ${v.sourceNetwork}`, v.model && `model: ${v.model}`,
        v.filterRef && `nwfilter: ${v.filterRef.filter}${v.filterRef.parameters.length ? ` (${v.filterRef.parameters.map((p) => `${p.name}=${p.value}`).join(', ')})` : ''}`,
        v.virtualPort && `virtualport: ${v.virtualPort.type}${v.virtualPort.interfaceId ? ` ${v.virtualPort.interfaceId}` : ''}`,
        v.guestIps.length ? `guest IPs: ${v.guestIps.join(', ')}` : undefined, v.backendMatchedBy && `backend matched by ${v.backendMatchedBy}`]);
      break;
    }
    case 'error':
      item = new vscode.TreeItem(`${n.error.source}: ${n.error.message.split('\n')[0]}`, C.None);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.description = n.error.hint;
      item.tooltip = md([n.error.message, n.error.hint && `**Hint:** ${n.error.hint}`]);
      item.contextValue = 'error';
      break;
    case 'message':
      item = new vscode.TreeItem(n.text, C.None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.tooltip = n.tooltip ?? n.text;
      item.contextValue = 'error';
      break;
  }
  item.id = nodeId(n);
  return item;
}
