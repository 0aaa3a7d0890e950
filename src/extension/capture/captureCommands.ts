// Feature: capture commands. Start on an interface / bridge / vNIC (tree node, or host → interface
// picks from the palette), Capture VM Path (every hop planVmPathCapture finds, plus hops picked on
// other hosts, one filter everywhere), Stop and Stop All.
import * as vscode from 'vscode';
import { planVmPathCapture, VmPathError } from '../../core/discovery/planVmPathCapture';
import type { ExtensionServices } from '../extensionServices';
import type { HostsNode } from '../hosts/hostsTreeNodes';
import { askCaptureOptions } from './captureOptionsInput';
import type { CaptureStartOptions, RunningCapture } from './captureManager';
import { checkCaptureFilter } from './hostCaptureStarter';
import { showLiveCapture } from './liveCaptureDocuments';
import { offerCompareWhenEnded } from './vmPathCompareOffer';

interface CaptureTarget { host: string; iface: string; guestIps: readonly string[] }

function isNode(x: unknown): x is HostsNode {
  return typeof x === 'object' && x !== null && 'kind' in x && typeof (x as { kind: unknown }).kind === 'string';
}

function filterArgument(x: unknown): string | undefined {
  if (typeof x === 'object' && x !== null && !isNode(x) && typeof (x as { filter?: unknown }).filter === 'string') return (x as { filter: string }).filter;
  return undefined;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function register(_context: vscode.ExtensionContext, log: vscode.LogOutputChannel, services: ExtensionServices): vscode.Disposable[] {
  const { hosts, captures } = services;

  async function pickHost(title: string, exclude?: string): Promise<string | undefined> {
    const pick = await vscode.window.showQuickPick(hosts.hosts.filter((h) => h.alias !== exclude).map((h) => ({
      label: h.address === undefined ? vscode.l10n.t('This machine') : h.alias, description: h.address, alias: h.alias,
    })), { title, placeHolder: vscode.l10n.t('Host') });
    return pick?.alias;
  }

  async function pickInterfaces(host: string, title: string, many: boolean): Promise<CaptureTarget[] | undefined> {
    const inv = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Discovering {0}', host) }, () => hosts.inventory(host));
    const ipsOf = new Map(inv.vms.flatMap((vm) => vm.vnics.filter((v) => v.backend).map((v) => [v.backend as string, { vm: vm.name, ips: v.guestIps }] as const)));
    const items = inv.interfaces.map((i) => ({
      label: i.name, description: [i.kind, i.state, ipsOf.get(i.name)?.vm].filter(Boolean).join(' · '), iface: i.name,
    }));
    const picked = many
      ? await vscode.window.showQuickPick(items, { title, canPickMany: true })
      : await vscode.window.showQuickPick(items, { title }).then((p) => (p ? [p] : undefined));
    return picked?.map((p) => ({ host, iface: p.iface, guestIps: ipsOf.get(p.iface)?.ips ?? [] }));
  }

  async function targetOf(arg: unknown): Promise<CaptureTarget | undefined> {
    if (isNode(arg)) {
      if (arg.kind === 'interface') return { host: arg.host, iface: arg.iface.name, guestIps: [] };
      if (arg.kind === 'vnic' && arg.vnic.backend) return { host: arg.host, iface: arg.vnic.backend, guestIps: arg.vnic.guestIps };
    }
    const host = await pickHost(vscode.l10n.t('Start Capture: host'));
    if (!host) return undefined;
    return (await pickInterfaces(host, vscode.l10n.t('Start Capture: interface on {0}', host), false))?.[0];
  }

  /** Checks the filter once per distinct host. */
  const checker = (hostsToCheck: readonly string[]) => async (filter: string): Promise<string | undefined> => {
    for (const h of new Set(hostsToCheck)) {
      const problem = await checkCaptureFilter(hosts.endpoint(h), filter);
      if (problem !== undefined) return hostsToCheck.length > 1 ? `${h}: ${problem}` : problem;
    }
    return undefined;
  };

  async function startAll(targets: readonly CaptureTarget[], options: CaptureStartOptions): Promise<RunningCapture[]> {
    const settled = await Promise.allSettled(targets.map((t) => captures.start(t.host, t.iface, options)));
    const started: RunningCapture[] = [];
    settled.forEach((r, i) => {
      const t = targets[i];
      if (r.status === 'fulfilled') {
        started.push(r.value);
        log.info(`capture ${r.value.id} on ${t.host}/${t.iface} → ${r.value.file} (filter: ${options.filter || 'none'})`);
        void r.value.session.done.then((res) => {
          log.info(`capture ${r.value.id} ended: ${res.reason}, ${res.packets} packets`);
          if (res.reason === 'error' || res.reason === 'connection-lost') {
            void vscode.window.showErrorMessage(vscode.l10n.t('Capture on {0}/{1}: {2}', t.host, t.iface, res.error?.message ?? res.reason));
          }
        });
      } else {
        log.error(`capture on ${t.host}/${t.iface}: ${message(r.reason)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the capture on {0}/{1}: {2}', t.host, t.iface, message(r.reason)));
      }
    });
    return started;
  }

  return [
    vscode.commands.registerCommand('hopscope.capture.start', async (arg?: unknown) => {
      try {
        const target = await targetOf(arg);
        if (!target) return;
        const options = await askCaptureOptions({
          where: `${target.host}/${target.iface}`, guestIps: target.guestIps, filter: filterArgument(arg), check: checker([target.host]),
        });
        if (!options) return;
        const [started] = await startAll([target], options);
        if (started) await showLiveCapture(started);
      } catch (e) {
        log.error(message(e));
        void vscode.window.showErrorMessage(`Hopscope: ${message(e)}`);
      }
    }),
    vscode.commands.registerCommand('hopscope.capture.vmPath', async (arg?: unknown) => {
      try {
        if (!isNode(arg) || (arg.kind !== 'vm' && arg.kind !== 'vnic')) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Run Capture VM Path on a VM or vNIC in the Hosts view.'));
          return;
        }
        const host = arg.host;
        const vmName = arg.kind === 'vm' ? arg.vm.name : arg.vm;
        const plan = planVmPathCapture(await hosts.inventory(host), vmName, arg.kind === 'vnic' ? arg.vnic.mac : undefined);
        for (const w of plan.warnings) log.warn(`${host}/${vmName}: ${w}`);
        const more = { label: vscode.l10n.t('Add hops on other hosts…'), hop: undefined };
        const items = [...plan.hops.map((h) => ({ label: h.iface, description: h.role, detail: h.why, picked: true, hop: h })), more];
        const picked = await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('Capture VM Path: {0} on {1}', vmName, host), canPickMany: true,
          placeHolder: plan.warnings.join(' · ') || vscode.l10n.t('Hops to capture on'),
        });
        if (!picked) return;
        const targets: CaptureTarget[] = picked.flatMap((p) => (p.hop ? [{ host, iface: p.hop.iface, guestIps: plan.guestIps }] : []));
        if (picked.includes(more)) {
          for (;;) {
            const other = await pickHost(vscode.l10n.t('Capture VM Path: another host (Escape when done)'), host);
            if (!other) break;
            targets.push(...(await pickInterfaces(other, vscode.l10n.t('Capture VM Path: interfaces on {0}', other), true) ?? []));
          }
        }
        if (targets.length === 0) return;
        const options = await askCaptureOptions({
          where: `${vmName} (${targets.length} hops)`, guestIps: plan.guestIps, filter: filterArgument(arg), check: checker(targets.map((t) => t.host)),
        });
        if (!options) return;
        const started = await startAll(targets, options);
        if (started.length > 0) await vscode.commands.executeCommand('hopscope.captures.focus');
        if (started.length > 1) void offerCompareWhenEnded(vmName, started, log).catch((e: unknown) => log.error(message(e)));
      } catch (e) {
        const text = e instanceof VmPathError ? e.message : message(e);
        log.error(text);
        void vscode.window.showErrorMessage(`Hopscope: ${text}`);
      }
    }),
    vscode.commands.registerCommand('hopscope.capture.stop', async (arg?: { id?: unknown }) => {
      const id = typeof arg?.id === 'string' ? arg.id : undefined;
      if (id) { captures.stop(id); return; }
      const running = captures.running;
      if (running.length <= 1) { if (running[0]) captures.stop(running[0].id); return; }
      const pick = await vscode.window.showQuickPick(running.map((c) => ({ label: `${c.host}/${c.iface}`, description: `${c.session.packetCount} packets`, id: c.id })), { title: vscode.l10n.t('Stop Capture') });
      if (pick) captures.stop(pick.id);
    }),
    vscode.commands.registerCommand('hopscope.capture.stopAll', () => captures.stopAll()),
  ];
}
