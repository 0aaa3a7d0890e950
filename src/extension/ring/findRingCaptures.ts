// Feature: "Find Ring Captures on Host…" (a host's context menu in the Hosts view, or the palette with a
// host pick): lists the Hopscope ring-buffer tcpdumps and ring directories on the host — also those of
// other machines, users, or a lost workspace state, and orphans — then adopts one into the Captures view,
// stops it or deletes its files (confirmed, with the space freed). Also registers the host badge.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import type { HostsNode } from '../hosts/hostsTreeNodes';
import { HostRingBadge } from './hostRingBadge';
import { RingCannotVerifyError, RingHostFinder, RingSudoRequiredError, type FoundHostRing, type HostRingReport } from './ringHostFinder';

type RingAction = 'adopt' | 'stop' | 'stopDelete' | 'delete';

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function age(sec: number | undefined): string {
  if (sec === undefined) return '?';
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return sec < 172_800 ? `${Math.round(sec / 3600)} h` : `${Math.round(sec / 86400)} d`;
}

function stateText(r: FoundHostRing, psFailed: boolean): string {
  if (r.state === 'running') return vscode.l10n.t('tcpdump running');
  if (r.state === 'no-directory') return vscode.l10n.t('orphan: tcpdump running, directory deleted');
  if (r.state === 'unknown') {
    return psFailed ? vscode.l10n.t('may be running: `ps` failed on the host')
      : vscode.l10n.t('may be running: this login cannot see other users\' processes');
  }
  return vscode.l10n.t('orphan: files left, no tcpdump');
}

const STATE_ICONS: Record<FoundHostRing['state'], string> = { running: 'history', 'no-directory': 'warning', unknown: 'question', stopped: 'archive' };

function ringItem(r: FoundHostRing, psFailed: boolean): vscode.QuickPickItem & { ring: FoundHostRing } {
  const icon = STATE_ICONS[r.state];
  return {
    ring: r,
    label: `$(${icon}) ${r.iface ?? '?'}${r.filter ? ` — ${r.filter}` : ''}`,
    description: [stateText(r, psFailed), vscode.l10n.t('age {0}', age(r.ageSec)), vscode.l10n.t('{0} files', r.fileCount), bytes(r.diskBytes)].join(' · '),
    detail: [
      r.known ? vscode.l10n.t('listed in this window') : vscode.l10n.t('not listed in this window'),
      r.startedBy ? vscode.l10n.t('started by {0}', r.startedBy) : vscode.l10n.t('started by: not recorded'),
      r.owner ? vscode.l10n.t('runs as {0}', r.owner) : undefined,
      r.needsSudo ? vscode.l10n.t('stopping/deleting needs sudo') : undefined,
      r.captureId,
    ].filter((x): x is string => x !== undefined).join(' · '),
  };
}

function actionsFor(r: FoundHostRing): (vscode.QuickPickItem & { action: RingAction })[] {
  const sudo = r.needsSudo ? vscode.l10n.t('needs sudo rights on the host ({0} runs it)', r.owner ?? '?') : undefined;
  const out: (vscode.QuickPickItem & { action: RingAction })[] = [];
  if (r.state !== 'no-directory' && !r.known) out.push({ action: 'adopt', label: `$(add) ${vscode.l10n.t('Adopt into the Captures view')}`, detail: vscode.l10n.t('then Fetch Window and Stop work as for your own rings') });
  // An `unknown` ring is offered what a running one is: Stop and Delete check the host themselves and refuse when they cannot tell.
  const live = r.state === 'running' || r.state === 'unknown';
  if (r.state !== 'stopped') out.push({ action: 'stop', label: `$(debug-stop) ${vscode.l10n.t('Stop its tcpdump')}`, detail: sudo ?? (live ? vscode.l10n.t('keeps its files') : undefined) });
  if (live) out.push({ action: 'stopDelete', label: `$(trash) ${vscode.l10n.t('Stop and delete its files ({0})', bytes(r.diskBytes))}`, detail: sudo });
  if (r.state === 'stopped') out.push({ action: 'delete', label: `$(trash) ${vscode.l10n.t('Delete its files ({0})', bytes(r.diskBytes))}`, detail: sudo });
  return out;
}

async function pickHost(services: ExtensionServices, node?: HostsNode): Promise<string | undefined> {
  if (node?.kind === 'host') return node.host.alias;
  const picked = await vscode.window.showQuickPick(services.hosts.hosts.map((h) => ({ label: h.alias, description: h.address })),
    { title: vscode.l10n.t('Find Ring Captures on Host'), placeHolder: vscode.l10n.t('Host to look for ring-buffer captures on') });
  return picked?.label;
}

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  const finder = new RingHostFinder(services.hosts, services.rings);
  const badge = new HostRingBadge(services.hosts, services.rings, finder, log);

  const act = async (host: string, ring: FoundHostRing, action: RingAction): Promise<void> => {
    const what = `${ring.iface ?? ring.captureId} ${vscode.l10n.t('on {0}', host)}${ring.startedBy ? ` (${vscode.l10n.t('started by {0}', ring.startedBy)})` : ''}`;
    if (action === 'adopt') {
      const adopted = await finder.adopt(host, ring);
      log.info(`ring ${adopted.key} adopted`);
      await vscode.commands.executeCommand('hopscope.captures.focus');
      return;
    }
    const confirm = action === 'stop' ? vscode.l10n.t('Stop the ring-buffer tcpdump {0}? Its files stay on the host.', what)
      : action === 'stopDelete'
        ? vscode.l10n.t('Stop the ring-buffer tcpdump {0} and delete its {1} files ({2})? This cannot be undone.', what, ring.fileCount, bytes(ring.diskBytes))
        : vscode.l10n.t('Delete the {0} files ({1}) of ring-buffer capture {2}? This cannot be undone.', ring.fileCount, bytes(ring.diskBytes), what);
    const yes = action === 'stop' ? vscode.l10n.t('Stop') : vscode.l10n.t('Delete');
    if (await vscode.window.showWarningMessage(confirm, { modal: true }, yes) !== yes) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ring {0}…', what) }, async () => {
      if (action !== 'delete') await finder.stop(host, ring);
      if (action === 'stop') { void vscode.window.showInformationMessage(vscode.l10n.t('Stopped the ring-buffer tcpdump {0}.', what)); return; }
      const { freedKiB } = await finder.deleteFiles(host, ring);
      log.info(`ring ${host}/${ring.captureId} deleted: ${freedKiB} KiB freed`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Deleted ring {0}: {1} freed on the host.', what, bytes(freedKiB * 1024)));
    });
  };

  const find = async (node?: HostsNode): Promise<void> => {
    const host = await pickHost(services, node);
    if (!host) return;
    let report: HostRingReport;
    try {
      report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for ring-buffer captures on {0}…', host) },
        () => finder.scan(host));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.error(`ring scan of ${host}: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Find Ring Captures on {0}: {1}', host, message));
      return;
    }
    badge.update(report);
    for (const limit of report.limits) void vscode.window.showWarningMessage(vscode.l10n.t('Ring captures on {0}: {1}', host, limit));
    if (report.rings.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Hopscope ring-buffer captures on {0} (looked under {1} and in the process table).', host, services.rings.baseDir));
      return;
    }
    const count = (states: FoundHostRing['state'][]): number => report.rings.filter((r) => states.includes(r.state)).length;
    const maybe = count(['unknown']);
    const picked = await vscode.window.showQuickPick(report.rings.map((r) => ringItem(r, report.scan.psFailed)), {
      title: vscode.l10n.t('Ring-buffer captures on {0} ({1})', host, services.rings.baseDir), matchOnDescription: true, matchOnDetail: true,
      placeHolder: maybe > 0
        ? vscode.l10n.t('{0} running, {1} maybe running, {2} orphans — pick one to adopt, stop or delete', count(['running']), maybe, count(['no-directory', 'stopped']))
        : vscode.l10n.t('{0} running, {1} orphans — pick one to adopt, stop or delete', count(['running']), count(['no-directory', 'stopped'])),
    });
    if (!picked) return;
    const actions = actionsFor(picked.ring);
    if (actions.length === 0) { void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already listed in the Captures view.', picked.ring.captureId)); return; }
    const action = await vscode.window.showQuickPick(actions, { title: picked.label.replace(/^\$\([a-z-]+\) /, '') });
    if (!action) return;
    try {
      await act(host, picked.ring, action.action);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.error(`ring ${host}/${picked.ring.captureId} (${action.action}): ${message}`);
      // Rights the login lacks (sudo, or hidepid hiding the process table): a warning, not a failure of Hopscope.
      if (e instanceof RingSudoRequiredError || e instanceof RingCannotVerifyError) void vscode.window.showWarningMessage(message);
      else void vscode.window.showErrorMessage(message);
    } finally {
      void badge.check(host);
    }
  };

  return [
    badge,
    vscode.window.registerFileDecorationProvider(badge),
    vscode.commands.registerCommand('hopscope.ring.findOnHost', find),
  ];
}
